/**
 * Re-checking an evidence bundle offline: the journal's hash chain, that evidence.json's sealed
 * journal head is in that chain at the record count it names, every listed file's sha256, that
 * evidence.json agrees with the journal (core/evidence/cross-check.ts), and its SSH signature.
 * Bad input (no such path, not a bundle, no allowed signers file) throws InputError (exit 2); a
 * damaged bundle is a result naming the first bad record or file (exit 1).
 *
 * Without a signature the checks prove evidence.json and the journal agree, not who wrote them:
 * a consistent rewrite of the whole chain is only caught by the signature (evidence-signing.ts).
 */
import {readFile, stat} from 'node:fs/promises';
import {basename, dirname, join, resolve} from 'node:path';
import {StructError} from '../core/superstruct.js';
import {InputError} from '../core/errors.js';
import {EVIDENCE_FILE, EVIDENCE_SCHEMA_VERSION, EvidenceSealStruct, SIGNATURE_FILE, type EvidenceSeal} from '../core/evidence/bundle.js';
import {crossCheckEvidence, declaredSigner} from '../core/evidence/cross-check.js';
import {journalLines, sha256Hex, verifyChain, type JournalRecord} from '../core/evidence/journal.js';
import {checkEvidenceSignature, type SignatureCheck} from './evidence-signing.js';
import {listFiles} from './evidence-store.js';
import type {CommandRunner} from './process-runner.js';

export type {SignatureCheck} from './evidence-signing.js';

export interface EvidenceProblem {
	kind: 'journal' | 'evidence' | 'file' | 'signature';
	/** Relative to the run folder. */
	file: string;
	line?: number;
	record?: number;
	reason: string;
}

export interface EvidenceVerification {
	/** Intact, and the signature is valid (or, without allowed signers to check it against, not invalid). */
	ok: boolean;
	/** The chain, the seal, the files and the cross-checks hold (the signature aside). */
	intact: boolean;
	runDir: string;
	evidencePath: string;
	runId: string | null;
	/** Journal records whose chain verified. */
	records: number;
	/** Records evidence.json sealed; only the evidence step's closing record may follow them. */
	sealedRecords: number | null;
	headSha256: string | null;
	/** Files listed in evidence.json. */
	files: number;
	problems: EvidenceProblem[];
	firstBad?: EvidenceProblem;
	/** Files in the folder that evidence.json does not list (added later, or by hand). */
	unlisted: string[];
	signature: SignatureCheck;
}

export interface VerifyOptions {
	/** OpenSSH allowed_signers file: given, the bundle must carry a valid signature. */
	allowedSigners?: string;
	/** The principal that must have signed (default: the one evidence.json names). */
	signer?: string;
	/** Test seam for ssh-keygen. */
	runner?: CommandRunner;
}

type Base = Omit<EvidenceVerification, 'ok' | 'intact' | 'problems' | 'unlisted' | 'signature'>;

/** Verify the bundle at `input` (its run folder or its evidence.json). */
export async function verifyEvidenceBundle(input: string, options: VerifyOptions = {}): Promise<EvidenceVerification> {
	const {runDir, evidencePath} = await locate(input);
	const problems: EvidenceProblem[] = [];
	const base: Base = {runDir, evidencePath, runId: null, records: 0, sealedRecords: null, headSha256: null, files: 0};
	const {seal, document} = await readSeal(evidencePath, problems);
	const signature = await checkEvidenceSignature(evidencePath, {
		...(options.allowedSigners !== undefined && {allowedSigners: options.allowedSigners}),
		...(options.signer !== undefined && {signer: options.signer}),
		...(options.runner && {runner: options.runner}),
		declaredSigner: declaredSigner(document),
	});
	if (!seal) return finish(base, problems, [], signature, options);
	base.runId = seal.run_id;
	base.sealedRecords = seal.journal.records;
	base.files = Object.keys(seal.files).length;

	// The journal: chain first, then the seal's head against the chain, then the story it tells.
	const journalPath = join(runDir, ...seal.journal.path.split('/'));
	const journalText = await readOptional(journalPath);
	if (journalText === undefined) {
		// A run sealed before its first record (nothing was journaled) has no journal file.
		if (seal.journal.records > 0 || seal.journal.head_sha256 !== null) problems.push({kind: 'journal', file: seal.journal.path, reason: 'missing'});
	} else {
		const lines = journalLines(journalText);
		const chain = verifyChain(lines, {runId: seal.run_id, complete: journalText === '' || journalText.endsWith('\n')});
		base.records = chain.records;
		base.headSha256 = chain.headSha256;
		if (!chain.ok) {
			const bad = chain.firstBad!;
			problems.push({kind: 'journal', file: seal.journal.path, line: bad.line, record: bad.record, reason: chain.tornTail ? `${bad.reason} (the last line is cut short)` : bad.reason});
		} else if (chain.records < seal.journal.records) {
			problems.push({kind: 'journal', file: seal.journal.path, record: chain.records + 1, reason: `has ${chain.records} records; evidence.json sealed ${seal.journal.records} (records were removed)`});
		} else {
			const sealedHead = seal.journal.records === 0 ? null : chain.hashes[seal.journal.records - 1]!;
			if (sealedHead !== seal.journal.head_sha256) {
				problems.push({kind: 'evidence', file: EVIDENCE_FILE, record: seal.journal.records, reason: `journal.head_sha256 does not match journal record ${seal.journal.records}`});
			} else {
				const records = lines.map(line => JSON.parse(line) as JournalRecord);
				for (const problem of crossCheckEvidence(document, records, seal.journal.records)) {
					problems.push(problem.kind === 'journal' ? {kind: 'journal', file: seal.journal.path, ...(problem.record !== undefined && {line: problem.record, record: problem.record}), reason: problem.reason} : {kind: 'evidence', file: EVIDENCE_FILE, reason: problem.reason});
				}
			}
		}
	}

	// Every listed file, in a stable order.
	for (const relative of Object.keys(seal.files).sort()) {
		const bytes = await readOptionalBytes(join(runDir, ...relative.split('/')));
		if (bytes === undefined) problems.push({kind: 'file', file: relative, reason: 'missing'});
		else if (sha256Hex(bytes) !== seal.files[relative]) problems.push({kind: 'file', file: relative, reason: 'sha256 mismatch'});
	}
	const listed = new Set([...Object.keys(seal.files), EVIDENCE_FILE, SIGNATURE_FILE, seal.journal.path]);
	const unlisted = (await listFiles(runDir)).filter(relative => !listed.has(relative));
	return finish(base, problems, unlisted, signature, options);
}

