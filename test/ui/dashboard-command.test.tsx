import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {run} from '../../source/commands/dashboard.js';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {demoCavraEnv, ensureDemoState, writeDemoConfig} from '../../source/demo/setup.js';
import {FakeStdin, FakeStdout, strip} from './dashboard-harness.js';

/**
 * The command's interactive path in-process: TTY streams → Ink screen, the sources started after
 * the first frame, the stand-in API polled, `q` quits with 0 and everything stops. Waits on what
 * the stand-in saw, not on frames, so it holds with CI set (Ink then writes only the last frame).
 */

let dir: string;
let api: StandIn;
let configPath: string;

// An operator's terminal: Ink must draw every frame (with CI set it writes only the last one), and it
// loads lazily inside run(), so CI is unset for this file (and put back after it).
const ciBefore = process.env['CI'];
beforeAll(() => {
	delete process.env['CI'];
});
afterAll(() => {
	if (ciBefore !== undefined) process.env['CI'] = ciBefore;
});

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-dashboard-command-'));
	configPath = await ensureDemoState(dir, {reset: true});
	api = await startStandIn({
		port: 0,
		env: demoCavraEnv(dir),
	});
	await writeDemoConfig(configPath, {url: api.url});
});

afterAll(async () => {
	await api.close();
	rmSync(dir, {recursive: true, force: true});
});

/** The command in-process with TTY streams; `keys` presses one key at a time once `when` shows on screen. */
function start(options: {configPath: string; cwd: string}) {
	const stdout = new FakeStdout(100, 30);
	const stdin = new FakeStdin();
	const env: NodeJS.ProcessEnv = {...process.env, CAVRA_GO_BACKEND_MODE: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined};
	delete env['CI'];
	const done = run({
		argv: ['--interval', '0.2'],
		globals: {configPath: options.configPath, color: false},
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
		env,
		cwd: options.cwd,
	});
	const screen = () => strip(stdout.frames.join(''));
	const waitFor = async (text: string, from = 0) => {
		for (let i = 0; i < 400 && !screen().slice(from).includes(text); i++) await new Promise(resolve => setTimeout(resolve, 25));
		expect(screen().slice(from)).toContain(text);
	};
	return {stdin, done, screen, waitFor};
}

describe('dashboard command in a terminal', () => {
	it('renders the screen, polls the API, and quits with 0 on q', async () => {
		const stdout = new FakeStdout(80, 24);
		const stdin = new FakeStdin();
		const env: NodeJS.ProcessEnv = {...process.env, CAVRA_GO_BACKEND_MODE: undefined};
		delete env['CI'];
		const done = run({
			argv: ['--interval', '0.2'],
			globals: {configPath, color: false},
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
			env,
			cwd: dir,
		});
		// Two rounds of polling: the screen has had the answers for a while.
		for (let i = 0; i < 400 && (api.requests.get('/runtime/go-pilot/rollback-readiness') ?? 0) < 3; i++) await new Promise(resolve => setTimeout(resolve, 25));
		expect(api.requests.get('/runtime/go-pilot/rollback-readiness')).toBeGreaterThanOrEqual(3);
		await new Promise(resolve => setTimeout(resolve, 300));
		stdin.write('q');
		await expect(done).resolves.toBe(0);
		const screen = strip(stdout.frames.join(''));
		expect(screen).toContain('cavra-rollback dashboard');
		expect(screen).toContain('READY');
		expect(screen).toContain('mode promoted · production ready · controls pass');
		// Stopped: no more requests after quitting. A request already on the wire when `q` arrived may
		// still be counted by the stand-in once its bytes are read, so settle one poll interval first.
		await new Promise(resolve => setTimeout(resolve, 250));
		const after = api.requests.get('/runtime/go-pilot/rollback-readiness');
		await new Promise(resolve => setTimeout(resolve, 500));
		expect(api.requests.get('/runtime/go-pilot/rollback-readiness')).toBe(after);
	});
});

describe('dashboard command with an unusable config', () => {
	it('b then Esc at the confirmation: nothing changes and the dashboard is back; q then ends it', async () => {
		const envFile = path.join(dir, 'cavra.env');
		const before = readFileSync(envFile, 'utf8');
		const app = start({configPath, cwd: dir});
		await app.waitFor('READY');
		await new Promise(resolve => setTimeout(resolve, 200));
		app.stdin.write('b');
		await app.waitFor('Type disable and press Enter');
		const mark = app.screen().length;
		app.stdin.write('\u001B');
		await app.waitFor('cavra-rollback dashboard', mark);
		await app.waitFor('READY', mark);
		await new Promise(resolve => setTimeout(resolve, 200));
		app.stdin.write('q');
		await expect(app.done).resolves.toBe(0);
		expect(readFileSync(envFile, 'utf8')).toBe(before);
	}, 30_000);

	it('quitting a NEEDS ATTENTION dashboard ends with its verdict (exit 1), as --once would', async () => {
		const other = path.join(dir, 'needs-attention.yaml');
		writeFileSync(other, 'plan: ./no-such-plan.json\nmode:\n  envFiles: [./cavra.env]\n');
		const app = start({configPath: other, cwd: dir});
		await app.waitFor('NEEDS ATTENTION');
		await new Promise(resolve => setTimeout(resolve, 200));
		app.stdin.write('q');
		await expect(app.done).resolves.toBe(1);
	}, 30_000);

	it('closes the screen and throws the config error (exit 2) once Ink has let go', async () => {
		const bad = path.join(dir, 'insecure.yaml');
		const {writeFileSync} = await import('node:fs');
		writeFileSync(bad, 'api:\n  url: "http://cavra.example.com:8000"\n');
		const stdout = new FakeStdout(80, 24);
		const stdin = new FakeStdin();
		const env: NodeJS.ProcessEnv = {...process.env};
		delete env['CI'];
		const done = run({
			argv: [],
			globals: {configPath: bad, color: false},
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
			env,
			cwd: dir,
		});
		await expect(done).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('plain http:// to cavra.example.com is refused') as unknown});
		expect(stdin.listenerCount('readable')).toBe(0);
		expect(strip(stdout.frames.join(''))).toContain('reading the config…');
	});
});
