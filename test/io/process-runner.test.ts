import {mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {runCommand} from '../../source/io/process-runner.js';

const node = process.execPath;
let folder: string;
const started: number[] = [];

beforeAll(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'cavra-runner-'));
});

afterEach(() => {
	// Whatever a test started in the background must not outlive it.
	for (const pid of started.splice(0)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// gone
		}
	}
});

const alive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, maxMs = 5000): Promise<void> {
	for (let waited = 0; waited < maxMs; waited += 50) {
		if (await check()) return;
		await new Promise(resolve => setTimeout(resolve, 50));
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('runCommand', () => {
	it('a successful command: exit 0, stdout tail, duration', async () => {
		const result = await runCommand([node, '-e', 'console.log("hello"); console.error("note")'], {timeoutMs: 10_000});
		expect(result).toMatchObject({ok: true, exitCode: 0, signal: null, timedOut: false, cancelled: false, stdoutTail: 'hello', stderrTail: 'note'});
		expect(result.error).toBeUndefined();
		expect(result.durationMs).toBeGreaterThanOrEqual(0);
	});

	it('a failing command is a result, not an exception', async () => {
		const result = await runCommand([node, '-e', 'console.error("Failed to restart cavra-api.service: Unit not found."); process.exit(5)'], {timeoutMs: 10_000});
		expect(result).toMatchObject({ok: false, exitCode: 5, timedOut: false, stderrTail: 'Failed to restart cavra-api.service: Unit not found.'});
		expect(result.error).toBeUndefined();
	});

	it('a missing binary says so', async () => {
		const result = await runCommand(['cavra-no-such-binary', 'restart'], {timeoutMs: 10_000});
		expect(result).toMatchObject({ok: false, exitCode: null, error: 'command not found: cavra-no-such-binary'});
	});

	it('a missing working folder is named as such (not as a missing command)', async () => {
		const result = await runCommand([node, '-e', '0'], {timeoutMs: 5000, cwd: path.join(folder, 'no-such-folder')});
		expect(result).toMatchObject({ok: false, error: `working folder not found: ${path.join(folder, 'no-such-folder')}`});
		expect((await runCommand([node, '-e', 'console.log(process.cwd())'], {timeoutMs: 5000, cwd: folder})).stdoutTail).toBe(folder);
	});

	it('an empty argv is an error result', async () => {
		expect(await runCommand([], {timeoutMs: 1000})).toMatchObject({ok: false, error: 'empty command'});
	});

	it('argv reaches the process verbatim: no shell, no expansion', async () => {
		const args = ['two words', `it's "quoted"`, '$HOME', '`id`', '; rm -rf /', '*', '--flag=a b'];
		const result = await runCommand([node, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args], {timeoutMs: 10_000});
		expect(JSON.parse(result.stdoutTail)).toEqual(args);
	});

	it('env is added to the inherited environment', async () => {
		const result = await runCommand([node, '-e', 'console.log(process.env.CAVRA_GO_BACKEND_MODE, typeof process.env.PATH)'], {timeoutMs: 10_000, env: {CAVRA_GO_BACKEND_MODE: 'disabled'}});
		expect(result.stdoutTail).toBe('disabled string');
	});

	it('a command hanging past its timeout is killed with its whole process tree', async () => {
		const pidFile = path.join(folder, 'grandchild.pid');
		// The child starts a grandchild in its own process group, then both hang.
		const script = `
			const {spawn} = require('node:child_process');
			const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'});
			require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(grandchild.pid));
			console.log('started');
			setInterval(() => {}, 1000);`;
		const result = await runCommand([node, '-e', script], {timeoutMs: 800, killGraceMs: 500});
		const grandchild = Number(await readFile(pidFile, 'utf8'));
		started.push(grandchild);
		expect(result).toMatchObject({ok: false, timedOut: true, exitCode: null, signal: 'SIGTERM', error: 'timed out after 0.8 s', stdoutTail: 'started'});
		expect(result.durationMs).toBeGreaterThanOrEqual(700);
		expect(result.durationMs).toBeLessThan(5000);
		await waitUntil(() => !alive(grandchild), 'the grandchild to die');
	});

	it('a command ignoring SIGTERM gets SIGKILL after the grace period', async () => {
		const script = `process.on('SIGTERM', () => console.log('ignoring SIGTERM')); console.log('up'); setInterval(() => {}, 1000);`;
		const result = await runCommand([node, '-e', script], {timeoutMs: 500, killGraceMs: 300});
		expect(result).toMatchObject({timedOut: true, signal: 'SIGKILL', ok: false});
		expect(result.stdoutTail).toBe('up\nignoring SIGTERM');
		expect(result.durationMs).toBeLessThan(5000);
	});

	it('aborting the signal cancels the command', async () => {
		const controller = new AbortController();
		const running = runCommand([node, '-e', 'console.log("up"); setInterval(() => {}, 1000)'], {timeoutMs: 20_000, signal: controller.signal, onLine: () => controller.abort()});
		const result = await running;
		expect(result).toMatchObject({cancelled: true, timedOut: false, ok: false, error: 'cancelled'});
		expect(result.durationMs).toBeLessThan(10_000);
		const already = await runCommand([node, '-e', '0'], {timeoutMs: 1000, signal: controller.signal});
		expect(already).toMatchObject({cancelled: true, error: 'cancelled before it started'});
	});

	it('a command that leaves a daemon holding its output returns when it exits', async () => {
		const pidFile = path.join(folder, 'daemon.pid');
		const script = `
			const {spawn} = require('node:child_process');
			const daemon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: ['ignore', 'inherit', 'inherit']});
			require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(daemon.pid));
			daemon.unref();
			console.log('restarted');
			process.exit(0);`;
		const result = await runCommand([node, '-e', script], {timeoutMs: 15_000});
		const daemon = Number(await readFile(pidFile, 'utf8'));
		started.push(daemon);
		expect(result).toMatchObject({ok: true, exitCode: 0, timedOut: false, stdoutTail: 'restarted'});
		expect(result.durationMs).toBeLessThan(10_000);
		// Not killed: restarting a service is allowed to leave it running.
		expect(alive(daemon)).toBe(true);
	});

	it('keeps only the last 40 lines and 8 KB of each stream', async () => {
		const many = await runCommand([node, '-e', 'for (let i = 1; i <= 5000; i++) console.log("line " + i)'], {timeoutMs: 10_000});
		const lines = many.stdoutTail.split('\n');
		expect(lines).toHaveLength(40);
		expect(lines.at(-1)).toBe('line 5000');
		expect(lines[0]).toBe('line 4961');
		const wide = await runCommand([node, '-e', 'for (let i = 0; i < 20; i++) console.log(String(i).padEnd(1000, "x"))'], {timeoutMs: 10_000});
		expect(Buffer.byteLength(wide.stdoutTail)).toBeLessThanOrEqual(8 * 1024);
		expect(wide.stdoutTail.split('\n').at(-1)).toMatch(/^19x+$/);
		const long = await runCommand([node, '-e', 'process.stdout.write("y".repeat(100000) + "END")'], {timeoutMs: 10_000});
		expect(Buffer.byteLength(long.stdoutTail)).toBeLessThanOrEqual(8 * 1024);
		expect(long.stdoutTail.endsWith('yEND')).toBe(true);
	});

	it('redacts secret env values and secret-looking patterns in tails, argv and live lines', async () => {
		const lines: string[] = [];
		const script = `
			console.log('token is ' + process.env.CAVRA_API_TOKEN);
			console.error('Authorization: Bearer abcdefghijklmnop');
			console.log('connecting to postgres://cavra:hunter2pass@db.example.com/cavra');
			console.log('password=hunter2 user=cavra');
			console.log('\\u001b[31mred\\u001b[0m');`;
		const result = await runCommand([node, '-e', script, '--', '--token', 'argv-token-123', 'DB_PASSWORD=pw-in-argv'], {
			timeoutMs: 10_000,
			env: {CAVRA_API_TOKEN: 'tok_live_0123456789'},
			onLine: line => lines.push(line),
		});
		const everything = [result.stdoutTail, result.stderrTail, ...result.argv, ...lines].join('\n');
		for (const secret of ['tok_live_0123456789', 'abcdefghijklmnop', 'hunter2pass', 'hunter2', 'argv-token-123', 'pw-in-argv']) expect(everything).not.toContain(secret);
		expect(result.stdoutTail).toBe('token is <redacted>\nconnecting to postgres://cavra:<redacted>@db.example.com/cavra\npassword=<redacted> user=cavra\nred');
		expect(result.stderrTail).toBe('Authorization: Bearer <redacted>');
		expect(result.argv.slice(-3)).toEqual(['--token', '<redacted>', 'DB_PASSWORD=<redacted>']);
		expect(lines).toContain('token is <redacted>');
	});

	it('hides values it is given whatever variable holds them (the API token under api.tokenEnv: X)', async () => {
		const lines: string[] = [];
		const result = await runCommand([node, '-e', 'console.log("X is " + process.env.X); console.error(process.argv[1])', 'opaque-token-value-42'], {
			timeoutMs: 10_000,
			env: {X: 'opaque-token-value-42'},
			secretValues: ['opaque-token-value-42'],
			onLine: line => lines.push(line),
		});
		expect([result.stdoutTail, result.stderrTail, ...result.argv, ...lines].join('\n')).not.toContain('opaque-token');
		expect(result.stdoutTail).toBe('X is <redacted>');
		expect(result.argv.at(-1)).toBe('<redacted>');
	});

	it('a file that is not executable says so', async () => {
		const file = path.join(folder, 'not-executable');
		await writeFile(file, '#!/bin/sh\necho hi\n', {mode: 0o644});
		const result = await runCommand([file], {timeoutMs: 5000});
		expect(result.ok).toBe(false);
		expect(result.error).toBe(`not executable (permission denied): ${file}`);
	});
});
