/*
 * The rollback runner with its real effects: env files on disk (atomic writes, backups), real
 * restart commands (processes, timeouts), real HTTP to the CAVRA API stand-in on 127.0.0.1, the
 * real evidence store and journal, CAVRA's own readiness evaluator and our lint on the outputs.
 */
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {CavraConfig, ServiceConfig} from '../../source/core/config/schema.js';
import {setEnvValue} from '../../source/core/env-file/patch.js';
import {lintPlan} from '../../source/core/lint/lint-plan.js';
import {rollbackDrillHistoryReport, rollbackRehearsalReport, settingsFromEnvironment} from '../../source/core/readiness/index.js';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {verifyEvidenceBundle} from '../../source/io/evidence-verify.js';
import {readReadinessFiles} from '../../source/io/readiness-files.js';
import {createDefaultEffects, RunControl, runRollback, type RunnerInput} from '../../source/io/rollback-runner.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const restartScript = path.join(fixtures, 'rollback', 'restart-standin.mjs');
const sleepScript = path.join(fixtures, 'rollback', 'sleep.mjs');
const planTemplate = fileURLToPath(new URL('../../templates/standard.json', import.meta.url));
const node = process.execPath;

let dir: string;
let standIn: StandIn | undefined;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-rollback-it-'));
});
afterEach(async () => {
	await standIn?.close();
	standIn = undefined;
	rmSync(dir, {recursive: true, force: true});
});

function writePlan(overrides: Record<string, unknown> = {}): string {
	const plan = {...(JSON.parse(readFileSync(planTemplate, 'utf8')) as Record<string, unknown>), ...overrides};
	const file = path.join(dir, 'plan.json');
	writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
	return file;
}

async function startApi(envText = 'CAVRA_GO_BACKEND_MODE=promoted\n'): Promise<{envFile: string; url: string}> {
	const envFile = path.join(dir, 'cavra.env');
	writeFileSync(envFile, `# CAVRA\nCAVRA_DB_PASSWORD=hunter2-secret\n${envText}CAVRA_GO_ROLLBACK_PLAN=${path.join(dir, 'plan.json')}\n`);
	standIn = await startStandIn({port: 0, env: {}, envFile});
	return {envFile, url: standIn.url};
}

function apiService(url: string, extra: Partial<ServiceConfig> & {args?: string[]} = {}): ServiceConfig {
	const {args = [], ...rest} = extra;
	return {name: 'api', kind: 'command', restart: [node, restartScript, url, ...args], verify: {url: `${url}/runtime/go-pilot/rollback-readiness`}, ...rest} as ServiceConfig;
}

async function rollback(config: CavraConfig, extra: Partial<RunnerInput> = {}) {
	const evidenceDir = path.join(dir, 'evidence');
	const full: CavraConfig = {evidence: {dir: evidenceDir}, ...config};
	return runRollback(
		{kind: 'rollback', config: full, configPath: null, env: {}, serviceFilter: [], evidenceDir, control: new RunControl(), confirm: async () => true, confirmMethod: '--yes', ...extra},
		createDefaultEffects({config: full, env: process.env, evidenceDir}),
	);
}

/** Every file under the folder with its bytes, to prove nothing changed. */
function snapshot(root: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const entry of readdirSync(root, {withFileTypes: true, recursive: true})) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		if (file.includes(`${path.sep}evidence${path.sep}`)) continue;
		out.set(path.relative(root, file), readFileSync(file, 'latin1'));
	}
	return out;
}

