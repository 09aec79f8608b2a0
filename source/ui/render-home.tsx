import {render, useApp} from 'ink';
import {useEffect, useState} from 'react';
import {keyInputStream} from './key-input.js';
import {ColorProvider} from './components/text.js';
import {HomeMenu, type HomeAction, type HomeMenuProps} from './screens/home-menu.js';

/** What the menu shows once the config is read: its facts and the actions it allows. */
export interface HomeContent {
	facts: string[];
	actions: HomeAction[];
}

export interface ChooseFromHomeOptions extends Omit<HomeMenuProps, 'onChoose' | 'facts' | 'actions'> {
	color?: boolean;
	/** The config's facts and actions; a rejection (an unusable config) closes the menu with that error. */
	content: Promise<HomeContent>;
	/** The verdict line, shown under the facts when it is known. */
	verdict: Promise<string>;
}

export const VERDICT_PENDING = 'verdict: checking…';

/**
 * The title is drawn at once; the facts and the menu fill in when the config is read, and the
 * verdict line when the readiness files are: the first frame waits for neither.
 */
export function HomeScreen({content, verdict, onChoose, ...props}: Omit<ChooseFromHomeOptions, 'color'> & {onChoose(index: number): void}) {
	const {exit} = useApp();
	const [loaded, setLoaded] = useState<HomeContent>();
	const [verdictLine, setVerdictLine] = useState<string>();
	const [failure, setFailure] = useState<Error>();
	useEffect(() => {
		let mounted = true;
		content.then(
			value => mounted && setLoaded(value),
			(error: unknown) => mounted && setFailure(error instanceof Error ? error : new Error(String(error))),
		);
		verdict.then(
			value => mounted && setVerdictLine(value),
			() => undefined,
		);
		return () => {
			mounted = false;
		};
	}, [content, verdict]);
	// An unusable config: the half-drawn menu is erased (an empty frame) before Ink exits with the error.
	useEffect(() => {
		if (failure) exit(failure);
	}, [failure, exit]);
	if (failure) return null;
	return <HomeMenu {...props} facts={loaded ? [...loaded.facts, verdictLine ?? VERDICT_PENDING] : []} actions={loaded?.actions} onChoose={onChoose} />;
}

/** Mount the menu, wait for a choice, unmount; resolves to the chosen action's index, -1 for Ctrl-C. */
export async function chooseFromHome({color = true, ...options}: ChooseFromHomeOptions): Promise<number> {
	let chosen = -1;
	const instance = render(
		<ColorProvider value={color}>
			<HomeScreen {...options} onChoose={index => (chosen = index)} />
		</ColorProvider>,
		{exitOnCtrlC: true, patchConsole: false, stdin: keyInputStream(process.stdin)});
	await instance.waitUntilExit();
	return chosen;
}
