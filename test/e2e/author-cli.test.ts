import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

/* The built CLI's non-interactive author path, as a script or CI job runs it (no TTY). */

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-e2e-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe('cavra-rollback author (built, no TTY)', () => {
	it('writes a plan from flags without loading Ink or React; lint then passes', () => {
		const file = path.join(dir, 'plan.json');
		const result = runCli(['author', '--template', 'api-service', '--out', file, '--set', 'approval_id=CAB-77', '--set', 'max_recovery_minutes=10'], {watchUi: true});
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		expect(result.code).toBe(0);
		expect(result.stdout).toBe(`wrote ${file} (status "ready")\n`);
		const plan = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		expect(plan).toMatchObject({status: 'ready', approval_id: 'CAB-77', max_recovery_minutes: 10});
		const lint = runCli(['lint', file]);
		expect(lint.code).toBe(0);
		expect(lint.stdout).toContain('✔ 1 file clean');
	});

	it('refuses to record "ready" a plan holding the API token this machine uses (api.tokenEnv), and never prints it', () => {
		const file = path.join(dir, 'plan.json');
		const token = 'zq81Lr0xVbN3kd7Q';
		writeFileSync(path.join(dir, '.cavrarc.yaml'), 'api:\n  url: http://127.0.0.1:1\n  tokenEnv: MY_CAVRA_BEARER\n');
		const result = runCli(['author', '--template', 'api-service', '--out', file, '--add-step', `Check the API answers with ${token}.`], {cwd: dir, env: {MY_CAVRA_BEARER: token}});
		expect(result.code).not.toBe(0);
		expect(result.stdout + result.stderr).toContain('known-secret-value');
		expect(result.stdout + result.stderr).not.toContain(token);
		expect(existsSync(file)).toBe(false);
	});

	it.each(['standard', 'api-service', 'ci-runner', 'workstation'])('a plan from template %s is ready under `readiness` in promoted mode', name => {
		const file = path.join(dir, `${name}.json`);
		expect(runCli(['author', '--template', name, '--out', file]).code).toBe(0);
		const readiness = runCli(['readiness', '--mode', 'promoted', '--rollback-plan-path', file, '--json'], {cwd: dir});
		expect(readiness.code).toBe(0);
		expect((JSON.parse(readiness.stdout) as {status: string}).status).toBe('ready');
	});

	it('without a TTY and without flags it exits 2, names the flags, and never loads Ink', () => {
		const result = runCli(['author'], {watchUi: true, cwd: dir});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('--template NAME --out FILE');
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		const plain = runCli(['author', '--plain'], {watchUi: true, cwd: dir});
		expect(plain.code).toBe(2);
		expect(plain.stderr).toContain('--plain asks questions, so it needs a terminal');
		expect(plain.stderr).not.toContain('LOADED-UI-MODULE');
	});

	it('errors remaining: exit 1 without --draft (nothing written), exit 0 with it', () => {
		const file = path.join(dir, 'plan.json');
		const refused = runCli(['author', '--template', 'standard', '--out', file, '--set', 'approved=false', '--set', 'max_recovery_minutes=5', '--add-evidence-ref', 'wiki page'], {watchUi: true});
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain('evidence ref 3 is not of the form scheme://path');
		expect(refused.stderr).not.toContain('LOADED-UI-MODULE');
		expect(existsSync(file)).toBe(false);
		const draft = runCli(['author', '--template', 'standard', '--out', file, '--add-evidence-ref', 'wiki page', '--draft']);
		expect(draft.code).toBe(0);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({status: 'draft'});
		const again = runCli(['author', '--template', 'standard', '--out', file]);
		expect(again.code).toBe(2);
		expect(again.stderr).toContain('pass --force to overwrite it');
	});
});
