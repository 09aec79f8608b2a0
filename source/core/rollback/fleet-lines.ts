/**
 * A fleet's restart in words, for the Ink screen and the plain progress alike: a progress bar for
 * the whole fleet, one line per host (batch n/m, state, elapsed time) and a failed host's stderr
 * tail. The rows' strings come escaped and redacted from the adapter; lines are escaped again
 * where they are printed. Pure.
 */
import type {FleetProgress, FleetRow, FleetRowState} from '../ansible/progress.js';
import {formatDuration, plural} from '../text/quantities.js';

const BAR_WIDTH = 20;
/** Hosts listed on the screen before the rest is summed up (the running and failed ones first). */
export const FLEET_ROWS_SHOWN = 12;
export const STDERR_LINES_SHOWN = 3;

const FINISHED: ReadonlySet<FleetRowState> = new Set(['done', 'failed', 'unreachable', 'not-touched', 'skipped']);

export function rowFinished(row: FleetRow): boolean {
	return FINISHED.has(row.state);
}

/** `[########------------] 4/10 hosts · batch 2/5 · 1 failed` */
export function fleetBar(progress: FleetProgress): string {
	const total = progress.rows.length;
	const finished = progress.rows.filter(rowFinished).length;
	const filled = total === 0 ? 0 : Math.round((finished / total) * BAR_WIDTH);
	const failed = progress.rows.filter(row => row.state === 'failed' || row.state === 'unreachable').length;
	return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${finished}/${plural(total, 'host')} · batch ${progress.batch}/${progress.batches}${failed > 0 ? ` · ${failed} failed` : ''}`;
}

/** `batch 2/5 web3: running (4.2 s) restarting` */
export function fleetRowLine(row: FleetRow, batches: number): string {
	const where = row.batch === 0 ? 'resumed' : `batch ${row.batch}/${batches}`;
	const elapsed = row.elapsedMs === null ? '' : ` (${formatDuration(row.elapsedMs)})`;
	return `${where} ${row.host}: ${row.state}${elapsed}${row.detail ? ` ${row.detail}` : ''}`;
}

/** The last lines of a failed host's stderr, for its details. */
export function stderrTailLines(row: FleetRow, count = STDERR_LINES_SHOWN): string[] {
	return (row.stderrTail ?? '').split('\n').filter(line => line.trim() !== '').slice(-count);
}

/** The rows worth a line when there are many hosts: running and failed first, then the rest in order; and how many are left out. */
export function rowsToShow(progress: FleetProgress, max = FLEET_ROWS_SHOWN): {rows: FleetRow[]; hidden: number} {
	if (progress.rows.length <= max) return {rows: progress.rows, hidden: 0};
	const urgent = (row: FleetRow) => row.state === 'running' || row.state === 'failed' || row.state === 'unreachable';
	const chosen = new Set([...progress.rows.filter(urgent), ...progress.rows.filter(row => !urgent(row))].slice(0, max));
	return {rows: progress.rows.filter(row => chosen.has(row)), hidden: progress.rows.length - chosen.size};
}

/** Plain progress: a line for each host whose state changed since `prev` (never for `pending`), its stderr tail when it failed, then the bar. */
export function fleetChangeLines(prev: FleetProgress | undefined, next: FleetProgress): string[] {
	const lines: string[] = [];
	for (const row of next.rows) {
		const before = prev?.rows.find(candidate => candidate.host === row.host && candidate.batch === row.batch);
		if (row.state === 'pending' || before?.state === row.state) continue;
		lines.push(`  ${fleetRowLine(row, next.batches)}`);
		for (const line of stderrTailLines(row)) lines.push(`      stderr: ${line}`);
	}
	if (lines.length > 0 && next.rows.some(rowFinished)) lines.push(`  ${fleetBar(next)}`);
	return lines;
}
