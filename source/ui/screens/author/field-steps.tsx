import {Box} from 'ink';
import {SelectList} from '../../components/select-list.js';
import {Text} from '../../components/text.js';
import {useKeypress} from '../../keys/use-keypress.js';
import {TextInput} from '../../components/text-input.js';
import {findingsFor} from '../../../core/author/findings.js';
import {minutesProblem} from '../../../core/author/form.js';
import {AuthorFindings} from '../../components/author-findings.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';
import type {StepProps} from './types.js';

export function ApprovalStep({state, dispatch, report, active}: StepProps & {active: boolean}) {
	const form = state.form!;
	const focus = state.approvalFocus;
	useKeypress(
		key => {
			if (key.name === 'up') dispatch({type: 'approval-focus', focus: 'approved'});
		},
		{isActive: active && focus === 'id'},
	);
	const items = [
		{key: 'yes', label: 'Yes: the rollback plan is approved', value: true},
		{key: 'no', label: 'No: not approved yet', value: false},
	];
	return (
		<Box flexDirection="column">
			<Text>Is this rollback plan approved? CAVRA only reports ready for an approved plan.</Text>
			{focus === 'approved' ? (
				<SelectList items={items} initialIndex={form.approved ? 0 : 1} isFocused={active} onSelect={item => dispatch({type: 'set-approved', approved: item.value})} />
			) : (
				<Text>
					{'  '}
					<Text color={form.approved ? 'green' : 'yellow'}>{form.approved ? '✔ approved' : '✖ not approved'}</Text>
					<Text dimColor> (↑ to change)</Text>
				</Text>
			)}
			<Box marginTop={1}>
				<Text>Approval id (the change or approval record, e.g. CAB-1234): </Text>
			</Box>
			<Box>
				<Text color={focus === 'id' ? 'cyan' : undefined}>{focus === 'id' ? '› ' : '  '}</Text>
				{focus === 'id' ? (
					<TextInput value={form.approvalId} focus={active} placeholder="apr_..." onChange={text => dispatch({type: 'set-approval-id', text})} onSubmit={() => dispatch({type: 'next'})} />
				) : (
					<Text dimColor>{form.approvalId === '' ? '(none)' : form.approvalId}</Text>
				)}
			</Box>
			<AuthorFindings findings={findingsFor(report, 'approval')} indent={2} />
			{state.notes.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					{state.notes.map(note => (
						<Text key={note} dimColor>
							note: {note}
						</Text>
					))}
				</Box>
			) : null}
			<Box marginTop={1}>
				<AuthorKeyHints hints={focus === 'approved' ? ['↑/↓ move', 'enter choose', 'tab next step', 'esc back', 'ctrl+c quit'] : ['type the id', 'enter or tab next step', '↑ approved?', 'esc back', 'ctrl+c quit']} />
			</Box>
		</Box>
	);
}

export function RecoveryStep({state, dispatch, report, active}: StepProps & {active: boolean}) {
	const form = state.form!;
	const problem = minutesProblem(form.maxRecoveryMinutes);
	const findings = findingsFor(report, 'recovery');
	return (
		<Box flexDirection="column">
			<Text>Maximum recovery time: within how many minutes must the rollback be complete?</Text>
			<Box>
				<Text color="cyan">{'› '}</Text>
				<TextInput value={form.maxRecoveryMinutes} focus={active} placeholder="e.g. 15" onChange={text => dispatch({type: 'set-minutes', text})} onSubmit={() => dispatch({type: 'next'})} />
				<Text dimColor> minutes</Text>
			</Box>
			{/* While the text is not a positive number, say so in the words of this field; lint's wording is about JSON. */}
			{problem ? (
				<Text color="red" bold={state.refused !== undefined} wrap="wrap">
					{'  ✖ '}
					{state.refused !== undefined ? `not moving on: ${problem}` : problem}
				</Text>
			) : (
				<AuthorFindings findings={findings} indent={2} />
			)}
			<Box marginTop={1}>
				<AuthorKeyHints hints={['type a number', 'enter or tab next step', 'esc back', 'ctrl+c quit']} />
			</Box>
		</Box>
	);
}