function finish(base: Base, problems: EvidenceProblem[], unlisted: string[], signature: SignatureCheck, options: VerifyOptions): EvidenceVerification {
	const intact = problems.length === 0;
	// Asked to check signatures, only a valid one will do; otherwise only a bad one fails.
	const signatureOk = options.allowedSigners !== undefined ? signature.status === 'valid' : signature.status !== 'invalid';
	const all = signatureOk ? problems : [...problems, {kind: 'signature' as const, file: SIGNATURE_FILE, reason: `${signature.status}${signature.reason ? `: ${signature.reason}` : ''}`}];
	return {ok: intact && signatureOk, intact, ...base, problems: all, ...(all[0] && {firstBad: all[0]}), unlisted, signature};
}

/** PATH is the run folder or its evidence.json. */
async function locate(input: string): Promise<{runDir: string; evidencePath: string}> {
	const target = resolve(input);
	let info;
	try {
		info = await stat(target);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new InputError(`${input}: no such file or folder`, {file: input, hint: 'give the run folder (<evidence.dir>/<run-id>) or its evidence.json'});
		throw new InputError(`${input}: cannot be read (${code ?? String(error)})`, {file: input});
	}
	if (info.isDirectory()) {
		const evidencePath = join(target, EVIDENCE_FILE);
		try {
			if (!(await stat(evidencePath)).isFile()) throw new Error('not a file');
		} catch {
			throw new InputError(`${input}: no ${EVIDENCE_FILE} in this folder; it is not an evidence bundle`, {file: input, hint: 'give a run folder (<evidence.dir>/<run-id>) or its evidence.json'});
		}
		return {runDir: target, evidencePath};
	}
	if (basename(target) !== EVIDENCE_FILE) {
		throw new InputError(`${input}: not an evidence bundle (expected a run folder or its ${EVIDENCE_FILE})`, {file: input});
	}
	return {runDir: dirname(target), evidencePath: target};
}

/** evidence.json: unreadable or another document → InputError; a bundle with a broken seal → a problem. */
async function readSeal(evidencePath: string, problems: EvidenceProblem[]): Promise<{seal?: EvidenceSeal; document?: unknown}> {
	let text: string;
	try {
		text = await readFile(evidencePath, 'utf8');
	} catch (error) {
		throw new InputError(`${evidencePath}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {file: evidencePath});
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		problems.push({kind: 'evidence', file: EVIDENCE_FILE, reason: 'not valid JSON'});
		return {};
	}
	const version = (parsed as {schema_version?: unknown} | null)?.schema_version;
	if (typeof parsed !== 'object' || parsed === null || version !== EVIDENCE_SCHEMA_VERSION) {
		throw new InputError(`${evidencePath}: not a cavra-rollback evidence bundle (schema_version ${JSON.stringify(version ?? null)}, expected "${EVIDENCE_SCHEMA_VERSION}")`, {file: evidencePath});
	}
	const [error, seal] = EvidenceSealStruct.validate(parsed);
	if (error) {
		problems.push({kind: 'evidence', file: EVIDENCE_FILE, reason: describeStructError(error)});
		return {document: parsed};
	}
	return {seal, document: parsed};
}

function describeStructError(error: StructError): string {
	const failure = error.failures()[0] ?? error;
	const where = failure.path.length > 0 ? failure.path.join('.') : 'document';
	return `${where}: ${failure.message}`;
}

async function readOptional(file: string): Promise<string | undefined> {
	const bytes = await readOptionalBytes(file);
	return bytes?.toString('utf8');
}

async function readOptionalBytes(file: string): Promise<Buffer | undefined> {
	try {
		return await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
		throw new InputError(`${file}: cannot be read (${code ?? String(error)})`, {file});
	}
}
