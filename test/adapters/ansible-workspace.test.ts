/** The Ansible run folder: private, and never left behind by a run that was killed. */
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {openWorkspace, processesUsing, removeStaleWorkspaces} from '../../source/adapters/ansible-workspace.js';

let root = '';
afterEach(() => rmSync(root, {recursive: true, force: true}));

describe('ansible run folder', () => {
	it('is 0700, named after this process, and holds the callback plugin', async () => {
		root = mkdtempSync(path.join(tmpdir(), 'cavra-ws-'));
		const workspace = await openWorkspace(root);
		expect(path.basename(workspace)).toMatch(new RegExp(`^cavra-ansible-${process.pid}-`));
		expect(statSync(workspace).mode & 0o777).toBe(0o700);
		expect(existsSync(path.join(workspace, 'callback_plugins', 'cavra_events.py'))).toBe(true);
	});

	it('a new run removes the folders of dead processes only: not a live one, not a link, not another name', async () => {
		root = mkdtempSync(path.join(tmpdir(), 'cavra-ws-'));
		const dead = path.join(root, 'cavra-ansible-999999-abc123');
		const live = path.join(root, `cavra-ansible-${process.pid}-def456`);
		const other = path.join(root, 'cavra-ansible-legacy');
		const target = path.join(root, 'keep');
		for (const folder of [dead, live, other, target]) mkdirSync(folder);
		mkdirSync(path.join(dead, 'callback_plugins'));
		symlinkSync(target, path.join(root, 'cavra-ansible-999998-link00'));
		const removed = await removeStaleWorkspaces(root, pid => pid !== 999999 && pid !== 999998);
		expect(removed).toEqual([dead]);
		expect(existsSync(dead)).toBe(false);
		for (const kept of [live, other, target, path.join(root, 'cavra-ansible-999998-link00')]) expect(existsSync(kept)).toBe(true);
	});

	it.runIf(process.platform === 'linux')('a killed run whose ansible-playbook still works in its folder: no new run starts, the folder is kept; once it ends, the next run starts', async () => {
		root = mkdtempSync(path.join(tmpdir(), 'cavra-ws-'));
		const orphanFolder = path.join(root, 'cavra-ansible-999999-abc123');
		mkdirSync(orphanFolder);
		// Stands in for the orphaned ansible-playbook: a process whose command line names the folder's playbook.
		const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(orphanFolder, 'apply.json')], {stdio: 'ignore'});
		try {
			await until(async () => (await processesUsing(orphanFolder)).includes(orphan.pid!));
			await expect(openWorkspace(root)).rejects.toMatchObject({
				exitCode: 3,
				message: expect.stringContaining(`its ansible-playbook is still working (pid ${orphan.pid}, in ${orphanFolder})`),
				hint: expect.stringContaining(`kill -TERM ${orphan.pid}`),
			});
			expect(existsSync(orphanFolder)).toBe(true);
		} finally {
			orphan.kill('SIGKILL');
		}
		await until(async () => (await processesUsing(orphanFolder)).length === 0);
		const workspace = await openWorkspace(root);
		expect(existsSync(orphanFolder)).toBe(false);
		expect(existsSync(workspace)).toBe(true);
	});
});

/** Poll a condition, bounded (50 × 100 ms). */
async function until(condition: () => Promise<boolean>): Promise<void> {
	for (let attempt = 0; attempt < 50; attempt++) {
		if (await condition()) return;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	throw new Error('condition not met in 5 s');
}