describe('rollback with real effects: env files', () => {
	const variants = readdirSync(path.join(fixtures, 'env-files')).filter(name => name.endsWith('.env'));

	it.each(variants)('%s: only the mode changes; backup, permissions and every other byte kept; the preview hides values', async name => {
		const file = path.join(dir, name);
		copyFileSync(path.join(fixtures, 'env-files', name), file);
		chmodSync(file, 0o640);
		const before = readFileSync(file, 'utf8');

		const dry = await rollback({mode: {envFiles: [file]}}, {kind: 'dry-run'});
		expect(dry.state.exitCode).toBe(0);
		expect(readFileSync(file, 'utf8')).toBe(before);
		const diff = dry.preview!.envFiles[0]!.diff;
		expect(diff).toContain('+');
		expect(diff).not.toMatch(/s3cr3t|127\.0\.0\.1|hunter2|say \\"hi/);

		const {state, evidencePath} = await rollback({mode: {envFiles: [file]}});
		expect(state.result).toBe('recovered');
		const after = readFileSync(file, 'utf8');
		expect(after).toBe(setEnvValue(before, 'CAVRA_GO_BACKEND_MODE', 'disabled').text);
		// Lines other than the mode's are untouched (a missing key is appended).
		const beforeLines = before.split('\n');
		const changed = after.split('\n').filter((line, index) => line !== beforeLines[index]);
		for (const line of changed) expect(line === '' || line.includes('CAVRA_GO_BACKEND_MODE')).toBe(true);
		expect(statSync(file).mode & 0o777).toBe(0o640);
		const backups = readdirSync(dir).filter(entry => entry.startsWith(`${name}.cavra-rollback.`));
		expect(backups).toHaveLength(1);
		expect(readFileSync(path.join(dir, backups[0]!), 'utf8')).toBe(before);
		const evidence = readFileSync(evidencePath!, 'utf8');
		expect(evidence).not.toMatch(/s3cr3t|hunter2/);
		expect((await verifyEvidenceBundle(path.dirname(evidencePath!))).ok).toBe(true);
	});
});

describe('rollback with real effects: the CAVRA API stand-in', () => {
	it('recovers: the restarted service answers mode disabled; evidence verifies; one changed byte is caught', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const {state, evidencePath, evidence} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, api: {url}, services: [apiService(url, {args: ['--say', 'token=abcdef123456 restarting']})]});
		expect(state.result).toBe('recovered');
		expect(state.exitCode).toBe(0);
		const answer = (await (await fetch(`${url}/runtime/go-pilot/rollback-readiness`)).json()) as {mode: string};
		expect(answer.mode).toBe('disabled');
		expect(evidence).toMatchObject({result: 'recovered', within_target: true, reports: {before: 'before.json', after: 'after.json'}, report_status: {after: {api_rollback_readiness: 'ready'}}});
		const runDir = path.dirname(evidencePath!);
		const bundle = readdirSync(runDir, {recursive: true}).map(String).join('\n');
		expect(bundle).toContain('journal.ndjson');
		const everything = ['evidence.json', 'journal.ndjson', 'reports/before.json', 'reports/after.json'].map(name => readFileSync(path.join(runDir, name), 'utf8')).join('\n');
		expect(everything).not.toMatch(/hunter2|abcdef123456/);
		expect(everything).toContain('token=<redacted>');

		expect(await verifyEvidenceBundle(runDir)).toMatchObject({ok: true});
		const journal = path.join(runDir, 'journal.ndjson');
		const bytes = readFileSync(journal);
		const at = bytes.indexOf('"set-mode:');
		bytes[at + 2] = bytes[at + 2]! ^ 0x01;
		writeFileSync(journal, bytes);
		const tampered = await verifyEvidenceBundle(runDir);
		expect(tampered.ok).toBe(false);
		expect(tampered.firstBad).toMatchObject({kind: 'journal'});
	});

	it('dry run: every file byte-identical, nothing restarted, exit 0', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const before = snapshot(dir);
		const {state} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, api: {url}, services: [apiService(url)]}, {kind: 'dry-run'});
		expect(state).toMatchObject({result: 'previewed', exitCode: 0});
		expect(snapshot(dir)).toEqual(before);
		expect(((await (await fetch(`${url}/runtime/go-pilot/rollback-readiness`)).json()) as {mode: string}).mode).toBe('promoted');
		expect(standIn!.requests.get('/runtime/go-pilot/rollback-readiness')).toBeGreaterThan(0);
	});

	it('a failing restart command: exit 3, its stderr tail kept, evidence still verifies', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const {state, evidencePath, evidence} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services: [apiService(url, {args: ['--exit', '4']})]});
		expect(state).toMatchObject({result: 'failed', exitCode: 3});
		expect(state.steps.find(step => step.id === 'restart:api')?.detail).toMatch(/exit 4: restart failed on purpose/);
		expect((evidence!['services'] as Array<{restart: {exit_code: number; stderr_tail: string}}>)[0]!.restart).toMatchObject({exit_code: 4, stderr_tail: 'restart failed on purpose (exit 4)'});
		expect((await verifyEvidenceBundle(path.dirname(evidencePath!))).ok).toBe(true);
	});

	it('a restart that hangs past its timeout is killed and fails the step (exit 3), quickly', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const started = Date.now();
		const hang: ServiceConfig = {name: 'hangs', kind: 'command', restart: [node, sleepScript], timeoutMs: 500, verify: {url: `${url}/runtime/go-pilot/rollback-readiness`}};
		const {state} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services: [hang]});
		expect(state).toMatchObject({result: 'failed', exitCode: 3});
		expect(state.steps.find(step => step.id === 'restart:hangs')?.detail).toMatch(/timed out after 0.5 s/);
		expect(state.steps.find(step => step.id === 'verify:hangs')).toMatchObject({status: 'skipped', skipReason: 'blocked'});
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('a service that never reports disabled fails verify when the budget runs out (exit 1), not a hang', async () => {
		// 0.05 minutes = 3 s budget.
		writePlan({max_recovery_minutes: 0.05});
		const {envFile, url} = await startApi();
		const noRestart: ServiceConfig = {name: 'api', kind: 'command', restart: [node, '-e', '0'], verify: {url: `${url}/runtime/go-pilot/rollback-readiness`}};
		const started = Date.now();
		const {state, evidence} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services: [noRestart]});
		expect(state).toMatchObject({result: 'failed', exitCode: 1});
		expect(state.steps.find(step => step.id === 'verify:api')?.detail).toMatch(/not back within the recovery budget \(0.05 min\): still answers mode: promoted/);
		expect(evidence).toMatchObject({within_target: false, max_recovery_minutes: 0.05});
		expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('services sharing a group restart in parallel; the next batch waits for the group', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		// Each of the group's restarts ends only once all three have started (a barrier, not a
		// timing bet): run one after another, the first would give up after 20 s and fail the run.
		const barrier = path.join(dir, 'barrier');
		mkdirSync(barrier);
		const grouped = (name: string): ServiceConfig => ({name, kind: 'command', restart: [node, sleepScript, '20000', '--barrier', barrier, '3'], group: 'g'});
		const last: ServiceConfig = {name: 'last', kind: 'command', restart: [node, sleepScript, '10']};
		const {state} = await rollback({plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services: [grouped('a'), grouped('b'), grouped('c'), last, apiService(url)]});
		expect(state.result).toBe('recovered');
		const step = (id: string) => state.steps.find(candidate => candidate.id === id)!;
		const group = ['restart:a', 'restart:b', 'restart:c'].map(step);
		expect(group.map(s => s.status)).toEqual(['done', 'done', 'done']);
		const groupEnd = Math.max(...group.map(s => s.endedAtMs!));
		expect(step('restart:last').startedAtMs!).toBeGreaterThanOrEqual(groupEnd);
		expect(step('restart:api').startedAtMs!).toBeGreaterThanOrEqual(step('restart:last').endedAtMs!);
	});

	it('a missing plan does not block the rollback; it is recorded loudly', async () => {
		const {envFile, url} = await startApi();
		const {state, evidence} = await rollback({plan: path.join(dir, 'no-such-plan.json'), mode: {envFiles: [envFile]}, services: [apiService(url)]});
		expect(state).toMatchObject({result: 'recovered', exitCode: 0});
		expect(evidence).toMatchObject({plan: {state: 'missing', valid: false, sha256: null}, max_recovery_source: 'default', max_recovery_minutes: 15});
		expect((evidence!['plan'] as {notices: string[]}).notices[0]).toMatch(/THE ROLLBACK PLAN IS MISSING/);
	});

	it('--resume of an interrupted run re-probes: the file and the service are already disabled, so both are skipped', async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const config: CavraConfig = {plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services: [apiService(url)]};
		// First run: Ctrl-C as soon as the restart finished (it stops before verify).
		const control = new RunControl();
		const first = await rollback(config, {
			control,
			onState: state => {
				if (state.steps.find(step => step.id === 'restart:api')?.status === 'done') control.cancel();
			},
		});
		expect(first.state).toMatchObject({result: 'cancelled', exitCode: 130});
		expect((await verifyEvidenceBundle(first.runDir!)).ok).toBe(true);
		const resumed = await rollback(config, {resumeRunId: first.state.runId});
		expect(resumed.state).toMatchObject({runId: first.state.runId, result: 'recovered', exitCode: 0});
		expect(resumed.state.steps.find(step => step.id === `set-mode:${envFile}`)).toMatchObject({status: 'skipped', skipReason: 'already-done'});
		expect(resumed.state.steps.find(step => step.id === 'restart:api')).toMatchObject({status: 'skipped', skipReason: 'already-done'});
		expect(resumed.evidence).toMatchObject({resume_of: first.state.runId});
		expect(await verifyEvidenceBundle(first.runDir!)).toMatchObject({ok: true});
		expect(readdirSync(dir).filter(name => name.includes('.cavra-rollback.'))).toHaveLength(1);
	});
});

