import {Box} from 'ink';
import type {FleetProgress, FleetRowState} from '../../core/ansible/progress.js';
import {fleetBar, fleetRowLine, rowsToShow, stderrTailLines} from '../../core/rollback/fleet-lines.js';
import {visible} from '../../core/text/sanitize.js';
import {Text} from './text.js';

const rowColors: Record<FleetRowState, string | undefined> = {
	pending: 'gray',
	running: 'cyan',
	done: 'green',
	failed: 'red',
	unreachable: 'red',
	'not-touched': 'gray',
	skipped: 'yellow',
};

/** A fleet under its restart step: the fleet's progress bar, a row per host, a failed host's stderr tail. The state word is always written out: colour is never the only signal. */
export function RollbackFleet({fleet, color}: {fleet: FleetProgress; color: boolean}) {
	const {rows, hidden} = rowsToShow(fleet);
	const states = new Map<string, number>();
	for (const row of fleet.rows) states.set(row.state, (states.get(row.state) ?? 0) + 1);
	return (
		<Box flexDirection="column" marginLeft={2}>
			<Text>{visible(fleetBar(fleet))}</Text>
			{rows.map(row => (
				<Box key={`${row.batch}:${row.host}`} flexDirection="column">
					<Text color={color ? rowColors[row.state] : undefined} dimColor={row.state === 'pending'} wrap="truncate-end">
						{visible(fleetRowLine(row, fleet.batches))}
					</Text>
					{stderrTailLines(row).map((line, index) => (
						<Text key={index} dimColor wrap="truncate-end">
							{'    │ '}
							{visible(line)}
						</Text>
					))}
				</Box>
			))}
			{hidden > 0 ? (
				<Text dimColor>
					… {hidden} more host{hidden === 1 ? '' : 's'} ({[...states].map(([state, count]) => `${count} ${state}`).join(', ')})
				</Text>
			) : null}
		</Box>
	);
}
