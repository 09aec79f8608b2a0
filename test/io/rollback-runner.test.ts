import {describe, expect, it} from 'vitest';
import type {CavraConfig, ServiceConfig} from '../../source/core/config/schema.js';
import {UsageError} from '../../source/core/errors.js';
import type {RollbackState} from '../../source/core/rollback/machine.js';
import {RunControl, runRollback, type RunnerInput} from '../../source/io/rollback-runner.js';
import {FakeWorld, killed} from '../fixtures/rollback/fakes.js';

const ENV = '/etc/cavra/cavra.env';
const ENV_TEXT = '# CAVRA settings\nDB_PASSWORD=hunter2\nCAVRA_GO_BACKEND_MODE=promoted\n';
const svc = (name: string, extra: Partial<ServiceConfig> = {}): ServiceConfig =>
	({name, kind: 'command', restart: [`/opt/${name}/restart`, '--token', 'tok-999'], verify: {url: `http://127.0.0.1:8000/svc/${name}`}, ...extra}) as ServiceConfig;

function world(services: string[] = ['api'], extra: ConstructorParameters<typeof FakeWorld>[0] = {}) {
	return new FakeWorld({files: {[ENV]: ENV_TEXT}, services: Object.fromEntries(services.map(name => [name, {envFile: ENV}])), ...extra});
}

function config(services: ServiceConfig[], extra: Partial<CavraConfig> = {}): CavraConfig {
	return {plan: '/etc/cavra/plan.json', mode: {envFiles: [ENV]}, services, evidence: {dir: '/evidence'}, api: {url: 'http://127.0.0.1:9999', tokenEnv: 'CAVRA_API_TOKEN'}, ...extra};
}

function input(cfg: CavraConfig, extra: Partial<RunnerInput> = {}): RunnerInput & {states: RollbackState[]} {
	const states: RollbackState[] = [];
	return {
		kind: 'rollback',
		config: cfg,
		configPath: '/etc/cavra/.cavrarc.yaml',
		env: {CAVRA_API_TOKEN: 'tok-api-secret', HOME: '/root', SECRET_ENV: 'env-dump-canary'},
		serviceFilter: [],
		evidenceDir: '/evidence',
		control: new RunControl(),
		confirm: async () => true,
		onState: state => states.push(state),
		states,
		...extra,
	};
}

const journalOf = (w: FakeWorld, runId: string) => w.runs.get(runId)!.journal;

