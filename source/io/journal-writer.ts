/**
 * Appending to the journal: one line per record, fsynced before `append` resolves, so a record
 * said written survives a crash. Appends are serialised (parallel restarts journal at once; each
 * record chains to the one before). Reopening an existing journal (`--resume`) verifies it and
 * continues from its head; a last line torn by a crash is cut off (and reported), anything else
 * damaged refuses to continue.
 */
import {constants} from 'node:fs';
import {open, readFile, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {ExternalError, InputError} from '../core/errors.js';
import {EVIDENCE_FILE_MODE} from '../core/evidence/bundle.js';
import {createRecord, journalLines, serializeRecord, verifyChain, type ChainHead, type JournalEntry, type JournalRecord} from '../core/evidence/journal.js';
import {redactJson, redactText} from '../core/evidence/redact.js';
import {fsyncFolder} from './atomic-write.js';

export interface JournalOpenOptions {
	runId: string;
	clock?: () => Date;
	/** Values hidden wherever they appear (the API token, secret env values), on top of what the redactor finds by itself. */
	secretValues?: readonly string[];
}

export class JournalWriter {
	/** The file had a torn last line (a crash mid-append) that was cut off on open. */
	readonly repairedTornTail: boolean;
	private head: ChainHead | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private failure: Error | undefined;

	private constructor(
		readonly path: string,
		readonly runId: string,
		private readonly handle: FileHandle,
		head: ChainHead | undefined,
		repaired: boolean,
		private readonly clock: () => Date,
		private readonly secretValues: readonly string[],
	) {
		this.head = head;
		this.repairedTornTail = repaired;
	}

	static async open(file: string, options: JournalOpenOptions): Promise<JournalWriter> {
		const {head, keepBytes, repaired, missingBreak} = await readHead(file, options.runId);
		let handle: FileHandle;
		try {
			handle = await open(file, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND, EVIDENCE_FILE_MODE);
			if (repaired) {
				await handle.truncate(keepBytes);
				await handle.sync();
			} else if (missingBreak) {
				// The last record is whole but its line break was lost: end the line before appending.
				await handle.write('\n');
				await handle.sync();
			}
		} catch (error) {
			throw new ExternalError(`${file}: cannot open the journal for writing (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {hint: 'check that the evidence folder is writable (config evidence.dir)'});
		}
		if (!head) await fsyncFolder(path.dirname(file));
		return new JournalWriter(file, options.runId, handle, head, repaired, options.clock ?? (() => new Date()), options.secretValues ?? []);
	}

	get records(): number {
		return this.head?.seq ?? 0;
	}

	get headSha256(): string | null {
		return this.head?.sha256 ?? null;
	}

	/**
	 * Append one record and fsync it. Details are redacted once more here: the journal is evidence.
	 * `at`: when it happened, for a record kept in memory until now (the rollback's preview, written
	 * once the operator confirms); the clock's time otherwise.
	 */
	append(entry: JournalEntry, at?: Date): Promise<JournalRecord> {
		const next = this.queue.then(() => this.write(entry, at));
		this.queue = next.catch(() => undefined);
		return next;
	}

	async close(): Promise<void> {
		await this.queue;
		await this.handle.close();
	}

	private async write(entry: JournalEntry, at: Date | undefined): Promise<JournalRecord> {
		// After a failed append the file may end in a partial line: nothing more may chain onto it.
		if (this.failure) throw this.failure;
		const record = createRecord(this.head, {
			at: (at ?? this.clock()).toISOString(),
			run_id: this.runId,
			step: entry.step,
			phase: entry.phase,
			...(entry.status !== undefined && {status: redactText(entry.status, this.secretValues)}),
			...(entry.detail !== undefined && {detail: typeof entry.detail === 'string' ? redactText(entry.detail, this.secretValues) : redactJson(entry.detail, this.secretValues)}),
		});
		const bytes = Buffer.from(`${serializeRecord(record)}\n`, 'utf8');
		try {
			let offset = 0;
			while (offset < bytes.byteLength) offset += (await this.handle.write(bytes, offset)).bytesWritten;
			await this.handle.sync();
		} catch (error) {
			this.failure = new ExternalError(`${this.path}: could not append to the journal (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {hint: 'free disk space or fix the evidence folder, then continue with --resume'});
			throw this.failure;
		}
		this.head = {seq: record.seq, sha256: record.sha256};
		return record;
	}
}

/**
 * The records of an existing journal (`--resume` reads what was done), verified. A torn last line
 * is left out (and reported); a broken chain throws, naming the line.
 */
export async function readJournal(file: string, options: {runId?: string} = {}): Promise<{records: JournalRecord[]; tornTail: boolean}> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], tornTail: false};
		throw new InputError(`${file}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {file});
	}
	const lines = journalLines(text);
	const result = verifyChain(lines, {...options, complete: text === '' || text.endsWith('\n')});
	if (!result.ok && !result.tornTail) throw damaged(file, result.firstBad!);
	return {records: lines.slice(0, result.records).map(line => JSON.parse(line) as JournalRecord), tornTail: result.tornTail};
}

function damaged(file: string, bad: {line: number; reason: string}): InputError {
	return new InputError(`${file}: the journal is damaged at line ${bad.line} (${bad.reason}); it cannot be continued`, {
		file,
		hint: 'keep this folder as it is for the audit and start a new run (without --resume)',
	});
}

async function readHead(file: string, runId: string): Promise<{head: ChainHead | undefined; keepBytes: number; repaired: boolean; missingBreak: boolean}> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {head: undefined, keepBytes: 0, repaired: false, missingBreak: false};
		throw new InputError(`${file}: cannot read the journal (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {file});
	}
	const lines = journalLines(text);
	const complete = text === '' || text.endsWith('\n');
	const result = verifyChain(lines, {runId, complete});
	if (!result.ok && !result.tornTail) throw damaged(file, result.firstBad!);
	const good = lines.slice(0, result.records);
	const keepBytes = Buffer.byteLength(good.map(line => `${line}\n`).join(''), 'utf8');
	const head = result.records > 0 ? {seq: result.records, sha256: result.headSha256!} : undefined;
	return {head, keepBytes, repaired: result.tornTail, missingBreak: result.ok && !complete};
}
