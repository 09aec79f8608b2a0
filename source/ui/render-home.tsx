import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {ColorProvider} from './components/text.js';
import {HomeMenu, type HomeMenuProps} from './screens/home-menu.js';

/** Mount the menu, wait for a choice, unmount; resolves to the chosen action's index. */
export async function chooseFromHome({color = true, ...props}: Omit<HomeMenuProps, 'onChoose'> & {color?: boolean}): Promise<number> {
	let chosen = props.actions.findIndex(action => action.argv === null);
	const instance = render(
		<ColorProvider value={color}>
			<HomeMenu {...props} onChoose={index => (chosen = index)} />
		</ColorProvider>,
		{exitOnCtrlC: true, patchConsole: false, stdin: keyInputStream(process.stdin)});
	await instance.waitUntilExit();
	return chosen;
}
