/**
 * The private folder one Ansible run works in (playbooks, our callback plugin, the patched env
 * files, the events file). It holds every host's env file while the run lasts, so it must not
 * outlive it: removed at the end of the run, and, because `kill -9` skips that, a new run first
 * removes the folders of runs whose process is gone. The folder's name carries its owner's pid.
 * `kill -9` of cavra-rollback leaves `ansible-playbook` (its own process group) running: while it
 * still works in a dead run's folder, no new run starts, or two would change the same hosts.
 */
import {lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile, chmod} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CALLBACK_NAME, CALLBACK_PLUGIN_SOURCE} from '../core/ansible/callback-plugin.js';
import {ExternalError} from '../core/errors.js';
import {visible} from '../core/text/sanitize.js';

export const WORKSPACE_PREFIX = 'cavra-ansible-';
const OWNED = new RegExp(`^${WORKSPACE_PREFIX}(\\d+)-[A-Za-z0-9]+$`);

/** A fresh 0700 folder under `root` (default: the temp folder), with our callback plugin in it. */
export async function openWorkspace(root = tmpdir()): Promise<string> {
	const {orphans} = await sweepWorkspaces(root);
	if (orphans.length > 0) {
		const {folder, pids} = orphans[0]!;
		throw new ExternalError(
			`an earlier run was killed but its ansible-playbook is still working (pid ${pids.join(', ')}, in ${visible(folder)}); nothing was started, so two runs do not change the same hosts`,
			{hint: `wait for it to end, or stop it (kill -TERM ${pids.join(' ')}), then run again (or --resume the earlier run)`},
		);
	}
	const workspace = await mkdtemp(path.join(root, `${WORKSPACE_PREFIX}${process.pid}-`));
	await chmod(workspace, 0o700);
	await mkdir(path.join(workspace, 'callback_plugins'), {mode: 0o700});
	await writeFile(path.join(workspace, 'callback_plugins', `${CALLBACK_NAME}.py`), CALLBACK_PLUGIN_SOURCE, {mode: 0o600});
	return workspace;
}

export interface SweepOptions {
	/** Test seam: whether a pid runs. */
	isAlive?: (pid: number) => boolean;
	/** Where the command lines are read (default /proc). */
	proc?: string;
}

/**
 * The run folders of processes that no longer exist, in one pass: the folders a process still
 * works in (a killed run's ansible-playbook) are the orphans, kept; the others are removed (only
 * real folders, not links, owned by this user and named by our pattern). The process list is read
 * once for all of them, and only when there is a dead run's folder at all. Never throws.
 */
export async function sweepWorkspaces(root = tmpdir(), options: SweepOptions = {}): Promise<{removed: string[]; orphans: Array<{folder: string; pids: number[]}>}> {
	const isAlive = options.isAlive ?? processAlive;
	const removed: string[] = [];
	const orphans: Array<{folder: string; pids: number[]}> = [];
	let names: string[];
	try {
		names = await readdir(root);
	} catch {
		return {removed, orphans};
	}
	const dead = names.sort().filter(name => {
		const pid = Number(OWNED.exec(name)?.[1]);
		return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !isAlive(pid);
	});
	if (dead.length === 0) return {removed, orphans};
	const commandLines = await readCommandLines(options.proc);
	for (const name of dead) {
		const folder = path.join(root, name);
		const pids = usersOf(folder, commandLines);
		if (pids.length > 0) {
			orphans.push({folder, pids}); // its ansible-playbook still reads it
			continue;
		}
		try {
			const info = await lstat(folder);
			if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
			await rm(folder, {recursive: true, force: true});
			removed.push(folder);
		} catch {
			// Gone meanwhile, or not ours to remove.
		}
	}
	return {removed, orphans};
}

/**
 * Processes whose command line names a file in `folder` (ansible-playbook and its forks get the
 * playbook's path). Linux's /proc; elsewhere none are found.
 */
export async function processesUsing(folder: string, proc = '/proc'): Promise<number[]> {
	return usersOf(folder, await readCommandLines(proc));
}

function usersOf(folder: string, commandLines: ReadonlyMap<number, string[]>): number[] {
	const needle = `${folder}${path.sep}`;
	return [...commandLines].filter(([, args]) => args.some(arg => arg.includes(needle))).map(([pid]) => pid);
}

/** Every other process's arguments, by pid; empty where there is no /proc. */
async function readCommandLines(proc = '/proc'): Promise<Map<number, string[]>> {
	const lines = new Map<number, string[]>();
	let entries: string[];
	try {
		entries = await readdir(proc);
	} catch {
		return lines;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			lines.set(Number(entry), (await readFile(path.join(proc, entry, 'cmdline'), 'utf8')).split('\0'));
		} catch {
			// Ended meanwhile, or not ours to read.
		}
	}
	return lines;
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, under another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
