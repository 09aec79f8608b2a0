/*
 * The home menu in a real terminal reports the real exit of what it ran, by the exit-code table's
 * name: quitting a NEEDS ATTENTION dashboard is "exit 1 (findings)", never "exit 0 (ok)".
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {hasScript, KEY, Pty} from '../helpers/pty.js';

let dir: string;
let ptys: Pty[];
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'home-pty-'));
	ptys = [];
});
afterEach(() => {
	for (const pty of ptys) pty.kill();
	rmSync(dir, {recursive: true, force: true});
});

describe.skipIf(!hasScript)('home menu in a terminal', () => {
	it('quitting a NEEDS ATTENTION dashboard comes back as "exit 1 (findings)"', async () => {
		writeFileSync(path.join(dir, 'cavra.env'), 'CAVRA_GO_BACKEND_MODE=promoted\n');
		writeFileSync(path.join(dir, '.cavrarc.yaml'), 'plan: ./no-such-plan.json\nmode:\n  envFiles: [./cavra.env]\n');
		const pty = new Pty([], {cwd: dir});
		ptys.push(pty);
		await pty.waitFor('Quit');
		// The first entry is the dashboard.
		await pty.send(KEY.enter);
		await pty.waitFor('NEEDS ATTENTION');
		await pty.send('q');
		await pty.waitFor('last: dashboard → exit 1 (findings)');
		await pty.send('q');
		expect(await pty.exit).toBe(0);
	}, 30_000);

	it('the facts and the verdict line never show the api.tokenEnv token, whatever its name', async () => {
		// A random word no secret pattern recognises, here in the plan's file name.
		const token = 'zq81Lr0xVbN3kd7';
		writeFileSync(path.join(dir, 'cavra.env'), 'CAVRA_GO_BACKEND_MODE=promoted\n');
		writeFileSync(path.join(dir, '.cavrarc.yaml'), `plan: ./plan-${token}.json\nmode:\n  envFiles: [./cavra.env]\napi:\n  url: http://127.0.0.1:9\n  tokenEnv: MY_CAVRA_TOKEN\n`);
		const pty = new Pty([], {cwd: dir, env: {MY_CAVRA_TOKEN: token}});
		ptys.push(pty);
		await pty.waitFor('plan-<redacted>.json');
		await pty.waitFor('verdict: needs_attention');
		await pty.send('q');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain(token);
	}, 30_000);
});
