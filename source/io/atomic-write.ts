/**
 * Replacing a file so that a crash at any instant leaves either the old bytes or the new ones,
 * never a torn mix: write a temporary file in the same folder (same file system, so rename is
 * atomic), fsync it, give it the old file's mode and owner, rename it over the target, fsync the
 * folder so the rename itself survives a power cut. Optionally keep a backup of the old file.
 *
 * Env files hold secrets: the temporary file is created 0600 and only gets the target's mode once
 * it is complete, and backups keep the old file's mode and owner.
 *
 * Nothing is written through a link: a target (or its folder) that is a symbolic link, a file with
 * other hard links, or one whose owner, group or extended attributes the rename would lose is
 * refused before anything is written (io/replace-check.ts). The old file is read through
 * O_NOFOLLOW, and the temporary and backup files are created exclusively (O_EXCL, O_NOFOLLOW).
 *
 * `createOnly` publishes a new file with link(temporary, target) instead of rename: the kernel
 * refuses it when the name exists, so of two writers at the same instant exactly one creates the
 * file and the other gets TargetExistsError, nothing replaced.
 */
import {randomBytes} from 'node:crypto';
import {constants, type Stats} from 'node:fs';
import {link, open, rename, unlink, type FileHandle} from 'node:fs/promises';
import path from 'node:path';
import {assertReplaceable, type ReplaceCheckOptions} from './replace-check.js';

/** Test seams: each may throw (or stall) to simulate a crash or an I/O error at that instant. */
export interface AtomicWriteHooks {
	/** The data is written to the temporary file, not yet fsynced. */
	afterWrite?: (step: AtomicWriteStep) => void | Promise<void>;
	/** The temporary file is fsynced (mode and owner not yet set). */
	afterFsync?: (step: AtomicWriteStep) => void | Promise<void>;
	/** The temporary file is complete and closed; the target is still the old file. */
	beforeRename?: (step: AtomicWriteStep) => void | Promise<void>;
}

export interface AtomicWriteStep {
	target: string;
	tempPath: string;
}

export interface AtomicWriteOptions {
	/** Copy the current file to `<path>.cavra-rollback.<timestamp>.bak` first (when there is one). */
	backup?: boolean;
	/** fsync the folder after the rename (default true; only tests of slow disks turn it off). */
	fsyncDir?: boolean;
	/** Mode of a file that does not exist yet (default 0o644, less the umask). */
	mode?: number;
	hooks?: AtomicWriteHooks;
	/** Clock for the backup's name. */
	now?: () => Date;
	/** Test seam: who writes, and how extended attributes are listed. */
	replaceCheck?: ReplaceCheckOptions;
	/** Only create: never replace a file, even one that appears while this one is written (TargetExistsError). */
	createOnly?: boolean;
}

/** `createOnly` found a file at the target (there already, or created meanwhile by another writer). */
export class TargetExistsError extends Error {
	readonly code = 'EEXIST';

	constructor(readonly target: string) {
		super(`${target} exists`);
	}
}

export interface AtomicWriteResult {
	/** The file written (absolute). */
	path: string;
	created: boolean;
	backupPath?: string;
	bytes: number;
}

export async function atomicWriteFile(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<AtomicWriteResult> {
	const target = path.resolve(file);
	await assertReplaceable(target, options.replaceCheck);
	const old = await readExisting(target);
	if (old && options.createOnly) throw new TargetExistsError(target);
	const existing = old?.info;
	const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	const folder = path.dirname(target);
	let backupPath: string | undefined;
	if (options.backup && old) backupPath = await writeBackup(target, old, options.now?.() ?? new Date());

	const tempPath = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
	const step: AtomicWriteStep = {target, tempPath};
	let handle: FileHandle | undefined;
	let tempMoved = false;
	try {
		handle = await open(tempPath, EXCLUSIVE_CREATE, 0o600);
		await writeAll(handle, bytes);
		await options.hooks?.afterWrite?.(step);
		await handle.sync();
		await options.hooks?.afterFsync?.(step);
		const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o644) & ~process.umask();
		await handle.chmod(mode);
		if (existing) await keepOwner(handle, existing);
		await handle.close();
		handle = undefined;
		await options.hooks?.beforeRename?.(step);
		if (options.createOnly) await publishNew(tempPath, target, bytes, mode);
		else await rename(tempPath, target);
		tempMoved = !options.createOnly; // a link leaves the temporary name behind
	} finally {
		if (handle) await handle.close().catch(() => undefined);
		if (!tempMoved) await unlink(tempPath).catch(() => undefined);
	}
	if (options.fsyncDir !== false) await fsyncFolder(folder);
	return {path: target, created: !existing, bytes: bytes.byteLength, ...(backupPath !== undefined && {backupPath})};
}

