/*
 * What a rollback refuses to do, run as a user would (the built CLI, real files, no TTY): write
 * through a symbolic link or break a hard link (the env file or `author --out`), or run twice at
 * once in one evidence folder.
 */
import {spawnSync} from 'node:child_process';
import {chownSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {hostname} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {cliNode} from '../helpers/cli.js';
import {cleanEnv, cliPath, restartScript, runCliAsync, scratch, sleepScript, startCli, writeConfig} from '../fixtures/rollback/e2e.js';

let work: ReturnType<typeof scratch>;
let standIn: StandIn;
const node = process.execPath;

beforeEach(async () => {
	work = scratch('cavra-rollback-safety-');
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile});
});
afterEach(async () => {
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

const verifyUrl = () => `${standIn.url}/runtime/go-pilot/rollback-readiness`;
const apiService = () => `{name: api, kind: command, restart: ${JSON.stringify([node, restartScript, standIn.url])}, verify: {url: "${verifyUrl()}"}}`;

function config(envFiles: string[], services: string[] = [apiService()]): void {
	writeConfig(work.dir, [`plan: ./plan.json`, 'mode:', `  envFiles: ${JSON.stringify(envFiles)}`, 'evidence: {dir: ./evidence}', 'services:', ...services.map(service => `  - ${service}`)]);
}

async function mode(): Promise<string> {
	return ((await (await fetch(verifyUrl())).json()) as {mode: string}).mode;
}

const backups = (dir: string) => readdirSync(dir).filter(name => name.includes('.cavra-rollback.'));

describe('no writes through links', () => {
	it('an env file that is a symlink: exit 2 naming the link and its target; the target, the link and the service untouched; the other file still previewed', async () => {
		const real = path.join(work.dir, 'real.env');
		writeFileSync(real, 'CAVRA_GO_BACKEND_MODE=promoted\n');
		symlinkSync(real, path.join(work.dir, 'linked.env'));
		config(['./cavra.env', './linked.env']);
		const before = readFileSync(work.envFile, 'utf8');
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(result.code).toBe(2);
		const output = result.stdout + result.stderr;
		expect(output).toContain(`is a symbolic link (to ${real}); refusing to write through it`);
		// The other env file's change is still shown.
		expect(output).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		expect(readFileSync(real, 'utf8')).toBe('CAVRA_GO_BACKEND_MODE=promoted\n');
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(backups(work.dir)).toEqual([]);
		expect(await mode()).toBe('promoted');
	});

	it('an env file with a second hard link: exit 2 with the reason; both names keep their bytes', async () => {
		linkSync(work.envFile, path.join(work.dir, 'other-name.env'));
		config(['./cavra.env']);
		const before = readFileSync(work.envFile, 'utf8');
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(result.code).toBe(2);
		expect(result.stdout + result.stderr).toContain('has 2 hard links; replacing it would leave the other name with the old content');
		expect(readFileSync(path.join(work.dir, 'other-name.env'), 'utf8')).toBe(before);
		expect(backups(work.dir)).toEqual([]);
		expect(await mode()).toBe('promoted');
	});

	it.runIf(hasSetfacl())('an env file with an ACL: exit 2 naming the ACL, file and ACL kept', async () => {
		spawnSync('setfacl', ['-m', 'u:nobody:r', work.envFile]);
		config(['./cavra.env']);
		const before = readFileSync(work.envFile, 'utf8');
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(result.code).toBe(2);
		expect(result.stdout + result.stderr).toContain('has an ACL (system.posix_acl_access) that replacing the file would drop; refused');
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(spawnSync('getfacl', ['--omit-header', work.envFile], {encoding: 'utf8'}).stdout).toContain('user:nobody:r--');
		expect(backups(work.dir)).toEqual([]);
		expect(await mode()).toBe('promoted');
	});

	it('author --out to a symlink (even with --force): exit 2, the link target untouched', async () => {
		const real = path.join(work.dir, 'real-plan.json');
		writeFileSync(real, '{"keep": true}\n');
		symlinkSync(real, path.join(work.dir, 'out.json'));
		for (const args of [['author', '--template', 'standard', '--out', 'out.json'], ['author', '--template', 'standard', '--out', 'out.json', '--force']]) {
			const result = await runCliAsync(args, {cwd: work.dir});
			expect(result.code).toBe(2);
			expect(result.stderr).toContain(`is a symbolic link (to ${real}); refusing to write through it`);
		}
		expect(readFileSync(real, 'utf8')).toBe('{"keep": true}\n');
		expect(backups(work.dir)).toEqual([]);
		expect(existsSync(path.join(work.dir, 'out.json'))).toBe(true);
	});
});

describe('run as non-root', () => {
	const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

	it.runIf(canDropPrivileges)('an env file whose owner it cannot keep is reported at preflight, before any question; nothing written', async () => {
		config(['./cavra.env']);
		chownSync(work.dir, 65534, 65534);
		const before = readFileSync(work.envFile, 'utf8');
		const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cliNode, cliPath, 'rollback', '--yes'], {cwd: work.dir, env: cleanEnv(), encoding: 'utf8', timeout: 60_000});
		expect(result.status).toBe(2);
		expect(result.stdout + result.stderr).toContain(`${work.envFile}: is owned by uid 0; running as uid 65534, the rewritten file would belong to uid 65534, so it is refused`);
		expect(result.stderr).toContain('✖ Preflight');
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(backups(work.dir)).toEqual([]);
	});
});

