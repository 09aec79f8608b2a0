/*
 * `cavra-rollback rollback` as a user runs it from a script or CI (no TTY): the built CLI against
 * the CAVRA API stand-in on 127.0.0.1, with real restart commands, signals and kills.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {printedCommands, runPrinted} from '../helpers/run-printed.js';
import {restartScript, runCliAsync, scratch, sleepScript, startCli, until, writeConfig} from '../fixtures/rollback/e2e.js';

let work: ReturnType<typeof scratch>;
let standIn: StandIn;
const node = process.execPath;

beforeEach(async () => {
	work = scratch('cavra-rollback-e2e-');
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile});
});
afterEach(async () => {
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

const verifyUrl = () => `${standIn.url}/runtime/go-pilot/rollback-readiness`;

/** A config whose services are given as YAML flow mappings. */
function config(services: string[], extra: string[] = []): void {
	writeConfig(work.dir, [`plan: ./plan.json`, 'mode:', '  envFiles: [./cavra.env]', `api: {url: "${standIn.url}"}`, 'evidence: {dir: ./evidence}', 'services:', ...services.map(service => `  - ${service}`), ...extra]);
}

const apiService = (extraArgs: string[] = [], name = 'api') => `{name: ${name}, kind: command, restart: ${JSON.stringify([node, restartScript, standIn.url, ...extraArgs])}, verify: {url: "${verifyUrl()}"}}`;
/** A restart that ends only once `flag` exists: the test decides when, after what it waits for has happened. */
const heldUntil = (name: string, flag: string) => `{name: ${name}, kind: command, restart: ${JSON.stringify([node, sleepScript, '60000', '--until', flag])}}`;
const sleeper = (name: string, ms?: number, group?: string) => `{name: ${name}, kind: command, restart: ${JSON.stringify([node, sleepScript, ...(ms === undefined ? [] : [String(ms)])])}${group ? `, group: ${group}` : ''}}`;

async function mode(): Promise<string> {
	return ((await (await fetch(verifyUrl())).json()) as {mode: string}).mode;
}

function runDirs(): string[] {
	const root = path.join(work.dir, 'evidence');
	return existsSync(root) ? readdirSync(root).filter(name => name.startsWith('rb-')).map(name => path.join(root, name)) : [];
}

function journalSteps(runDir: string): string[] {
	return readFileSync(path.join(runDir, 'journal.ndjson'), 'utf8')
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as {step: string; phase: string; status?: string})
		.map(record => `${record.step}:${record.phase}${record.status ? `:${record.status}` : ''}`);
}

