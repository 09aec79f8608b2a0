/**
 * The mode in env files on disk: read it (as CAVRA will see it) and set it (atomically, every
 * other byte kept, owner and permissions kept, a backup kept, read back to prove it).
 *
 * Files are handled as bytes: valid UTF-8 is edited as text; anything else (a stray Latin-1
 * comment) is edited byte for byte through latin1, so no byte outside the mode line ever changes.
 */
import {constants} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';
import type {BackendMode} from '../core/config/schema.js';
import {ExternalError, InputError, isCavraError} from '../core/errors.js';
import {listAssignments} from '../core/env-file/parse.js';
import {editRefusal} from '../core/env-file/edit-safety.js';
import {setEnvValue, unifiedDiff} from '../core/env-file/patch.js';
import {atomicWriteFile, type AtomicWriteHooks} from './atomic-write.js';
import {assertReplaceable} from './replace-check.js';
import {normaliseMode as normaliseCavraMode} from '../core/readiness/settings.js';

export const MODE_KEY = 'CAVRA_GO_BACKEND_MODE';

export interface EnvModeReading {
	path: string;
	exists: boolean;
	/** The raw value of the last assignment, when the file sets the key. */
	value?: string;
	/** What CAVRA makes of it: trimmed, lower-cased; empty, unknown or unset → disabled. */
	mode: BackendMode;
	/** How many times the file assigns the key (more than one is worth a warning: the last wins). */
	assignments: number;
}

export type SetModeAction = 'replaced' | 'added' | 'unchanged' | 'created';

export interface SetModeResult {
	path: string;
	action: SetModeAction;
	/** The file before (null when it did not exist) and after. Both hold whatever secrets the file holds. */
	before: string | null;
	after: string;
	/** Unified diff of the change ('' when unchanged). Not redacted: redact before printing (core/rollback/preview.ts). */
	diff: string;
	/** Where the old file was kept, when it was replaced and a backup was asked for. */
	backupPath?: string;
	modeBefore: BackendMode;
	modeAfter: BackendMode;
}

export interface SetModeOptions {
	/** Keep a copy of the old file next to it (default true). */
	backup?: boolean;
	/** Create the file (0644, holding only the mode) when it does not exist (default true: an absent file must not block the rollback). */
	create?: boolean;
	hooks?: AtomicWriteHooks;
	key?: string;
}

/** CAVRA's mode normalisation: trim, lower-case; empty or unknown → disabled. */
export function normaliseMode(value: string | undefined): BackendMode {
	return normaliseCavraMode(value ?? '');
}

export async function readEnvMode(file: string, key = MODE_KEY): Promise<EnvModeReading> {
	const loaded = await load(file);
	if (!loaded) return {path: file, exists: false, mode: 'disabled', assignments: 0};
	const assignments = listAssignments(loaded.text, key);
	const value = assignments.at(-1)?.value;
	return {path: file, exists: true, ...(value !== undefined && {value}), mode: normaliseMode(value), assignments: assignments.length};
}

/**
 * Compute the change without writing anything (the preview and `--dry-run`). Throws, naming the
 * file, when the write would be refused (a link, hard links, an owner or ACL it would lose).
 */
export async function previewModeChange(file: string, mode: BackendMode, options: Pick<SetModeOptions, 'create' | 'key'> = {}): Promise<Omit<SetModeResult, 'backupPath'>> {
	const key = options.key ?? MODE_KEY;
	await assertReplaceable(file);
	const loaded = await load(file);
	if (!loaded && options.create === false) throw missing(file);
	const before = loaded?.text ?? '';
	const patched = patch(file, before, key, mode);
	const action: SetModeAction = loaded ? patched.action : 'created';
	return {
		path: file,
		action,
		before: loaded ? before : null,
		after: patched.text,
		diff: unifiedDiff(file, before, patched.text),
		modeBefore: normaliseMode(patched.valueBefore),
		// setEnvValue has read the result back: the key holds the mode.
		modeAfter: normaliseMode(mode),
	};
}

