/**
 * The rollback journal: one JSON record per line, written before and after every step. Each
 * record carries the sha256 of the one before it and its own sha256 (of its canonical JSON
 * without that field), so any change to a record, or a record removed or inserted, breaks the
 * chain at that point. Pure (hashing is computation; no fs).
 */
import {createHash} from 'node:crypto';

/** `prev_sha256` of the first record. */
export const GENESIS_SHA256 = '0'.repeat(64);

export type JournalPhase = 'before' | 'after';

/** What the caller says about a step; the writer adds seq, time, run id and the hashes. */
export interface JournalEntry {
	step: string;
	phase: JournalPhase;
	/** After a step: done, failed, skipped, cancelled… */
	status?: string;
	/** One line, or a small JSON object (exit code, tails…); never a secret. */
	detail?: string | JournalDetail;
}

/** A JSON object; values are JSON (the hash is over its canonical form). */
export type JournalDetail = {[key: string]: unknown};

export interface JournalRecord extends JournalEntry {
	seq: number;
	/** ISO 8601 UTC. */
	at: string;
	run_id: string;
	prev_sha256: string;
	sha256: string;
}

export interface ChainHead {
	seq: number;
	sha256: string;
}

/** JSON with object keys sorted at every level and no whitespace: the bytes that are hashed. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(item => canonicalJson(item === undefined ? null : item)).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, item]) => item !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

/** The record's own hash: of every field but `sha256`. */
export function recordSha256(record: Omit<JournalRecord, 'sha256'> | Record<string, unknown>): string {
	const {sha256: _ignored, ...rest} = record as Record<string, unknown>;
	return sha256Hex(canonicalJson(rest));
}

export function createRecord(previous: ChainHead | undefined, fields: JournalEntry & {at: string; run_id: string}): JournalRecord {
	const base = {
		seq: (previous?.seq ?? 0) + 1,
		at: fields.at,
		run_id: fields.run_id,
		step: fields.step,
		phase: fields.phase,
		...(fields.status !== undefined && {status: fields.status}),
		...(fields.detail !== undefined && {detail: fields.detail}),
		prev_sha256: previous?.sha256 ?? GENESIS_SHA256,
	};
	return {...base, sha256: recordSha256(base)};
}

/** One line (no line break), fields in a fixed, readable order. */
export function serializeRecord(record: JournalRecord): string {
	return JSON.stringify(record);
}

/** The journal's lines; the final line break is not an empty record. */
export function journalLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split('\n');
	if (text.endsWith('\n')) lines.pop();
	return lines;
}

export interface ChainProblem {
	/** 1-based line of the journal. */
	line: number;
	/** The record's position (1-based), as its `seq` should read. */
	record: number;
	reason: string;
}

export interface ChainVerification {
	ok: boolean;
	/** Records verified (all of them when ok; those before the first bad one otherwise). */
	records: number;
	/** sha256 of the last good record; null for an empty journal. */
	headSha256: string | null;
	/** sha256 of every good record, in order (for matching evidence.json's head against record N). */
	hashes: string[];
	runId: string | null;
	firstBad?: ChainProblem;
	/** The first bad record is the last line, cut short without its line break: a write interrupted by a crash. */
	tornTail: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Check the chain line by line and stop at the first bad record. `complete` says whether the text
 * ended with a line break (so a bad last line can be told apart as a torn write).
 */
export function verifyChain(lines: readonly string[], options: {runId?: string; complete?: boolean} = {}): ChainVerification {
	const hashes: string[] = [];
	let runId: string | null = options.runId ?? null;
	let previous: ChainHead | undefined;
	const fail = (index: number, reason: string): ChainVerification => ({
		ok: false,
		records: hashes.length,
		headSha256: hashes.at(-1) ?? null,
		hashes,
		runId,
		firstBad: {line: index + 1, record: hashes.length + 1, reason},
		tornTail: index === lines.length - 1 && options.complete === false,
	});
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index]!;
		if (line.trim() === '') return fail(index, 'empty line');
		let parsed: unknown;
		try {
			parsed = JSON.parse(line);
		} catch {
			return fail(index, 'not valid JSON');
		}
		const problem = shapeProblem(parsed);
		if (problem) return fail(index, problem);
		const record = parsed as JournalRecord;
		const expectedSeq = (previous?.seq ?? 0) + 1;
		if (record.seq !== expectedSeq) return fail(index, `seq is ${record.seq}, expected ${expectedSeq}`);
		if (runId === null) runId = record.run_id;
		else if (record.run_id !== runId) return fail(index, `run_id is ${JSON.stringify(record.run_id)}, expected ${JSON.stringify(runId)}`);
		if (record.prev_sha256 !== (previous?.sha256 ?? GENESIS_SHA256)) return fail(index, 'prev_sha256 does not match the previous record');
		if (recordSha256(record) !== record.sha256) return fail(index, 'sha256 mismatch');
		previous = {seq: record.seq, sha256: record.sha256};
		hashes.push(record.sha256);
	}
	return {ok: true, records: hashes.length, headSha256: hashes.at(-1) ?? null, hashes, runId, tornTail: false};
}

function shapeProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
	const record = value as Record<string, unknown>;
	if (!Number.isSafeInteger(record['seq'])) return 'seq missing or not an integer';
	for (const key of ['at', 'run_id', 'step'] as const) if (typeof record[key] !== 'string') return `${key} missing or not a string`;
	if (record['phase'] !== 'before' && record['phase'] !== 'after') return 'phase is not "before" or "after"';
	if (record['status'] !== undefined && typeof record['status'] !== 'string') return 'status is not a string';
	const detail = record['detail'];
	if (detail !== undefined && typeof detail !== 'string' && (typeof detail !== 'object' || detail === null || Array.isArray(detail))) return 'detail is not a string or an object';
	for (const key of ['prev_sha256', 'sha256'] as const) if (typeof record[key] !== 'string' || !HEX64.test(record[key])) return `${key} missing or not 64 hex digits`;
	return undefined;
}
