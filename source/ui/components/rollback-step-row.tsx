import {Box} from 'ink';
import {wrapLines} from '../../core/text/wrap.js';
import {formatDuration} from '../../core/text/quantities.js';
import {visible} from '../../core/text/sanitize.js';
import {RollbackFleet} from './rollback-fleet.js';
import {Text} from './text.js';
import Spinner from 'ink-spinner';
import {describeStep, statusSymbols, statusWords, type StepState, type StepStatus} from '../../core/rollback/machine.js';

const statusColors: Record<StepStatus, string | undefined> = {
	pending: 'gray',
	running: 'cyan',
	done: 'green',
	failed: 'red',
	skipped: 'yellow',
	cancelled: 'gray',
	interrupted: 'magenta',
};

/** One step: symbol (a spinner while running), label, state word, and what happened. Colour is never the only signal. */
export function RollbackStepRow({step, color, animate, width}: {step: StepState; color: boolean; animate: boolean; width: number}) {
	const tint = color ? statusColors[step.status] : undefined;
	// Labels name configured services, details quote service output: one line each, shown visibly.
	const detail = visible(describeStep(step));
	const measured = step.startedAtMs !== undefined && step.endedAtMs !== undefined && !(step.status === 'cancelled' && step.startedAtMs === step.endedAtMs);
	// The adapter's detail often says how long already ("exit 0 (4.6 s)").
	const saysDuration = /\(\d+(?:\.\d+)? m?s\)$/.test(detail);
	const duration = measured && !saysDuration ? formatDuration(step.endedAtMs! - step.startedAtMs!) : '';
	const label = visible(step.label);
	const plain = `${label} [${statusWords[step.status]}]${detail ? `: ${detail}` : ''}${duration ? ` (${duration})` : ''}`;
	// The symbol column takes 2; continuation lines hang under the label. The row is part of a
	// window-tall frame: a path longer than the line folds at the edge, as the terminal would.
	const lines = wrapLines([plain], Math.max(20, width - 2), {hanging: 0, breakLongWords: true});
	const row = (
		<Box>
			<Box width={2} flexShrink={0}>
				{step.status === 'running' && animate ? (
					<Text color={tint}>
						<Spinner type="dots" />
					</Text>
				) : (
					<Text color={tint}>{statusSymbols[step.status]}</Text>
				)}
			</Box>
			{lines.length === 1 ? (
				<Text>
					<Text dimColor={step.status === 'pending'}>{label}</Text>
					<Text color={tint}> [{statusWords[step.status]}]</Text>
					{detail ? <Text dimColor>: {detail}</Text> : null}
					{duration ? <Text dimColor> ({duration})</Text> : null}
				</Text>
			) : (
				// Too long for one line: wrapped at words by the one wrapper (Ink's own wrap splits words: "bu/dget").
				<Text dimColor={step.status === 'pending'}>{lines.join('\n')}</Text>
			)}
		</Box>
	);
	if (!step.fleet) return row;
	return (
		<Box flexDirection="column">
			{row}
			<RollbackFleet fleet={step.fleet} color={color} />
		</Box>
	);
}
