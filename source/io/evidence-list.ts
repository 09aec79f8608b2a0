/**
 * The past runs under the evidence folder, newest first: what `evidence list` prints, what
 * `evidence verify` without a path picks the latest of, and what `evidence attach` links. Each
 * run folder is read, never trusted: a damaged evidence.json is a row saying "unreadable", and a
 * run that never sealed (killed, or still running) says "incomplete". No verification here (that
 * is evidence-verify.ts); "signed" only says a signature file is present.
 */
import {open, readdir, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {InputError} from '../core/errors.js';
import {EVIDENCE_FILE, EVIDENCE_SCHEMA_VERSION, isRunId, JOURNAL_FILE, SIGNATURE_FILE, type EvidenceKind, type EvidenceResult} from '../core/evidence/bundle.js';

export interface EvidenceRunSummary {
	/** The run id (the folder's name). */
	id: string;
	/** The run folder. */
	path: string;
	kind: EvidenceKind | null;
	/** `incomplete`: no evidence.json (interrupted or still running); `unreadable`: evidence.json is damaged. */
	result: EvidenceResult | 'incomplete' | 'unreadable';
	startedAt: string | null;
	endedAt: string | null;
	durationSeconds: number | null;
	/** evidence.json.sig is present (not checked: `evidence verify --allowed-signers` does that). */
	signed: boolean;
	/** Why a row is unreadable or incomplete. */
	reason?: string;
}

const KINDS: readonly string[] = ['rollback', 'rehearsal', 'dry-run'] satisfies EvidenceKind[];
const RESULTS: readonly string[] = ['recovered', 'partial', 'failed', 'cancelled', 'previewed'] satisfies EvidenceResult[];
/** evidence.json is a few KB; anything far larger is not ours, and is not read whole. */
const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;

/** Every run folder (`rb-…`) directly under `dir`, newest first; a missing `dir` has none. */
export async function listEvidenceRuns(dir: string): Promise<EvidenceRunSummary[]> {
	const root = path.resolve(dir);
	let names: string[];
	try {
		// Folders only: a symlink named like a run is not followed (this may run as root).
		names = (await readdir(root, {withFileTypes: true})).filter(entry => entry.isDirectory() && isRunId(entry.name)).map(entry => entry.name);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return [];
		throw new InputError(`${root}: the evidence folder cannot be read (${code ?? String(error)})`, {file: root, hint: 'check evidence.dir in the config, or pass --dir'});
	}
	// Run ids start with their UTC start time, so name order is time order.
	names.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
	return Promise.all(names.map(name => summarise(path.join(root, name), name)));
}

/** The newest run, or undefined when there is none. */
export async function latestEvidenceRun(dir: string): Promise<EvidenceRunSummary | undefined> {
	return (await listEvidenceRuns(dir))[0];
}

async function summarise(runPath: string, id: string): Promise<EvidenceRunSummary> {
	const signed = await isFile(path.join(runPath, SIGNATURE_FILE));
	const base = {id, path: runPath, signed};
	const empty = {kind: null, startedAt: null, endedAt: null, durationSeconds: null};
	let text: string;
	try {
		const info = await stat(path.join(runPath, EVIDENCE_FILE));
		if (!info.isFile()) return {...base, ...empty, result: 'unreadable', reason: `${EVIDENCE_FILE} is not a file`};
		if (info.size > MAX_EVIDENCE_BYTES) return {...base, ...empty, result: 'unreadable', reason: `${EVIDENCE_FILE} is too large (${info.size} bytes)`};
		text = await readFile(path.join(runPath, EVIDENCE_FILE), 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return {...base, ...(await fromJournal(runPath)), result: 'incomplete', reason: `no ${EVIDENCE_FILE}: the run was interrupted or is still running`};
		return {...base, ...empty, result: 'unreadable', reason: `${EVIDENCE_FILE} cannot be read (${code ?? String(error)})`};
	}
	let document: Record<string, unknown>;
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
		document = parsed as Record<string, unknown>;
	} catch {
		return {...base, ...empty, result: 'unreadable', reason: `${EVIDENCE_FILE} is not valid JSON`};
	}
	const {schema_version: version, kind, result, started_at: startedAt, ended_at: endedAt} = document;
	if (version !== EVIDENCE_SCHEMA_VERSION) return {...base, ...empty, result: 'unreadable', reason: `schema_version is not "${EVIDENCE_SCHEMA_VERSION}"`};
	if (typeof kind !== 'string' || !KINDS.includes(kind) || typeof result !== 'string' || !RESULTS.includes(result)) {
		return {...base, ...empty, result: 'unreadable', reason: `${EVIDENCE_FILE} has no valid kind and result`};
	}
	const started = typeof startedAt === 'string' ? startedAt : null;
	const ended = typeof endedAt === 'string' ? endedAt : null;
	return {...base, kind: kind as EvidenceKind, result: result as EvidenceResult, startedAt: started, endedAt: ended, durationSeconds: duration(started, ended)};
}

/** An unsealed run: its kind and start from the journal's first record (preflight), when readable. */
async function fromJournal(runPath: string): Promise<Pick<EvidenceRunSummary, 'kind' | 'startedAt' | 'endedAt' | 'durationSeconds'>> {
	const none = {kind: null, startedAt: null, endedAt: null, durationSeconds: null};
	try {
		const handle = await open(path.join(runPath, JOURNAL_FILE), 'r');
		const buffer = Buffer.alloc(64 * 1024);
		const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0).finally(() => handle.close());
		const head = buffer.subarray(0, bytesRead).toString('utf8');
		const first = JSON.parse(head.slice(0, head.indexOf('\n') >>> 0)) as {detail?: {kind?: unknown; started_at?: unknown}};
		const kind = first.detail?.kind;
		const started = first.detail?.started_at;
		return {...none, kind: typeof kind === 'string' && KINDS.includes(kind) ? (kind as EvidenceKind) : null, startedAt: typeof started === 'string' ? started : null};
	} catch {
		return none;
	}
}

function duration(started: string | null, ended: string | null): number | null {
	if (started === null || ended === null) return null;
	const ms = Date.parse(ended) - Date.parse(started);
	return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) / 1000 : null;
}

async function isFile(file: string): Promise<boolean> {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}
