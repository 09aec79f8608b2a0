import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/io/config.js';
import {hasScript, KEY, Pty} from '../helpers/pty.js';

let dir: string;
let ptys: Pty[];
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'init-pty-'));
	ptys = [];
});
afterEach(() => {
	for (const pty of ptys) pty.kill();
	rmSync(dir, {recursive: true, force: true});
});

function open(args: string[]): Pty {
	const pty = new Pty(args, {cwd: dir, watchUi: true});
	ptys.push(pty);
	return pty;
}

describe.skipIf(!hasScript)('init in a real terminal', () => {
	it('asks line by line (no Ink), starting from the flags, and writes what was answered', async () => {
		const pty = open(['init', '--no-detect', '--mode-file', '/srv/a.env', '--systemd', 'cavra-api.service']);
		await pty.waitFor('Env files a rollback sets');
		await pty.send(KEY.enter);
		await pty.waitFor('Another env file');
		await pty.send('/srv/b.env', KEY.enter);
		await pty.waitFor('Services a rollback restarts');
		await pty.send(KEY.enter);
		await pty.waitFor('Rollback plan file');
		await pty.send('/etc/cavra/plan.json', KEY.enter);
		await pty.waitFor("CAVRA's API URL");
		await pty.send('-', KEY.enter);
		await pty.waitFor('wrote .cavrarc.yaml');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain('LOADED-UI-MODULE');
		const {config} = await loadConfig({cwd: dir, home: dir});
		expect(config).toEqual({
			plan: '/etc/cavra/plan.json',
			mode: {envFiles: ['/srv/a.env', '/srv/b.env']},
			services: [{name: 'cavra-api', kind: 'systemd', unit: 'cavra-api.service'}],
		});
	});

	it('asks before replacing a file; "no" and ctrl+c leave it as it was, exit 130', async () => {
		const file = path.join(dir, '.cavrarc.yaml');
		writeFileSync(file, 'plan: ./mine.json\n');
		const declined = open(['init', '--no-detect']);
		await declined.waitFor('exists. Replace it');
		await declined.send('n', KEY.enter);
		expect(await declined.exit).toBe(130);
		const quit = open(['init', '--no-detect', '--force']);
		await quit.waitFor('Env file holding CAVRA_GO_BACKEND_MODE');
		await quit.send(KEY.ctrlC);
		expect(await quit.exit).toBe(130);
		expect(readFileSync(file, 'utf8')).toBe('plan: ./mine.json\n');
	});
});
