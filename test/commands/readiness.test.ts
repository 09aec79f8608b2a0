import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {assertBuilt, repoRoot, runCli, type CliOptions} from '../helpers/cli.js';

/**
 * `cavra-rollback readiness` end to end: the built CLI in a child process, as CI runs it.
 * Run from test/fixtures/readiness so the relative paths in the golden documents match.
 */

const fixtures = path.join(repoRoot, 'test/fixtures/readiness');
const golden = (name: string) => readFileSync(path.join(fixtures, 'golden', `${name}.json`), 'utf8');
const NOW = ['--now', '2026-11-29T12:00:00+00:00'];

/** Every CAVRA variable unset, so only what a test passes counts. */
const CLEAN_ENV: NodeJS.ProcessEnv = {
	CAVRA_GO_BACKEND_MODE: undefined,
	CAVRA_GO_ROLLBACK_PLAN: undefined,
	CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE: undefined,
	CAVRA_GO_ROLLBACK_DRILL_HISTORY: undefined,
	CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS: undefined,
	CAVRA_GO_ROLLBACK_DRILL_SCHEDULE: undefined,
	CAVRA_GO_ROLLBACK_DRILL_DUE_SOON_DAYS: undefined,
	TERM: 'xterm',
};

function readiness(args: string[], options: CliOptions = {}) {
	return runCli(['readiness', ...args], {cwd: fixtures, ...options, env: {...CLEAN_ENV, ...options.env}});
}

function jsonOf(result: {stdout: string}) {
	return JSON.parse(result.stdout) as Record<string, unknown> & {status: string; mode: string; checks: Array<Record<string, unknown>>};
}

let scratch: string;

beforeAll(() => {
	assertBuilt();
	scratch = mkdtempSync(path.join(tmpdir(), 'cavra-readiness-cli-'));
});

afterAll(() => rmSync(scratch, {recursive: true, force: true}));

