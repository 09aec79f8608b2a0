import {Box, useApp} from 'ink';
import {SelectList} from '../components/select-list.js';
import {Text} from '../components/text.js';
import {useKeypress} from '../keys/use-keypress.js';
import {useState} from 'react';

export interface HomeAction {
	/** What selecting it runs: a command line, or null to quit. */
	argv: string[] | null;
	label: string;
	description: string;
}

export interface HomeMenuProps {
	version: string;
	/** One line per fact worth knowing before choosing: config file, plan path. */
	facts: string[];
	/** Undefined while the config is still being read: the menu shows the title and waits (q quits). */
	actions: HomeAction[] | undefined;
	/** Where the previous action ended, e.g. "lint: exit 1 (findings)". */
	lastResult?: string;
	initialIndex?: number;
	onChoose(index: number): void;
}

/** The home menu: pick a command; the chosen one runs after the menu unmounts. */
export function HomeMenu({version, facts, actions, lastResult, initialIndex = 0, onChoose}: HomeMenuProps) {
	const {exit} = useApp();
	const [highlighted, setHighlighted] = useState(initialIndex);
	const quitIndex = actions ? actions.findIndex(action => action.argv === null) : -1;

	useKeypress(key => {
		if (key.input === 'q' || key.name === 'escape' || (key.ctrl && key.input === 'c')) {
			onChoose(quitIndex);
			exit();
		}
	});

	const items = (actions ?? []).map((action, index) => ({key: String(index), label: action.label, value: index}));
	return (
		<Box flexDirection="column" paddingX={1}>
			<Text bold>cavra-rollback {version}</Text>
			<Text dimColor>Roll CAVRA back from the Go backend to Python-only mode, safely.</Text>
			{facts.map(fact => (
				<Text key={fact} dimColor>
					{fact}
				</Text>
			))}
			{lastResult ? <Text>{lastResult}</Text> : null}
			{actions ? (
				<>
					<Box marginTop={1}>
						<SelectList
							items={items}
							initialIndex={initialIndex}
							onHighlight={item => setHighlighted(item.value)}
							onSelect={item => {
								onChoose(item.value);
								exit();
							}}
						/>
					</Box>
					<Box marginTop={1}>
						<Text dimColor>{actions[highlighted]?.description ?? ''}</Text>
					</Box>
					<Text dimColor>↑/↓ move · enter run · q quit</Text>
				</>
			) : (
				<>
					<Box marginTop={1}>
						<Text dimColor>reading the config…</Text>
					</Box>
					<Text dimColor>q quit</Text>
				</>
			)}
		</Box>
	);
}
