/**
 * The private folder one Ansible run works in (playbooks, our callback plugin, the patched env
 * files, the events file). It holds every host's env file while the run lasts, so it must not
 * outlive it: removed at the end of the run, and, because `kill -9` skips that, a new run first
 * removes the folders of runs whose process is gone. The folder's name carries its owner's pid.
 */
import {lstat, mkdir, mkdtemp, readdir, rm, writeFile, chmod} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CALLBACK_NAME, CALLBACK_PLUGIN_SOURCE} from '../core/ansible/callback-plugin.js';

export const WORKSPACE_PREFIX = 'cavra-ansible-';
const OWNED = new RegExp(`^${WORKSPACE_PREFIX}(\\d+)-[A-Za-z0-9]+$`);

/** A fresh 0700 folder under `root` (default: the temp folder), with our callback plugin in it. */
export async function openWorkspace(root = tmpdir()): Promise<string> {
	await removeStaleWorkspaces(root);
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

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists, under another user.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