describe('env files that cannot be edited safely', () => {
	it.each([
		['CR-only line endings', 'A=1\rCAVRA_GO_BACKEND_MODE=promoted\r', 'line 1: has a bare carriage return'],
		['a value ending in a backslash', '# ops\nCAVRA_GO_BACKEND_MODE=promoted\\\nOTHER=1\n', 'line 2: the value of CAVRA_GO_BACKEND_MODE ends in "\\"'],
		['shell syntax in the value', 'A=1\nB=2\nCAVRA_GO_BACKEND_MODE=promoted;echo\n', 'line 3: the value of CAVRA_GO_BACKEND_MODE holds shell syntax (";")'],
	])('%s: refused naming the file and line (exit 2, nothing written); the other file is still previewed', async (_name, text, message) => {
		const bad = path.join(work.dir, 'bad.env');
		writeFileSync(bad, text);
		config(['./cavra.env', './bad.env']);
		const before = readFileSync(work.envFile, 'utf8');
		const result = await runCliAsync(['rollback', '--dry-run'], {cwd: work.dir});
		expect(result.code).toBe(2);
		expect(result.stdout + result.stderr).toContain(`${bad}: line ${message.slice('line '.length)}`);
		expect(result.stdout).toContain(`${work.envFile}: mode now promoted`);
		expect(result.stdout).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		const yes = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(yes.code).toBe(2);
		expect(readFileSync(bad, 'utf8')).toBe(text);
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(backups(work.dir)).toEqual([]);
		expect(await mode()).toBe('promoted');
	});
});

