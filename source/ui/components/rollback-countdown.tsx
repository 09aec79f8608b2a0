import {Box} from 'ink';
import {Text} from './text.js';
import {countdown, type RollbackState} from '../../core/rollback/machine.js';
import {GLYPHS} from '../../core/text/glyphs.js';

/** The recovery budget as a bar and a clock: `mm:ss left`, or `+mm:ss over` once overrun. */
export function RollbackCountdown({state, nowMs, color, width = 24}: {state: RollbackState; nowMs: number; color: boolean; width?: number}) {
	const clock = countdown({...state, nowMs: Math.max(state.nowMs, nowMs)});
	const filled = Math.round(clock.fraction * width);
	const tone = clock.overrun ? 'red' : clock.remainingMs < clock.budgetMs / 4 ? 'yellow' : 'green';
	const stopped = state.clockStoppedAtMs !== undefined;
	return (
		<Box>
			<Text>
				Recovery budget {state.budget.maxRecoveryMinutes} min{state.budget.source === 'default' ? ' (default: no valid plan budget)' : ''}{' '}
			</Text>
			<Text color={color ? tone : undefined}>
				[{GLYPHS.barDone.repeat(filled)}
				{GLYPHS.barLeft.repeat(Math.max(0, width - filled))}] {clock.text}
			</Text>
			{stopped ? <Text dimColor> (stopped: verification ended)</Text> : null}
		</Box>
	);
}