describe('rollback from a script (no TTY)', () => {
	it('without --yes: exit 2 naming --yes; nothing changes, no evidence folder', async () => {
		config([apiService()]);
		const before = readFileSync(work.envFile, 'utf8');
		const result = await runCliAsync(['rollback'], {cwd: work.dir});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('needs --yes');
		expect(result.stderr).toContain('--dry-run');
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(runDirs()).toEqual([]);
	});

	it('--dry-run: the preview on stdout, every file byte-identical, exit 0; --json prints the dry-run evidence; no bundle is kept', async () => {
		config([apiService()]);
		const files = ['cavra.env', 'plan.json', '.cavrarc.yaml'].map(name => [name, readFileSync(path.join(work.dir, name))] as const);
		const result = await runCliAsync(['rollback', '--dry-run'], {cwd: work.dir});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Rollback preview (dry run: nothing will change)');
		expect(result.stdout).toContain('-CAVRA_GO_BACKEND_MODE=promoted');
		expect(result.stdout).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		expect(result.stdout).toContain(`$ CAVRA_GO_BACKEND_MODE=disabled ${node} ${restartScript} ${standIn.url}`);
		expect(result.stdout).toContain('DRY RUN: nothing was changed');
		expect(result.stdout + result.stderr).not.toContain('hunter2');
		for (const [name, bytes] of files) expect(readFileSync(path.join(work.dir, name)).equals(bytes)).toBe(true);
		expect(readdirSync(work.dir).some(name => name.includes('.cavra-rollback.'))).toBe(false);
		expect(await mode()).toBe('promoted');

		const json = await runCliAsync(['rollback', '--dry-run', '--json'], {cwd: work.dir});
		expect(json.code).toBe(0);
		expect(JSON.parse(json.stdout)).toMatchObject({schema_version: 'cavra-rollback.evidence.v1', kind: 'dry-run', result: 'previewed'});
		// Nothing changed, so nothing is kept: no bundle piles up, nothing to list or resume.
		expect(result.stdout).toContain('a dry run keeps no evidence bundle');
		expect(result.stdout).not.toContain('--resume');
		expect(runDirs()).toEqual([]);
	});

	it('--yes --json: stdout is exactly the final evidence.json; progress goes to stderr', async () => {
		config([apiService()]);
		const result = await runCliAsync(['rollback', '--yes', '--json'], {cwd: work.dir});
		expect(result.code).toBe(0);
		const evidence = JSON.parse(result.stdout) as {run_id: string; result: string};
		expect(evidence.result).toBe('recovered');
		const [runDir] = runDirs();
		expect(JSON.parse(readFileSync(path.join(runDir!, 'evidence.json'), 'utf8'))).toEqual(evidence);
		expect(result.stderr).toContain('✔ Verify api reports mode disabled');
		expect(await mode()).toBe('disabled');
	});

	it('--service limits the run; an unknown service or run id is a usage error (exit 2)', async () => {
		config([sleeper('slow', 10), apiService()]);
		const limited = await runCliAsync(['rollback', '--yes', '--service', 'api'], {cwd: work.dir});
		expect(limited.code).toBe(0);
		expect(limited.stderr).not.toContain('Restart slow');
		const unknown = await runCliAsync(['rollback', '--yes', '--service', 'nope'], {cwd: work.dir});
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('--service nope: no such service in the config');
		const badResume = await runCliAsync(['rollback', '--yes', '--resume', 'rb-20260101T000000Z-abcdef'], {cwd: work.dir});
		expect(badResume.code).toBe(2);
		expect(badResume.stderr).toContain('no evidence folder for run rb-20260101T000000Z-abcdef');
	});

	it('--resume without a run id continues the latest rollback run and says which; nothing to resume once it recovered', async () => {
		const fixed = path.join(work.dir, 'fixed');
		// The restart fails until the operator has "fixed" the service.
		config([apiService(['--fail-unless', fixed])]);
		const none = await runCliAsync(['rollback', '--yes', '--resume'], {cwd: work.dir});
		expect(none.code).toBe(2);
		expect(none.stderr).toContain(`no rollback run in ${path.join(work.dir, 'evidence')} to resume`);
		expect(none.stderr).toContain('evidence list');

		const failed = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(failed.code).toBe(3);
		const [runDir] = runDirs();
		const runId = path.basename(runDir!);

		writeFileSync(fixed, '');
		const resumed = await runCliAsync(['rollback', '--yes', '--resume'], {cwd: work.dir});
		expect(resumed.stderr).toContain(`continuing the latest rollback run: ${runId}`);
		expect(resumed.code).toBe(0);
		expect(resumed.stdout).toContain('RECOVERED');
		expect(runDirs()).toEqual([runDir]);

		const again = await runCliAsync(['rollback', '--yes', '--resume'], {cwd: work.dir});
		expect(again.code).toBe(2);
		expect(again.stderr).toContain(`the latest rollback run, ${runId}, recovered: nothing to resume`);
		// A rehearsal resume looks only at rehearsals.
		const rehearsal = await runCliAsync(['rollback', '--yes', '--rehearse', '--resume'], {cwd: work.dir});
		expect(rehearsal.code).toBe(2);
		expect(rehearsal.stderr).toContain('no rehearsal run in');
	});

	it('Ctrl-C between steps: the running restart finishes, the next is not run, exit 130; --resume finishes the job', async () => {
		const release = path.join(work.dir, 'release-first');
		config([heldUntil('first', release), apiService()]);
		const run = startCli(['rollback', '--yes'], {cwd: work.dir});
		await run.waitForStderr('▸ Restart first');
		run.child.kill('SIGINT');
		// The restart ends only after the CLI has taken the Ctrl-C, so it lands mid-restart however slow the machine.
		await run.waitForStderr('stopping after the current step');
		writeFileSync(release, '');
		const result = await run.done;
		expect(result.code).toBe(130);
		expect(result.stderr).toContain('Ctrl-C: stopping after the current step');
		expect(result.stderr).toContain('✔ Restart first (command): done');
		expect(result.stdout).toContain('CANCELLED: stopped by the operator');
		expect(result.stdout).toMatch(/not run: .*restart:api/);
		expect(await mode()).toBe('promoted');
		const [runDir] = runDirs();
		expect(journalSteps(runDir!)).toContain('restart:first:after:done');
		expect(journalSteps(runDir!).some(step => step.startsWith('restart:api'))).toBe(false);
		expect((await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir})).code).toBe(0);

		const runId = path.basename(runDir!);
		expect(result.stdout).toContain(`--resume ${runId}`);
		const resumed = await runCliAsync(['rollback', '--yes', '--resume', runId], {cwd: work.dir});
		expect(resumed.code).toBe(0);
		expect(resumed.stderr).toContain('↷ Set CAVRA_GO_BACKEND_MODE=disabled');
		expect(resumed.stdout).toContain('RECOVERED');
		expect(await mode()).toBe('disabled');
		expect((await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir})).code).toBe(0);
	});

	it('the printed --resume and verify commands carry the --config the run used and work pasted verbatim from another folder', async () => {
		const release = path.join(work.dir, 'release-first');
		config([heldUntil('first', release), apiService()]);
		// A config in a folder with a space and a quote, named by --config from elsewhere: the bare hint would find no config there.
		const folder = path.join(work.dir, "on call's configs");
		mkdirSync(folder);
		const configFile = path.join(folder, 'rollback config.yaml');
		writeFileSync(configFile, readFileSync(path.join(work.dir, '.cavrarc.yaml'), 'utf8').replaceAll('./', '../'));
		rmSync(path.join(work.dir, '.cavrarc.yaml'));
		const elsewhere = path.join(work.dir, 'elsewhere');
		mkdirSync(elsewhere);
		const run = startCli(['--config', configFile, 'rollback', '--yes'], {cwd: elsewhere});
		await run.waitForStderr('▸ Restart first');
		run.child.kill('SIGINT');
		await run.waitForStderr('stopping after the current step');
		writeFileSync(release, '');
		const result = await run.done;
		expect(result.code).toBe(130);
		const commands = printedCommands(result.stdout);
		const resume = commands.find(command => command.includes('--resume'))!;
		const verify = commands.find(command => command.includes('evidence verify'))!;
		const runId = path.basename(runDirs()[0]!);
		expect(resume).toBe(`cavra-rollback --config '${configFile.replaceAll("'", `'\\''`)}' rollback --resume ${runId} --yes`);
		expect((await runPrinted(verify, {cwd: tmpdir()})).code).toBe(0);
		const resumed = await runPrinted(resume, {cwd: tmpdir()});
		expect(resumed.stdout).toContain('RECOVERED');
		expect(resumed.code).toBe(0);
		expect(await mode()).toBe('disabled');
	});

	it('a second Ctrl-C aborts the running restart now; the journal and evidence are still written', async () => {
		config([sleeper('hangs')]);
		const run = startCli(['rollback', '--yes'], {cwd: work.dir});
		await run.waitForStderr('│ restarting for');
		run.child.kill('SIGINT');
		await run.waitForStderr('stopping after the current step');
		run.child.kill('SIGINT');
		const started = Date.now();
		const result = await run.done;
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(result.code).toBe(130);
		expect(result.stderr).toContain('aborting now');
		// Killed mid-way is "interrupted", not "not run": in the progress, the summary, the journal and the evidence.
		expect(result.stderr).toContain('◔ Restart hangs (command): interrupted: stopped mid-restart (Ctrl-C twice or SIGTERM)');
		expect(result.stdout).toContain('interrupted (a resume re-probes them): restart:hangs');
		expect(result.stdout).not.toMatch(/not run: .*restart:hangs/);
		const [runDir] = runDirs();
		expect(journalSteps(runDir!)).toContain('restart:hangs:after:interrupted');
		expect(journalSteps(runDir!).at(-1)).toBe('evidence:after:done');
		const evidence = JSON.parse(readFileSync(path.join(runDir!, 'evidence.json'), 'utf8')) as {steps: Array<{id: string; status: string}>; services: Array<{name: string; outcome: string}>};
		expect(evidence.steps.find(step => step.id === 'restart:hangs')?.status).toBe('interrupted');
		expect(evidence.services.find(service => service.name === 'hangs')?.outcome).toBe('restart-interrupted');
		expect((await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir})).code).toBe(0);
	});

	it('a restart interrupted by the second Ctrl-C: --resume re-probes it (up, which mode) and says so before restarting it again', async () => {
		// The interrupted restart command's own process group is killed; the flag keeps any survivor from acting.
		const flag = path.join(work.dir, 'really-restart');
		config([apiService(['--delay', '5000', '--only-if', flag])]);
		const run = startCli(['rollback', '--yes'], {cwd: work.dir});
		await run.waitForStderr('▸ Restart api');
		run.child.kill('SIGINT');
		await run.waitForStderr('stopping after the current step');
		run.child.kill('SIGINT');
		const result = await run.done;
		expect(result.code).toBe(130);
		expect(result.stderr).toContain('◔ Restart api (command): interrupted');
		const [runDir] = runDirs();
		expect(journalSteps(runDir!)).toContain('restart:api:after:interrupted');

		writeFileSync(flag, '');
		const resumed = await runCliAsync(['rollback', '--yes', '--resume', path.basename(runDir!)], {cwd: work.dir});
		expect(resumed.stderr).toContain('│ its restart was interrupted; re-probed: up, still answers mode: promoted: restarting it again');
		expect(resumed.stderr).toContain('✔ Restart api (command): done: its restart was interrupted; re-probed: up, still answers mode: promoted; restarted again: exit 0');
		expect(resumed.code).toBe(0);
		expect(await mode()).toBe('disabled');
		const records = readFileSync(path.join(runDir!, 'journal.ndjson'), 'utf8').trim().split('\n').map(line => JSON.parse(line) as {step: string; phase: string; detail?: {services?: Record<string, {reprobe?: string}>}});
		expect(records.filter(record => record.step === 'restart:api' && record.phase === 'after').at(-1)?.detail?.services?.['api']?.reprobe).toBe('its restart was interrupted; re-probed: up, still answers mode: promoted');
		expect((await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir})).code).toBe(0);
	}, 30_000);

	describe('--resume after a kill (SIGKILL) in a step', () => {
		it('killed while restarting: resume re-probes (still promoted), restarts again, recovers', async () => {
			// The killed run's restart command lives on (its own process group); the flag keeps it from acting late.
			const flag = path.join(work.dir, 'really-restart');
			config([apiService(['--delay', '2000', '--only-if', flag])]);
			const run = startCli(['rollback', '--yes'], {cwd: work.dir});
			await run.waitForStderr('▸ Restart api');
			await until(() => runDirs().length === 1 && journalSteps(runDirs()[0]!).includes('restart:api:before'), 5000, 'the restart to be journaled');
			run.child.kill('SIGKILL');
			await run.done;
			const [runDir] = runDirs();
			expect(journalSteps(runDir!).at(-1)).toBe('restart:api:before');
			writeFileSync(flag, '');
			const resumed = await runCliAsync(['rollback', '--yes', '--resume', path.basename(runDir!)], {cwd: work.dir});
			expect(resumed.code).toBe(0);
			expect(resumed.stderr).toContain('✔ Restart api (command): done');
			// Begun and never ended in the journal: the same re-probe as an interrupted restart.
			expect(resumed.stderr).toContain('its restart was interrupted; re-probed: up, still answers mode: promoted: restarting it again');
			expect(await mode()).toBe('disabled');
			expect((await runCliAsync(['evidence', 'verify', runDir!], {cwd: work.dir})).code).toBe(0);
		}, 30_000);

		it('killed while verifying: resume re-probes the service and redoes what is not in place', async () => {
			const flag = path.join(work.dir, 'really-restart');
			config([apiService(['--only-if', flag])]);
			const run = startCli(['rollback', '--yes'], {cwd: work.dir});
			await run.waitForStderr('│ poll 2: still answers mode: promoted');
			run.child.kill('SIGKILL');
			await run.done;
			const [runDir] = runDirs();
			expect(journalSteps(runDir!).at(-1)).toBe('verify:before');
			writeFileSync(flag, '');
			const resumed = await runCliAsync(['rollback', '--yes', '--resume', path.basename(runDir!)], {cwd: work.dir});
			expect(resumed.code).toBe(0);
			expect(resumed.stderr).toContain('↷ Set CAVRA_GO_BACKEND_MODE=disabled');
			expect(resumed.stderr).toContain('✔ Restart api (command): done');
			expect(await mode()).toBe('disabled');
		}, 30_000);
	});

	it('--rehearse: its rehearsal evidence and drill history make `readiness --report all` ready', async () => {
		const schedule = path.join(work.dir, 'schedule.json');
		writeFileSync(
			schedule,
			JSON.stringify({
				schema_version: 'cavra.go-backend-rollback-drill-schedule.v1',
				schedule_id: 'sched-e2e',
				environment: 'e2e',
				status: 'active',
				interval_days: 45,
				next_due_at: new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
				owners: ['platform-oncall'],
				notification_providers: ['slack'],
				owner_routes: {'platform-oncall': ['slack']},
				maintenance_windows: [],
				owner_calendars: {},
				runbook_ref: 'go-promotion-rollback-runbook://docs/current',
			}),
		);
		config([apiService()], ['rehearsalEvidence: ./rehearsal.json', 'drillHistory: ./drills.json', 'drillSchedule: ./schedule.json']);
		const rehearsal = await runCliAsync(['rollback', '--rehearse', '--yes'], {cwd: work.dir});
		expect(rehearsal.code).toBe(0);
		expect(rehearsal.stderr).toContain('✔ Record rehearsal evidence and the drill');
		const readiness = await runCliAsync(['readiness', '--report', 'all', '--mode', 'promoted', '--json'], {cwd: work.dir});
		const reports = JSON.parse(readiness.stdout) as Record<string, {status: string}>;
		expect(Object.fromEntries(Object.entries(reports).map(([name, report]) => [name, report.status]))).toEqual({rollback: 'ready', rehearsal: 'ready', drills: 'ready', 'drill-schedule': 'ready'});
		expect(readiness.code).toBe(0);
		const lint = await runCliAsync(['lint', '--format', 'json', 'rehearsal.json', 'drills.json'], {cwd: work.dir});
		expect(lint.code).toBe(0);
	}, 30_000);
});
