/*
 * What a rollback refuses to do, run as a user would (the built CLI, real files, no TTY): write
 * through a symbolic link or break a hard link (the env file or `author --out`).
 */
import {existsSync, linkSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {restartScript, runCliAsync, scratch, writeConfig} from '../fixtures/rollback/e2e.js';

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
