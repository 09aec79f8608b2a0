/**
 * What `evidence attach` reads: the plan (bytes and sha256), the rehearsal evidence, and one
 * evidence bundle (the given run, else the latest rollback or rehearsal), re-verified offline.
 * Outside strings from a bundle (run id, kind, result) are checked against their known shapes
 * before they go anywhere near the public promotion evidence.
 */
import {readdir, readFile} from 'node:fs/promises';
import {join, resolve} from 'node:path';
import {EVIDENCE_FILE, isRunId} from '../core/evidence/bundle.js';
import {sha256Hex} from '../core/evidence/journal.js';
import type {BundleFacts} from '../core/evidence/promotion.js';
import {describeFsError, InputError, UsageError} from '../core/errors.js';
import {verifyEvidence, type EvidenceVerification} from './evidence-verify.js';

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

const KINDS = new Set(['rollback', 'rehearsal', 'dry-run']);
const RESULTS = new Set(['recovered', 'partial', 'failed', 'cancelled', 'previewed']);

/**
 * THE seam to the evidence store: which bundle, does it verify, who signed it. The evidence
 * helper's list/verify API replaces the body of this function and nothing else.
 */
export async function inspectBundle(dir: string, runId: string | undefined): Promise<BundleInspection> {
	const root = resolve(dir);
	let chosen: string;
	if (runId !== undefined) {
		if (!isRunId(runId)) throw new UsageError(`"${runId}" is not a run id`, 'run ids look like rb-20260101T120000Z-1a2b3c (see the folders in evidence.dir)');
		chosen = runId;
		const seal = await readSealed(join(root, chosen));
		if (!seal) throw new InputError(`no sealed evidence bundle for run ${runId} in ${root}`, {file: join(root, runId), hint: 'check the run id and evidence.dir (cavra-rollback evidence verify shows what is there)'});
	} else {
		const latest = await latestProof(root);
		if (!latest) return {found: false, reason: `no rollback or rehearsal evidence bundle in ${root}`};
		chosen = latest;
	}
	const runDir = join(root, chosen);
	let verification: EvidenceVerification;
	try {
		verification = await verifyEvidence(runDir);
	} catch (error) {
		// evidence.json no longer reads as a bundle: that is a bundle that does not verify.
		if (!(error instanceof InputError)) throw error;
		verification = {ok: false, runDir, evidencePath: join(runDir, EVIDENCE_FILE), runId: null, records: 0, sealedRecords: null, headSha256: null, files: 0, problems: [], unlisted: [], firstBad: {kind: 'evidence', file: EVIDENCE_FILE, reason: 'not a cavra-rollback evidence bundle any more'}};
	}
	const sealBytes = await readFile(join(runDir, EVIDENCE_FILE));
	const seal = parseObject(sealBytes);
	const kind = typeof seal['kind'] === 'string' && KINDS.has(seal['kind']) ? seal['kind'] : 'unknown';
	const result = typeof seal['result'] === 'string' && RESULTS.has(seal['result']) ? seal['result'] : 'unknown';
	const recovery = seal['recovery_seconds'];
	const within = seal['within_target'];
	const facts: BundleFacts = {
		runId: chosen,
		kind,
		result,
		evidenceSha256: sha256Hex(sealBytes),
		verified: verification.ok && verification.runId === chosen,
		signedBy: null,
		recoverySeconds: typeof recovery === 'number' && Number.isFinite(recovery) ? recovery : null,
		withinTarget: typeof within === 'boolean' ? within : null,
	};
	return {found: true, facts, problems: bundleProblems(chosen, verification, kind), path: runDir};
}

function bundleProblems(runId: string, verification: EvidenceVerification, kind: string): string[] {
	const problems: string[] = [];
	if (!verification.ok) {
		const first = verification.firstBad!;
		problems.push(`evidence bundle ${runId} does not verify: ${first.file}${first.record !== undefined ? ` record ${first.record}` : ''}: ${first.reason}`);
	} else if (verification.runId !== runId) {
		problems.push(`evidence bundle ${runId} names another run in its evidence.json`);
	}
	if (kind === 'dry-run') problems.push(`evidence bundle ${runId} is a dry run: it changed nothing and proves no recovery`);
	return problems;
}

/** The newest sealed run folder (run ids sort by time) that is a rollback or rehearsal, not a dry run. */
async function latestProof(root: string): Promise<string | undefined> {
	let names: string[];
	try {
		names = (await readdir(root, {withFileTypes: true})).filter(entry => entry.isDirectory() && isRunId(entry.name)).map(entry => entry.name);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw describeFsError(error, root);
	}
	for (const name of names.sort().reverse()) {
		const seal = await readSealed(join(root, name));
		// An unreadable seal is a candidate: verify must say so, not skip to an older bundle.
		if (seal && seal.kind !== 'dry-run') return name;
	}
	return undefined;
}

/** evidence.json of a run folder, parsed; undefined when there is none (a run still going, or never sealed). */
async function readSealed(runDir: string): Promise<{kind?: unknown} | undefined> {
	let bytes: Buffer;
	try {
		bytes = await readFile(join(runDir, EVIDENCE_FILE));
	} catch {
		return undefined;
	}
	return parseObject(bytes);
}

function parseObject(bytes: Uint8Array): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
	} catch {
		return {};
	}
}
