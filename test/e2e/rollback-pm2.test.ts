/*
 * End to end with a real process manager: the CAVRA API stand-in runs under pm2 (its own
 * PM2_HOME in a temp folder; the daemon is killed at the end), reading its mode from an env file
 * at start-up. `rollback --yes` sets the mode, `pm2 restart --update-env`s it and verifies; the
 * restarted process itself then answers `mode: disabled`. The evidence verifies, and stops
 * verifying after one byte of the journal changes.
 */
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fileURLToPath} from 'node:url';
import {cleanEnv, repoRoot, runCliAsync, scratch, until, writeConfig} from '../fixtures/rollback/e2e.js';

/** The stand-in's entry for a process manager (see the fixture for why it is not dist/demo/cavra-api-standin.js itself). */
const standInEntry = fileURLToPath(new URL('../fixtures/rollback/pm2-standin.mjs', import.meta.url));

const pm2Bin = path.join(repoRoot, 'node_modules', '.bin', 'pm2');
const processName = `cavra-e2e-${process.pid}`;
let work: ReturnType<typeof scratch>;
let pm2Home: string;
let port: number;
let url: string;

function pm2(args: string[]): string {
	return execFileSync(pm2Bin, args, {env: cleanEnv({PM2_HOME: pm2Home}), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']});
}

function pm2Process(): {pid: number; restarts: number; status: string} {
	const list = JSON.parse(pm2(['jlist'])) as Array<{name: string; pid: number; pm2_env: {restart_time: number; status: string}}>;
	const entry = list.find(item => item.name === processName);
	if (!entry) throw new Error(`${processName} is not in pm2's list`);
	return {pid: entry.pid, restarts: entry.pm2_env.restart_time, status: entry.pm2_env.status};
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port: chosen} = server.address() as {port: number};
	await new Promise<void>(resolve => server.close(() => resolve()));
	return chosen;
}

async function answer(): Promise<{mode?: string; status?: string} | undefined> {
	try {
		const response = await fetch(`${url}/runtime/go-pilot/rollback-readiness`, {signal: AbortSignal.timeout(2000)});
		return response.ok ? ((await response.json()) as {mode?: string; status?: string}) : undefined;
	} catch {
		return undefined;
	}
}

beforeAll(async () => {
	work = scratch('cavra-rollback-pm2-');
	pm2Home = path.join(work.dir, 'pm2-home');
	port = await freePort();
	url = `http://127.0.0.1:${port}`;
	pm2(['start', standInEntry, '--name', processName, '--no-autorestart', '--', '--port', String(port), '--mode-file', work.envFile]);
	await until(async () => (await answer())?.mode === 'promoted', 30_000, 'the stand-in under pm2 to answer');
}, 60_000);

afterAll(() => {
	try {
		pm2(['kill']);
	} catch {
		// The daemon may already be gone; the folder goes either way.
	}
	rmSync(work.dir, {recursive: true, force: true});
}, 60_000);

describe('rollback against a service under pm2', () => {
	it('rollback --yes: the restarted process answers mode disabled; evidence verify passes, and fails after one byte changes', async () => {
		const before = pm2Process();
		expect(before.status).toBe('online');
		writeConfig(work.dir, [
			`plan: ${work.planFile}`,
			'mode:',
			`  envFiles: [${work.envFile}]`,
			'api:',
			`  url: "${url}"`,
			'services:',
			'  - name: api',
			'    kind: pm2',
			`    process: ${processName}`,
			'    timeoutMs: 30000',
			`    verify: {url: "${url}/runtime/go-pilot/rollback-readiness", expectMode: disabled}`,
			'evidence:',
			'  dir: ./evidence',
		]);
		// An operator's shell holds tokens; pm2 --update-env would copy them into the app.
		const token = 'tok-pm2-e2e-3c9a71f0b2';
		const env = {PM2_HOME: pm2Home, PATH: `${path.dirname(pm2Bin)}${path.delimiter}${process.env['PATH'] ?? ''}`, CAVRA_API_TOKEN: token, GITHUB_TOKEN: token};
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir, env});
		expect(result.stderr).toContain('$ CAVRA_GO_BACKEND_MODE=disabled pm2 restart');
		expect(result.stdout).toContain('RECOVERED: CAVRA is back in Python-only mode');
		expect(result.code).toBe(0);

		// The proof comes from the restarted process itself: a new pid, and its own answer.
		const after = pm2Process();
		expect(after.pid).not.toBe(before.pid);
		expect(after.restarts).toBe(before.restarts + 1);
		expect(await answer()).toMatchObject({mode: 'disabled'});
		// pm2's own record of the restarted app's environment: the mode is there, the operator's tokens are not.
		const apps = pm2(['jlist']);
		expect(apps).toContain('"CAVRA_GO_BACKEND_MODE":"disabled"');
		expect(apps).not.toContain(token);
		expect(readFileSync(work.envFile, 'utf8')).toContain('CAVRA_GO_BACKEND_MODE=disabled');

		const runs = readdirSync(path.join(work.dir, 'evidence'));
		expect(runs).toHaveLength(1);
		const runDir = path.join(work.dir, 'evidence', runs[0]!);
		const evidence = JSON.parse(readFileSync(path.join(runDir, 'evidence.json'), 'utf8')) as Record<string, unknown>;
		expect(evidence).toMatchObject({result: 'recovered', within_target: true, services: [{name: 'api', kind: 'pm2', outcome: 'recovered', mode_before: 'promoted', mode_after: 'disabled'}]});
		expect(JSON.stringify(evidence)).not.toContain('hunter2');

		const verified = await runCliAsync(['evidence', 'verify', runDir], {cwd: work.dir});
		expect(verified.stdout).toMatch(/^intact: /);
		expect(verified.code).toBe(0);

		const journal = path.join(runDir, 'journal.ndjson');
		const bytes = readFileSync(journal);
		const at = bytes.indexOf('"restart:api"');
		bytes[at + 1] = 'R'.charCodeAt(0);
		writeFileSync(journal, bytes);
		const tampered = await runCliAsync(['evidence', 'verify', runDir], {cwd: work.dir});
		expect(tampered.stdout).toMatch(/TAMPERED: journal record \d+ \(line \d+\): sha256 mismatch/);
		expect(tampered.code).toBe(1);
	}, 90_000);
});
