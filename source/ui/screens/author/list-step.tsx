import {Box} from 'ink';
import {Text} from '../../components/text.js';
import {displayItem, findingsFor} from '../../../core/author/findings.js';
import type {ListName} from '../../../core/author/wizard.js';
import {appendPointer} from '../../../core/json/pointer.js';
import {AuthorFindings} from '../../components/author-findings.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';
import {AuthorListEditor} from '../../components/author-list-editor.js';
import type {StepProps} from './types.js';

const COPY: Record<ListName, {intro: string; noun: string; placeholder: string; pointer: string; field: 'steps' | 'evidence'}> = {
	steps: {
		intro: 'The rollback steps an operator follows, in order. Keep them public-safe: name services and variables, never paste secrets, hosts or addresses.',
		noun: 'step',
		placeholder: 'e.g. Set CAVRA_GO_BACKEND_MODE=disabled.',
		pointer: '/rollback_steps',
		field: 'steps',
	},
	evidence: {
		intro: 'Evidence refs: where the proof lives, written as scheme://path (e.g. go-rollback-readiness://ci/ready). Optional; checked as you type.',
		noun: 'evidence ref',
		placeholder: 'scheme://path',
		pointer: '/evidence_refs',
		field: 'evidence',
	},
};

export function ListStep({state, dispatch, report, active, list}: StepProps & {active: boolean; list: ListName}) {
	const form = state.form!;
	const copy = COPY[list];
	const items = list === 'steps' ? form.steps : form.evidenceRefs;
	const findings = findingsFor(report, copy.field);
	const editing = state.editing?.list === list ? state.editing.index : undefined;
	return (
		<Box flexDirection="column">
			<Text wrap="wrap">{copy.intro}</Text>
			<Box marginTop={1} flexDirection="column">
				<AuthorListEditor
					items={items}
					display={index => displayItem(items[index] ?? '', appendPointer(copy.pointer, index), report.findings)}
					cursor={state.cursors[list]}
					editing={editing}
					isActive={active}
					noun={copy.noun}
					placeholder={copy.placeholder}
					numbered={list === 'steps'}
					onCursor={index => dispatch({type: 'cursor', list, index})}
					onAdd={() => dispatch({type: 'list-add', list})}
					onEdit={() => dispatch({type: 'list-edit', list})}
					onText={text => dispatch({type: 'list-text', text})}
					onEditEnd={() => dispatch({type: 'list-edit-end'})}
					onDelete={() => dispatch({type: 'list-delete', list})}
					onMove={delta => dispatch({type: 'list-move', list, delta})}
					renderExtra={index => <AuthorFindings findings={findings.filter(placed => placed.item === index)} indent={5} />}
				/>
			</Box>
			<AuthorFindings findings={findings.filter(placed => placed.item === undefined)} indent={2} />
			<Box marginTop={1}>
				<AuthorKeyHints
					hints={
						editing === undefined
							? ['↑/↓ select', 'enter edit', 'a add', 'd delete', 'shift+↑/↓ or K/J move', 'tab next step', 'esc back', 'ctrl+c quit']
							: ['type', 'enter or esc done', 'tab next step']
					}
				/>
			</Box>
		</Box>
	);
}
