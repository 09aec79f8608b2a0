import {Box} from 'ink';
import {Text} from '../../components/text.js';
import {TextInput} from '../../components/text-input.js';
import {findingsFor} from '../../../core/author/findings.js';
import {CONTROL_DESCRIPTIONS, REQUIRED_CONTROLS} from '../../../core/plan/constants.js';
import {AuthorFindings} from '../../components/author-findings.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';
import {AuthorMultiSelect, type MultiSelectOption} from '../../components/author-multi-select.js';
import type {StepProps} from './types.js';

const required = new Set<string>(REQUIRED_CONTROLS);

export function ControlsStep({state, dispatch, report, active}: StepProps & {active: boolean}) {
	const form = state.form!;
	const options: MultiSelectOption[] = form.controlOptions.map(value => ({
		value,
		label: value,
		required: required.has(value),
		description: required.has(value) ? CONTROL_DESCRIPTIONS[value as (typeof REQUIRED_CONTROLS)[number]] : 'a custom control (CAVRA ignores controls it does not know)',
	}));
	const findings = findingsFor(report, 'controls');
	// A finding sits next to the control it is about: by list position, or (a missing one) by name.
	const aboutOption = (placed: (typeof findings)[number], value: string) =>
		(placed.item !== undefined && form.controls[placed.item] === value) || (placed.finding.rule === 'schema/missing-control' && placed.finding.message.includes(`"${value}"`));
	const placedSomewhere = (placed: (typeof findings)[number]) => form.controlOptions.some(value => aboutOption(placed, value));
	return (
		<Box flexDirection="column">
			<Text>Which controls are in place? Tick only what is true: CAVRA needs all five required ones.</Text>
			<AuthorMultiSelect
				options={options}
				checked={form.controls}
				cursor={Math.min(state.cursors.controls, options.length - 1)}
				isActive={active && !state.addingControl}
				onCursor={index => dispatch({type: 'control-cursor', index})}
				onToggle={name => dispatch({type: 'toggle-control', name})}
				onConfirm={() => dispatch({type: 'next'})}
				onAdd={() => dispatch({type: 'begin-add-control'})}
				renderExtra={option => <AuthorFindings findings={findings.filter(placed => aboutOption(placed, option.value))} indent={6} />}
			/>
			{state.addingControl ? (
				<Box marginTop={1}>
					<Text color="cyan">New control: </Text>
					<TextInput value={state.controlDraft} focus={active} placeholder="e.g. incident-channel-announced" onChange={text => dispatch({type: 'control-draft', text})} onSubmit={() => dispatch({type: 'commit-control'})} />
				</Box>
			) : null}
			<AuthorFindings findings={findings.filter(placed => !placedSomewhere(placed))} indent={2} />
			<Box marginTop={1}>
				<AuthorKeyHints
					hints={state.addingControl ? ['type a name', 'enter add', 'esc close (kept)'] : ['↑/↓ move', 'space tick/untick', 'a add a control', 'enter or tab next step', 'esc back', 'ctrl+c quit']}
				/>
			</Box>
		</Box>
	);
}
