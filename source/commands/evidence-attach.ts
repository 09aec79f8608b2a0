/**
 * `cavra-rollback evidence attach [RUN_ID]`: the auditor's link from CAVRA's promotion evidence to
 * the rollback. Adds the plan's digest, approval, recovery target and refs, the latest rehearsal
 * and a verified evidence bundle to the promotion evidence file: refs in CAVRA's `evidence_refs`,
 * details in the `rollback_attachment` block (docs/evidence.md, "The auditor's walk").
 * Refuses (exit 1, file untouched) unless the plan is ready and approved and the bundle verifies;
 * `--force` attaches anyway and records why. Never writes through a link, nor anything unsafe to publish.
 */
import {plural} from '../core/text/quantities.js';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {attachToPromotion} from '../core/evidence/attach.js';
import {planVerdict, rehearsalFacts} from '../core/evidence/attach-facts.js';
import {ATTACHMENT_KEY, type AttachmentFacts, type RehearsalFacts} from '../core/evidence/promotion.js';
import {describeFsError, ExternalError, InputError, UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {unifiedDiff} from '../core/env-file/diff.js';
import type {Finding} from '../core/lint/finding.js';
import {visible, visibleLines} from '../core/text/sanitize.js';
import {atomicWriteFile} from '../io/atomic-write.js';
import {inspectBundle, readPlanBytes} from '../io/attach-sources.js';
import {loadConfig} from '../io/config.js';
import {packageVersion} from '../io/package-info.js';
import {MAX_INPUT_BYTES} from '../io/read-input.js';
import {readMetadataFile} from '../io/readiness-files.js';
import {replaceRefusal} from '../io/replace-check.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';

export const ATTACH_REPORT_SCHEMA_VERSION = 'cavra-rollback.evidence-attach.v1';

interface Options {
	promotionEvidence?: string;
	force?: boolean;
	json?: boolean;
	dryRun?: boolean;
}

type Result = 'attached' | 'unchanged' | 'would-attach' | 'refused';

export const run: CommandRun = async context => {
	let runId: string | undefined;
	const command = createCommand('evidence attach', context)
		.description("Attach the rollback plan (sha256, approval, recovery target, refs), the latest rehearsal and an evidence bundle to CAVRA's promotion evidence.")
		.argument('[run-id]', 'the evidence bundle to attach (default: the latest rollback or rehearsal in evidence.dir)')
		.option('--promotion-evidence <file>', 'the promotion evidence file (else "promotionEvidence" in the config, else $CAVRA_GO_PROMOTION_EVIDENCE)')
		.option('--force', 'attach even when the plan is not ready and approved or the bundle does not verify; the block records why')
		.option('--dry-run', 'show the change as a diff and write nothing')
		.option('--json', 'print what was attached as JSON')
		.addHelpText(
			'after',
			`
Adds to the promotion evidence, and changes nothing else in it byte for byte:
  evidence_refs        go-rollback-plan://sha256/<digest>, go-rollback-approval://<id>,
                       go-rollback-rehearsal://<id>, go-rollback-evidence://<run-id>/sha256/<digest>,
                       then the plan's own refs; CAVRA's promotion report lists them
  ${ATTACHMENT_KEY}  the details for an auditor (CAVRA ignores this key)
Running it again replaces the earlier attachment; everyone else's refs stay, in order.
Plan: "plan" in the config, else $CAVRA_GO_ROLLBACK_PLAN. Rehearsal: "rehearsalEvidence", else
$CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE. Bundles: evidence.dir (default ./cavra-evidence).

Exit codes: 0 attached (or already attached), 1 refused (the reasons are named; the file is
untouched), 2 usage, config, or a promotion evidence file that cannot be read or safely
replaced (a symlink, other hard links, ...); 3 it changed while attaching or could not be written.`,
		)
		.action((id: string | undefined) => {
			runId = id;
		});
	parseCommand(command, context);
	const options = command.opts<Options>();
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const target = options.promotionEvidence ?? config.promotionEvidence ?? nonEmpty(context.env['CAVRA_GO_PROMOTION_EVIDENCE']);
	if (!target) throw new UsageError('no promotion evidence file to attach to', 'name it with --promotion-evidence FILE, set "promotionEvidence" in .cavrarc, or export CAVRA_GO_PROMOTION_EVIDENCE');
	const planPath = config.plan ?? nonEmpty(context.env['CAVRA_GO_ROLLBACK_PLAN']);
	if (!planPath) throw new UsageError('no rollback plan configured', 'set "plan" in .cavrarc or export CAVRA_GO_ROLLBACK_PLAN');
	const promotionPath = path.resolve(context.cwd, target);
	const original = await readPromotion(promotionPath);

	// Facts, through CAVRA's own evaluators; the reasons are what a refusal names.
	const now = new Date();
	const plan = await readPlanBytes(path.resolve(context.cwd, planPath));
	const planRead = {kind: 'bytes' as const, bytes: plan.bytes};
	const verdict = planVerdict(planPath, planRead, plan.sha256, now);
	const rehearsalPath = config.rehearsalEvidence ?? nonEmpty(context.env['CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE']);
	let rehearsal: RehearsalFacts | null = null;
	if (rehearsalPath) rehearsal = rehearsalFacts(planPath, planRead, rehearsalPath, await readMetadataFile(path.resolve(context.cwd, rehearsalPath)), now);
	const allowedSigners = config.evidence?.allowedSigners;
	const bundle = await inspectBundle(config.evidence?.dir ?? path.resolve(context.cwd, 'cavra-evidence'), runId, allowedSigners !== undefined ? {allowedSigners} : {});
	const reasons = [...verdict.reasons.map(reason => `plan ${reason}`), ...(bundle.found ? bundle.problems : [bundle.reason])];

	const report = {path: promotionPath, reasons, forced: false, runId: bundle.found ? bundle.facts.runId : null};
	if (reasons.length > 0 && !options.force) return finish(context, options, {...report, result: 'refused'});

	const facts: AttachmentFacts = {
		tool: `cavra-rollback ${packageVersion()}`,
		now: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
		plan: verdict.facts,
		rehearsal,
		evidence: bundle.found ? bundle.facts : null,
		forceReasons: reasons,
	};
	const outcome = attachToPromotion(original, facts);
	if (!outcome.ok) throw new InputError(`${visible(promotionPath)}: cannot attach: ${outcome.reason}`, {file: promotionPath, hint: `check it with: cavra-rollback lint ${promotionPath}`});

	// The result goes into a public file: what we add must lint clean; the file's own findings are only noted.
	const {lintPlan} = await import('../core/lint/lint-plan.js');
	const lint = await lintPlan({path: promotionPath, bytes: outcome.text}, {allow: config.lint?.allow ?? []});
	const ours = lint.findings.filter(finding => finding.severity === 'error' && isOurs(finding, outcome.refs, outcome.text));
	if (ours.length > 0) {
		// --force never overrides this: a secret or a private endpoint must not be published.
		const unsafe = ours.map(finding => `not public-safe: ${finding.rule} at ${finding.pointer || '/'}: ${finding.message}`);
		return finish(context, options, {...report, reasons: unsafe, result: 'refused'});
	}
	const others = lint.findings.filter(finding => finding.severity === 'error').length - ours.length;
	if (others > 0 && !options.json) context.stderr.write(`note: the promotion evidence has ${plural(others, 'lint error')} of its own; see: cavra-rollback lint ${visible(promotionPath)}\n`);

	const attached = {...report, forced: reasons.length > 0, block: outcome.block, addedRefs: outcome.refs};
	if (options.dryRun) {
		const diff = unifiedDiff(path.basename(promotionPath), new TextDecoder().decode(original), outcome.text);
		if (!options.json) context.stdout.write(diff ? visibleLines(diff) : 'no change: the promotion evidence already carries this attachment\n');
		return finish(context, options, {...attached, result: outcome.changed ? 'would-attach' : 'unchanged'});
	}
	if (outcome.changed) await writePromotion(promotionPath, original, outcome.text);
	return finish(context, options, {...attached, result: outcome.changed ? 'attached' : 'unchanged'});
};

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/**
 * The promotion evidence as bytes. What atomic-write would refuse to replace (a symlink, a file in
 * a symlinked folder, other hard links, an owner or ACL the rewrite would lose) is refused up front
 * (exit 2), before anything is computed.
 */
async function readPromotion(file: string): Promise<Uint8Array> {
	const refusal = await replaceRefusal(file);
	if (refusal) throw new InputError(`${visible(file)}: ${visible(refusal.reason)}`, {file, hint: refusal.hint});
	try {
		// Promotion evidence is a few KB; a huge file is not one, and is not read whole.
		if ((await stat(file)).size > MAX_INPUT_BYTES) throw new InputError(`${visible(file)}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB; that is not promotion evidence`, {file});
		return await readFile(file);
	} catch (error) {
		if (error instanceof InputError) throw error;
		throw describeFsError(error, file);
	}
}

/** Atomic (atomic-write checks the target again), and not over a change someone else made since we read the file. */
async function writePromotion(file: string, original: Uint8Array, text: string): Promise<void> {
	const current = await readPromotion(file);
	if (Buffer.compare(Buffer.from(current), Buffer.from(original)) !== 0) {
		throw new ExternalError(`${visible(file)}: changed while attaching; nothing was written`, {hint: 'run evidence attach again'});
	}
	try {
		await atomicWriteFile(file, text);
	} catch (error) {
		if (error instanceof InputError) throw error;
		throw new ExternalError(`${visible(file)}: could not be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {hint: 'check free space and permissions of its folder'});
	}
}

/** A finding in our block or in a ref we added. */
function isOurs(finding: Finding, added: readonly string[], text: string): boolean {
	if (finding.pointer === `/${ATTACHMENT_KEY}` || finding.pointer.startsWith(`/${ATTACHMENT_KEY}/`)) return true;
	const match = /^\/evidence_refs\/(\d+)$/.exec(finding.pointer);
	if (!match) return false;
	const refs = (JSON.parse(text) as {evidence_refs?: unknown}).evidence_refs;
	return Array.isArray(refs) && added.includes(refs[Number(match[1])] as string);
}

interface Outcome {
	result: Result;
	path: string;
	reasons: string[];
	forced: boolean;
	runId: string | null;
	block?: Record<string, unknown>;
	addedRefs?: string[];
}

function finish(context: CommandContext, options: Options, outcome: Outcome): number {
	if (options.json) {
		const document = {
			schema_version: ATTACH_REPORT_SCHEMA_VERSION,
			result: outcome.result,
			promotion_evidence: outcome.path,
			forced: outcome.forced,
			reasons: outcome.reasons,
			run_id: outcome.runId,
			added_refs: outcome.addedRefs ?? [],
			attachment: outcome.block ?? null,
		};
		context.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
	} else {
		context.stdout.write(textReport(outcome));
	}
	return outcome.result === 'refused' ? ExitCode.findings : ExitCode.ok;
}

function textReport(outcome: Outcome): string {
	const file = visible(outcome.path);
	if (outcome.result === 'refused') {
		const lines = [`refused: nothing was attached to ${file}`, ...outcome.reasons.map(reason => `  - ${visible(reason)}`)];
		if (!outcome.reasons.some(reason => reason.startsWith('not public-safe'))) lines.push('fix these, or attach anyway with --force (the attachment then records these reasons)');
		return `${lines.join('\n')}\n`;
	}
	const block = outcome.block ?? {};
	const plan = (block['plan'] ?? {}) as Record<string, unknown>;
	const rehearsal = block['rehearsal'] as Record<string, unknown> | null;
	const evidence = block['evidence'] as Record<string, unknown> | null;
	const verb = {attached: 'attached to', unchanged: 'already attached to', 'would-attach': 'would attach to'}[outcome.result];
	const lines = [
		`${verb} ${file}${outcome.forced ? ' (FORCED)' : ''}`,
		`  plan       sha256 ${String(plan['sha256'])}, approval ${visible(String(plan['approval_id']) || '(none)')}, max ${String(plan['max_recovery_minutes'] ?? '?')} min, CAVRA ${String(plan['cavra_status'])}`,
		`  rehearsal  ${rehearsal ? `${visible(String(rehearsal['rehearsal_id'] ?? '(no id)'))} on ${visible(String(rehearsal['executed_at'] ?? '(no date)'))}: ${String(rehearsal['recovery_minutes'] ?? '?')} of ${String(rehearsal['max_recovery_minutes'] ?? '?')} min, CAVRA ${String(rehearsal['cavra_status'])}` : '(none configured)'}`,
		`  evidence   ${evidence ? `${String(evidence['run_id'])} ${String(evidence['kind'])} ${String(evidence['result'])}, evidence.json sha256 ${String(evidence['evidence_sha256'])}, ${evidence['verified'] ? 'verifies' : 'DOES NOT VERIFY'}, ${evidence['signed_by'] ? `signed by ${visible(String(evidence['signed_by']))}` : 'unsigned'}` : '(none)'}`,
		`  refs       ${(outcome.addedRefs ?? []).length} in evidence_refs`,
	];
	for (const reason of outcome.forced ? outcome.reasons : []) lines.push(`  forced over: ${visible(reason)}`);
	return `${lines.join('\n')}\n`;
}
