/** The Ansible run folder: private, and never left behind by a run that was killed. */
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {openWorkspace, processesUsing, sweepWorkspaces} from '../../source/adapters/ansible-workspace.js';

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
		const {removed, orphans} = await sweepWorkspaces(root, {isAlive: pid => pid !== 999999 && pid !== 999998});
		expect(removed).toEqual([dead]);
		expect(orphans).toEqual([]);
		expect(existsSync(dead)).toBe(false);
		for (const kept of [live, other, target, path.join(root, 'cavra-ansible-999998-link00')]) expect(existsSync(kept)).toBe(true);
	});

	it('one look at the process list sorts every dead run\'s folder: in use (an orphan, kept) or removed', async () => {
		root = mkdtempSync(path.join(tmpdir(), 'cavra-ws-'));
		const used = path.join(root, 'cavra-ansible-999991-aaa111');
		const unused = path.join(root, 'cavra-ansible-999992-bbb222');
		const alsoUsed = path.join(root, 'cavra-ansible-999993-ccc333');
		for (const folder of [used, unused, alsoUsed]) mkdirSync(folder);
		// A process list as /proc shows it: pid folders with NUL-separated command lines.
		const proc = path.join(root, 'proc');
		const processes: Record<string, string[]> = {'4001': ['ansible-playbook', '-i', `${used}/inventory`, `${used}/apply.yml`], '4002': ['python3', `${alsoUsed}/apply.yml`], '4003': ['sshd'], self: ['x']};
		for (const [pid, args] of Object.entries(processes)) {
			mkdirSync(path.join(proc, pid), {recursive: true});
			writeFileSync(path.join(proc, pid, 'cmdline'), `${args.join('\0')}\0`);
		}
		const swept = await sweepWorkspaces(root, {isAlive: () => false, proc});
		expect(swept.removed).toEqual([unused]);
		expect(swept.orphans).toEqual([
			{folder: used, pids: [4001]},
			{folder: alsoUsed, pids: [4002]},
		]);
		expect(existsSync(used) && existsSync(alsoUsed) && !existsSync(unused)).toBe(true);
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
