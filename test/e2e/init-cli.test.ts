import {spawn} from 'node:child_process';
import {lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {loadConfig} from '../../source/io/config.js';
import {cleanEnv, cliNode, cliPath, runCli} from '../helpers/cli.js';
import {expectNoRaw} from '../helpers/hostile.js';

const workdir = () => mkdtempSync(path.join(tmpdir(), 'cavra-init-cli-'));
const flags = ['--no-detect', '--mode-file', '/etc/cavra/cavra.env', '--systemd', 'cavra-api.service', '--api-url', 'http://127.0.0.1:8000', '--token-env', 'CAVRA_API_TOKEN'];

describe('cavra-rollback init', () => {
	it('without a terminal it asks nothing, writes a commented .cavrarc.yaml that our loader reads, and says what it wrote', async () => {
		const cwd = workdir();
		const result = runCli(['init', ...flags], {cwd});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('wrote .cavrarc.yaml');
		expect(result.stdout).toContain('services: cavra-api (systemd)');
		const file = path.join(cwd, '.cavrarc.yaml');
		const text = readFileSync(file, 'utf8');
		expect(text).toMatch(/^# /);
		expect(statSync(file).mode & 0o022).toBe(0);
		const {config, filepath} = await loadConfig({cwd, home: cwd});
		expect(filepath).toBe(file);
		expect(config).toEqual({
			mode: {envFiles: ['/etc/cavra/cavra.env']},
			services: [{name: 'cavra-api', kind: 'systemd', unit: 'cavra-api.service'}],
			api: {url: 'http://127.0.0.1:8000', tokenEnv: 'CAVRA_API_TOKEN'},
		});
		// The other commands read it as it is.
		expect(runCli(['readiness', '--json'], {cwd}).stderr).not.toContain('config');
	});

	it('never replaces a file without --force; --force keeps a backup; a link is refused', () => {
		const cwd = workdir();
		const file = path.join(cwd, '.cavrarc.yaml');
		writeFileSync(file, 'plan: ./mine.json\n');
		const refused = runCli(['init', ...flags], {cwd});
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain('.cavrarc.yaml already exists; not overwritten');
		expect(readFileSync(file, 'utf8')).toBe('plan: ./mine.json\n');
		const forced = runCli(['init', ...flags, '--force'], {cwd});
		expect(forced.code).toBe(0);
		expect(readFileSync(file, 'utf8')).toContain('cavra-api.service');
		const backups = readdirSync(cwd).filter(name => name.endsWith('.bak'));
		expect(backups).toHaveLength(1);
		expect(readFileSync(path.join(cwd, backups[0]!), 'utf8')).toBe('plan: ./mine.json\n');

		const linked = workdir();
		const elsewhere = path.join(linked, 'elsewhere.yaml');
		writeFileSync(elsewhere, 'x: 1\n');
		symlinkSync(elsewhere, path.join(linked, '.cavrarc.yaml'));
		const link = runCli(['init', ...flags, '--force'], {cwd: linked});
		expect(link.code).toBe(2);
		expect(link.stderr).toMatch(/link/);
		expect(readFileSync(elsewhere, 'utf8')).toBe('x: 1\n');
		expect(lstatSync(path.join(linked, '.cavrarc.yaml')).isSymbolicLink()).toBe(true);
	});

	it('--dry-run prints the file and writes nothing; --json reports what was detected and the config', () => {
		const cwd = workdir();
		const dry = runCli(['init', ...flags, '--dry-run'], {cwd});
		expect(dry.code).toBe(0);
		expect(dry.stdout).toContain('unit: "cavra-api.service"');
		expect(readdirSync(cwd)).toEqual([]);
		const json = runCli(['init', ...flags, '--dry-run', '--json'], {cwd});
		expect(json.code).toBe(0);
		const report = JSON.parse(json.stdout) as {path: string; written: boolean; detected: unknown; config: {services: unknown[]}};
		expect(report).toMatchObject({path: path.join(cwd, '.cavrarc.yaml'), written: false, detected: {envFiles: [], systemdUnits: [], notes: []}});
		expect(report.config.services).toHaveLength(1);
		const written = JSON.parse(runCli(['init', ...flags, '--json'], {cwd}).stdout) as {written: boolean};
		expect(written.written).toBe(true);
	});

	it('with detection on (this machine), --json --dry-run still answers with valid JSON and exit 0', () => {
		const result = runCli(['init', '--json', '--dry-run'], {cwd: workdir(), env: {CI: 'true'}});
		expect(result.code).toBe(0);
		expect(JSON.parse(result.stdout)).toHaveProperty('detected.notes');
	});

	it('refuses flag values it would write wrong: hidden characters, a URL the config refuses, a token in place of its name', () => {
		const cwd = workdir();
		const hidden = runCli(['init', '--no-detect', '--mode-file', '/etc/x\u001b[2J.env'], {cwd});
		expect(hidden.code).toBe(2);
		expect(hidden.stderr).toContain('\\x1b[2J');
		expectNoRaw(hidden.stderr);
		const url = runCli(['init', '--no-detect', '--api-url', 'http://user:pw@127.0.0.1:8000'], {cwd});
		expect(url.code).toBe(2);
		expect(url.stderr).toContain('not written');
		expect(url.stderr).toContain('api.url');
		expect(url.stderr).not.toContain('pw@');
		const token = runCli(['init', '--no-detect', '--api-url', 'http://127.0.0.1:8000', '--token-env', 'ghp_abcdefghijklmnop-1234'], {cwd});
		expect(token.code).toBe(2);
		expect(readdirSync(cwd)).toEqual([]);
	});
});

describe('two init runs at the same instant', () => {
	const barrierHook = fileURLToPath(new URL('../fixtures/init/barrier.mjs', import.meta.url));

	/** Start `runs` in separate processes that pass a barrier together, then wait for all. */
	async function together(cwd: string, runs: string[][]): Promise<Array<{code: number | null; stdout: string; stderr: string}>> {
		const barrier = mkdtempSync(path.join(tmpdir(), 'cavra-init-barrier-'));
		const env = cleanEnv({CAVRA_TEST_BARRIER: `${barrier} ${runs.length}`});
		const children = runs.map(args => {
			const child = spawn(cliNode, ['--import', barrierHook, cliPath, 'init', ...args], {cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
			child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
			return new Promise<{code: number | null; stdout: string; stderr: string}>(resolve => child.on('close', code => resolve({code, stdout, stderr})));
		});
		const results = await Promise.all(children);
		rmSync(barrier, {recursive: true, force: true});
		return results;
	}

	it('without --force exactly one writes the file; the other says it now exists and how to overwrite (exit 2)', async () => {
		// A few rounds: each must end with one file, one success and one refusal, whoever wins.
		for (let round = 0; round < 3; round++) {
			const cwd = workdir();
			const results = await together(cwd, [
				[...flags, '--api-url', 'http://127.0.0.1:8001'],
				[...flags, '--api-url', 'http://127.0.0.1:8002'],
			]);
			const codes = results.map(result => result.code).sort();
			expect(codes, results.map(result => result.stderr).join('\n')).toEqual([0, 2]);
			const winner = results.findIndex(result => result.code === 0);
			const loser = results[1 - winner]!;
			expect(loser.stderr).toContain('.cavrarc.yaml already exists');
			expect(loser.stderr).toContain('not overwritten');
			expect(loser.stderr).toContain('--force');
			expect(readdirSync(cwd)).toEqual(['.cavrarc.yaml']);
			expect(readFileSync(path.join(cwd, '.cavrarc.yaml'), 'utf8')).toContain(`http://127.0.0.1:800${winner + 1}`);
		}
	});

	it('with --force both replace in turn: each backs up the file it replaced, so no one\'s file is lost', async () => {
		const cwd = workdir();
		const file = path.join(cwd, '.cavrarc.yaml');
		writeFileSync(file, 'plan: ./mine.json\n');
		const results = await together(cwd, [
			[...flags, '--force', '--api-url', 'http://127.0.0.1:8001'],
			[...flags, '--force', '--api-url', 'http://127.0.0.1:8002'],
		]);
		expect(results.map(result => result.code), results.map(result => result.stderr).join('\n')).toEqual([0, 0]);
		const names = readdirSync(cwd);
		const backups = names.filter(name => name.endsWith('.bak'));
		expect(names.filter(name => !name.endsWith('.bak'))).toEqual(['.cavrarc.yaml']);
		expect(backups).toHaveLength(2);
		const kept = backups.map(name => readFileSync(path.join(cwd, name), 'utf8'));
		const final = readFileSync(file, 'utf8');
		// The original and the first writer's file are in the backups; the second writer's is the file.
		expect(kept).toContain('plan: ./mine.json\n');
		const [first, second] = final.includes('8001') ? ['8002', '8001'] : ['8001', '8002'];
		expect(final).toContain(`http://127.0.0.1:${second}`);
		expect(kept.some(text => text.includes(`http://127.0.0.1:${first}`))).toBe(true);
	});
});

describe('did you mean', () => {
	it('a mistyped command exits 2 and names the closest one; a far one lists them all', () => {
		const typo = runCli(['lnt']);
		expect(typo.code).toBe(2);
		expect(typo.stderr).toContain('unknown command "lnt"; did you mean "lint"?');
		const far = runCli(['frobnicate']);
		expect(far.code).toBe(2);
		expect(far.stderr).not.toContain('did you mean');
		expect(far.stderr).toContain('commands: author, lint');
	});

	it('a mistyped global option names the closest one', () => {
		const result = runCli(['--confg', 'x.yaml', 'lint']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('unknown global option --confg; did you mean --config?');
	});

	it("a mistyped option keeps commander's suggestion on the same line", () => {
		const result = runCli(['templates', '--jsn']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain("unknown option '--jsn'; did you mean --json?");
	});
});
