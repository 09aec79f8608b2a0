/**
 * One replacer at a time for a file that two commands may replace at the same instant (two
 * `init --force` runs): `<file>.cavra-rollback.lock` holds the pid and host of the run replacing it.
 * Without it both would back up the same old file and the second rename would drop the first
 * writer's file with no backup; under it the second one backs up the first one's file.
 *
 * Taken the way io/evidence-lock.ts takes its lock: the record is written to a private temporary
 * file and hard-linked to the lock's name, which fails if the name exists, so a reader never sees
 * a half-written lock. A holder works for a few file operations: a waiter polls for a short while,
 * then refuses (exit 2). A lock left by a killed run is reported with the command that removes
 * it, never removed behind the user's back.
 */
import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {link, lstat, open, readFile, unlink} from 'node:fs/promises';
import {hostname as osHostname} from 'node:os';
import {InputError} from '../core/errors.js';
import {visible} from '../core/text/sanitize.js';
import {processIsAlive} from './evidence-lock.js';

export interface ReplaceLockOptions {
	/** How long to wait for another holder (default 3 s). */
	waitMs?: number;
	/** Test seam: whether a pid runs on this host. */
	isAlive?: (pid: number) => boolean;
}

interface Holder {
	pid: number;
	hostname: string;
}

const POLL_MS = 20;

export const replaceLockPath = (target: string) => `${target}.cavra-rollback.lock`;

/** Run `work` holding the lock of `target` (an absolute path); the lock is released on every path. */
export async function withReplaceLock<T>(target: string, work: () => Promise<T>, options: ReplaceLockOptions = {}): Promise<T> {
	const lockPath = replaceLockPath(target);
	const me: Holder = {pid: process.pid, hostname: osHostname()};
	const temp = `${lockPath}.${me.pid}.${randomBytes(4).toString('hex')}.tmp`;
	const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
	try {
		await handle.writeFile(`${JSON.stringify(me)}\n`);
	} finally {
		await handle.close();
	}
	let ino: number;
	try {
		ino = await take(target, lockPath, temp, me, options);
	} finally {
		await unlink(temp).catch(() => undefined);
	}
	try {
		return await work();
	} finally {
		if ((await lstat(lockPath).catch(() => undefined))?.ino === ino) await unlink(lockPath).catch(() => undefined);
	}
}

async function take(target: string, lockPath: string, temp: string, me: Holder, options: ReplaceLockOptions): Promise<number> {
	const isAlive = options.isAlive ?? processIsAlive;
	const deadline = Date.now() + (options.waitMs ?? 3000);
	for (;;) {
		try {
			await link(temp, lockPath);
			return (await lstat(lockPath)).ino;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const holder = await readHolder(lockPath);
		const shown = visible(lockPath);
		if (holder === 'unknown') throw new InputError(`${shown} exists but is not a lock this tool wrote; nothing was written`, {file: lockPath, hint: `if no cavra-rollback is writing that file, remove it: rm ${shown}`});
		if (holder && holder.hostname === me.hostname && !isAlive(holder.pid)) {
			throw new InputError(`${shown} was left by a run that is no longer running (pid ${holder.pid}); nothing was written`, {file: lockPath, hint: `remove it and run again: rm ${shown}`});
		}
		if (Date.now() > deadline) {
			const who = holder ? `pid ${holder.pid} on ${visible(holder.hostname)}` : 'another run';
			throw new InputError(`another cavra-rollback (${who}) is replacing ${visible(target)} right now; nothing was written`, {file: lockPath, hint: 'run again when it has finished'});
		}
		await new Promise(resolve => setTimeout(resolve, POLL_MS));
	}
}

/** The holder; undefined when the lock is gone meanwhile; 'unknown' when it is not ours. */
async function readHolder(lockPath: string): Promise<Holder | undefined | 'unknown'> {
	let text: string;
	try {
		if (!(await lstat(lockPath)).isFile()) return 'unknown';
		text = await readFile(lockPath, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	try {
		const value = JSON.parse(text) as Partial<Holder>;
		if (Number.isSafeInteger(value.pid) && (value.pid ?? 0) > 0 && typeof value.hostname === 'string') return {pid: value.pid!, hostname: value.hostname};
	} catch {
		// not ours
	}
	return 'unknown';
}