describe('one run at a time per evidence folder', () => {
	const sleeperService = (ms: number) => `{name: slow, kind: command, restart: ${JSON.stringify([node, sleepScript, String(ms)])}}`;
	/** A restart held until `flag` exists: the second run is tried while the first surely still runs, however slow the machine. */
	const heldService = (name: string, flag: string) => `{name: ${name}, kind: command, restart: ${JSON.stringify([node, sleepScript, '60000', '--until', flag])}}`;
	const lockPath = () => path.join(work.dir, 'evidence', '.cavra-rollback.lock');

	it('a second rollback while one runs is refused at once naming its run, pid and start; the first finishes alone', async () => {
		const release = path.join(work.dir, 'release-first');
		config(['./cavra.env'], [heldService('slow', release)]);
		const first = startCli(['rollback', '--yes'], {cwd: work.dir});
		await first.waitForStderr('│ restarting for 60000 ms');
		const holder = JSON.parse(readFileSync(lockPath(), 'utf8')) as {pid: number; run_id: string; started_at: string};
		expect(holder.pid).toBe(first.child.pid);
		const second = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(second.code).toBe(2);
		expect(second.stderr).toContain(`another rollback is running in this evidence folder: run ${holder.run_id} (pid ${holder.pid}, started ${holder.started_at})`);
		expect(second.stderr).not.toContain('restarting for');
		// The hint continues the busy run with the config this invocation found, pasteable as printed.
		expect(second.stderr).toContain(`Then continue it: cavra-rollback --config ${path.join(work.dir, '.cavrarc.yaml')} rollback --resume ${holder.run_id}`);
		writeFileSync(release, '');
		const done = await first.done;
		expect(done.code).toBe(0);
		expect(runDirs()).toHaveLength(1);
		expect(existsSync(lockPath())).toBe(false);
	});

	it('SIGTERM while a restart runs: the run ends with its evidence and the lock is released', async () => {
		config(['./cavra.env'], [sleeperService(60_000)]);
		const run = startCli(['rollback', '--yes'], {cwd: work.dir});
		await run.waitForStderr('│ restarting for 60000 ms');
		expect(existsSync(lockPath())).toBe(true);
		run.child.kill('SIGTERM');
		const done = await run.done;
		expect(done.code).toBe(130);
		expect(existsSync(path.join(runDirs()[0]!, 'evidence.json'))).toBe(true);
		expect(existsSync(lockPath())).toBe(false);
	});

	it('a lock left by a process that is gone (kill -9) is taken over with a notice', async () => {
		config(['./cavra.env'], [apiService()]);
		const dead = spawnSync(node, ['-e', '0']).pid!;
		mkdirSync(path.join(work.dir, 'evidence'));
		writeFileSync(lockPath(), JSON.stringify({pid: dead, run_id: 'rb-20260101T120000Z-dead00', started_at: '2026-01-01T12:00:00.000Z', hostname: hostname()}));
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`!! Took over a stale lock: run rb-20260101T120000Z-dead00 (pid ${dead}, started 2026-01-01T12:00:00.000Z) is no longer running.`);
		expect(await mode()).toBe('disabled');
		expect(existsSync(lockPath())).toBe(false);
	});

	it('two --resume of one run at once: the second is refused, the journal stays one intact chain', async () => {
		config(['./cavra.env'], [`{name: broken, kind: command, restart: ${JSON.stringify([node, restartScript, standIn.url, '--exit', '1'])}}`]);
		const failed = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(failed.code).toBe(3);
		const [runDir] = runDirs();
		const runId = path.basename(runDir!);
		const release = path.join(work.dir, 'release-broken');
		config(['./cavra.env'], [heldService('broken', release)]);
		const first = startCli(['rollback', '--resume', runId, '--yes'], {cwd: work.dir});
		await first.waitForStderr('│ restarting for 60000 ms');
		const second = await runCliAsync(['rollback', '--resume', runId, '--yes'], {cwd: work.dir});
		expect(second.code).toBe(2);
		expect(second.stderr).toContain(`another rollback is running in this evidence folder: run ${runId} (pid ${first.child.pid}, started `);
		writeFileSync(release, '');
		expect((await first.done).code).toBe(0);
		const verify = await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir});
		expect(verify.code).toBe(0);
	});
});

describe('what a restart passes', () => {
	it('a command service that dumps its environment: the mode, PATH and HOME, and its passEnv; never the API token or other secrets', async () => {
		const dump = path.join(work.dir, 'restart-env.json');
		const dumper = [node, '-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))', dump];
		writeConfig(work.dir, [
			'plan: ./plan.json',
			'mode: {envFiles: [./cavra.env]}',
			`api: {url: "${standIn.url}", tokenEnv: CAVRA_API_TOKEN}`,
			'evidence: {dir: ./evidence}',
			'services:',
			`  - {name: dumper, kind: command, restart: ${JSON.stringify(dumper)}, passEnv: [AWS_PROFILE]}`,
		]);
		const env = {CAVRA_API_TOKEN: 'tok-e2e-5f1b9c0d7a3e', AWS_SECRET_ACCESS_KEY: 'aws-e2e-8d2c', AWS_PROFILE: 'prod', GITHUB_TOKEN: 'ghp-e2e-1234'};
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir, env});
		expect(result.code).toBe(0);
		const seen = JSON.parse(readFileSync(dump, 'utf8')) as Record<string, string>;
		expect(seen).toMatchObject({CAVRA_GO_BACKEND_MODE: 'disabled', AWS_PROFILE: 'prod', PATH: process.env['PATH']});
		expect(Object.keys(seen).every(name => ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR', 'AWS_PROFILE', 'CAVRA_GO_BACKEND_MODE'].includes(name))).toBe(true);
		const text = readFileSync(dump, 'utf8');
		for (const secret of Object.values(env).filter(value => value !== 'prod')) expect(text).not.toContain(secret);
	});
});

function runDirs(): string[] {
	const root = path.join(work.dir, 'evidence');
	return existsSync(root) ? readdirSync(root).filter(name => name.startsWith('rb-')).map(name => path.join(root, name)) : [];
}

function hasSetfacl(): boolean {
	return spawnSync('setfacl', ['--version']).status === 0 || process.env['CI'] === 'true';
}
