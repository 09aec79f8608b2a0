/**
 * Step 4, restart: batches in config order, the services of a batch (a shared `group`) in
 * parallel. A failed service does not stop the others. The journal's unit is what runs at once:
 * one record before and after each batch (a record per service would queue 2 × N fsyncs behind a
 * parallel group). A resumed run first probes each service: one already answering the target
 * mode is not restarted again; one whose earlier restart was interrupted (killed mid-way) gets
 * what the probe found (up in which mode, or not answering) on screen, in the journal and in its
 * step's detail before it is restarted again.
 */
import type {ServiceConfig} from '../../../core/config/schema.js';
import {probeModeOnce} from '../../verify-poller.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';
import type {RestartOptions, RestartOutcome} from '../effects.js';
import {DEFAULT_PROBE_TIMEOUT_MS} from '../input.js';
import {expectModeOf, isFleet} from '../services.js';
import {batchJournal, batchStatus, finishServiceStep, type ServiceStepResult} from './service-step.js';

export async function restart(ctx: RunContext): Promise<void> {
	for (const [index, batch] of ctx.batches.entries()) {
		if (ctx.stopped()) break;
		const step = batch.length === 1 ? `restart:${batch[0]!.name}` : `restart-group:${batch[0]!.group ?? index + 1}`;
		for (const service of batch) ctx.dispatch({type: 'step-started', id: `restart:${service.name}`, atMs: ctx.clock.now()});
		await ctx.journal({step, phase: 'before', detail: {services: batch.map(service => service.name), commands: Object.fromEntries(batch.map(service => [service.name, ctx.facts.services.get(service.name)!.commands]))}});
		const results = await Promise.all(batch.map(service => restartOne(ctx, service)));
		await ctx.journal({step, phase: 'after', status: batchStatus(results), detail: batchJournal(results)});
	}
}

async function restartOne(ctx: RunContext, service: ServiceConfig): Promise<ServiceStepResult> {
	const {input, control} = ctx;
	const id = `restart:${service.name}`;
	const facts = ctx.facts.services.get(service.name)!;
	// A restart an earlier attempt cut off mid-way: say what the re-probe finds before anything runs again.
	const wasInterrupted = ctx.resume?.interruptedRestarts.includes(service.name) === true;
	let reprobe: string | undefined;
	if (ctx.resume && service.verify?.url && !isFleet(service)) {
		// Re-probe, don't trust the journal: does the service already answer disabled?
		const verdict = await probeModeOnce({url: service.verify.url, expectMode: expectModeOf(service), timeoutMs: input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, get: ctx.fx.http, signal: control.abortSignal, ...ctx.tokenOption(service.verify.url)});
		if (verdict.kind === 'verified') {
			ctx.flow.alreadyVerified.add(service.name);
			facts.modeAfter = verdict.mode;
			const detail = `${wasInterrupted ? 'its restart was interrupted; re-probed: up and ' : ''}already answers mode: ${verdict.mode}`;
			return finishServiceStep(ctx, id, service.name, 'skipped', detail, wasInterrupted ? {reprobe: {state: 'up', mode: verdict.mode}} : {}, 'already-done');
		}
		reprobe = verdict.kind === 'wrong-mode' ? `up, still answers mode: ${verdict.mode}` : verdict.kind === 'malformed' ? `up, but ${verdict.message}` : `not answering (${verdict.message})`;
	} else if (wasInterrupted && !isFleet(service)) {
		reprobe = 'cannot be re-probed (no verify.url)';
	}
	const interruptedNote = wasInterrupted && reprobe !== undefined ? `its restart was interrupted; re-probed: ${reprobe}` : undefined;
	if (interruptedNote) ctx.dispatch({type: 'output', id, lines: [`${interruptedNote}: restarting it again`]});
	const timeoutMs = service.timeoutMs ?? input.defaultRestartTimeoutMs;
	let outcome: RestartOutcome;
	try {
		outcome = await ctx.fx.services.restart(service, {
			timeoutMs,
			signal: control.abortSignal,
			onOutput: lines => ctx.dispatch({type: 'output', id, lines}),
			...(isFleet(service) && (await fleetOptions(ctx, service, id))),
		});
	} catch (error) {
		outcome = {ok: false, detail: describeError(error), exitCode: null, signal: null, timedOut: false, durationMs: 0};
	}
	facts.restart = {exitCode: outcome.exitCode, signal: outcome.signal, timedOut: outcome.timedOut, durationMs: outcome.durationMs, stdoutTail: outcome.stdoutTail ?? '', stderrTail: outcome.stderrTail ?? '', ...(outcome.hosts && {hosts: outcome.hosts})};
	const journalDetail = {
		exit_code: outcome.exitCode,
		signal: outcome.signal,
		timed_out: outcome.timedOut,
		duration_ms: outcome.durationMs,
		// A fleet: every host's batch and state (the batches ran inside this one step).
		...(outcome.hosts && {hosts: Object.fromEntries(outcome.hosts.map(host => [host.host, {batch: host.batch, state: host.state, ...(host.failedStep && {failed_step: host.failedStep})}]))}),
	};
	if (interruptedNote) Object.assign(journalDetail, {reprobe: interruptedNote});
	if (outcome.aborted || (control.abortRequested && !outcome.ok)) return finishServiceStep(ctx, id, service.name, 'interrupted', `stopped mid-restart (Ctrl-C twice or SIGTERM): ${outcome.detail}`, journalDetail);
	return finishServiceStep(ctx, id, service.name, outcome.ok ? 'done' : 'failed', interruptedNote ? `${interruptedNote}; restarted again: ${outcome.detail}` : outcome.detail, journalDetail);
}

