import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {HomeMenu, type HomeMenuProps} from './screens/home-menu.js';

/** Mount the menu, wait for a choice, unmount; resolves to the chosen action's index. */
export async function chooseFromHome(props: Omit<HomeMenuProps, 'onChoose'>): Promise<number> {
	let chosen = props.actions.findIndex(action => action.argv === null);
	const instance = render(<HomeMenu {...props} onChoose={index => (chosen = index)} />, {exitOnCtrlC: true, patchConsole: false, stdin: keyInputStream(process.stdin)});
	await instance.waitUntilExit();
	return chosen;
}
