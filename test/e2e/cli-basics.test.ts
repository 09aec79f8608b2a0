import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import {describe, expect, it} from 'vitest';
import {cliNode, repoRoot, runCli} from '../helpers/cli.js';

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string}).version;

describe('cavra-rollback basics', () => {
	it('--version prints the package version', () => {
		expect(runCli(['--version'])).toMatchObject({code: 0, stdout: `${version}\n`});
		expect(runCli(['-V']).stdout).toBe(`${version}\n`);
	});

	it('--help lists every command and the exit codes; no command without a TTY prints help', () => {
		for (const args of [['--help'], [], ['help']]) {
			const result = runCli(args);
			expect(result.code).toBe(0);
			expect(result.stdout).toContain('Usage: cavra-rollback');
			expect(result.stdout).toContain('lint');
			expect(result.stdout).toContain('Exit codes');
		}
	});

	it('every command answers --help', () => {
		for (const command of ['lint', 'templates', 'schema']) {
			const result = runCli([command, '--help']);
			expect(result.code, command).toBe(0);
			expect(result.stdout, command).toContain(`cavra-rollback ${command}`);
		}
	});

	it('an unknown command or option exits 2 with a hint and no stack trace', () => {
		const unknown = runCli(['frobnicate']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('unknown command "frobnicate"');
		const option = runCli(['--frob']);
		expect(option.code).toBe(2);
		expect(option.stderr).not.toMatch(/\n\s+at /);
	});

	it('templates lists names with a description and prints one verbatim', () => {
		const list = runCli(['templates']);
		expect(list.code).toBe(0);
		for (const name of ['standard', 'api-service', 'ci-runner', 'workstation']) expect(list.stdout).toMatch(new RegExp(`^${name}\\s+\\S`, 'm'));
		const one = runCli(['templates', 'api-service']);
		expect(one.stdout).toBe(readFileSync(path.join(repoRoot, 'templates/api-service.json'), 'utf8'));
		const json = JSON.parse(runCli(['templates', '--json']).stdout) as Array<{name: string; description: string}>;
		expect(json.every(entry => entry.description.length > 10)).toBe(true);
		const missing = runCli(['templates', 'nope']);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toContain('templates: api-service, ci-runner, standard, workstation');
	});

	it('schema prints a draft 2020-12 JSON Schema that accepts every template', () => {
		const result = runCli(['schema']);
		expect(result.code).toBe(0);
		const schema = JSON.parse(result.stdout) as {$schema: string};
		expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
		const validate = new Ajv2020.default({strict: false}).compile(schema);
		for (const name of ['standard', 'api-service', 'ci-runner', 'workstation']) {
			expect(validate(JSON.parse(readFileSync(path.join(repoRoot, `templates/${name}.json`), 'utf8'))), name).toBe(true);
		}
		expect(validate({schema_version: 'cavra.go-backend-rollback-plan.v1'})).toBe(false);
	});
});

describe('non-interactive commands never load ink or react', () => {
	it.each([
		[['--help']],
		[['--version']],
		[['lint', '--format', 'json', 'templates/standard.json']],
		[['lint', 'templates/standard.json']],
		[['lint', '--format', 'sarif', 'templates/standard.json']],
		[['schema']],
		[['templates']],
		[['templates', 'standard']],
		[[]],
	])('%j', args => {
		const result = runCli(args, {watchUi: true});
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		expect(result.code).toBe(0);
	});

	it('lint where no config file exists loads no config parser and none of the slow CommonJS entries', () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'cavra-cold-'));
		const result = runCli(['lint', '--format', 'json', path.join(repoRoot, 'templates/standard.json')], {watchUi: true, cwd});
		expect(result.code).toBe(0);
		expect(result.stderr).not.toContain('LOADED-SLOW-ENTRY');
		// A JSON config needs no YAML parser, and superstruct still comes from its ESM build.
		writeFileSync(path.join(cwd, '.cavrarc.json'), '{"plan": "plan.json"}');
		const configured = runCli(['lint', '--format', 'json', path.join(repoRoot, 'templates/standard.json')], {watchUi: true, cwd});
		expect(configured.code).toBe(0);
		expect(configured.stderr).not.toContain('LOADED-SLOW-ENTRY');
		// The YAML parser is loaded only when a YAML config is found.
		const yamlCwd = mkdtempSync(path.join(tmpdir(), 'cavra-cold-'));
		writeFileSync(path.join(yamlCwd, '.cavrarc.yaml'), 'plan: plan.json\n');
		const yamlConfigured = runCli(['lint', '--format', 'json', path.join(repoRoot, 'templates/standard.json')], {watchUi: true, cwd: yamlCwd});
		expect(yamlConfigured.code).toBe(0);
		expect(yamlConfigured.stderr).toContain('LOADED-SLOW-ENTRY yaml');
		expect(yamlConfigured.stderr).not.toContain('LOADED-SLOW-ENTRY superstruct');
	});

	it('the watcher itself works: it sees ink when something loads it', () => {
		const register = path.join(repoRoot, 'test/helpers/no-ui/register.mjs');
		const result = spawnSync(cliNode, ['--import', register, '--input-type=module', '-e', "await import('ink')"], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, CI: 'true'}});
		expect(result.stderr).toContain('LOADED-UI-MODULE ink');
	});
});
