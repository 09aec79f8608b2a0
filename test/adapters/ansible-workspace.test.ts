/** The Ansible run folder: private, and never left behind by a run that was killed. */
import {existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {openWorkspace, removeStaleWorkspaces} from '../../source/adapters/ansible-workspace.js';

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
});
