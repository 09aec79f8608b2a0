import {Box, useStdout} from 'ink';
import {SelectList} from '../../components/select-list.js';
import {Text} from '../../components/text.js';
import {useKeypress} from '../../keys/use-keypress.js';
import {useState} from 'react';
import {findingText, maskPlan, placeFinding} from '../../../core/author/findings.js';
import {serialisePlan} from '../../../core/author/form.js';
import type {SaveDecision} from '../../../core/author/save-decision.js';
import type {Verdict} from '../../../core/author/verdict.js';
import {STEP_TITLES, type WizardStep} from '../../../core/author/wizard.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';
import {AuthorStatusLine} from '../../components/author-status-line.js';
import type {StepProps} from './types.js';

export interface ReviewProps extends StepProps {
	active: boolean;
	/** The plan exactly as the save step would write it by default. */
	plan: Record<string, unknown>;
	decision: SaveDecision;
	verdict: Verdict | undefined;
}

const EDITABLE: WizardStep[] = ['approval', 'recovery', 'controls', 'steps', 'evidence'];

export function ReviewStep({state, dispatch, report, active, plan, decision, verdict}: ReviewProps) {
	// Flagged values are shown masked, so the review is safe on a shared screen.
	const lines = serialisePlan(maskPlan(plan, report.findings) as Record<string, unknown>).trimEnd().split('\n');
	// Keep the whole screen within the terminal (a taller frame makes Ink redraw the whole screen on
	// every key): the plan scrolls with pgup/pgdn when it does not fit.
	const {stdout} = useStdout();
	const rows = stdout.rows ?? 0;
	const fixed = 20 + state.notes.length + (verdict?.failing.length ?? 0) + report.findings.length * 2;
	const room = rows > 0 ? Math.max(6, rows - fixed) : lines.length;
	const [offset, setOffset] = useState(0);
	const maxOffset = Math.max(0, lines.length - room);
	const top = Math.min(offset, maxOffset);
	useKeypress(
		key => {
			if (key.name === 'pagedown') setOffset(current => Math.min(maxOffset, Math.min(current, maxOffset) + room - 1));
			else if (key.name === 'pageup') setOffset(current => Math.max(0, Math.min(current, maxOffset) - room + 1));
		},
		{isActive: active && maxOffset > 0},
	);
	const shown = lines.slice(top, top + room).join('\n');
	const items = [
		{key: 'save', label: 'Continue to save', value: 'save' as WizardStep},
		...EDITABLE.map(step => ({key: step, label: `Edit: ${STEP_TITLES[step].toLowerCase()}`, value: step})),
	];
	return (
		<Box flexDirection="column">
			<Text>
				The plan as it will be written (status <Text bold>{String(plan['status'])}</Text>
				{decision.readyAllowed ? '' : ', because errors remain'}):
			</Text>
			<Box borderStyle="round" borderDimColor paddingX={1} flexDirection="column">
				<Text>{shown}</Text>
			</Box>
			{maxOffset > 0 ? (
				<Text dimColor>
					{'  '}lines {top + 1}–{Math.min(lines.length, top + room)} of {lines.length} · pgup/pgdn scroll
				</Text>
			) : null}
			{state.notes.map(note => (
				<Text key={note} dimColor>
					note: {note}
				</Text>
			))}
			<Box flexDirection="column" marginTop={1}>
				{verdict ? (
					<>
						<Text>
							CAVRA readiness in promoted mode with this plan:{' '}
							<Text bold color={verdict.status === 'ready' ? 'green' : 'yellow'}>
								{verdict.status}
							</Text>
						</Text>
						{verdict.failing.map(check => (
							<Text key={check.id} color="yellow" wrap="wrap">
								{'  ✖ '}
								{check.id}: {check.message}
							</Text>
						))}
					</>
				) : (
					<Text dimColor>CAVRA readiness: not available in this build</Text>
				)}
			</Box>
			<Box flexDirection="column" marginTop={1}>
				<AuthorStatusLine report={report} />
				{report.findings.map((finding, index) => (
					<Text key={`${finding.rule}-${index}`} color={finding.severity === 'error' ? 'red' : 'yellow'} wrap="wrap">
						{'  '}
						{finding.severity === 'error' ? '✖' : '⚠'} [{STEP_TITLES[stepOfField(placeFinding(finding).field)]}] {findingText(finding)}
					</Text>
				))}
			</Box>
			<Box marginTop={1}>
				<SelectList items={items} isFocused={active} onSelect={item => dispatch({type: 'goto', step: item.value})} />
			</Box>
			<AuthorKeyHints hints={['↑/↓ move', 'enter choose', 'tab save', 'esc back', 'ctrl+c quit']} />
		</Box>
	);
}

function stepOfField(field: ReturnType<typeof placeFinding>['field']): WizardStep {
	return field === 'plan' ? 'review' : field;
}
