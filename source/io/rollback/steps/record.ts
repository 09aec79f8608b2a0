/**
 * Rehearsal only: CAVRA's rehearsal evidence (`rehearsalEvidence`) and a drill appended to
 * `drillHistory`. A failure here is the step's, not the rollback's: it is recorded and shown.
 */
import {serviceOutcomes, recoverySeconds} from '../../../core/rollback/machine.js';
import {appendDrill, buildDrillEntry, buildRehearsalEvidence, isoSeconds, type RehearsalFacts} from '../../../core/rollback/rehearsal-output.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';
import type {RunOutcome} from '../input.js';

type RehearsalResult = NonNullable<RunOutcome['rehearsal']>;

export async function record(ctx: RunContext): Promise<void> {
	await ctx.beginStep('record');
	const result = await recordRehearsal(ctx);
	ctx.facts.rehearsal = result;
	await ctx.endStep('record', result.error ? 'failed' : 'done', {
		detail: result.error ?? `wrote ${ctx.config.rehearsalEvidence} and a drill in ${ctx.config.drillHistory}`,
		journalDetail: {rehearsal_evidence: result.rehearsalEvidence, drill_history: result.drillHistory},
	});
}

/** Whether this run records a rehearsal now: a rehearsal that went ahead, was not stopped, and has not recorded yet. */
export function shouldRecord(ctx: RunContext): boolean {
	return ctx.kind === 'rehearsal' && ctx.flow.proceed && !ctx.stopped() && ctx.state.steps.some(step => step.id === 'record' && step.status === 'pending');
}

async function recordRehearsal(ctx: RunContext): Promise<RehearsalResult> {
	const {config, state, clock} = ctx;
	const {services: serviceFacts, env: envFacts, plan} = ctx.facts;
	const rehearsalPath = config.rehearsalEvidence!;
	const historyPath = config.drillHistory!;
	const outcomes = serviceOutcomes(state.steps);
	const verifiable = outcomes.filter(outcome => serviceFacts.get(outcome.service)?.verifyUrl);
	const fallbackVerified = verifiable.length > 0 && verifiable.every(outcome => outcome.verified) && state.steps.filter(step => step.kind === 'set-mode').every(step => step.status === 'done' || step.status === 'skipped');
	const passed = outcomes.every(outcome => outcome.ok) && state.steps.every(step => step.status !== 'failed');
	if (!fallbackVerified) ctx.dispatch({type: 'notice', message: 'The rehearsal could not verify Python fallback restoration (no service with a verify.url answered mode: disabled): fallback_verified is false.'});
	const facts: RehearsalFacts = {
		runId: ctx.runId,
		executedAt: isoSeconds(state.clockStartedAtMs ?? ctx.startedAtMs),
		fallbackVerified,
		passed,
		recoverySeconds: recoverySeconds({clockStartedAtMs: state.clockStartedAtMs, clockStoppedAtMs: state.clockStoppedAtMs ?? clock.now()}) ?? 0,
		maxRecoveryMinutes: state.budget.maxRecoveryMinutes,
		planApprovalId: plan.approvalId,
		planEvidenceRefs: plan.evidenceRefs,
		sourceMode: envFacts.find(file => file.modeBefore !== null)?.modeBefore ?? 'promoted',
	};
	const out: RehearsalResult = {rehearsalEvidence: null, drillHistory: null, error: null};
	try {
		await ctx.fx.rehearsal.writeRehearsal(rehearsalPath, buildRehearsalEvidence(facts));
		out.rehearsalEvidence = rehearsalPath;
	} catch (error) {
		out.error = `rehearsal evidence not written: ${describeError(error)}`;
		return out;
	}
	try {
		const existing = await ctx.fx.rehearsal.readDrillHistory(historyPath);
		const appended = appendDrill(existing, buildDrillEntry(facts));
		if (!appended.ok) {
			out.error = `drill history left unchanged: ${appended.reason}`;
			return out;
		}
		await ctx.fx.rehearsal.writeDrillHistory(historyPath, appended.document);
		out.drillHistory = historyPath;
	} catch (error) {
		out.error = `drill history left unchanged: ${describeError(error)}`;
	}
	return out;
}
