/**
 * `cavra-rollback evidence verify`: the command module with a fake context (fast, always), and
 * end to end through the shipped CLI (the bundle `npm run build` writes).
 */
import {spawnSync} from 'node:child_process';
import {mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {isCavraError, SilentExit} from '../../source/core/errors.js';
import {run} from '../../source/commands/evidence.js';
import type {CommandContext} from '../../source/commands/context.js';
import {makeBundle, RUN_ID} from '../io/support/evidence.js';
import {assertBuilt, cliPath} from '../helpers/cli.js';

const cli = cliPath;

let dir: string;
let runDir: string;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-evidence-cmd-'));
	runDir = path.join(dir, RUN_ID);
});

async function tamperLine7(): Promise<void> {
	const file = path.join(runDir, 'journal.ndjson');
	const lines = (await readFile(file, 'utf8')).split('\n');
	lines[6] = lines[6]!.replace('"phase":"before"', '"phase":"after"');
	await writeFile(file, lines.join('\n'));
}

/** Run the command module in-process; expected failures come back as their exit code and message. */
async function runModule(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += chunk));
	stderr.on('data', chunk => (err += chunk));
	const context: CommandContext = {argv, globals: {color: false}, stdin: new PassThrough(), stdout, stderr, env: {}, cwd: dir};
	let code: number;
	try {
		code = await run(context);
	} catch (error) {
		if (!isCavraError(error)) throw error;
		if (!(error instanceof SilentExit)) err += `cavra-rollback: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`;
		code = error.exitCode;
	}
	return {code, stdout: out, stderr: err};
}