describe('readiness --json prints what CAVRA prints', () => {
	it('the rollback report, byte for byte, and nothing else', () => {
		const result = readiness(['--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/ready.json', '--json']);
		expect(result).toEqual({code: 0, stdout: golden('rollback/ready'), stderr: ''});
	});

	it.each([
		['rollback/missing-control-operator-runbook-linked', ['--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/missing-control-operator-runbook-linked.json'], 1],
		['rollback/mode-shadow-without-plan', ['--mode', 'shadow'], 0],
		['rollback/file-invalid-crlf', ['--mode', 'promoted', '--rollback-plan-path', 'inputs/common/invalid-crlf.json'], 1],
		['rollback/controls-null', ['--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/controls-null.json'], 1],
		['rehearsal/ready', ['--report', 'rehearsal', '--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/ready.json', '--rollback-rehearsal-path', 'inputs/rehearsal/ready.json'], 0],
		['drills/freshness-just-over', ['--report', 'drills', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/freshness-base.json', '--now', '2026-11-30T00:00:05Z'], 1],
		['drills/freshness-now-with-micros', ['--report', 'drills', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/freshness-base.json', '--now', '2026-11-29T23:59:59.999999+00:00'], 0],
		['drills/freshness-custom-window', ['--report', 'drills', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/freshness-base.json', '--rollback-drill-max-age-days', '30', '--now', '2026-10-01T00:00:00Z'], 0],
		['drill-schedule/due-soon', ['--report', 'drill-schedule', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/ready.json', '--rollback-drill-schedule-path', 'inputs/schedule/due-soon.json', ...NOW], 0],
		['drill-schedule/due-soon-custom-window', ['--report', 'drill-schedule', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/ready.json', '--rollback-drill-schedule-path', 'inputs/schedule/due-soon.json', '--rollback-drill-due-soon-days', '7', ...NOW], 0],
		['drill-schedule/stale', ['--report', 'drill-schedule', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/ready.json', '--rollback-drill-schedule-path', 'inputs/schedule/stale.json', ...NOW], 1],
	])('%s (exit %s)', (name, args, code) => {
		expect(readiness([...args, '--json', ...(args.includes('--now') ? [] : NOW)])).toEqual({code, stdout: golden(name), stderr: ''});
	});

	it('--report all: one object keyed by report name; exit 1 when any report needs attention', () => {
		const args = ['--report', 'all', '--mode', 'promoted', '--json', ...NOW];
		const ready = readiness([...args, '--rollback-plan-path', 'inputs/plan/ready.json', '--rollback-rehearsal-path', 'inputs/rehearsal/ready.json', '--rollback-drill-history-path', 'inputs/drills/ready.json', '--rollback-drill-schedule-path', 'inputs/schedule/ready.json']);
		expect(ready).toEqual({code: 0, stdout: golden('all/everything-ready'), stderr: ''});
		expect(Object.keys(jsonOf(ready))).toEqual(['rollback', 'rehearsal', 'drills', 'drill-schedule']);
		expect(readiness(args)).toMatchObject({code: 1, stdout: golden('all/promoted-nothing-configured'), stderr: ''});
		expect(readiness(['--report', 'all', '--json', ...NOW])).toMatchObject({code: 0, stdout: golden('all/nothing-configured')});
	});

	it('never loads ink or react', () => {
		const result = readiness(['--json', '--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/ready.json'], {watchUi: true});
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		const text = readiness(['--report', 'all', '--rollback-plan-path', 'inputs/plan/ready.json'], {watchUi: true});
		expect(text.stderr).not.toContain('LOADED-UI-MODULE');
	});
});

describe('inputs: flag, else CAVRA environment variable, else config, else default', () => {
	it('reads CAVRA_GO_BACKEND_MODE and CAVRA_GO_ROLLBACK_PLAN when no flag is given', () => {
		const result = readiness(['--json'], {env: {CAVRA_GO_BACKEND_MODE: ' PROMOTED ', CAVRA_GO_ROLLBACK_PLAN: 'inputs/plan/ready.json'}});
		expect(result).toEqual({code: 0, stdout: golden('rollback/ready'), stderr: ''});
	});

	it('a flag wins over the environment; an empty path flag means not configured', () => {
		const env = {CAVRA_GO_BACKEND_MODE: 'promoted', CAVRA_GO_ROLLBACK_PLAN: 'inputs/plan/ready.json'};
		expect(jsonOf(readiness(['--json', '--mode', 'shadow'], {env}))).toMatchObject({mode: 'shadow', status: 'ready'});
		const cleared = readiness(['--json', '--rollback-plan-path', ''], {env});
		expect(cleared.code).toBe(1);
		expect(jsonOf(cleared)).toMatchObject({mode: 'promoted', status: 'needs_attention', rollback_plan_path: '', rollback: {message: 'metadata path is not configured'}});
	});

	it('reads the day numbers as CAVRA does (float()), and warns without echoing an unusable value', () => {
		const args = ['--report', 'drills', '--json', '--mode', 'promoted', '--rollback-drill-history-path', 'inputs/drills/freshness-base.json', '--now', '2026-10-01T00:00:00Z'];
		expect(readiness(args, {env: {CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS: ' 30 '}})).toEqual({code: 0, stdout: golden('drills/freshness-custom-window'), stderr: ''});
		const flagWins = readiness([...args, '--rollback-drill-max-age-days', '30'], {env: {CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS: '7'}});
		expect(flagWins.stdout).toBe(golden('drills/freshness-custom-window'));
		const unusable = readiness(args, {env: {CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS: 'thirty-s3cr3t'}});
		expect(jsonOf(unusable)).toMatchObject({rollback_drill_max_age_days: 90});
		expect(unusable.stdout).toContain('"rollback_drill_max_age_days": 90.0,');
		expect(unusable.stderr).toBe('cavra-rollback: ignoring CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS: not a number (CAVRA would use its default)\n');
	});

	it('falls back to the config file, whose relative paths resolve against its own folder', () => {
		const config = path.join(scratch, 'cavra.json');
		writeFileSync(config, JSON.stringify({plan: path.relative(scratch, path.join(fixtures, 'inputs/plan/ready.json')), drillMaxAgeDays: 30, mode: {envFiles: ['cavra.env']}}));
		writeFileSync(path.join(scratch, 'cavra.env'), '# CAVRA service environment\nCAVRA_GO_BACKEND_MODE=promoted\n');
		const planPath = path.join(fixtures, 'inputs/plan/ready.json');
		const fromConfig = readiness(['--json', '--config', config, '--report', 'all', ...NOW]);
		expect(fromConfig.stderr).toBe('');
		const all = JSON.parse(fromConfig.stdout) as {rollback: {mode: string; status: string; rollback_plan_path: string}; drills: {rollback_drill_max_age_days: number}};
		expect(all.rollback).toMatchObject({mode: 'promoted', status: 'ready', rollback_plan_path: planPath});
		expect(fromConfig.stdout).toContain('"rollback_drill_max_age_days": 30.0,');
		// The environment wins over the config; the flag over both.
		const env = {CAVRA_GO_BACKEND_MODE: 'shadow', CAVRA_GO_ROLLBACK_PLAN: 'inputs/plan/missing-approved.json'};
		expect(jsonOf(readiness(['--json', '--config', config], {env}))).toMatchObject({mode: 'shadow', rollback_plan_path: 'inputs/plan/missing-approved.json', status: 'needs_attention'});
		expect(jsonOf(readiness(['--json', '--config', config, '--mode', 'enforce', '--rollback-plan-path', 'inputs/plan/ready.json'], {env}))).toMatchObject({mode: 'enforce', status: 'ready'});
	});

	it('a broken config file is bad usage (exit 2) naming the file', () => {
		const config = path.join(scratch, 'broken.json');
		writeFileSync(config, JSON.stringify({plan: 42}));
		const result = readiness(['--json', '--config', config]);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(config);
	});
});

describe('bad usage exits 2 with a hint and no stack trace', () => {
	it.each([
		[['--now', 'yesterday'], '--now takes an ISO-8601 timestamp, got "yesterday"'],
		[['--now', '2026-02-30'], '--now takes an ISO-8601 timestamp'],
		[['--report', 'everything'], '--report takes one of rollback, rehearsal, drills, drill-schedule, all'],
		[['--rollback-drill-max-age-days', 'ninety'], '--rollback-drill-max-age-days takes a number'],
		[['--rollback-drill-due-soon-days', 'Infinity'], '--rollback-drill-due-soon-days takes a number'],
		[['--frobnicate'], "unknown option '--frobnicate'"],
		[['extra'], 'too many arguments'],
	])('%j', (args, message) => {
		const result = readiness([...args, '--json']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(message);
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it('--help describes the flags, the precedence and the exit codes', () => {
		const result = readiness(['--help']);
		expect(result.code).toBe(0);
		for (const text of ['--report', '--rollback-drill-due-soon-days', '--now', 'CAVRA_GO_ROLLBACK_PLAN', 'Exit codes: 0 ready, due_soon or not_requested; 1 needs_attention']) {
			expect(result.stdout).toContain(text);
		}
	});
});

describe('text output', () => {
	const ansi = /\u001B\[/;

	it('a header per report, a marked line per check; no colour unless forced', () => {
		const result = readiness(['--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/missing-approved.json']);
		expect(result.code).toBe(1);
		const lines = result.stdout.split('\n');
		expect(lines[0]).toBe('Go rollback readiness: needs_attention (promoted)');
		expect(lines.slice(1, 7)).toEqual([
			'  ✔ pass go_rollback_requested: Rollback controls are required when CAVRA_GO_BACKEND_MODE=promoted or a rollback plan is configured.',
			'  ✔ pass python_fallback_available: Python fallback remains available and can be restored by setting CAVRA_GO_BACKEND_MODE=disabled.',
			'  ✔ pass go_rollback_plan: Rollback plan is ready for promoted Go backend pilots.',
			'  ⚠ warn go_rollback_approval: rollback plan must be approved',
			'  ✔ pass go_rollback_disable_path: Rollback returns CAVRA to Python-only mode.',
			'  ✔ pass go_rollback_controls: Rollback controls are complete.',
		]);
		expect(result.stdout).not.toMatch(ansi);
		expect(readiness(['--mode', 'promoted'], {env: {FORCE_COLOR: '1'}}).stdout).toMatch(ansi);
		expect(readiness(['--mode', 'promoted'], {env: {FORCE_COLOR: '1', NO_COLOR: '1'}}).stdout).not.toMatch(ansi);
	});

	it('plain ASCII marks on a dumb terminal', () => {
		const result = readiness(['--mode', 'shadow'], {env: {TERM: 'dumb'}});
		expect(result.stdout.split('\n').slice(0, 3)).toEqual([
			'Go rollback readiness: not_requested (shadow)',
			'  [warn] go_rollback_requested: Rollback controls are required when CAVRA_GO_BACKEND_MODE=promoted or a rollback plan is configured.',
			'  [pass] python_fallback_available: Python fallback remains available and can be restored by setting CAVRA_GO_BACKEND_MODE=disabled.',
		]);
	});

	it("shows the plan's public-safety findings apart from CAVRA's verdict, never in the JSON, never changing the exit code", () => {
		const plan = JSON.parse(readFileSync(path.join(fixtures, 'inputs/plan/ready.json'), 'utf8')) as {rollback_steps: string[]; evidence_refs: string[]};
		plan.rollback_steps.push('ssh ops@10.20.30.40 and restart');
		plan.evidence_refs.push('mailto:jane.doe@customer-corp.com');
		const leaky = path.join(scratch, 'leaky-plan.json');
		writeFileSync(leaky, `${JSON.stringify(plan, null, 2)}\n`);
		const text = readiness(['--mode', 'promoted', '--rollback-plan-path', leaky]);
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('Go rollback readiness: ready (promoted)');
		expect(text.stdout).toMatch(/\n\nPublic-safety lint \(cavra-rollback, not part of CAVRA's verdict\): 2 errors\n {2}\d+:\d+ error public-safety\/\S+ /);
		expect(text.stdout).not.toContain('10.20.30.40');
		expect(text.stdout).not.toContain('jane.doe@customer-corp.com');
		const json = readiness(['--mode', 'promoted', '--rollback-plan-path', leaky, '--json']);
		expect(json.code).toBe(0);
		expect(json.stdout).not.toContain('public-safety');
		expect(jsonOf(json).status).toBe('ready');
		expect(readiness(['--mode', 'promoted', '--rollback-plan-path', 'inputs/plan/ready.json']).stdout).toContain("Public-safety lint (cavra-rollback, not part of CAVRA's verdict): clean\n");
	});

	it('no lint section when the plan cannot be read or the report does not use it', () => {
		expect(readiness(['--mode', 'promoted', '--rollback-plan-path', 'inputs/does-not-exist.json']).stdout).not.toContain('Public-safety lint');
		expect(readiness(['--report', 'drills', '--rollback-plan-path', 'inputs/plan/ready.json']).stdout).not.toContain('Public-safety lint');
	});

	it('--report all prints the four headers in order', () => {
		const headers = readiness(['--report', 'all', ...NOW]).stdout.split('\n').filter(line => line.startsWith('Go rollback'));
		expect(headers).toEqual([
			'Go rollback readiness: not_requested (disabled)',
			'Go rollback rehearsal: not_requested (disabled)',
			'Go rollback drills: not_requested (disabled)',
			'Go rollback drill schedule: not_requested (disabled)',
		]);
	});
});
