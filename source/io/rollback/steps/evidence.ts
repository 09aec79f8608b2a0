/**
 * Step 7, evidence: every run ends here, whatever happened before (declined, cancelled, failed):
 * steps that never ran are closed as not run, then evidence.json is sealed over the run folder's
 * files and the journal's head. A journal that could not be written fails this step.
 */
import {recoverySeconds, reduce} from '../../../core/rollback/machine.js';
import {buildEvidence} from '../../../core/rollback/evidence.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';

export async function evidence(ctx: RunContext): Promise<void> {
	const {clock, config, facts, resume} = ctx;
	ctx.dispatch({type: 'close-unrun', atMs: clock.now()});
	await ctx.beginStep('evidence');
	const endedAtMs = clock.now();
	// Classify now (as 'finished' will) so evidence.json carries the result; the step itself is then closed.
	const finishedView = reduce(reduce(ctx.state, {type: 'step-finished', id: 'evidence', status: 'done', atMs: endedAtMs}), {type: 'finished', atMs: endedAtMs});
	const runSummary = {result: finishedView.result ?? null, exit_code: finishedView.exitCode ?? null, recovery_seconds: recoverySeconds(finishedView)};
	try {
		const info = ctx.run.journalInfo();
		const rehearsal = facts.rehearsal;
		const {sealed, extras} = buildEvidence(finishedView, {
			configPath: ctx.input.configPath,
			plan: facts.plan,
			resumeOf: resume ? resume.runId : null,
			startedAtMs: resume?.startedAtMs ?? ctx.startedAtMs,
			endedAtMs,
			serviceFilter: ctx.services.length === (config.services ?? []).length ? [] : ctx.services.map(service => service.name),
			envFiles: facts.env,
			services: [...facts.services.values()],
			reports: facts.reports,
			rehearsal:
				ctx.kind === 'rehearsal'
					? {
							rehearsalEvidence: rehearsal?.rehearsalEvidence ?? null,
							drillHistory: rehearsal?.drillHistory ?? null,
							drillId: rehearsal && !rehearsal.error ? ctx.runId : null,
							error: rehearsal?.error ?? (ctx.flow.proceed ? null : 'not recorded: the rehearsal did not run to the end'),
						}
					: null,
			journal: {records: info.records, headSha256: info.headSha256},
		});
		if (ctx.journalError) throw new Error(`the journal could not be written: ${ctx.journalError}`);
		const written = await ctx.run.writeEvidence(sealed, extras);
		facts.evidence = {path: written.path, document: written.document};
		await ctx.endStep('evidence', 'done', {detail: written.path, journalDetail: runSummary});
	} catch (error) {
		await ctx.endStep('evidence', 'failed', {detail: describeError(error), journalDetail: runSummary});
	}
	ctx.dispatch({type: 'finished', atMs: clock.now(), ...(facts.evidence.path && {evidencePath: facts.evidence.path})});
}
