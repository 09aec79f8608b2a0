/**
 * Running the restart batches: one batch after the other, the services of a batch in parallel.
 * A failed service does not stop the others: during an incident every service that can be put
 * back in the safe mode should be. Cancelling (the signal) stops before the next batch and ends
 * the commands running now.
 */
import type {ServiceConfig} from '../core/config/schema.js';
import type {RestartBatch} from '../core/rollback/restart-plan.js';
import {restartService, type AdapterRegistry, type AdapterResult, type RestartContext} from '../adapters/index.js';
import {runCommand, type CommandRunner} from './process-runner.js';

/** `skipped`: not started because an earlier batch failed and `stopOnFailure` is set. */
export type ServiceStatus = 'done' | 'failed' | 'cancelled' | 'skipped';

export interface ServiceOutcome {
	name: string;
	kind: ServiceConfig['kind'];
	batch: number;
	status: ServiceStatus;
	/** Epoch ms (or the given clock's); absent for a service that never started. */
	startedAtMs?: number;
	endedAtMs?: number;
	durationMs: number;
	result?: AdapterResult;
	/** One line: the adapter's detail, or why it did not run. */
	detail: string;
}

export interface RunBatchesOptions extends Omit<RestartContext, 'runner' | 'signal'> {
	runner?: CommandRunner;
	registry?: AdapterRegistry;
	signal?: AbortSignal;
	/** Awaited before a service starts (write the journal's "before" record here). */
	beforeService?: (service: ServiceConfig, batch: number) => void | Promise<void>;
	/** Awaited after it ended (the journal's "after" record). */
	afterService?: (outcome: ServiceOutcome, service: ServiceConfig) => void | Promise<void>;
	/** Stop after the first batch with a failure (default false: restart everything possible). */
	stopOnFailure?: boolean;
	clock?: () => number;
}

export interface RunBatchesResult {
	outcomes: ServiceOutcome[];
	durationMs: number;
	ok: boolean;
}

export async function runBatches(batches: ReadonlyArray<RestartBatch<ServiceConfig>>, options: RunBatchesOptions = {}): Promise<RunBatchesResult> {
	const clock = options.clock ?? Date.now;
	const started = clock();
	const outcomes: ServiceOutcome[] = [];
	let stop = false;
	for (const batch of batches) {
		if (stop || options.signal?.aborted) {
			const aborted = options.signal?.aborted === true;
			for (const service of batch.services) outcomes.push(notRun(service, batch.index, aborted ? 'cancelled' : 'skipped', aborted ? 'cancelled before it started' : 'not run: an earlier batch failed'));
			continue;
		}
		const settled = await Promise.allSettled(batch.services.map(service => runOne(service, batch.index, options, clock)));
		const hookError = settled.find((entry): entry is PromiseRejectedResult => entry.status === 'rejected');
		for (const entry of settled) if (entry.status === 'fulfilled') outcomes.push(entry.value);
		// A journal that cannot be written is not something to restart through: stop and say so.
		if (hookError) throw hookError.reason;
		if (options.stopOnFailure && outcomes.some(outcome => outcome.status === 'failed')) stop = true;
	}
	return {outcomes, durationMs: Math.round(clock() - started), ok: outcomes.every(outcome => outcome.status === 'done')};
}

async function runOne(service: ServiceConfig, batch: number, options: RunBatchesOptions, clock: () => number): Promise<ServiceOutcome> {
	await options.beforeService?.(service, batch);
	const startedAtMs = clock();
	let outcome: ServiceOutcome;
	try {
		const result = await restartService(
			service,
			{
				runner: options.runner ?? runCommand,
				...(options.signal && {signal: options.signal}),
				...(options.mode && {mode: options.mode}),
				...(options.daemonReload !== undefined && {daemonReload: options.daemonReload}),
				...(options.timeoutMs !== undefined && {timeoutMs: options.timeoutMs}),
				...(options.onLine && {onLine: options.onLine}),
			},
			options.registry,
		);
		const endedAtMs = clock();
		const cancelled = !result.ok && result.commands.some(command => command.cancelled);
		outcome = {name: service.name, kind: service.kind, batch, status: result.ok ? 'done' : cancelled ? 'cancelled' : 'failed', startedAtMs, endedAtMs, durationMs: Math.round(endedAtMs - startedAtMs), result, detail: result.detail};
	} catch (error) {
		// Adapters report failures as results; an exception here is a bug, kept to this one service.
		const endedAtMs = clock();
		outcome = {name: service.name, kind: service.kind, batch, status: 'failed', startedAtMs, endedAtMs, durationMs: Math.round(endedAtMs - startedAtMs), detail: `internal error: ${error instanceof Error ? error.message : String(error)}`};
	}
	await options.afterService?.(outcome, service);
	return outcome;
}

function notRun(service: ServiceConfig, batch: number, status: ServiceStatus, detail: string): ServiceOutcome {
	return {name: service.name, kind: service.kind, batch, status, durationMs: 0, detail};
}
