import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
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

function open(args: string[], env?: NodeJS.ProcessEnv): Pty {
	const pty = new Pty(args, {cwd: dir, watchUi: true, ...(env && {env})});
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

describe.skipIf(!hasScript)('init on a TERM=dumb terminal', () => {
	const dumb = {TERM: 'dumb'};

	it('asks the same questions as bare lines, not one escape byte; a refused answer is asked again; writes what was answered', async () => {
		const pty = open(['init', '--no-detect', '--mode-file', '/srv/a.env', '--systemd', 'cavra-api.service'], dumb);
		// A question with no answer is a line shown before the one answered (a list's title).
		const answers: Array<[question: string, answer?: string]> = [
			['Env files a rollback sets CAVRA_GO_BACKEND_MODE=disabled in'],
			['1. [x] /srv/a.env'],
			['Numbers to tick, separated by spaces ("-" for none; Enter: 1):', '7'],
			['not accepted: "7" is not a number from 1 to 1', '1'],
			['Another env file (empty: none):', '/srv/b.env'],
			['Services a rollback restarts'],
			['1. [x] cavra-api (systemd)'],
			['Numbers to tick', ''],
			['Rollback plan file ("-" or empty: leave it unset):', '/etc/cavra/plan.json'],
			['CAVRA\'s API URL ("-": none) (Enter: http://127.0.0.1:8000):', ''],
			['(Enter: CAVRA_API_TOKEN):', 'tok-3f9a secret'],
			['not accepted: a variable NAME such as CAVRA_API_TOKEN, never the token itself', 'CAVRA_TOKEN'],
		];
		for (const [question, answer] of answers) {
			await pty.waitFor(question);
			if (answer === undefined) continue;
			if (answer !== '') await pty.type(answer);
			await pty.type(KEY.enter);
		}
		await pty.waitFor('wrote .cavrarc.yaml');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain('\u001B');
		expect(pty.output).not.toContain('LOADED-UI-MODULE');
		const {config} = await loadConfig({cwd: dir, home: dir});
		expect(config).toEqual({
			plan: '/etc/cavra/plan.json',
			mode: {envFiles: ['/srv/a.env', '/srv/b.env']},
			services: [{name: 'cavra-api', kind: 'systemd', unit: 'cavra-api.service'}],
			api: {url: 'http://127.0.0.1:8000', tokenEnv: 'CAVRA_TOKEN'},
		});
	});

	it('Ctrl-C at a question exits 130 and writes nothing', async () => {
		const pty = open(['init', '--no-detect'], dumb);
		await pty.waitFor('Env file holding CAVRA_GO_BACKEND_MODE (empty: none):');
		await pty.type('/srv/a.env', KEY.enter);
		await pty.waitFor('Rollback plan file');
		await pty.type(KEY.ctrlC);
		expect(await pty.exit).toBe(130);
		expect(pty.output).not.toContain('\u001B');
		expect(existsSync(path.join(dir, '.cavrarc.yaml'))).toBe(false);
	});

	it('asks y/N before replacing a file; "n" leaves it as it was, exit 130', async () => {
		const file = path.join(dir, '.cavrarc.yaml');
		writeFileSync(file, 'plan: ./mine.json\n');
		const pty = open(['init', '--no-detect'], dumb);
		await pty.waitFor('exists. Replace it (a backup is kept)? (y/N)');
		await pty.type('n', KEY.enter);
		expect(await pty.exit).toBe(130);
		expect(pty.output).not.toContain('\u001B');
		expect(readFileSync(file, 'utf8')).toBe('plan: ./mine.json\n');
	});
});