describe('rollback --rehearse with real effects', () => {
	it("writes CAVRA's rehearsal evidence and a new drill history that pass our lint and make CAVRA's reports ready", async () => {
		writePlan();
		const {envFile, url} = await startApi();
		const rehearsalEvidence = path.join(dir, 'rehearsal.json');
		const drillHistory = path.join(dir, 'drills.json');
		expect(existsSync(drillHistory)).toBe(false);
		const config: CavraConfig = {plan: path.join(dir, 'plan.json'), rehearsalEvidence, drillHistory, mode: {envFiles: [envFile]}, services: [apiService(url)]};
		const {state, evidence} = await rollback(config, {kind: 'rehearsal'});
		expect(state).toMatchObject({kind: 'rehearsal', result: 'recovered', exitCode: 0});
		expect(evidence).toMatchObject({kind: 'rehearsal', rehearsal: {rehearsalEvidence, drillHistory, drillId: state.runId, error: null}});

		for (const file of [rehearsalEvidence, drillHistory]) {
			const report = await lintPlan({path: file, bytes: readFileSync(file)});
			expect(report.findings).toEqual([]);
			expect(report.ok).toBe(true);
		}
		const settings = {...settingsFromEnvironment({}, new Date()), mode: 'promoted', rollbackPlanPath: path.join(dir, 'plan.json'), rollbackRehearsalPath: rehearsalEvidence, rollbackDrillHistoryPath: drillHistory};
		const files = await readReadinessFiles(settings);
		expect(rollbackRehearsalReport(settings, files).status).toBe('ready');
		expect(rollbackDrillHistoryReport(settings, files).status).toBe('ready');

		// A second rehearsal appends a second drill and keeps the first.
		writeFileSync(envFile, readFileSync(envFile, 'utf8').replace('CAVRA_GO_BACKEND_MODE=disabled', 'CAVRA_GO_BACKEND_MODE=promoted'));
		standIn!.restart();
		const second = await rollback(config, {kind: 'rehearsal'});
		expect(second.state.result).toBe('recovered');
		const history = JSON.parse(readFileSync(drillHistory, 'utf8')) as {drills: Array<{drill_id: string; source_mode: string}>};
		expect(history.drills.map(drill => drill.drill_id)).toEqual([state.runId, second.state.runId]);
		expect(history.drills[1]!.source_mode).toBe('promoted');
		expect(rollbackDrillHistoryReport(settings, await readReadinessFiles(settings)).status).toBe('ready');
	});
});
