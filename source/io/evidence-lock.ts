/**
 * One run at a time per evidence folder: `<evidence.dir>/.cavra-rollback.lock` holds the pid, run
 * id, start time and host of the run that owns it. Two rollbacks at once would both restart the
 * services, and two resumes of one run would interleave one journal.
 *
 * Taking it is one atomic step: the holder's record is written to a private temporary file and
 * hard-linked to the lock's name, which fails if the name exists, so a reader never sees a
 * half-written lock. A lock whose process is gone (same host, `kill(pid, 0)` says ESRCH) is taken
 * over: only a run holding `.cavra-rollback.lock.takeover` (taken the same exclusive way) may
 * remove the lock, and only while it is still the very file found dead (same inode); the dead
 * holder cannot release it and no one else may remove it, so the check and the removal cannot be
 * raced. Released on every exit path of the run; a run killed with SIGKILL leaves a lock the next
 * run takes over.
 */
import {randomBytes} from 'node:crypto';
import {constants} from 'node:fs';
import {EVIDENCE_DIR_MODE} from '../core/evidence/bundle.js';
import {link, lstat, mkdir, open, readFile, unlink} from 'node:fs/promises';
import {hostname as osHostname} from 'node:os';
import path from 'node:path';
import {CavraError} from '../core/errors.js';
import {visible} from '../core/text/sanitize.js';
import {resumeArgv} from '../core/rollback/progress-lines.js';
import {shellCommand} from '../core/text/shell-command.js';
import {ExitCode} from '../core/exit-codes.js';

export const LOCK_FILE = '.cavra-rollback.lock';
const TAKEOVER_SUFFIX = '.takeover';
const ATTEMPTS = 100;
/** Wait while another run holds the take-over (it holds it for a few file operations). */
const TAKEOVER_WAIT_MS = 10;

export interface LockHolder {
	pid: number;
	run_id: string;
	started_at: string;
	hostname: string;
}

export interface EvidenceLock {
	path: string;
	/** Set when a stale lock was taken over: what it held. */
	notice?: string;
	/** Remove the lock if it is still ours. Safe to call twice. */
	release(): Promise<void>;
}

export interface LockOptions {
	runId: string;
	pid?: number;
	hostname?: string;
	now?: () => Date;
	/** Test seam: whether a pid runs on this host. */
	isAlive?: (pid: number) => boolean;
	/** The command that continues a holder's run, as this invocation would have to type it (its --config). */
	resumeCommand?: (runId: string) => string;
}

/** Another run holds the lock (or it cannot be judged): nothing was done. Exit 2. */
export class RunLockedError extends CavraError {
	readonly holder: LockHolder | undefined;

	constructor(message: string, hint: string, holder?: LockHolder) {
		super(message, ExitCode.usage, hint);
		this.holder = holder;
	}
}

// The same spelling as the summary's resume hint (core/rollback/progress-lines.ts).
const defaultResumeCommand = (runId: string) => shellCommand(resumeArgv({runId, kind: 'rollback'}));

export async function acquireEvidenceLock(dir: string, options: LockOptions): Promise<EvidenceLock> {
	const lockPath = path.join(path.resolve(dir), LOCK_FILE);
	const me: LockHolder = {
		pid: options.pid ?? process.pid,
		run_id: options.runId,
		started_at: (options.now?.() ?? new Date()).toISOString(),
		hostname: options.hostname ?? osHostname(),
	};
	const isAlive = options.isAlive ?? processIsAlive;
	// Created here first, so created as the evidence store would: private to its owner (0700).
	await mkdir(path.dirname(lockPath), {recursive: true, mode: EVIDENCE_DIR_MODE});
	const temp = await writeTemp(lockPath, me);
	let notice: string | undefined;
	try {
		for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
			try {
				await link(temp, lockPath);
				const {ino} = await lstat(lockPath);
				return {path: lockPath, ...(notice && {notice}), release: () => releaseIfOurs(lockPath, ino)};
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			const found = await readHolder(lockPath);
			if (!found) continue; // released meanwhile
			const {holder, ino} = found;
			if (!holder) {
				throw new RunLockedError(`${lockPath} exists but is not a lock this tool wrote; no run was started`, `if no rollback is running, remove it: rm ${lockPath}`);
			}
			if (holder.hostname !== me.hostname) {
				throw new RunLockedError(
					`another rollback holds ${lockPath}: ${describeHolder(holder)} on host ${visible(holder.hostname)}; no run was started`,
					`it may still run there; when it does not, remove the lock: rm ${lockPath}`,
					holder,
				);
			}
			if (isAlive(holder.pid)) {
				throw new RunLockedError(
					`another rollback is running in this evidence folder: ${describeHolder(holder)}; no run was started`,
					`wait for it to finish, or stop it (kill -INT ${holder.pid}); a second run at once would restart the services again${holder.run_id ? `. Then continue it: ${(options.resumeCommand ?? defaultResumeCommand)(visible(holder.run_id))}` : ''}`,
					holder,
				);
			}
			if (await takeOver(lockPath, ino, temp, me, isAlive)) notice = `Took over a stale lock: ${describeHolder(holder)} is no longer running.`;
		}
		throw new RunLockedError(`could not take ${lockPath}: other runs keep taking it`, 'run one rollback at a time');
	} finally {
		await unlink(temp).catch(() => undefined);
	}
}