export async function setModeInEnvFile(file: string, mode: BackendMode, options: SetModeOptions = {}): Promise<SetModeResult> {
	const key = options.key ?? MODE_KEY;
	const loaded = await load(file);
	if (!loaded && options.create === false) throw missing(file);
	const before = loaded?.text ?? '';
	const patched = patch(file, before, key, mode);
	let backupPath: string | undefined;
	if (patched.changed || !loaded) {
		const bytes = Buffer.from(patched.text, loaded?.encoding ?? 'utf8');
		try {
			const written = await atomicWriteFile(file, bytes, {backup: options.backup !== false, mode: 0o644, ...(options.hooks && {hooks: options.hooks})});
			backupPath = written.backupPath;
		} catch (error) {
			throw isCavraError(error) ? error : writeFailed(error, file);
		}
	}
	// Read back what a consumer will read: the bytes we meant, and the key set to the mode.
	const reread = await load(file);
	// setEnvValue has already read `patched.text` back as a consumer would (the key holds the mode),
	// so the same bytes on disk need no third parse: a 1 MB file stays well under 100 ms.
	if (!reread || reread.text !== patched.text) {
		throw new ExternalError(`${file}: after writing, the file does not read back as ${key}=${mode}`, {
			hint: `another program may have changed it at the same moment; check the file${backupPath ? ` (the old one is kept at ${backupPath})` : ''} and run the rollback again`,
		});
	}
	return {
		path: file,
		action: loaded ? patched.action : 'created',
		before: loaded ? before : null,
		after: patched.text,
		diff: unifiedDiff(file, before, patched.text),
		...(backupPath !== undefined && {backupPath}),
		modeBefore: normaliseMode(patched.valueBefore),
		modeAfter: normaliseMode(mode),
	};
}

interface Loaded {
	text: string;
	encoding: 'utf8' | 'latin1';
}

/** The file's bytes, never through a symbolic link (O_NOFOLLOW); undefined when it does not exist. */
async function load(file: string): Promise<Loaded | undefined> {
	let bytes: Buffer;
	try {
		const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
		try {
			if (!(await handle.stat()).isFile()) throw new InputError(`${file} is not a regular file`, {file, hint: 'mode.envFiles must list KEY=VALUE files'});
			bytes = await handle.readFile();
		} finally {
			await handle.close();
		}
	} catch (error) {
		if (isCavraError(error)) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return undefined;
		if (code === 'ELOOP') await assertReplaceable(file);
		if (code === 'EACCES' || code === 'EPERM') throw new InputError(`${file}: permission denied`, {file, hint: 'run cavra-rollback as root or as the owner of the env file'});
		if (code === 'ENOTDIR') throw new InputError(`${file}: a part of the path is not a folder`, {file, hint: 'check mode.envFiles in the config'});
		throw new InputError(`${file}: cannot be read (${code ?? 'unknown error'})`, {file});
	}
	return isUtf8(bytes) ? {text: bytes.toString('utf8'), encoding: 'utf8'} : {text: bytes.toString('latin1'), encoding: 'latin1'};
}

function isUtf8(bytes: Buffer): boolean {
	try {
		new TextDecoder('utf-8', {fatal: true}).decode(bytes);
		return true;
	} catch {
		return false;
	}
}

function patch(file: string, text: string, key: string, mode: BackendMode) {
	const refusal = editRefusal(text, key);
	if (refusal) {
		throw new InputError(`${file}: line ${refusal.line}: ${refusal.reason}; not edited`, {file, hint: `fix line ${refusal.line} by hand (one KEY=value per line, LF or CRLF endings, a plain value), then run the rollback again`});
	}
	try {
		return setEnvValue(text, key, mode);
	} catch (error) {
		if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`, {file, ...(error.hint !== undefined && {hint: error.hint})});
		throw error;
	}
}

function missing(file: string): InputError {
	return new InputError(`${file}: no such file`, {file, hint: 'create it, or correct mode.envFiles in the config'});
}

function writeFailed(error: unknown, file: string): ExternalError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const folder = path.dirname(file);
	const why: Record<string, string> = {
		EACCES: `permission denied (writing needs write access to ${folder})`,
		EPERM: `permission denied (writing needs write access to ${folder})`,
		ENOSPC: 'the disk is full',
		EROFS: 'the file system is read-only',
		ENOENT: `the folder ${folder} does not exist`,
	};
	const reason = (code && why[code]) ?? (error instanceof Error ? error.message : String(error));
	return new ExternalError(`${file}: could not set the mode: ${reason}; the file is unchanged`, {
		hint: code === 'EACCES' || code === 'EPERM' ? 'run cavra-rollback as root (sudo) or as the owner of the file and its folder' : 'fix the cause and run the rollback again',
	});
}
