/**
 * The run folder on disk: `<evidence.dir>/<run-id>/` with `reports/`, the journal, and
 * `evidence.json` sealing it all. Every file is written atomically; the seal lists the sha256 of
 * every file in the folder (but itself, its signature, and the journal, which its hash chain covers).
 * New folders are created 0700 and new files 0600 (mkdir and open only take bits away from a
 * mode, so the umask cannot widen them); folders that exist already are left as they are.
 */
import {randomBytes} from 'node:crypto';
import {mkdir, readdir, readFile, stat, unlink} from 'node:fs/promises';
import {dirname, join, resolve} from 'node:path';
import {ExternalError, InputError, UsageError} from '../core/errors.js';
import {EVIDENCE_DIR_MODE, EVIDENCE_FILE, EVIDENCE_FILE_MODE, EVIDENCE_SCHEMA_VERSION, formatRunId, isRunId, isSafeRelativePath, JOURNAL_FILE, REPORTS_DIR, SIGNATURE_FILE, type EvidenceBundle} from '../core/evidence/bundle.js';
import {sha256Hex} from '../core/evidence/journal.js';
import {redactJson, redactText} from '../core/evidence/redact.js';
import {atomicWriteFile} from './atomic-write.js';
import {JournalWriter} from './journal-writer.js';

export function newRunId(now: Date = new Date()): string {
	return formatRunId(now, randomBytes(3).toString('hex'));
}

export interface WrittenFile {
	/** Relative to the run folder, POSIX separators. */
	relative: string;
	path: string;
	sha256: string;
}

/** The seal's inputs the store fills itself. */
export type EvidenceDraft = Omit<EvidenceBundle, 'schema_version' | 'run_id' | 'files' | 'journal'> & {journal: {head_sha256: string | null; records: number}};

export class EvidenceRun {
	readonly reportsPath: string;
	readonly journalPath: string;
	readonly evidencePath: string;

	private constructor(
		readonly runId: string,
		readonly path: string,
		/** Hidden wherever they appear in what the bundle holds (the API token, secret env values). */
		private readonly secretValues: readonly string[] = [],
	) {
		this.reportsPath = join(this.path, REPORTS_DIR);
		this.journalPath = join(this.path, JOURNAL_FILE);
		this.evidencePath = join(this.path, EVIDENCE_FILE);
	}

	/** A new run folder (refuses an existing one: evidence is never overwritten). */
	static async create(dir: string, options: {runId?: string; now?: Date; secretValues?: readonly string[]} = {}): Promise<EvidenceRun> {
		const runId = options.runId ?? newRunId(options.now);
		if (!isRunId(runId)) throw new UsageError(`"${runId}" is not a run id`, 'run ids look like rb-20260101T120000Z-1a2b3c');
		const runPath = resolve(dir, runId);
		try {
			await mkdir(resolve(dir), {recursive: true, mode: EVIDENCE_DIR_MODE});
			await mkdir(runPath, {mode: EVIDENCE_DIR_MODE});
			await mkdir(join(runPath, REPORTS_DIR), {mode: EVIDENCE_DIR_MODE});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST') throw new UsageError(`${runPath} already exists`, 'continue that run with --resume, or start a new one');
			throw new ExternalError(`cannot create the evidence folder ${runPath} (${code ?? String(error)})`, {hint: 'check evidence.dir in the config and that it is writable'});
		}
		return new EvidenceRun(runId, runPath, options.secretValues);
	}

	/** An existing run folder (`--resume RUN`). */
	static async open(dir: string, runId: string, options: {secretValues?: readonly string[]} = {}): Promise<EvidenceRun> {
		if (!isRunId(runId)) throw new UsageError(`"${runId}" is not a run id`, 'run ids look like rb-20260101T120000Z-1a2b3c (see the folders in evidence.dir)');
		const runPath = resolve(dir, runId);
		try {
			if (!(await stat(runPath)).isDirectory()) throw new InputError(`${runPath} is not a folder`, {file: runPath});
		} catch (error) {
			if (error instanceof InputError) throw error;
			throw new InputError(`no evidence folder for run ${runId} in ${resolve(dir)}: nothing to resume`, {
				file: runPath,
				hint: 'check the run id and evidence.dir (cavra-rollback evidence list); a run stopped at or before its confirmation keeps no folder, as nothing was changed',
			});
		}
		await mkdir(join(runPath, REPORTS_DIR), {recursive: true, mode: EVIDENCE_DIR_MODE});
		return new EvidenceRun(runId, runPath, options.secretValues);
	}

	openJournal(clock?: () => Date): Promise<JournalWriter> {
		return JournalWriter.open(this.journalPath, {runId: this.runId, secretValues: this.secretValues, ...(clock && {clock})});
	}

