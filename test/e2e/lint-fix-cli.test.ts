import {mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {repoRoot, runCli} from '../helpers/cli.js';

const token = 'ghp_Zq8Lm3Np7Rt2Vw9Xy4Bc6Df1Gh5Jk0Ls8PqA';
const email = 'rosa.dominguez@fabrikam-payments.com';
const secretRuns = (...values: string[]) => values.flatMap(value => Array.from({length: value.length - 7}, (_, i) => value.slice(i, i + 8)));
const runs = secretRuns(token.slice(4), email, 'jenkins-02', '10.20.30.40');

/** The standard template with CRLF line ends, unicode, a JSON-escaped token and the given extra steps. */
function planText(steps: string[], change: (plan: Record<string, unknown>) => void = () => {}): string {
	const plan = JSON.parse(readFileSync(path.join(repoRoot, 'templates/standard.json'), 'utf8')) as Record<string, unknown> & {rollback_steps: string[]};
	plan.rollback_steps.push(...steps);
	change(plan);
	return `${JSON.stringify(plan, null, 2).replace('"Python-only', '"Pythön-only').replaceAll('\n', '\r\n')}\r\n`;
}

function setup(text: string): {dir: string; file: string} {
	const dir = mkdtempSync(path.join(tmpdir(), 'cavra-lint-fix-'));
	const file = path.join(dir, 'plan.json');
	writeFileSync(file, text);
	return {dir, file};
}

const steps = [`export GITHUB_TOKEN=${token} then restart`, `Page ${email} or ssh deploy@jenkins-02.local — curl http://10.20.30.40/ ✓`];

describe('cavra-rollback lint --fix', () => {
	it('replaces only the flagged spans (CRLF, unicode and JSON escapes kept), leaves no copy, re-lints clean and exits 0', () => {
		// The escaped form `\u0067hp_…` decodes to the same token: it is replaced whole.
		const text = planText(steps).replace(`"export GITHUB_TOKEN=${token}`, `"export GITHUB_TOKEN=\\u0067${token.slice(1)}`);
		const {dir, file} = setup(text);
		const result = runCli(['lint', '--fix', file]);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const fixed = readFileSync(file, 'utf8');
		const expected = text
			.replace(`\\u0067${token.slice(1)}`, '${GITHUB_TOKEN}')
			.replace(email, '<on-call contact>')
			.replace('deploy@jenkins-02.local', '<on-call contact>')
			.replace('10.20.30.40', '<private host>');
		expect(fixed).toBe(expected);
		expect(readdirSync(dir)).toEqual(['plan.json']);
		expect(result.stdout).toContain('fixed 4 values');
		expect(result.stdout).toContain('✔ 1 file clean');
		for (const run of runs) expect(result.stdout + result.stderr).not.toContain(run);
	});

	it('--dry-run prints a masked diff, changes nothing, and exits as lint on the unchanged file (1) without calling it clean', () => {
		const text = planText(steps);
		const {dir, file} = setup(text);
		const result = runCli(['lint', '--fix', '--dry-run', file]);
		// The file on disk still holds the secrets: not "clean", not exit 0.
		expect(result.code, result.stdout + result.stderr).toBe(1);
		expect(result.stdout).not.toContain('✔ 1 file clean');
		expect(result.stdout).toContain(`✔ 1 file would be clean after --fix (nothing written): ${file}`);
		expect(result.stdout).toContain(`✖ ${file} still has 5 error findings on disk: run lint --fix without --dry-run to write the fix`);
		expect(readFileSync(file, 'utf8')).toBe(text);
		expect(readdirSync(dir)).toEqual(['plan.json']);
		expect(result.stdout).toContain('+    "export GITHUB_TOKEN=${GITHUB_TOKEN} then restart",');
		expect(result.stdout).toMatch(/^- {4}"export GITHUB_TOKEN=\[ghp_…\(40 chars\)\] then restart",$/m);
		expect(result.stdout).toContain('would fix 4 values (dry run: file unchanged)');
		for (const run of runs) expect(result.stdout + result.stderr).not.toContain(run);
	});

	it('--dry-run --format json: ok is the would-be result, ok_on_disk the unchanged file (and the exit code)', () => {
		const {file} = setup(planText(steps));
		const result = runCli(['lint', '--fix', '--dry-run', '--format', 'json', file]);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout) as {ok: boolean; ok_on_disk: boolean; dry_run: boolean; files: Array<{fixed: unknown[]}>};
		expect(report).toMatchObject({ok: true, ok_on_disk: false, dry_run: true});
		expect(report.files[0]!.fixed).toHaveLength(4);
	});

	it('--dry-run on a file with nothing to fix exits 0 and says nothing was written', () => {
		const {file} = setup(planText([]));
		const result = runCli(['lint', '--fix', '--dry-run', file]);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('nothing to fix');
		expect(result.stdout).toContain('✔ 1 file would be clean after --fix (nothing written)');
		expect(result.stdout).not.toContain('still has');
	});

	it('--dry-run with a finding --fix cannot fix: what would remain is counted, exit 1', () => {
		const {file} = setup(planText(steps, plan => (plan['target_mode'] = 'shadow')));
		const result = runCli(['lint', '--fix', '--dry-run', file]);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/✖ 1 error, 0 warnings would remain in 1 file after --fix \(nothing written\)/);
		expect(result.stdout).toContain('still has 6 error findings on disk');
	});

	it('findings that need a person (schema) remain and exit 1; JSON says what was fixed', () => {
		const {file} = setup(planText(steps, plan => (plan['target_mode'] = 'shadow')));
		const result = runCli(['lint', '--fix', '--format', 'json', file]);
		expect(result.code).toBe(1);
		const report = JSON.parse(result.stdout) as {dry_run: boolean; files: Array<{fixed: Array<{rule: string; placeholder: string; line: number}>; findings: Array<{rule: string}>}>};
		expect(report.dry_run).toBe(false);
		expect(report.files[0]!.fixed.map(f => `${f.rule} ${f.placeholder}`)).toEqual([
			'public-safety/github-token ${GITHUB_TOKEN}',
			'public-safety/email <on-call contact>',
			'public-safety/email <on-call contact>',
			'public-safety/private-ip <private host>',
		]);
		expect(report.files[0]!.findings.map(f => f.rule)).toEqual(['schema/target-mode']);
		expect(readFileSync(file, 'utf8')).not.toContain(token);
	});

	it('a reviewed exception (lint.allow) is not replaced', () => {
		const {dir, file} = setup(planText([`Page ${email} if the restart fails.`]));
		const first = JSON.parse(runCli(['lint', '--format', 'json', file], {cwd: dir}).stdout) as {files: Array<{findings: Array<{rule: string; fingerprint?: string}>}>};
		const finding = first.files[0]!.findings.find(f => f.rule === 'public-safety/email')!;
		writeFileSync(path.join(dir, '.cavrarc.json'), JSON.stringify({lint: {allow: [{rule: finding.rule, fingerprint: finding.fingerprint}]}}));
		const result = runCli(['lint', '--fix', file], {cwd: dir});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('nothing to fix');
		expect(readFileSync(file, 'utf8')).toContain(email);
	});

	it('a flagged key is replaced too', () => {
		const {file} = setup(`{"notes": {"${email}": "primary"}}`);
		runCli(['lint', '--fix', file]);
		expect(readFileSync(file, 'utf8')).toBe('{"notes": {"<on-call contact>": "primary"}}');
	});

	it('refuses standard input, --dry-run alone and a symbolic link (exit 2, nothing written)', () => {
		const {dir, file} = setup(planText(steps));
		expect(runCli(['lint', '--fix', '-'], {input: '{}'}).code).toBe(2);
		expect(runCli(['lint', '--dry-run', file]).code).toBe(2);
		const link = path.join(dir, 'link.json');
		symlinkSync(file, link);
		const result = runCli(['lint', '--fix', link]);
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('symbolic link');
		expect(readFileSync(file, 'utf8')).toContain(token);
		expect(readdirSync(dir).sort()).toEqual(['link.json', 'plan.json']);
	});
});