/** The lock file is outside text: its strings are shown with every control character visible. */
export function describeHolder(holder: LockHolder): string {
	return `run ${visible(holder.run_id)} (pid ${holder.pid}, started ${visible(holder.started_at)})`;
}

/** `kill(pid, 0)`: ESRCH is gone; EPERM exists (another user's process). */
export function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

async function writeTemp(lockPath: string, me: LockHolder): Promise<string> {
	const temp = `${lockPath}.${me.pid}.${randomBytes(4).toString('hex')}.tmp`;
	const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
	try {
		await handle.writeFile(`${JSON.stringify(me)}\n`);
		await handle.sync();
	} finally {
		await handle.close();
	}
	return temp;
}

/** The lock's holder and inode; holder undefined when the file is not ours to read; undefined when it is gone. */
async function readHolder(lockPath: string): Promise<{holder: LockHolder | undefined; ino: number} | undefined> {
	try {
		const info = await lstat(lockPath);
		if (!info.isFile()) return {holder: undefined, ino: info.ino};
		const text = await readFile(lockPath, 'utf8');
		return {holder: parseHolder(text), ino: info.ino};
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

function parseHolder(text: string): LockHolder | undefined {
	try {
		const value = JSON.parse(text) as Partial<LockHolder>;
		if (!Number.isSafeInteger(value.pid) || (value.pid ?? 0) <= 0) return undefined;
		if (typeof value.run_id !== 'string' || typeof value.started_at !== 'string' || typeof value.hostname !== 'string') return undefined;
		return {pid: value.pid!, run_id: value.run_id, started_at: value.started_at, hostname: value.hostname};
	} catch {
		return undefined;
	}
}

/**
 * Remove the dead lock `ino`, holding the take-over lock so no other run removes or replaces the
 * lock between the check and the removal. False when someone else is taking over (retry).
 */
async function takeOver(lockPath: string, ino: number, temp: string, me: LockHolder, isAlive: (pid: number) => boolean): Promise<boolean> {
	const takeoverPath = `${lockPath}${TAKEOVER_SUFFIX}`;
	try {
		await link(temp, takeoverPath);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		const busy = await readHolder(takeoverPath);
		if (busy?.holder && busy.holder.hostname === me.hostname && !isAlive(busy.holder.pid)) {
			throw new RunLockedError(`a take-over of a stale lock in ${path.dirname(lockPath)} was interrupted (${describeHolder(busy.holder)} is gone); no run was started`, `if no rollback is running, remove both: rm ${lockPath} ${takeoverPath}`);
		}
		await new Promise(resolve => setTimeout(resolve, TAKEOVER_WAIT_MS));
		return false;
	}
	try {
		const now = await lstat(lockPath).catch(() => undefined);
		if (now?.ino !== ino) return false;
		await unlink(lockPath);
		return true;
	} finally {
		await unlink(takeoverPath).catch(() => undefined);
	}
}

async function releaseIfOurs(lockPath: string, ino: number): Promise<void> {
	try {
		if ((await lstat(lockPath)).ino === ino) await unlink(lockPath);
	} catch {
		// Gone already.
	}
}
