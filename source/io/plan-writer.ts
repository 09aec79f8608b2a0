import {lstat, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {describeFsError, InputError, UsageError} from '../core/errors.js';
import {atomicWriteFile, TargetExistsError, type AtomicWriteHooks} from './atomic-write.js';
import {assertReplaceable} from './replace-check.js';

/**
 * Saving a plan: never torn (temporary file in the same folder, fsync, rename: see
 * io/atomic-write), the existing file's permissions kept, a backup of the old file kept next to
 * it, and never over an existing file unless the caller says so (the wizard asks first; the
 * non-interactive mode needs --force).
 */

export interface WritePlanOptions {
	/** Replace an existing file (after asking, or --force). */
	overwrite: boolean;
	/** Test seams of the atomic writer (e.g. fail or stall between write and rename). */
	hooks?: AtomicWriteHooks;
}

export interface WritePlanResult {
	path: string;
	/** Where the previous file was kept, when one was replaced. */
	backupPath?: string;
	created: boolean;
}

/** Refusing to replace a file without permission: a usage matter, fixed by --force. */
export class OverwriteRefusedError extends UsageError {
	/** `why` tells how it came to exist, e.g. another run created it meanwhile. */
	constructor(file: string, why?: string) {
		super(`${file} already exists${why ? ` (${why})` : ''}; not overwritten`, 'pass --force to overwrite it (the current file is kept as a backup next to it)');
	}
}

export type TargetState = {kind: 'missing'} | {kind: 'file'} | {kind: 'not-a-file'};

/** Throws (exit 2) for a symbolic link: a plan is never written through one, so it is refused before any question. */
export async function inspectTarget(file: string): Promise<TargetState> {
	try {
		if ((await lstat(file)).isSymbolicLink()) await assertReplaceable(file);
	} catch (error) {
		if (error instanceof InputError) throw error;
	}
	try {
		const info = await stat(file);
		return info.isFile() ? {kind: 'file'} : {kind: 'not-a-file'};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			// A dangling symlink is "there" too: writing would replace the link.
			try {
				await lstat(file);
				return {kind: 'not-a-file'};
			} catch {
				return {kind: 'missing'};
			}
		}
		throw describeFsError(error, file);
	}
}

export async function targetExists(file: string): Promise<boolean> {
	const state = await inspectTarget(file);
	if (state.kind === 'not-a-file') throw notAFile(file);
	return state.kind === 'file';
}

/** The text of the plan at `file`, or undefined when there is none. */
export async function readExistingPlan(file: string): Promise<string | undefined> {
	const state = await inspectTarget(file);
	if (state.kind === 'missing') return undefined;
	if (state.kind === 'not-a-file') throw notAFile(file);
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		throw describeFsError(error, file);
	}
}

export async function writePlan(file: string, text: string, options: WritePlanOptions): Promise<WritePlanResult> {
	const target = path.resolve(file);
	const folder = path.dirname(target);
	try {
		const info = await stat(folder);
		if (!info.isDirectory()) throw new InputError(`${folder} is not a folder; cannot save ${file} there`, {file});
	} catch (error) {
		if (error instanceof InputError) throw error;
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			throw new InputError(`the folder ${folder} does not exist`, {file, hint: 'create it first, or save the plan somewhere else'});
		}
		throw describeFsError(error, folder);
	}
	await assertReplaceable(target);
	const state = await inspectTarget(target);
	if (state.kind === 'not-a-file') throw notAFile(file);
	const exists = state.kind === 'file';
	if (exists && !options.overwrite) throw new OverwriteRefusedError(file);
	try {
		// A plan is public metadata: a new file is world-readable (0644 less the umask); an existing one keeps its mode and owner.
		// A new file is only created: another run that saved one meanwhile is never replaced unasked.
		const result = await atomicWriteFile(target, text, {...(exists ? {backup: true} : {createOnly: true}), ...(options.hooks && {hooks: options.hooks})});
		return {path: target, created: result.created, ...(result.backupPath !== undefined && {backupPath: result.backupPath})};
	} catch (error) {
		throw describeWriteError(error, file);
	}
}

function notAFile(file: string): InputError {
	return new InputError(`${file} is not a regular file (a folder, device or broken link)`, {file, hint: 'name a plan file path'});
}

function describeWriteError(error: unknown, file: string): Error {
	if (error instanceof InputError || error instanceof UsageError) return error;
	if (error instanceof TargetExistsError) return new OverwriteRefusedError(file, 'another run saved it meanwhile');
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return new InputError(`${file}: permission denied; the plan was not saved`, {file, hint: 'run as a user who can write to that folder'});
		case 'ENOSPC':
			return new InputError(`${file}: the disk is full; the plan was not saved`, {file});
		case 'EROFS':
			return new InputError(`${file}: the file system is read-only; the plan was not saved`, {file});
		default:
			return new InputError(`${file}: could not be saved (${code ?? (error instanceof Error ? error.message : String(error))}); the old file is unchanged`, {file});
	}
}