/**
 * A fleet's extras: its rows on screen, one journal record per batch as it ends (so a resumed run
 * and a reader of the journal know how far it got), the hosts an earlier attempt finished (a
 * resumed run re-probes each anyway) and the recovery deadline its per-host verify keeps to.
 */
async function fleetOptions(ctx: RunContext, service: ServiceConfig, id: string): Promise<Pick<RestartOptions, 'onFleet' | 'onBatch' | 'resume' | 'verifyDeadlineMs'>> {
	return {
		onFleet: progress => ctx.dispatch({type: 'fleet', id, progress}),
		onBatch: batch =>
			ctx.journal({
				step: `${FLEET_BATCH_STEP}:${service.name}`,
				phase: 'after',
				status: batch.result,
				detail: {batch: batch.batch, batches: batch.batches, hosts: Object.fromEntries(batch.hosts.map(host => [host.host, {state: host.state, ...(host.failedStep && {failed_step: host.failedStep})}]))},
			}),
		...(ctx.resume && {resume: {doneHosts: await journaledDoneHosts(ctx, service.name)}}),
		verifyDeadlineMs: (ctx.state.clockStartedAtMs ?? ctx.clock.now()) + ctx.state.budget.maxRecoveryMinutes * 60_000,
	};
}

/** The journal step of a fleet's batch record: `fleet-batch:<service>` (not a restart step: it does not decide the service's outcome). */
export const FLEET_BATCH_STEP = 'fleet-batch';

/** Hosts the journal (this run's earlier attempts) recorded done, from batch records and restart records. */
async function journaledDoneHosts(ctx: RunContext, name: string): Promise<string[]> {
	const records = await ctx.run.readJournal().catch(() => []);
	const done = new Set<string>();
	for (const record of records) {
		if (record.phase !== 'after') continue;
		const detail = record.detail ?? {};
		const hosts = record.step === `${FLEET_BATCH_STEP}:${name}` ? detail['hosts'] : (detail['services'] as Record<string, Record<string, unknown>> | undefined)?.[name]?.['hosts'];
		if (!hosts || typeof hosts !== 'object') continue;
		for (const [host, value] of Object.entries(hosts as Record<string, unknown>)) {
			if ((value as {state?: unknown} | null)?.state === 'done') done.add(host);
		}
	}
	return [...done];
}