describe('rollback runner', () => {
	it('recovers: sets the mode, restarts, verifies, captures and writes evidence; journal before/after every step', async () => {
		const w = world(['api']);
		const outcome = await runRollback(input(config([svc('api')])), w.effects());
		const {state} = outcome;
		expect(state.result).toBe('recovered');
		expect(state.exitCode).toBe(0);
		expect(w.files.get(ENV)).toBe('# CAVRA settings\nDB_PASSWORD=hunter2\nCAVRA_GO_BACKEND_MODE=disabled\n');
		expect(w.services.get('api')).toMatchObject({mode: 'disabled', restarts: 1});
		const journal = journalOf(w, state.runId);
		const steps = journal.map(record => `${record.step}:${record.phase}${record.status ? `:${record.status}` : ''}`);
		expect(steps).toEqual([
			'preflight:before',
			'preflight:after:done',
			'confirm:before',
			'confirm:after:confirmed',
			`set-mode:${ENV}:before`,
			`set-mode:${ENV}:after:done`,
			'restart:api:before',
			'restart:api:after:done',
			'verify:before',
			'verify:after:done',
			'capture:before',
			'capture:after:done',
			'evidence:before',
			'evidence:after:done',
		]);
		expect(journal.at(-1)?.detail).toMatchObject({result: 'recovered', exit_code: 0});
		// Hash chain.
		journal.forEach((record, index) => expect((record as unknown as {prev_sha256: string}).prev_sha256).toBe(index === 0 ? '0'.repeat(64) : journal[index - 1]!.sha256));
		// evidence.json seals the journal up to the evidence step's "before" record.
		expect((outcome.evidence!['journal'] as {records: number}).records).toBe(journal.length - 1);

		const evidence = outcome.evidence!;
		expect(evidence).toMatchObject({
			schema_version: 'cavra-rollback.evidence.v1',
			run_id: state.runId,
			kind: 'rollback',
			result: 'recovered',
			within_target: true,
			max_recovery_minutes: 15,
			plan: {path: '/etc/cavra/plan.json', state: 'ready', approval_id: 'apr_go_backend_rollback', sha256: 'ab'.repeat(32)},
			targets: [{type: 'env-file', target: ENV, mode_before: 'promoted', mode_after: 'disabled', action: 'replace', status: 'done'}],
			services: [{name: 'api', outcome: 'recovered', mode_before: 'promoted', mode_after: 'disabled'}],
		});
		expect(evidence['recovery_seconds']).toBeGreaterThan(0);
		expect(evidence['reports']).toEqual({before: 'before.json', after: 'after.json'});
		const reportsAfter = JSON.parse(w.runs.get(state.runId)!.files.get('reports/after.json')!) as Record<string, unknown>;
		expect(Object.keys(reportsAfter)).toEqual(['captured_at', 'when', 'cavra_rollback_readiness', 'api_rollback_readiness', 'api_production_readiness']);
		expect(evidence['report_status']).toEqual({
			before: {cavra_rollback_readiness: 'ready', api_rollback_readiness: 'ready', api_production_readiness: 'ready'},
			after: {cavra_rollback_readiness: 'ready', api_rollback_readiness: 'ready', api_production_readiness: 'ready'},
		});
		expect((evidence['journal'] as {head_sha256: string}).head_sha256).toMatch(/^[0-9a-f]{64}$/);
		// No secret, token or environment value anywhere in evidence or journal.
		const everything = JSON.stringify([evidence, journal, [...w.runs.get(state.runId)!.files.values()]]);
		for (const secret of ['hunter2', 'tok-999', 'tok-api-secret', 'env-dump-canary', '/root']) expect(everything).not.toContain(secret);
		expect(everything).toContain('--token');
	});

	it('dry run: nothing changes, no restart, result previewed, exit 0; evidence says dry-run but no bundle is kept', async () => {
		const w = world(['api']);
		const confirm = async () => {
			throw new Error('a dry run must not ask');
		};
		const outcome = await runRollback(input(config([svc('api')]), {kind: 'dry-run', confirm}), w.effects());
		expect(outcome.state).toMatchObject({result: 'previewed', exitCode: 0});
		expect(w.files.get(ENV)).toBe(ENV_TEXT);
		expect(w.services.get('api')!.restarts).toBe(0);
		expect(outcome.preview?.envFiles[0]).toMatchObject({modeBefore: 'promoted', action: 'replace'});
		expect(outcome.preview?.batches[0]?.[0]).toMatchObject({name: 'api', modeNow: 'promoted', commands: [{argv: ['/opt/api/restart', '--token', '<redacted>']}]});
		expect(outcome.evidence).toMatchObject({kind: 'dry-run', result: 'previewed', within_target: null});
		expect(outcome.state.steps.filter(step => step.kind === 'restart').every(step => step.status === 'skipped' && step.skipReason === 'dry-run')).toBe(true);
		expect(outcome.state.steps.find(step => step.kind === 'evidence')).toMatchObject({status: 'skipped', skipReason: 'nothing-changed'});
		expect(w.runs.has(outcome.state.runId)).toBe(false);
		expect(outcome).toMatchObject({evidencePath: undefined, runDir: undefined});
	});

	it('a failing restart: partial, exit 3, its verify blocked, the other service still rolled back', async () => {
		const w = world(['api', 'runner']);
		w.services.get('runner')!.behaviour = 'fail';
		const {state, evidence} = await runRollback(input(config([svc('api'), svc('runner')])), w.effects());
		expect(state).toMatchObject({result: 'partial', exitCode: 3});
		expect(state.steps.find(step => step.id === 'restart:runner')).toMatchObject({status: 'failed', detail: 'exit 1: unit not found'});
		expect(state.steps.find(step => step.id === 'verify:runner')).toMatchObject({status: 'skipped', skipReason: 'blocked'});
		expect((evidence!['services'] as Array<{outcome: string}>).map(service => service.outcome)).toEqual(['recovered', 'restart-failed']);
	});

	it('a restart that hangs past its timeout fails the step (exit 3) instead of hanging', async () => {
		const w = world(['api']);
		w.services.get('api')!.behaviour = 'timeout';
		const {state, evidence} = await runRollback(input(config([svc('api', {timeoutMs: 2000})])), w.effects());
		expect(state).toMatchObject({result: 'failed', exitCode: 3});
		expect(state.steps.find(step => step.id === 'restart:api')?.detail).toMatch(/timed out after 2 s/);
		expect((evidence!['services'] as Array<{restart: {timed_out: boolean}}>)[0]?.restart.timed_out).toBe(true);
	});

	it('a service that never reports disabled fails verify at the end of the budget: exit 1', async () => {
		const w = world(['api', 'runner']);
		w.services.get('runner')!.behaviour = 'stuck';
		const started = w.now;
		const {state} = await runRollback(input(config([svc('api'), svc('runner')])), w.effects());
		expect(state).toMatchObject({result: 'partial', exitCode: 1});
		expect(state.steps.find(step => step.id === 'verify:runner')).toMatchObject({status: 'failed'});
		expect(state.steps.find(step => step.id === 'verify:runner')?.detail).toMatch(/not back within the recovery budget \(15 min\): still answers mode: promoted/);
		// Bounded by the budget (virtual time), not by luck.
		expect(w.now - started).toBeLessThan(16 * 60_000 + 10_000);
		expect(w.now - started).toBeGreaterThanOrEqual(15 * 60_000);
	});

	it('services sharing a group restart in parallel; batches keep config order', async () => {
		const names = ['api', 'a', 'b', 'c', 'last'];
		const w = world(names);
		const services = [svc('api'), svc('a', {group: 'edge'}), svc('b', {group: 'edge'}), svc('c', {group: 'edge'}), svc('last')];
		const {state} = await runRollback(input(config(services)), w.effects());
		expect(state.result).toBe('recovered');
		expect(w.maxRunning).toBe(3);
		expect(w.restartOrder[0]).toBe('api');
		expect(w.restartOrder.slice(1, 4).sort()).toEqual(['a', 'b', 'c']);
		expect(w.restartOrder[4]).toBe('last');
		expect(state.steps.filter(step => step.kind === 'restart').map(step => step.batch)).toEqual([0, 1, 1, 1, 2]);
		// The journal's unit is the batch: one record before and after the group, every member's outcome inside.
		const journal = journalOf(w, state.runId);
		const group = journal.filter(record => record.step === 'restart-group:edge');
		expect(group.map(record => record.phase)).toEqual(['before', 'after']);
		expect(group[0]?.detail).toMatchObject({services: ['a', 'b', 'c']});
		expect(group[1]).toMatchObject({status: 'done', detail: {services: {a: {status: 'done', exit_code: 0}, b: {status: 'done'}, c: {status: 'done'}}}});
		expect(journal.filter(record => record.step === 'verify').map(record => record.phase)).toEqual(['before', 'after']);
	});

	it('--service limits the run; an unknown name is a usage error before anything changes', async () => {
		const w = world(['api', 'runner']);
		const {state} = await runRollback(input(config([svc('api'), svc('runner')]), {serviceFilter: ['runner']}), w.effects());
		expect(state.steps.filter(step => step.kind === 'restart').map(step => step.id)).toEqual(['restart:runner']);
		expect(w.services.get('api')!.restarts).toBe(0);
		const w2 = world(['api']);
		await expect(runRollback(input(config([svc('api')]), {serviceFilter: ['nope']}), w2.effects())).rejects.toThrow(UsageError);
		expect(w2.files.get(ENV)).toBe(ENV_TEXT);
		expect(w2.runs.size).toBe(0);
	});

	it('a missing plan does not block the rollback: loud notice, default budget, recorded', async () => {
		const w = world(['api']);
		w.planSummary = {...w.planSummary!, valid: false, approved: false, message: 'metadata file is missing', max_recovery_minutes: null, rollback_steps: []};
		w.planSha = null;
		const {state, evidence} = await runRollback(input(config([svc('api')])), w.effects());
		expect(state.result).toBe('recovered');
		expect(state.notices.join('\n')).toMatch(/THE ROLLBACK PLAN IS MISSING[\s\S]*defaults to 15 minutes/);
		expect(evidence).toMatchObject({plan: {state: 'missing', sha256: null}, max_recovery_source: 'default'});
	});

	it('not confirmed: cancelled, exit 130, nothing changed, no bundle kept and nothing to resume', async () => {
		const w = world(['api']);
		const outcome = await runRollback(input(config([svc('api')]), {confirm: async () => false}), w.effects());
		expect(outcome.state).toMatchObject({result: 'cancelled', exitCode: 130});
		expect(w.files.get(ENV)).toBe(ENV_TEXT);
		expect(w.runs.has(outcome.state.runId)).toBe(false);
		expect(outcome).toMatchObject({evidencePath: undefined, runDir: undefined});
		// Said as it happened: declined at the question, not "stopped by Ctrl-C".
		expect(outcome.state.steps.find(step => step.kind === 'set-mode')).toMatchObject({status: 'cancelled', detail: 'not confirmed (Esc, Ctrl-C or no answer)'});
		await expect(runRollback(input(config([svc('api')]), {resumeRunId: outcome.state.runId}), w.effects())).rejects.toThrow(/no run/);
	});

	it('stopped (Ctrl-C) before the question: nothing changed, no bundle kept', async () => {
		const w = world(['api']);
		const control = new RunControl();
		const confirm = async () => {
			throw new Error('a stopped run must not ask');
		};
		w.hooks.at = point => {
			if (point.startsWith('report:')) control.requestStop();
		};
		const outcome = await runRollback(input(config([svc('api')]), {control, confirm}), w.effects());
		expect(outcome.state).toMatchObject({result: 'cancelled', exitCode: 130});
		expect(w.runs.has(outcome.state.runId)).toBe(false);
	});

	it('Ctrl-C between steps: the current step finishes, the rest is not run, exit 130, consistent', async () => {
		const w = world(['api']);
		const control = new RunControl();
		w.hooks.at = point => {
			if (point === `set-mode:before-write:${ENV}`) control.requestStop();
		};
		const {state, evidence} = await runRollback(input(config([svc('api')]), {control}), w.effects());
		expect(state).toMatchObject({result: 'cancelled', exitCode: 130});
		// The step that was running finished: the env file is whole and disabled.
		expect(w.files.get(ENV)).toContain('CAVRA_GO_BACKEND_MODE=disabled');
		expect(state.steps.find(step => step.id === `set-mode:${ENV}`)?.status).toBe('done');
		expect(state.steps.find(step => step.id === 'restart:api')).toMatchObject({status: 'cancelled', detail: 'stopped by Ctrl-C'});
		expect(w.services.get('api')!.restarts).toBe(0);
		expect(evidence).toMatchObject({result: 'cancelled'});
		expect(journalOf(w, state.runId).at(-1)).toMatchObject({step: 'evidence', status: 'done', detail: {result: 'cancelled', exit_code: 130}});
	});

	it('a second Ctrl-C aborts the running restart and still writes the journal and evidence', async () => {
		const w = world(['api']);
		w.services.get('api')!.behaviour = 'wait-for-abort';
		const control = new RunControl();
		w.hooks.at = point => {
			if (point === 'restart:start:api') {
				expect(control.requestStop()).toBe('cancel');
				setImmediate(() => expect(control.requestStop()).toBe('abort'));
			}
		};
		const {state, evidencePath} = await runRollback(input(config([svc('api')]), {control}), w.effects());
		expect(state).toMatchObject({result: 'cancelled', exitCode: 130, abortRequested: true});
		expect(state.steps.find(step => step.id === 'restart:api')).toMatchObject({status: 'interrupted', detail: expect.stringMatching(/^stopped mid-restart/)});
		expect(evidencePath).toBe(`/evidence/${state.runId}/evidence.json`);
		const journal = journalOf(w, state.runId);
		expect(journal.find(record => record.step === 'restart:api' && record.phase === 'after')?.status).toBe('interrupted');
		expect(journal.at(-1)).toMatchObject({step: 'evidence', status: 'done', detail: {result: 'cancelled'}});
	});

	it('--resume after an interrupted restart re-probes it and says what it found before restarting it again', async () => {
		const w = world(['api', 'runner']);
		const services = [svc('api', {group: 'all'}), svc('runner', {group: 'all', verify: undefined})];
		for (const name of ['api', 'runner']) w.services.get(name)!.behaviour = 'wait-for-abort';
		const control = new RunControl();
		w.hooks.at = point => {
			if (point === 'restart:start:runner') setImmediate(() => control.abort());
		};
		const first = await runRollback(input(config(services), {control}), w.effects());
		expect(first.state.steps.filter(step => step.kind === 'restart').map(step => step.status)).toEqual(['interrupted', 'interrupted']);
		expect(journalOf(w, first.state.runId).find(record => record.step.startsWith('restart-group') && record.phase === 'after')?.status).toBe('interrupted');

		w.hooks.at = undefined;
		for (const name of ['api', 'runner']) w.services.get(name)!.behaviour = 'ok';
		const resumed = await runRollback(input(config(services), {resumeRunId: first.state.runId}), w.effects());
		expect(resumed.state.result).toBe('recovered');
		const detail = (id: string) => resumed.state.steps.find(step => step.id === id)?.detail;
		expect(detail('restart:api')).toMatch(/^its restart was interrupted; re-probed: up, still answers mode: promoted; restarted again: /);
		expect(detail('restart:runner')).toMatch(/^its restart was interrupted; re-probed: cannot be re-probed \(no verify.url\); restarted again: /);
		const after = journalOf(w, first.state.runId).filter(record => record.step.startsWith('restart-group') && record.phase === 'after').at(-1);
		expect(after?.detail).toMatchObject({services: {api: {status: 'done', reprobe: 'its restart was interrupted; re-probed: up, still answers mode: promoted'}}});
	});

	it('a journal that cannot be written does not stop the rollback, but the evidence step fails (exit 3)', async () => {
		const w = world(['api']);
		w.hooks.at = point => {
			if (point === 'restart:start:api') w.journalFails = true;
		};
		const {state} = await runRollback(input(config([svc('api')])), w.effects());
		expect(w.services.get('api')!.mode).toBe('disabled');
		expect(state.result).toBe('recovered');
		expect(state.exitCode).toBe(3);
		expect(state.steps.find(step => step.id === 'evidence')?.detail).toMatch(/journal could not be written: ENOSPC/);
	});

	it('an env file that cannot be read fails preflight (exit 2) and changes nothing', async () => {
		const w = world(['api']);
		const {state} = await runRollback(input(config([svc('api')], {mode: {envFiles: [ENV, '/missing.env']}})), w.effects());
		expect(state).toMatchObject({result: 'failed', exitCode: 2});
		expect(state.steps.find(step => step.id === 'preflight')?.detail).toMatch(/\/missing.env: no such file/);
		expect(w.files.get(ENV)).toBe(ENV_TEXT);
	});

	it('an env file that cannot be written stops before any restart (exit 3)', async () => {
		const w = world(['api'], {files: {[ENV]: 'READ_ONLY=1\nCAVRA_GO_BACKEND_MODE=promoted\n'}});
		const {state} = await runRollback(input(config([svc('api')])), w.effects());
		expect(state).toMatchObject({result: 'failed', exitCode: 3});
		expect(w.services.get('api')!.restarts).toBe(0);
	});

	it('an unreachable API is recorded as unavailable, not a crash', async () => {
		const w = world(['api']);
		w.apiAnswer = {kind: 'unreachable', message: 'connection refused', elapsedMs: 1};
		const {state, evidence} = await runRollback(input(config([svc('api')])), w.effects());
		expect(state.result).toBe('recovered');
		expect(state.notices.some(notice => notice.includes('unreachable'))).toBe(true);
		expect((evidence!['report_status'] as {after: Record<string, string>}).after['api_production_readiness']).toBe('unreachable');
		expect(JSON.parse(w.runs.get(state.runId)!.files.get('reports/after.json')!)['api_production_readiness']).toMatchObject({unavailable: 'unreachable'});
	});
});

