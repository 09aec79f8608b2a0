/**
 * A fleet while it runs: one row per host (batch n/m, state, elapsed time) and the batches that
 * have ended, from the events our callback has written so far. The screen, the plain progress
 * lines and the journal's per-batch records all read this. Pure: the caller gives the time.
 */
import {collectHostResults, hostFinished, type AnsibleEvent, type AppliedHost} from './events.js';

/** `pending`: its batch has not started; `skipped`: a resumed run found it already done. */
export type FleetRowState = 'pending' | 'running' | 'done' | 'failed' | 'unreachable' | 'not-touched' | 'skipped';

export interface FleetRow {
	host: string;
	/** 1-based batch; 0 when it is not part of this run's batches (skipped). */
	batch: number;
	state: FleetRowState;
	elapsedMs: number | null;
	/** Why it failed, or what it is doing. Outside text: shown escaped and redacted by the caller. */
	detail?: string;
	/** The failed restart's last stderr lines. Outside text. */
	stderrTail?: string;
}

export interface FleetProgress {
	batches: number;
	/** The batch running now (or the last one), 0 before the first starts. */
	batch: number;
	rows: FleetRow[];
}

export interface BatchRecord {
	batch: number;
	batches: number;
	/** `done` when every host of the batch is done. */
	result: 'done' | 'failed';
	hosts: Array<{host: string; state: AppliedHost['state']; failedStep?: string}>;
}

export interface FleetShape {
	/** The hosts of each batch, in order (this run's: a resumed run leaves out those already done). */
	batches: ReadonlyArray<readonly string[]>;
	hasVerify: boolean;
	/** Hosts a resumed run found done already: shown, not run. */
	skipped?: readonly string[];
}

/** The rows now. `running`: whether ansible-playbook is still going (after it ends, a host never reached is not touched). */
export function fleetProgress(events: readonly AnsibleEvent[], shape: FleetShape, nowSeconds: number, running: boolean): FleetProgress {
	const {byHost, batchStarts} = collectHostResults(events);
	const current = batchStarts.length;
	const rows: FleetRow[] = (shape.skipped ?? []).map(host => ({host, batch: 0, state: 'skipped', elapsedMs: null, detail: 'already done (re-probed)'}));
	shape.batches.forEach((hosts, index) => {
		const batch = index + 1;
		const start = batchStarts[index];
		for (const host of hosts) {
			const entry = byHost.get(host);
			if (entry && hostFinished(entry, shape.hasVerify)) {
				rows.push(finishedRow(entry, batch));
			} else if (running && batch <= current && start !== undefined) {
				rows.push({host, batch, state: 'running', elapsedMs: Math.max(0, Math.round((nowSeconds - start) * 1000)), detail: stepOf(entry, shape.hasVerify)});
			} else if (running) {
				rows.push({host, batch, state: 'pending', elapsedMs: null});
			} else if (entry) {
				rows.push({host, batch, state: 'failed', elapsedMs: entry.durationMs, detail: entry.message ?? 'stopped before it finished (another host of its batch failed)'});
			} else {
				rows.push({host, batch, state: 'not-touched', elapsedMs: null});
			}
		}
	});
	return {batches: shape.batches.length, batch: Math.min(current, shape.batches.length), rows};
}

/** Batches that have ended: every one before the running one, and all of them once the run is over. */
export function endedBatches(events: readonly AnsibleEvent[], shape: FleetShape, running: boolean): BatchRecord[] {
	const {byHost, batchStarts} = collectHostResults(events);
	const ended = running ? Math.max(0, batchStarts.length - 1) : batchStarts.length;
	return shape.batches.slice(0, ended).map((hosts, index) => {
		const states = hosts.map(host => {
			const entry = byHost.get(host);
			const state: AppliedHost['state'] = !entry ? 'not-touched' : hostFinished(entry, shape.hasVerify) ? entry.state : 'failed';
			return {host, state, ...(entry?.failedStep && {failedStep: entry.failedStep})};
		});
		return {batch: index + 1, batches: shape.batches.length, result: states.every(host => host.state === 'done') ? 'done' : 'failed', hosts: states};
	});
}

function finishedRow(entry: AppliedHost, batch: number): FleetRow {
	const row: FleetRow = {host: entry.host, batch, state: entry.state, elapsedMs: entry.durationMs};
	if (entry.state === 'done') return row;
	return {...row, detail: `${entry.failedStep ?? 'restart'}: ${entry.message ?? 'failed'}`, ...(entry.restart?.stderrTail && {stderrTail: entry.restart.stderrTail})};
}

function stepOf(entry: AppliedHost | undefined, hasVerify: boolean): string {
	if (!entry?.setMode) return 'setting the mode';
	if (!entry.restart) return 'restarting';
	return hasVerify ? 'verifying' : 'restarting';
}
