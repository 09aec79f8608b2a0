import {Box} from 'ink';
import {visible} from '../../../core/text/sanitize.js';
import {Text} from '../../components/text.js';
import {SelectList} from '../../components/select-list.js';
import {useState} from 'react';
import type {SourceOption} from '../../../core/author/sources.js';
import type {WizardAction, WizardState} from '../../../core/author/wizard.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';

export function SourceStep({state, dispatch, options, active}: {state: WizardState; dispatch: (action: WizardAction) => void; options: SourceOption[]; active: boolean}) {
	const keep = state.form ? [{key: 'keep', label: 'Keep the plan you are editing', value: 'keep'}] : [];
	const items = [...keep, ...options.map(option => ({key: option.key, label: visible(option.label), value: option.key}))];
	const [highlighted, setHighlighted] = useState(items[0]?.value ?? '');
	const [problem, setProblem] = useState<string | undefined>();
	const description = highlighted === 'keep' ? 'Carry on with what you have typed so far.' : options.find(option => option.key === highlighted)?.description;
	return (
		<Box flexDirection="column">
			<Text>Start the plan from:</Text>
			<SelectList
				items={items}
				isFocused={active}
				onHighlight={item => {
					setHighlighted(item.value);
					setProblem(undefined);
				}}
				onSelect={item => {
					if (item.value === 'keep') {
						dispatch({type: 'next'});
						return;
					}
					const option = options.find(candidate => candidate.key === item.value);
					if (!option?.load) {
						setProblem(option?.description ?? 'that choice cannot be loaded');
						return;
					}
					dispatch({type: 'choose-source', ...option.load()});
				}}
			/>
			<Box marginTop={1}>
				<Text dimColor wrap="wrap">
					{description ?? ''}
				</Text>
			</Box>
			{problem ? <Text color="red">{problem}</Text> : null}
			<AuthorKeyHints hints={state.form ? ['↑/↓ move', 'enter choose', 'tab next step', 'ctrl+c quit'] : ['↑/↓ move', 'enter choose', 'ctrl+c quit']} />
		</Box>
	);
}
