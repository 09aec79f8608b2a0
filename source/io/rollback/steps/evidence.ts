/**
 * Step 7, evidence: every run ends here, whatever happened before (declined, cancelled, failed):
 * steps that never ran are closed as not run, then evidence.json is sealed over the run folder's
 * files and the journal's head, and signed with the operator's SSH key when one is configured.
 * A journal that could not be written, or a signature that could not be made, fails this step
 * (exit 3); the rollback's own result stands. A new run that changed nothing (a dry run, a
 * confirmation declined or cancelled) keeps no bundle: its folder is removed, so it is neither
 * listed by `evidence list` nor offered to `--resume`; its evidence document is still returned
 * (`--dry-run --json` prints it) but never written.
 */
import {recoverySeconds, reduce} from '../../../core/rollback/machine.js';
import {SIGNATURE_FILE} from '../../../core/evidence/bundle.js';
import {sealSummary} from '../../../core/evidence/cross-check.js';
import {buildEvidence} from '../../../core/rollback/evidence.js';
import {SIGNATURE_NAMESPACE, type SignOutcome} from '../../evidence-signing.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';

export async function evidence(ctx: RunContext): Promise<void> {
	const {clock, config, facts, resume} = ctx;
	ctx.dispatch({type: 'close-unrun', atMs: clock.now()});
	const endedAtMs = clock.now();
	// Classify now (as 'finished' will) so evidence.json carries the result; the step itself is then closed.
	const finishedView = reduce(reduce(ctx.state, {type: 'step-finished', id: 'evidence', status: 'done', atMs: endedAtMs}), {type: 'finished', atMs: endedAtMs});
	const runSummary = {result: finishedView.result ?? null, exit_code: finishedView.exitCode ?? null, recovery_seconds: recoverySeconds(finishedView)};
	const signing = signingSettings(config.evidence);
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
		journal: {records: 0, headSha256: null},
	});
	if (leavesNoBundle(ctx)) return discard(ctx, {...sealed, files: {}, ...extras});
	const signer = signing.signer ?? null;
	if (signer !== null) extras['signature'] = {namespace: SIGNATURE_NAMESPACE, signer, file: SIGNATURE_FILE};
	// The seal summary: the story evidence.json tells, journaled first so the seal (this record is
	// its head) and the signature cover it; `evidence verify` holds evidence.json to it.
	await ctx.beginStep('evidence', {...sealSummary({...sealed, exit_code: runSummary.exit_code, signer})});
	let closing: Record<string, unknown> = runSummary;
	try {
		// A run that kept nothing on disk yet (its preflight failed before the question) keeps its bundle now.
		await ctx.run.keep();
		const info = ctx.run.journalInfo();
		if (ctx.journalError) throw new Error(`the journal could not be written: ${ctx.journalError}`);
		const written = await ctx.run.writeEvidence({...sealed, journal: {...sealed.journal, head_sha256: info.headSha256, records: info.records}}, extras);
		facts.evidence = {path: written.path, document: written.document};
		const signed = await sign(ctx, signing);
		if (signed) closing = {...runSummary, signature: signed.status === 'signed' ? {status: 'signed', signer: signed.signer} : {status: 'failed', reason: signed.reason ?? null}};
		// Not signed as configured: the rollback's result stands, the bundle is sealed, the step (and exit code) says so.
		if (signed?.status === 'failed') await ctx.endStep('evidence', 'failed', {detail: `${written.path} sealed but NOT signed: ${signed.reason ?? 'unknown error'}`, journalDetail: closing});
		else await ctx.endStep('evidence', 'done', {detail: signed ? `${written.path} (signed by ${signed.signer})` : written.path, journalDetail: closing});
	} catch (error) {
		await ctx.endStep('evidence', 'failed', {detail: describeError(error), journalDetail: closing});
	}
	ctx.dispatch({type: 'finished', atMs: clock.now(), ...(facts.evidence.path && {evidencePath: facts.evidence.path})});
}

function leavesNoBundle(ctx: RunContext): boolean {
	return ctx.resume === undefined && (ctx.kind === 'dry-run' || ctx.flow.declined);
}

async function discard(ctx: RunContext, document: Record<string, unknown>): Promise<void> {
	const {clock, facts} = ctx;
	ctx.dispatch({type: 'step-started', id: 'evidence', atMs: clock.now()});
	try {
		await ctx.run.discard();
		facts.evidence = {path: undefined, document, discarded: true};
		ctx.dispatch({type: 'step-finished', id: 'evidence', status: 'skipped', skipReason: 'nothing-changed', atMs: clock.now()});
	} catch (error) {
		ctx.dispatch({type: 'step-finished', id: 'evidence', status: 'failed', detail: `the run folder ${ctx.run.dir} could not be removed: ${describeError(error)}`, atMs: clock.now()});
	}
	ctx.dispatch({type: 'finished', atMs: clock.now()});
}

interface SigningSettings {
	key?: string;
	signer?: string;
}

function signingSettings(evidence: {signingKey?: string; signer?: string} | undefined): SigningSettings {
	return {...(evidence?.signingKey !== undefined && {key: evidence.signingKey}), ...(evidence?.signer !== undefined && {signer: evidence.signer})};
}

/** Sign when a key is configured (undefined when not); a half-configured signer is a failure to report, not a crash. */
async function sign(ctx: RunContext, signing: SigningSettings): Promise<SignOutcome | undefined> {
	if (signing.key === undefined && signing.signer === undefined) return undefined;
	if (signing.key === undefined) return {status: 'failed', signer: signing.signer!, reason: 'evidence.signer is set but evidence.signingKey is not'};
	if (signing.signer === undefined) return {status: 'failed', signer: '', reason: 'evidence.signingKey is set but evidence.signer (the principal to sign as) is not'};
	if (!ctx.run.sign) return {status: 'failed', signer: signing.signer, reason: 'this evidence store cannot sign'};
	return ctx.run.sign({key: signing.key, signer: signing.signer});
}
