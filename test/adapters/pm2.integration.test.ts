/**
 * The pm2 adapter against a real pm2 (dev dependency), in a private PM2_HOME: a tiny node app is
 * started in mode `promoted`, restarted through the adapter, and must come back seeing
 * CAVRA_GO_BACKEND_MODE=disabled. Every wait is bounded; the pm2 daemon is killed afterwards.
 */
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {pm2Adapter} from '../../source/adapters/pm2.js';
import {runCommand, type CommandRunner} from '../../source/io/process-runner.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pm2Bin = path.join(repoRoot, 'node_modules', '.bin');
const NAME = 'cavra-rollback-test-api';

let home: string;
let stateFile: string;
let runner: CommandRunner;

interface AppState {
	pid: number;
	mode: string | null;
}

async function readState(): Promise<AppState | undefined> {
	try {
		return JSON.parse(await readFile(stateFile, 'utf8')) as AppState;
	} catch {
		return undefined;
	}
}

async function waitForState(check: (state: AppState) => boolean, what: string): Promise<AppState> {
	for (let attempt = 0; attempt < 150; attempt++) {
		const state = await readState();
		if (state && check(state)) return state;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(await readState())}`);
}

beforeAll(async () => {
	home = await mkdtemp(path.join(tmpdir(), 'cavra-pm2-'));
	stateFile = path.join(home, 'state.json');
	const app = path.join(home, 'app.cjs');
	// The app records the mode it sees at start, then stays up.
	await writeFile(
		app,
		`const fs = require('node:fs');
fs.writeFileSync(${JSON.stringify(stateFile)} + '.tmp', JSON.stringify({pid: process.pid, mode: process.env.CAVRA_GO_BACKEND_MODE ?? null}));
fs.renameSync(${JSON.stringify(stateFile)} + '.tmp', ${JSON.stringify(stateFile)});
setInterval(() => {}, 1000);
`,
	);
	const env = {PM2_HOME: path.join(home, '.pm2'), PATH: `${pm2Bin}${path.delimiter}${process.env['PATH'] ?? ''}`};
	runner = (argv, options) => runCommand(argv, {...options, env: {...options.env, ...env}});
	const started = await runner(['pm2', 'start', app, '--name', NAME], {timeoutMs: 30_000, env: {CAVRA_GO_BACKEND_MODE: 'promoted'}});
	expect(started.ok, `${started.error ?? ''} ${started.stderrTail}`).toBe(true);
	await waitForState(state => state.mode === 'promoted', 'the app to start in promoted mode');
}, 60_000);

afterAll(async () => {
	if (runner) await runner(['pm2', 'kill'], {timeoutMs: 20_000});
	if (home && existsSync(home)) await rm(home, {recursive: true, force: true});
}, 30_000);

describe('pm2 adapter against a real pm2', () => {
	it('restarts the process with CAVRA_GO_BACKEND_MODE=disabled in its environment', async () => {
		const before = await readState();
		const result = await pm2Adapter.restart({name: 'demo', kind: 'pm2', process: NAME}, {runner, timeoutMs: 30_000});
		expect(result.ok, result.detail).toBe(true);
		expect(result.commands[0]!.argv).toEqual(['pm2', 'restart', NAME, '--update-env']);
		const after = await waitForState(state => state.pid !== before?.pid, 'the restarted app');
		expect(after.mode).toBe('disabled');
	}, 60_000);

	it('an unknown process name fails with pm2 own words', async () => {
		const result = await pm2Adapter.restart({name: 'nope', kind: 'pm2', process: 'cavra-no-such-process'}, {runner, timeoutMs: 30_000});
		expect(result.ok).toBe(false);
		expect(result.detail).toMatch(/^pm2 restart cavra-no-such-process: exit 1/);
	}, 60_000);
});
