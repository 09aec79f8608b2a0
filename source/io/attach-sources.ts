/**
 * What `evidence attach` reads: the plan (bytes and sha256), the rehearsal evidence, and one
 * evidence bundle (the given run, else the latest rollback or rehearsal), re-verified offline.
 * Outside strings from a bundle (run id, kind, result) are checked against their known shapes
 * before they go anywhere near the public promotion evidence.
 */
import {readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {EVIDENCE_FILE, isRunId} from '../core/evidence/bundle.js';
import {sha256Hex} from '../core/evidence/journal.js';
import type {BundleFacts} from '../core/evidence/promotion.js';
import {describeFsError, InputError, UsageError} from '../core/errors.js';
import {listEvidenceRuns} from './evidence-list.js';
import {verifyEvidenceBundle, type EvidenceVerification} from './evidence-verify.js';

export async function readPlanBytes(file: string): Promise<{bytes: Uint8Array; sha256: string}> {
	try {
		const bytes = await readFile(file);
		return {bytes, sha256: sha256Hex(bytes)};
	} catch (error) {
		throw describeFsError(error, file);
	}
}

export type BundleInspection =
	| {found: false; reason: string}
	/** `problems`: why it cannot be attached as proof (does not verify, a dry run); empty when it can. */
	| {found: true; facts: BundleFacts; problems: string[]; path: string};

/**
 * THE seam to the evidence store (io/evidence-list.ts, io/evidence-verify.ts): which bundle, does
 * it verify, who signed it. With allowed signers configured, only a validly signed bundle verifies.
 */
export async function inspectBundle(dir: string, runId: string | undefined, options: {allowedSigners?: string} = {}): Promise<BundleInspection> {
	const root = resolve(dir);
	if (runId !== undefined && !isRunId(runId)) throw new UsageError(`"${runId}" is not a run id`, 'run ids look like rb-20260101T120000Z-1a2b3c (see: cavra-rollback evidence list)');
	const runs = await listEvidenceRuns(root);
	// The newest sealed rollback or rehearsal; a damaged one is picked too, so that it is refused, not skipped.
	const run = runId !== undefined ? runs.find(candidate => candidate.id === runId) : runs.find(candidate => candidate.result !== 'incomplete' && candidate.kind !== 'dry-run');
	if (!run) {
		// Reasons may be recorded in the public file (--force): they name runs and files in a bundle, never paths.
		if (runId === undefined) return {found: false, reason: 'no rollback or rehearsal evidence bundle in evidence.dir'};
		throw new InputError(`no evidence bundle for run ${runId} in ${root}`, {file: join(root, runId), hint: 'check the run id and evidence.dir (see: cavra-rollback evidence list)'});
	}
	if (run.result === 'incomplete') return {found: false, reason: `evidence bundle ${run.id} is incomplete (never sealed): it proves nothing`};
	let verification: EvidenceVerification;
	try {
		verification = await verifyEvidenceBundle(run.path, options.allowedSigners !== undefined ? {allowedSigners: options.allowedSigners} : {});
	} catch (error) {
		// evidence.json no longer reads as a bundle: that is a bundle that does not verify.
		if (!(error instanceof InputError)) throw error;
		return {found: false, reason: `evidence bundle ${run.id} does not verify: ${EVIDENCE_FILE} is not a readable cavra-rollback bundle`};
	}
	const sealBytes = await readFile(join(run.path, EVIDENCE_FILE));
	const seal = parseObject(sealBytes);
	const recovery = seal['recovery_seconds'];
	const within = seal['within_target'];
	const facts: BundleFacts = {
		runId: run.id,
		kind: run.kind ?? 'unknown',
		result: run.result,
		evidenceSha256: sha256Hex(sealBytes),
		verified: verification.ok && verification.runId === run.id,
		signedBy: verification.signature.status === 'valid' ? (verification.signature.signer ?? null) : null,
		recoverySeconds: typeof recovery === 'number' && Number.isFinite(recovery) ? recovery : null,
		withinTarget: typeof within === 'boolean' ? within : null,
	};
	return {found: true, facts, problems: bundleProblems(run.id, verification, facts.kind), path: run.path};
}

function bundleProblems(runId: string, verification: EvidenceVerification, kind: string): string[] {
	const problems: string[] = [];
	if (!verification.ok) {
		const first = verification.firstBad!;
		// A signature's reason can quote ssh-keygen (paths); its status says enough.
		const why = first.kind === 'signature' ? verification.signature.status : first.reason;
		problems.push(`evidence bundle ${runId} does not verify: ${first.file}${first.record !== undefined ? ` record ${first.record}` : ''}: ${why}`);
	} else if (verification.runId !== runId) {
		problems.push(`evidence bundle ${runId} names another run in its evidence.json`);
	}
	if (kind === 'dry-run') problems.push(`evidence bundle ${runId} is a dry run: it changed nothing and proves no recovery`);
	return problems;
}

function parseObject(bytes: Uint8Array): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