	/**
	 * Write a file of the bundle atomically; `relative` must stay inside the run folder. Text is
	 * redacted on the way in: a `.json` file value by value (it stays valid JSON, written with a
	 * 2-space indent), any other text as text. Bytes are written as given.
	 */
	async writeFile(relative: string, content: string | Uint8Array): Promise<WrittenFile> {
		const data = typeof content === 'string' ? this.redactFile(relative, content) : content;
		if (!isSafeRelativePath(relative) || relative === EVIDENCE_FILE || relative === JOURNAL_FILE || relative === SIGNATURE_FILE) {
			throw new UsageError(`cannot write "${relative}" in the evidence folder`, 'use a relative path such as reports/after.json');
		}
		const target = join(this.path, ...relative.split('/'));
		await mkdir(dirname(target), {recursive: true, mode: EVIDENCE_DIR_MODE});
		try {
			await atomicWriteFile(target, data, {mode: EVIDENCE_FILE_MODE});
		} catch (error) {
			throw new ExternalError(`${target}: could not write evidence (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {hint: 'check free space and permissions of evidence.dir'});
		}
		const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
		return {relative, path: target, sha256: sha256Hex(bytes)};
	}

	/** `text` as it may be kept in the bundle; see writeFile. */
	redactFile(relative: string, text: string): string {
		if (relative.endsWith('.json')) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(text);
			} catch {
				return redactText(text, this.secretValues);
			}
			return `${JSON.stringify(redactJson(parsed, this.secretValues), null, 2)}${text.endsWith('\n') ? '\n' : ''}`;
		}
		return redactText(text, this.secretValues);
	}

	writeReport(name: string, data: string | Uint8Array): Promise<WrittenFile> {
		return this.writeFile(`${REPORTS_DIR}/${name}`, data);
	}

	/** sha256 of every file of the bundle, read back from disk (what verify will compare). */
	async hashFiles(): Promise<Record<string, string>> {
		const files: Record<string, string> = {};
		for (const relative of await listFiles(this.path)) {
			if (relative === EVIDENCE_FILE || relative === JOURNAL_FILE || relative === SIGNATURE_FILE) continue;
			files[relative] = sha256Hex(await readFile(join(this.path, ...relative.split('/'))));
		}
		return files;
	}

	/** The file's path and sha256 when the bundle has it (a resumed run keeps its before-reports). */
	async fileInfo(relative: string): Promise<WrittenFile | undefined> {
		if (!isSafeRelativePath(relative)) return undefined;
		const target = join(this.path, ...relative.split('/'));
		try {
			return {relative, path: target, sha256: sha256Hex(await readFile(target))};
		} catch {
			return undefined;
		}
	}

	/**
	 * Seal the bundle: write evidence.json with the journal head and every file's hash. Takes the
	 * typed draft (core/evidence/bundle.ts) or any document the caller built, as long as it names
	 * the journal's head; the store sets schema_version, run_id, journal.path and files.
	 */
	async writeEvidence(draft: EvidenceDraft): Promise<{path: string; sha256: string; bundle: EvidenceBundle}>;
	async writeEvidence<T extends SealableDocument>(document: T): Promise<{path: string; sha256: string; bundle: Sealed<T>}>;
	async writeEvidence(document: SealableDocument): Promise<{path: string; sha256: string; bundle: unknown}> {
		const files = await this.hashFiles();
		const journal = {path: JOURNAL_FILE, head_sha256: document.journal.head_sha256, records: document.journal.records};
		// schema_version and run_id first and always the store's; then the document in its own order.
		const bundle = {schema_version: EVIDENCE_SCHEMA_VERSION, run_id: this.runId, ...redactJson(document, this.secretValues), journal, files};
		bundle.schema_version = EVIDENCE_SCHEMA_VERSION;
		bundle.run_id = this.runId;
		const text = `${JSON.stringify(bundle, null, 2)}\n`;
		await this.writeSealText(text);
		return {path: this.evidencePath, sha256: sha256Hex(text), bundle};
	}

	/** evidence.json itself, already serialised (the rollback runner orders its own fields). A new seal voids the old signature. */
	async writeSealText(text: string): Promise<void> {
		try {
			await unlink(join(this.path, SIGNATURE_FILE)).catch((error: NodeJS.ErrnoException) => {
				if (error.code !== 'ENOENT') throw error;
			});
			await atomicWriteFile(this.evidencePath, text, {mode: EVIDENCE_FILE_MODE});
		} catch (error) {
			throw new ExternalError(`${this.evidencePath}: could not write evidence (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {hint: 'check free space and permissions of evidence.dir'});
		}
	}
}

export interface SealableDocument {
	journal: {head_sha256: string | null; records: number};
	[key: string]: unknown;
}

export type Sealed<T> = Omit<T, 'journal' | 'files'> & {schema_version: string; run_id: string; journal: {path: string; head_sha256: string | null; records: number}; files: Record<string, string>};

/** Every regular file under `root`, relative with POSIX separators, sorted; temporary files of interrupted writes are skipped. */
export async function listFiles(root: string): Promise<string[]> {
	const out: string[] = [];
	const walk = async (folder: string, prefix: string): Promise<void> => {
		const entries = await readdir(folder, {withFileTypes: true});
		for (const entry of entries) {
			const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
			if (entry.isDirectory()) await walk(join(folder, entry.name), relative);
			else if (entry.isFile() && !/^\..+\.[0-9a-f]{12}\.tmp$/.test(entry.name)) out.push(relative);
		}
	};
	await walk(root, '');
	return out.sort();
}
