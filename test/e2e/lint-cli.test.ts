import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Ajv4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import {describe, expect, it} from 'vitest';
import {repoRoot, runCli} from '../helpers/cli.js';

const templates = ['standard', 'api-service', 'ci-runner', 'workstation'];
const githubToken = 'ghp_R4nd0mT0kenV4lueF0rTest1ngXyZ12345678';

function tempDir(): string {
	return mkdtempSync(path.join(tmpdir(), 'cavra-lint-'));
}

function planWithStep(step: string): string {
	const plan = JSON.parse(readFileSync(path.join(repoRoot, 'templates/standard.json'), 'utf8')) as {rollback_steps: string[]};
	plan.rollback_steps.push(step);
	return `${JSON.stringify(plan, null, 2)}\n`;
}

describe('cavra-rollback lint', () => {
	it.each(templates)('template %s lints clean with exit 0', name => {
		const result = runCli(['lint', `templates/${name}.json`]);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('✔ 1 file clean');
		expect(result.code).toBe(0);
	});

	it('reports a planted secret with exit 1 and never prints it, in any format', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, planWithStep(`Export GITHUB_TOKEN=${githubToken} before restarting.`));
		for (const format of ['text', 'json', 'sarif']) {
			const result = runCli(['lint', '--format', format, file]);
			expect(result.code, format).toBe(1);
			expect(result.stdout + result.stderr, format).not.toContain(githubToken.slice(4, 24));
			expect(result.stdout, format).toMatch(/public-safety\//);
		}
	});

	it('flags a live secret of this machine pasted into the plan, whatever its shape (api.tokenEnv under any name), and never prints it', () => {
		const dir = tempDir();
		const token = 'zq81Lr0xVbN3kd7Q';
		writeFileSync(path.join(dir, '.cavrarc.yaml'), 'api:\n  url: http://127.0.0.1:1\n  tokenEnv: MY_CAVRA_BEARER\n');
		writeFileSync(path.join(dir, 'plan.json'), planWithStep(`Restart the API, then check it answers with ${token} set.`));
		const env = {MY_CAVRA_BEARER: token};
		for (const format of ['text', 'json', 'sarif']) {
			const result = runCli(['lint', '--format', format, 'plan.json'], {cwd: dir, env});
			expect(result.code, format).toBe(1);
			expect(result.stdout, format).toContain('public-safety/known-secret-value');
			expect(result.stdout + result.stderr, format).not.toContain(token);
		}
		// The same plan on a machine that does not hold that secret: no pattern knows its shape.
		const elsewhere = runCli(['lint', 'plan.json'], {cwd: dir, env: {MY_CAVRA_BEARER: undefined}});
		expect(elsewhere.stdout).not.toContain('known-secret-value');
		expect(elsewhere.code).toBe(0);
	});

	it('a file it cannot read is named with any secret value of the environment masked', () => {
		const token = 'zq81Lr0xVbN3kd7Q';
		const result = runCli(['lint', `/nonexistent/${token}.json`], {env: {CAVRA_API_TOKEN: token}});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('/nonexistent/<redacted>.json: no such file');
		expect(result.stdout + result.stderr).not.toContain(token);
	});

	it('text output reads like a compiler: file:line:column severity rule message', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, readFileSync(path.join(repoRoot, 'templates/standard.json'), 'utf8').replace('"target_mode": "disabled"', '"target_mode": "DISABLED"'));
		const result = runCli(['lint', file]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(new RegExp(`^${file.replaceAll('/', '\\/')}:5:18  error    schema/target-mode  target_mode must be "disabled"`, 'm'));
		expect(result.stdout).toContain('✖ 1 error, 0 warnings in 1 file');
	});

	it('--format json prints only the lint-report.v1 document', () => {
		const result = runCli(['lint', '--format', 'json', 'templates/standard.json', 'templates/ci-runner.json']);
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as {schema_version: string; ok: boolean; files: Array<{path: string; ok: boolean; findings: unknown[]}>; summary: unknown};
		expect(report.schema_version).toBe('cavra-rollback.lint-report.v1');
		expect(report.ok).toBe(true);
		expect(report.files.map(file => file.path)).toEqual(['templates/standard.json', 'templates/ci-runner.json']);
		expect(report.summary).toEqual({files: 2, errors: 0, warnings: 0, suppressed: 0});
	});

	it('json findings carry rule, category, severity, message, pointer, line and column', () => {
		const result = runCli(['lint', '--format', 'json', '-'], {input: '{\n  "approved": false,\n  "approved": true\n}\n'});
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout) as {files: Array<{path: string; findings: Array<Record<string, unknown>>}>};
		expect(report.files[0]!.path).toBe('-');
		const duplicate = report.files[0]!.findings.find(finding => finding['rule'] === 'syntax/duplicate-key');
		expect(duplicate).toEqual({
			rule: 'syntax/duplicate-key',
			category: 'syntax',
			severity: 'error',
			message: expect.stringContaining('duplicate key "approved"'),
			pointer: '/approved',
			line: 3,
			column: 3,
		});
	});

	it('--format sarif is a valid SARIF 2.1.0 log with rule metadata', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, planWithStep(`curl -H "Authorization: Bearer ${githubToken}" http://10.20.30.40/api`));
		const result = runCli(['lint', '--format', 'sarif', file], {cwd: dir});
		expect(result.code).toBe(1);
		const log = JSON.parse(result.stdout) as {version: string; runs: Array<{tool: {driver: {rules: Array<{id: string}>}}; results: Array<{ruleId: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}; region: {startLine: number}}}>}>}>};
		const schema = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
		const ajv = new Ajv4.default({allErrors: true, strict: false, unicodeRegExp: false});
		addFormats.default(ajv);
		const validate = ajv.compile(schema);
		expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
		expect(log.version).toBe('2.1.0');
		const run = log.runs[0]!;
		expect(run.tool.driver.rules.some(rule => rule.id === 'schema/missing-control')).toBe(true);
		expect(run.results.length).toBeGreaterThan(0);
		for (const sarifResult of run.results) {
			expect(run.tool.driver.rules.some(rule => rule.id === sarifResult.ruleId)).toBe(true);
			expect(sarifResult.locations[0]!.physicalLocation.artifactLocation.uri).toBe('plan.json');
			expect(sarifResult.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(1);
		}
	});

	it('without FILE lints the configured plan, then $CAVRA_GO_ROLLBACK_PLAN, else exits 2 saying how', () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'plan.json'), readFileSync(path.join(repoRoot, 'templates/standard.json')));
		writeFileSync(path.join(dir, '.cavrarc.json'), JSON.stringify({plan: './plan.json'}));
		expect(runCli(['lint'], {cwd: dir}).stdout).toContain('plan.json');
		const fromEnv = runCli(['lint'], {cwd: tempDir(), env: {CAVRA_GO_ROLLBACK_PLAN: path.join(dir, 'plan.json')}});
		expect(fromEnv.code).toBe(0);
		const none = runCli(['lint'], {cwd: tempDir()});
		expect(none.code).toBe(2);
		expect(none.stderr).toContain('no plan to lint');
		expect(none.stderr).toContain('CAVRA_GO_ROLLBACK_PLAN');
	});

	it('exits 2 for an unreadable file, after linting the readable ones', () => {
		const result = runCli(['lint', 'templates/standard.json', 'does-not-exist.json', 'templates']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('does-not-exist.json: no such file');
		expect(result.stderr).toContain('templates: is a directory');
		expect(result.stdout).toContain('templates/standard.json');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it('binary input is a finding, not a crash', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x00, 0xfe, 0x22, 0x7d]));
		const result = runCli(['lint', '--format', 'json', file]);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout) as {files: Array<{findings: Array<{rule: string}>}>};
		expect(report.files[0]!.findings.map(finding => finding.rule)).toContain('syntax/invalid-utf8');
	});

	it('lint.allow suppresses a reviewed finding by rule and fingerprint', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, planWithStep('Page the on-call at oncall-lead@corp-mail.net if verification fails.'));
		const first = JSON.parse(runCli(['lint', '--format', 'json', file], {cwd: dir}).stdout) as {files: Array<{findings: Array<{rule: string; fingerprint?: string}>}>};
		const finding = first.files[0]!.findings.find(f => f.fingerprint);
		expect(finding).toBeDefined();
		writeFileSync(path.join(dir, '.cavrarc.yaml'), `lint:\n  allow:\n    - rule: ${finding!.rule}\n      fingerprint: "${finding!.fingerprint}"\n      reason: shared team alias\n`);
		const second = runCli(['lint', file], {cwd: dir});
		expect(second.stdout).toContain('allowed by lint.allow');
	});

	it('a bad config names the file, the key and what was expected', () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, '.cavrarc.yaml'), 'lint:\n  allow:\n    - rule: public-safety/email\n      fingerprint: my-raw-secret\n');
		const result = runCli(['lint', path.join(repoRoot, 'templates/standard.json')], {cwd: dir});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('.cavrarc.yaml');
		expect(result.stderr).toContain('lint.allow.0.fingerprint');
		expect(result.stderr).toContain('16-character hex fingerprint');
	});

	it('refuses a code config file', () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'evil.js'), 'process.exit(42)');
		const result = runCli(['--config', path.join(dir, 'evil.js'), 'lint', 'templates/standard.json']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('only JSON and YAML config files are read');
	});

	it('bad usage exits 2 with a hint, never a stack trace', () => {
		const result = runCli(['lint', '--format', 'xml', 'templates/standard.json']);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--format takes one of text, json, sarif');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it('colour only when asked: FORCE_COLOR on, NO_COLOR and --no-color off', () => {
		const dir = tempDir();
		const file = path.join(dir, 'plan.json');
		writeFileSync(file, '{}');
		expect(runCli(['lint', file]).stdout).not.toContain('\u001B[');
		expect(runCli(['lint', file], {env: {FORCE_COLOR: '1'}}).stdout).toContain('\u001B[31m');
		expect(runCli(['lint', file], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}}).stdout).not.toContain('\u001B[');
		expect(runCli(['lint', '--no-color', file], {env: {FORCE_COLOR: '1'}}).stdout).not.toContain('\u001B[');
	});
});