describe('rollback runner: --resume after a kill in each step', () => {
	const points = [
		['set-mode (before the write)', `set-mode:before-write:${ENV}`],
		['set-mode (after the write)', `set-mode:after-write:${ENV}`],
		['restart (before it ran)', 'restart:start:api'],
		['restart (after it ran)', 'restart:after:api'],
		['verify', 'verify'],
		['capture', 'report:disabled'],
		['evidence', 'evidence:write'],
	] as const;

	for (const [name, point] of points) {
		it(`killed in ${name}: resume re-probes live state and finishes recovered`, async () => {
			const w = world(['api', 'runner']);
			const services = [svc('api'), svc('runner', {verify: undefined})];
			let crashed!: () => void;
			const crash = new Promise<void>(resolve => (crashed = resolve));
			let verifyPolls = 0;
			w.hooks.at = p => {
				const hit = point === 'verify' ? p === 'http:http://127.0.0.1:8000/svc/api' && ++verifyPolls === 2 : p === point;
				if (hit) {
					crashed();
					return killed();
				}
				return undefined;
			};
			const first = runRollback(input(config(services)), w.effects());
			await Promise.race([crash, first]);
			const runId = [...w.runs.keys()][0]!;
			const before = journalOf(w, runId).length;
			expect(journalOf(w, runId).some(record => record.step === 'evidence' && record.phase === 'after')).toBe(false);

			w.hooks.at = undefined;
			const restartsBefore = w.services.get('api')!.restarts;
			const resumed = await runRollback(input(config(services), {resumeRunId: runId}), w.effects());
			expect(resumed.state.runId).toBe(runId);
			expect(resumed.state.result).toBe('recovered');
			expect(resumed.state.exitCode).toBe(0);
			expect(w.services.get('api')!.mode).toBe('disabled');
			const setMode = resumed.state.steps.find(step => step.id === `set-mode:${ENV}`)!;
			const restart = resumed.state.steps.find(step => step.id === 'restart:api')!;
			if (restartsBefore > 0) {
				// The service already answers disabled: not restarted again.
				expect(restart).toMatchObject({status: 'skipped', skipReason: 'already-done'});
				expect(w.services.get('api')!.restarts).toBe(restartsBefore);
			} else {
				expect(restart.status).toBe('done');
			}
			const fileWasWritten = !['preflight', 'set-mode (before the write)'].includes(name);
			expect(setMode.status).toBe(fileWasWritten ? 'skipped' : 'done');
			// A service without verify.url cannot be re-probed: it is restarted again.
			expect(resumed.state.steps.find(step => step.id === 'restart:runner')?.status).toBe('done');
			// The journal continues the same chain.
			const journal = journalOf(w, runId);
			expect(journal.length).toBeGreaterThan(before);
			journal.forEach((record, index) => expect((record as unknown as {prev_sha256: string}).prev_sha256).toBe(index === 0 ? '0'.repeat(64) : journal[index - 1]!.sha256));
			expect(resumed.evidence).toMatchObject({run_id: runId, resume_of: runId, result: 'recovered'});
		});
	}

	it('killed in the preflight or at the question: no run is kept (nothing to list or resume) and the next run goes normally', async () => {
		for (const at of ['preflight', 'question'] as const) {
			const w = world(['api']);
			let crashed!: () => void;
			const crash = new Promise<void>(resolve => (crashed = resolve));
			const stop = () => {
				crashed();
				return killed();
			};
			if (at === 'preflight') w.hooks.at = p => (p === 'report:promoted' ? stop() : undefined);
			const first = runRollback(input(config([svc('api')]), at === 'question' ? {confirm: () => stop().then(() => true)} : {}), w.effects());
			await Promise.race([crash, first]);
			expect([...w.runs.keys()]).toEqual([]);
			w.hooks.at = undefined;
			const next = await runRollback(input(config([svc('api')])), w.effects());
			expect(next.state.result).toBe('recovered');
			expect([...w.runs.keys()]).toEqual([next.state.runId]);
		}
	});

	it('a run folder that cannot be created at the confirmation stops the run before anything changes (exit 3, saying so)', async () => {
		const w = world(['api']);
		w.keepFails = true;
		const run = runRollback(input(config([svc('api')])), w.effects());
		await expect(run).rejects.toMatchObject({exitCode: 3, message: expect.stringMatching(/^the run folder could not be created, so nothing was changed: EACCES/)});
		expect(w.files.get(ENV)).toContain('=promoted');
		expect(w.services.get('api')!.restarts).toBe(0);
		expect([...w.runs.keys()]).toEqual([]);
		// Nothing is left behind: the next run goes ahead.
		w.keepFails = false;
		expect((await runRollback(input(config([svc('api')])), w.effects())).state.result).toBe('recovered');
	});

	it('killed right after confirming: the run is kept with the preview journaled at its own times, and resumable', async () => {
		const w = world(['api']);
		let crashed!: () => void;
		const crash = new Promise<void>(resolve => (crashed = resolve));
		w.hooks.at = p => {
			if (p !== `set-mode:before-write:${ENV}`) return undefined;
			crashed();
			return killed();
		};
		const first = runRollback(input(config([svc('api')]), {confirm: async () => ((w.now += 5000), true)}), w.effects());
		await Promise.race([crash, first]);
		const [runId] = [...w.runs.keys()];
		const journal = journalOf(w, runId!);
		expect(journal.map(record => `${record.step}:${record.phase}${record.status ? `:${record.status}` : ''}`).slice(0, 5)).toEqual(['preflight:before', 'preflight:after:done', 'confirm:before', 'confirm:after:confirmed', `set-mode:${ENV}:before`]);
		// The question's time and the confirmation's are both kept (the operator took 5 s to answer).
		const [, , asked, confirmed] = journal;
		expect(Date.parse(confirmed!.at) - Date.parse(asked!.at)).toBe(5000);
		expect(w.runs.get(runId!)!.files.has('reports/before.json')).toBe(true);
		w.hooks.at = undefined;
		const resumed = await runRollback(input(config([svc('api')]), {resumeRunId: runId!}), w.effects());
		expect(resumed.state.result).toBe('recovered');
	});

	it('a dry run leaves nothing to resume; a run that does not exist is refused', async () => {
		const w = world(['api']);
		const dry = await runRollback(input(config([svc('api')]), {kind: 'dry-run'}), w.effects());
		await expect(runRollback(input(config([svc('api')]), {resumeRunId: dry.state.runId}), w.effects())).rejects.toThrow(/no run/);
		await expect(runRollback(input(config([svc('api')]), {resumeRunId: 'rb-20260101T000000Z-000000'}), w.effects())).rejects.toThrow(/no run/);
	});
});

