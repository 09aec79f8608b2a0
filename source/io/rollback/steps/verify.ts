/**
 * Step 5, verify: every restarted service with a `verify.url` is polled at once until it answers
 * its expected mode, against the recovery countdown (the plan's budget from the go-ahead). One
 * journal step for all. Polling stops on the first Ctrl-C: verifying changes nothing.
 */
import {plural} from '../../../core/text/quantities.js';
import type {ServiceConfig} from '../../../core/config/schema.js';
import {TARGET_MODE} from '../../../core/rollback/preview.js';
import {pollUntilMode} from '../../verify-poller.js';
import type {RunContext} from '../context.js';
import {expectModeOf, isFleet} from '../services.js';
import {batchJournal, batchStatus, finishServiceStep, type ServiceStepResult} from './service-step.js';

export async function verify(ctx: RunContext): Promise<void> {
	const {services} = ctx;
	const polled = services.filter(service => service.verify?.url && !isFleet(service) && !ctx.flow.alreadyVerified.has(service.name) && ctx.state.steps.find(step => step.id === `restart:${service.name}`)?.status === 'done');
	for (const service of polled) ctx.dispatch({type: 'step-started', id: `verify:${service.name}`, atMs: ctx.clock.now()});
	await ctx.journal({step: 'verify', phase: 'before', detail: {services: Object.fromEntries(polled.map(service => [service.name, {url: service.verify!.url, expect_mode: expectModeOf(service)}]))}});
	const results = await Promise.all(services.map(service => verifyOne(ctx, service, polled.includes(service))));
	await ctx.journal({step: 'verify', phase: 'after', status: batchStatus(results), detail: batchJournal(results)});
}

/** The recovery clock is stopped once the services are verified (or could not be). */
export async function stopClock(ctx: RunContext): Promise<void> {
	ctx.dispatch({type: 'clock-stop', atMs: ctx.clock.now()});
}

async function verifyOne(ctx: RunContext, service: ServiceConfig, poll: boolean): Promise<ServiceStepResult> {
	const {clock, state} = ctx;
	const id = `verify:${service.name}`;
	const facts = ctx.facts.services.get(service.name)!;
	const restart = state.steps.find(step => step.id === `restart:${service.name}`);
	if (restart?.status !== 'done' && restart?.status !== 'skipped') return finishServiceStep(ctx, id, service.name, 'skipped', 'the restart did not succeed', {}, 'blocked');
	if (ctx.flow.alreadyVerified.has(service.name)) return finishServiceStep(ctx, id, service.name, 'skipped', `answers mode: ${facts.modeAfter ?? TARGET_MODE}`, {}, 'already-done');
	const url = service.verify?.url;
	if (url && isFleet(service) && restart?.status === 'done') {
		facts.modeAfter = expectModeOf(service);
		return finishServiceStep(ctx, id, service.name, 'done', `every host answered mode: ${expectModeOf(service)} (checked per host by Ansible)`, {per_host: true});
	}
	if (!url || !poll) return finishServiceStep(ctx, id, service.name, 'skipped', 'the restart exit status is the only proof', {}, 'not-configured');
	const outcome = await pollUntilMode({
		url,
		expectMode: expectModeOf(service),
		deadlineMs: deadlineMs(ctx),
		get: ctx.fx.http,
		now: () => clock.now(),
		sleep: (ms, signal) => clock.sleep(ms, signal),
		signal: ctx.control.cancelSignal,
		onAttempt: (attempt, verdict) => ctx.dispatch({type: 'output', id, lines: [`poll ${attempt}: ${verdict.message}`]}),
		...(service.verify?.timeoutMs !== undefined && {requestTimeoutMs: service.verify.timeoutMs}),
		...ctx.tokenOption(url),
	});
	facts.verify = {attempts: outcome.attempts, reason: outcome.reason};
	facts.modeAfter = outcome.mode ?? null;
	const journalDetail = {attempts: outcome.attempts, ended_because: outcome.reason, mode: outcome.mode ?? null, elapsed_ms: outcome.elapsedMs};
	if (outcome.verified) return finishServiceStep(ctx, id, service.name, 'done', `answers mode: ${outcome.mode} (after ${plural(outcome.attempts, 'poll')})`, journalDetail);
	if (outcome.reason === 'aborted') return finishServiceStep(ctx, id, service.name, 'cancelled', `not verified: cancelled (${outcome.last?.message ?? 'no answer yet'})`, journalDetail);
	const why = outcome.reason === 'deadline' ? `not back within the recovery budget (${ctx.state.budget.maxRecoveryMinutes} min)` : `gave up after ${outcome.attempts} polls`;
	return finishServiceStep(ctx, id, service.name, 'failed', `${why}: ${outcome.last?.message ?? 'no answer'}`, journalDetail);
}

/** The recovery budget runs from the go-ahead. */
function deadlineMs(ctx: RunContext): number {
	return (ctx.state.clockStartedAtMs ?? ctx.clock.now()) + ctx.state.budget.maxRecoveryMinutes * 60_000;
}
