import {mkdtempSync, rmSync} from 'node:fs';
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
