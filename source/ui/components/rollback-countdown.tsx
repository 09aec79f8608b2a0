import {Box} from 'ink';
import {Text} from './text.js';
import {countdown, type RollbackState} from '../../core/rollback/machine.js';
import {GLYPHS} from '../../core/text/glyphs.js';
import {displayWidth, wrapLine} from '../../core/text/wrap.js';

/**
 * The recovery budget as a bar and a clock: `mm:ss left`, or `+mm:ss over` once overrun. On one
 * line when it fits `columns`; otherwise the words above and the bar, shortened to fit, under
 * them (Ink alone cut the words in two around the bar at 60 columns).
 */
export function RollbackCountdown({state, nowMs, color, width = 24, columns}: {state: RollbackState; nowMs: number; color: boolean; width?: number; columns?: number}) {
	const clock = countdown({...state, nowMs: Math.max(state.nowMs, nowMs)});
	const tone = clock.overrun ? 'red' : clock.remainingMs < clock.budgetMs / 4 ? 'yellow' : 'green';
	const stopped = state.clockStoppedAtMs !== undefined ? ' (stopped: verification ended)' : '';
	const label = `Recovery budget ${state.budget.maxRecoveryMinutes} min${state.budget.source === 'default' ? ' (default: no valid plan budget)' : ''}`;
	// "[" + bar + "] " + clock.
	const barRoom = (bar: number) => 3 + bar + displayWidth(clock.text);
	const oneLine = columns === undefined || displayWidth(label) + 1 + barRoom(width) + displayWidth(stopped) <= columns;
	const barWidth = oneLine ? width : Math.max(4, Math.min(width, columns - barRoom(0)));
	const filled = Math.round(clock.fraction * barWidth);
	const bar = (
		<Text color={color ? tone : undefined}>
			[{GLYPHS.barDone.repeat(filled)}
			{GLYPHS.barLeft.repeat(Math.max(0, barWidth - filled))}] {clock.text}
		</Text>
	);
	const note = stopped ? <Text dimColor>{stopped}</Text> : null;
	if (oneLine) {
		return (
			<Box>
				<Text>{label} </Text>
				{bar}
				{note}
			</Box>
		);
	}
	const noteFits = barRoom(barWidth) + displayWidth(stopped) <= columns;
	return (
		<Box flexDirection="column">
			<Text>{wrapLine(label, columns).join('\n')}</Text>
			<Box>
				{bar}
				{noteFits ? note : null}
			</Box>
			{noteFits || !stopped ? null : <Text dimColor>{stopped.trim()}</Text>}
		</Box>
	);
}
