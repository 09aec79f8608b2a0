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
	await removeStaleWorkspaces(root);
	const orphans = await orphanedRuns(root);
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

/**
 * Remove the run folders left by processes that no longer exist: only real folders (not links)
 * owned by this user and named by our pattern. Never throws; returns what it removed.
 */
export async function removeStaleWorkspaces(root = tmpdir(), isAlive: (pid: number) => boolean = processAlive): Promise<string[]> {
	const removed: string[] = [];
	let names: string[];
	try {
		names = await readdir(root);
	} catch {
		return removed;
	}
	for (const name of names) {
		const pid = Number(OWNED.exec(name)?.[1]);
		if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
		const folder = path.join(root, name);
		if ((await processesUsing(folder)).length > 0) continue; // its ansible-playbook still reads it
		try {
			const info = await lstat(folder);
			if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue;
			await rm(folder, {recursive: true, force: true});
			removed.push(folder);
		} catch {
			// Gone meanwhile, or not ours to remove.
		}
	}
	return removed;
}

/** Folders of runs whose cavra-rollback is gone but whose ansible-playbook still works in them. */
export async function orphanedRuns(root = tmpdir(), isAlive: (pid: number) => boolean = processAlive): Promise<Array<{folder: string; pids: number[]}>> {
	let names: string[];
	try {
		names = await readdir(root);
	} catch {
		return [];
	}
	const orphans: Array<{folder: string; pids: number[]}> = [];
	for (const name of names) {
		const pid = Number(OWNED.exec(name)?.[1]);
		if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
		const folder = path.join(root, name);
		const pids = await processesUsing(folder);
		if (pids.length > 0) orphans.push({folder, pids});
	}
	return orphans;
}

/**
 * Processes whose command line names a file in `folder` (ansible-playbook and its forks get the
 * playbook's path). Linux's /proc; elsewhere none are found.
 */
export async function processesUsing(folder: string, proc = '/proc'): Promise<number[]> {
	let entries: string[];
	try {
		entries = await readdir(proc);
	} catch {
		return [];
	}
	const needle = `${folder}${path.sep}`;
	const pids: number[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const cmdline = await readFile(path.join(proc, entry, 'cmdline'), 'utf8');
			if (cmdline.split('\0').some(arg => arg.includes(needle))) pids.push(Number(entry));
		} catch {
			// Ended meanwhile, or not ours to read.
		}
	}
	return pids;
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