describe('rollback runner: --rehearse', () => {
	it('writes CAVRA rehearsal evidence and appends a drill (creating the history)', async () => {
		const w = world(['api']);
		const cfg = config([svc('api')], {rehearsalEvidence: '/r/rehearsal.json', drillHistory: '/r/drills.json'});
		const {state, evidence} = await runRollback(input(cfg, {kind: 'rehearsal'}), w.effects());
		expect(state.result).toBe('recovered');
		expect(state.steps.find(step => step.id === 'record')?.status).toBe('done');
		const rehearsal = JSON.parse(w.files.get('/r/rehearsal.json')!) as Record<string, unknown>;
		expect(rehearsal).toMatchObject({schema_version: 'cavra.go-backend-rollback-rehearsal.v1', status: 'pass', simulated: true, fallback_verified: true, plan_approval_id: 'apr_go_backend_rollback', max_recovery_minutes: 15, runbook_ref: 'go-promotion-rollback-runbook://docs/current'});
		expect(rehearsal['recovery_minutes']).toBeGreaterThan(0);
		const history = JSON.parse(w.files.get('/r/drills.json')!) as {schema_version: string; drills: Array<Record<string, unknown>>};
		expect(history.schema_version).toBe('cavra.go-backend-rollback-drill-history.v1');
		expect(history.drills).toHaveLength(1);
		expect(history.drills[0]).toMatchObject({drill_id: state.runId, status: 'pass', target_mode: 'disabled', fallback_verified: true, source_mode: 'promoted'});
		expect(evidence).toMatchObject({kind: 'rehearsal', rehearsal: {rehearsalEvidence: '/r/rehearsal.json', drillHistory: '/r/drills.json', drillId: state.runId, error: null}});
	});

	it('without a verified service, fallback_verified is false and the drill is recorded as fail', async () => {
		const w = world(['api']);
		const cfg = config([svc('api', {verify: undefined})], {rehearsalEvidence: '/r/rehearsal.json', drillHistory: '/r/drills.json'});
		await runRollback(input(cfg, {kind: 'rehearsal'}), w.effects());
		expect(JSON.parse(w.files.get('/r/rehearsal.json')!)).toMatchObject({status: 'fail', fallback_verified: false});
	});

	it('leaves an unparseable drill history alone (exit 2)', async () => {
		const w = world(['api']);
		w.files.set('/r/drills.json', '{"schema_version": "something-else", "drills": []}');
		const cfg = config([svc('api')], {rehearsalEvidence: '/r/rehearsal.json', drillHistory: '/r/drills.json'});
		const {state} = await runRollback(input(cfg, {kind: 'rehearsal'}), w.effects());
		expect(w.files.get('/r/drills.json')).toBe('{"schema_version": "something-else", "drills": []}');
		expect(state.steps.find(step => step.id === 'record')).toMatchObject({status: 'failed'});
		expect(state.exitCode).toBe(2);
	});

	it('needs rehearsalEvidence and drillHistory in the config', async () => {
		const w = world(['api']);
		await expect(runRollback(input(config([svc('api')]), {kind: 'rehearsal'}), w.effects())).rejects.toThrow(/rehearsalEvidence/);
	});
});