describe('evidence command module', () => {
	it('intact: exit 0 and one line', async () => {
		await makeBundle(dir);
		const result = await runModule(['verify', runDir]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^intact: 14 journal records, 5 files, head sha256 [0-9a-f]{64}\nsignature: unsigned \(no evidence\.json\.sig: the bundle is unsigned\)\n$/);
	});

	it('tampered: exit 1 naming the first bad record', async () => {
		await makeBundle(dir);
		await tamperLine7();
		const result = await runModule(['verify', path.join(runDir, 'evidence.json')]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('TAMPERED: journal record 7 (line 7): sha256 mismatch\nsignature: unsigned (no evidence.json.sig: the bundle is unsigned)\n');
	});

	it('--json', async () => {
		await makeBundle(dir);
		const result = await runModule(['verify', runDir, '--json']);
		expect(result.code).toBe(0);
		const json = JSON.parse(result.stdout);
		expect(json).toMatchObject({
			schema_version: 'cavra-rollback.evidence-verify.v1',
			result: 'intact',
			run_id: RUN_ID,
			journal: {records: 14, sealed_records: 13},
			files: 5,
			signature: {status: 'unsigned', signer: null, reason: 'no evidence.json.sig: the bundle is unsigned'},
			first_bad: null,
			problems: [],
		});
	});

	it('a fresh bundle has no note; files added later are noted, escapes shown', async () => {
		await makeBundle(dir);
		expect((await runModule(['verify', runDir])).stdout).not.toContain('note');
		await writeFile(path.join(runDir, 'stray\u001b[2J.txt'), 'x');
		const result = await runModule(['verify', runDir]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('note: not listed in evidence.json: stray\\x1b[2J.txt');
		expect(result.stdout).not.toContain('\u001b');
	});

	it('a record after the closing one is tampering, named by record', async () => {
		await makeBundle(dir, {trailing: 1});
		const result = await runModule(['verify', runDir]);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain("TAMPERED: journal record 15 (line 15): written after evidence.json was sealed and not the evidence step's closing record (closing after)");
	});

	it('list: newest first as a table, and as JSON; --dir or evidence.dir', async () => {
		await makeBundle(dir);
		const broken = path.join(dir, 'rb-20251231T000000Z-000001');
		await mkdir(broken);
		await writeFile(path.join(broken, 'evidence.json'), '{');
		const text = await runModule(['list', '--dir', dir]);
		expect(text.code).toBe(0);
		expect(text.stdout.split('\n')).toEqual([
			'RUN                         KIND      RESULT      STARTED                   DURATION  SIGNED',
			`${RUN_ID}  rollback  recovered   2026-01-01T12:00:00.000Z  14.0 s    unsigned`,
			'rb-20251231T000000Z-000001  -         unreadable  -                         -         unsigned',
			'',
		]);
		await writeFile(path.join(dir, '.cavrarc.yaml'), 'evidence: {dir: .}\n');
		const json = JSON.parse((await runModule(['list', '--json'])).stdout);
		expect(json).toEqual({
			schema_version: 'cavra-rollback.evidence-list.v1',
			dir,
			runs: [
				{id: RUN_ID, path: runDir, kind: 'rollback', result: 'recovered', started_at: '2026-01-01T12:00:00.000Z', ended_at: '2026-01-01T12:00:14.000Z', duration_seconds: 14, signed: false},
				{id: 'rb-20251231T000000Z-000001', path: broken, kind: null, result: 'unreadable', started_at: null, ended_at: null, duration_seconds: null, signed: false, reason: 'evidence.json is not valid JSON'},
			],
		});
		expect((await runModule(['list', '--dir', path.join(dir, 'none')])).stdout).toBe(`no runs in ${path.join(dir, 'none')}\n`);
	});

	it('verify without a path takes the latest run and says which on stderr', async () => {
		await makeBundle(dir);
		await writeFile(path.join(dir, '.cavrarc.yaml'), 'evidence: {dir: .}\n');
		const result = await runModule(['verify']);
		expect(result.code).toBe(0);
		expect(result.stderr).toBe(`verifying the latest run: ${RUN_ID} (${dir})\n`);
		expect(result.stdout).toMatch(/^intact: /);
		const none = await runModule(['verify', '--dir', path.join(dir, 'none')]);
		expect(none.code).toBe(2);
		expect(none.stderr).toContain(`no runs in ${path.join(dir, 'none')} to verify`);
	});

	it('unreadable path and usage errors: exit 2 with a hint', async () => {
		const missing = await runModule(['verify', path.join(dir, 'nope')]);
		expect(missing).toMatchObject({code: 2, stdout: ''});
		expect(missing.stderr).toContain('no such file or folder');
		expect((await runModule([])).code).toBe(2);
		expect((await runModule(['frobnicate'])).code).toBe(2);
		const help = await runModule(['verify', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('Exit codes: 0 intact, 1 tampered or signature not valid');
	});
});

describe('cavra-rollback evidence verify (built CLI)', () => {
	beforeAll(assertBuilt);

	const cavra = (args: string[]) => {
		const result = spawnSync(process.execPath, [cli, ...args], {cwd: dir, encoding: 'utf8', timeout: 20_000, env: {...process.env, NO_COLOR: '1'}});
		return {code: result.status, stdout: result.stdout, stderr: result.stderr};
	};

	it('exit 0 intact, 1 tampered, 2 unreadable; --help', async () => {
		await makeBundle(dir);
		const intact = cavra(['evidence', 'verify', runDir]);
		expect(intact.code, intact.stderr).toBe(0);
		expect(intact.stdout).toMatch(/^intact: 14 journal records, 5 files, head sha256 [0-9a-f]{64}\nsignature: unsigned/);

		await tamperLine7();
		const tampered = cavra(['evidence', 'verify', runDir]);
		expect(tampered).toMatchObject({code: 1, stdout: 'TAMPERED: journal record 7 (line 7): sha256 mismatch\nsignature: unsigned (no evidence.json.sig: the bundle is unsigned)\n'});

		const missing = cavra(['evidence', 'verify', path.join(dir, 'nope')]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toBe(`cavra-rollback: ${path.join(dir, 'nope')}: no such file or folder\n  give the run folder (<evidence.dir>/<run-id>) or its evidence.json\n`);
		expect(missing.stderr).not.toMatch(/\bat .+:\d+:\d+/);

		const help = cavra(['evidence', '--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toContain('verify');
		const json = cavra(['evidence', 'verify', runDir, '--json']);
		expect(json.code).toBe(1);
		expect(JSON.parse(json.stdout).first_bad).toEqual({kind: 'journal', file: 'journal.ndjson', line: 7, record: 7, reason: 'sha256 mismatch'});
	});
});
