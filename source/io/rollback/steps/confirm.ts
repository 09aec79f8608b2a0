/**
 * Step 2, confirm: a dry run stops here (every changing step recorded as skipped); otherwise the
 * operator's go-ahead on the preview creates the run folder (until then a new run is held in
 * memory: see evidence-effects.ts) and starts the recovery clock (a resumed run keeps the first
 * run's start). Declined or stopped: nothing changes, the run is cancelled (and, being new, it
 * leaves no evidence bundle: see the evidence step).
 */
import {ExternalError} from '../../../core/errors.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';

export async function confirm(ctx: RunContext): Promise<void> {
	const {input, flow} = ctx;
	const preview = ctx.facts.preview;
	flow.proceed = flow.preflightOk && !ctx.stopped();
	// Stopped before the question (Ctrl-C during the preflight): nothing was changed either.
	if (flow.preflightOk && ctx.stopped()) flow.declined = true;
	if (flow.proceed && ctx.kind === 'dry-run') {
		flow.proceed = false;
		for (const step of ctx.state.steps) {
			if (step.status === 'pending' && step.kind !== 'evidence') await ctx.skipStep(step.id, 'dry-run', 'nothing changed');
		}
	} else if (flow.proceed && preview) {
		ctx.dispatch({type: 'phase', phase: 'confirm', atMs: ctx.clock.now()});
		await ctx.journal({step: 'confirm', phase: 'before', detail: {env_files: ctx.envFiles.length, services: ctx.services.length}});
		let confirmed = false;
		try {
			confirmed = await input.confirm(preview);
		} catch {
			confirmed = false;
		}
		if (!confirmed || ctx.stopped()) {
			ctx.control.cancel();
			await ctx.journal({step: 'confirm', phase: 'after', status: 'declined'});
			flow.proceed = false;
			flow.declined = true;
		} else {
			// Only now is a new run's folder created, with what the preview journaled (at its own times):
			// a process killed at the question leaves nothing to list or resume. Without a folder for
			// the evidence, nothing is changed.
			try {
				await ctx.run.keep();
			} catch (error) {
				throw new ExternalError(`the run folder could not be created, so nothing was changed: ${describeError(error)}`, {hint: 'check that evidence.dir is writable and has free space, then start the rollback again'});
			}
			const clockStart = ctx.resume?.clockStartedAtMs ?? ctx.clock.now();
			ctx.dispatch({type: 'clock-start', atMs: clockStart});
			await ctx.journal({step: 'confirm', phase: 'after', status: 'confirmed', detail: {confirmed_by: input.confirmMethod ?? 'typed', clock_started_at: new Date(clockStart).toISOString()}});
		}
	}
	if (flow.proceed) ctx.dispatch({type: 'phase', phase: 'running', atMs: ctx.clock.now()});
}