/** `<path>.cavra-rollback.<UTC timestamp>.bak`, e.g. `cavra.env.cavra-rollback.20260101T120000123Z.bak`. */
export function backupName(target: string, at: Date): string {
	const stamp = at.toISOString().replace(/[-:]/g, '').replace('.', '');
	return `${target}.cavra-rollback.${stamp}.bak`;
}

/**
 * The complete temporary file gets the target's name only if that name is free. A file system
 * without hard links gets an exclusive create and a write instead: still one winner, though a
 * crash in the middle there can leave a short file.
 */
async function publishNew(tempPath: string, target: string, bytes: Buffer, mode: number): Promise<void> {
	try {
		await link(tempPath, target);
		return;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') throw new TargetExistsError(target);
		if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
	}
	let handle: FileHandle;
	try {
		handle = await open(target, EXCLUSIVE_CREATE, mode);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new TargetExistsError(target);
		throw error;
	}
	try {
		await writeAll(handle, bytes);
		await handle.sync();
	} finally {
		await handle.close();
	}
}

const EXCLUSIVE_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

interface Existing {
	info: Stats;
	content: Buffer;
}

/**
 * The current file, read without following a link (a link swapped in after the check fails with
 * ELOOP instead of copying another file into the backup). Undefined when there is none.
 */
async function readExisting(target: string): Promise<Existing | undefined> {
	let handle: FileHandle;
	try {
		handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) throw Object.assign(new Error(`${target} is not a regular file`), {code: 'EINVAL'});
		return {info, content: await handle.readFile()};
	} finally {
		await handle.close();
	}
}

/** The backup is itself written safely (exclusive create, fsync) with the old file's mode and owner. */
async function writeBackup(target: string, {info: existing, content}: Existing, at: Date): Promise<string> {
	for (let attempt = 0; ; attempt++) {
		const base = backupName(target, at);
		const candidate = attempt === 0 ? base : base.replace(/\.bak$/, `.${attempt}.bak`);
		let handle: FileHandle;
		try {
			handle = await open(candidate, EXCLUSIVE_CREATE, 0o600);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
			throw error;
		}
		try {
			await writeAll(handle, content);
			await handle.sync();
			await handle.chmod(existing.mode & 0o7777);
			await keepOwner(handle, existing);
		} catch (error) {
			await handle.close().catch(() => undefined);
			await unlink(candidate).catch(() => undefined);
			throw error;
		}
		await handle.close();
		return candidate;
	}
}

/**
 * The old owner and group, or an error (the temporary file is then removed, the target untouched).
 * Not root, the replace check has already refused a file that is not ours or not in our groups.
 */
async function keepOwner(handle: FileHandle, existing: Stats): Promise<void> {
	const info = await handle.stat();
	if (info.uid !== existing.uid || info.gid !== existing.gid) await handle.chown(existing.uid, existing.gid);
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
	let offset = 0;
	while (offset < bytes.byteLength) {
		const {bytesWritten} = await handle.write(bytes, offset, bytes.byteLength - offset, offset);
		offset += bytesWritten;
	}
}

/**
 * Make the rename durable. Best effort: the rename has happened and is atomic either way; some
 * platforms cannot fsync a folder, and failing a write that succeeded would mislead the caller.
 */
export async function fsyncFolder(folder: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(folder, constants.O_RDONLY);
		await handle.sync();
	} catch {
		// see above
	} finally {
		await handle?.close().catch(() => undefined);
	}
}
