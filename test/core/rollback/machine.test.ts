import {describe, expect, it} from 'vitest';
import {
	budgetFromPlan,
	buildSteps,
	classifyResult,
	countdown,
	DEFAULT_MAX_RECOVERY_MINUTES,
	exitCodeFor,
	initialState,
	recoverySeconds,
	reduce,
	serviceOutcomes,
	withinTarget,
	type RollbackEvent,
	type RollbackState,
	type RunKind,
} from '../../../source/core/rollback/machine.js';

const batches = [[{name: 'api', kind: 'systemd'}], [{name: 'runner', kind: 'command'}, {name: 'agent', kind: 'launchd'}]];

function start(kind: RunKind = 'rollback', envFiles = ['/etc/cavra.env']): RollbackState {
	return initialState({runId: 'rb-20260101T000000Z-abcdef', kind, steps: buildSteps({envFiles, batches}), budget: {maxRecoveryMinutes: 15, source: 'plan'}, nowMs: 0});
}

function apply(state: RollbackState, events: RollbackEvent[]): RollbackState {
	return events.reduce(reduce, state);
}

function run(id: string, atMs: number, status: 'done' | 'failed' | 'skipped' = 'done', extra: Partial<Extract<RollbackEvent, {type: 'step-finished'}>> = {}): RollbackEvent[] {
	return [
		{type: 'step-started', id, atMs},
		{type: 'step-finished', id, status, atMs: atMs + 10, ...extra},
	];
}

function happy(state: RollbackState, overrides: Record<string, RollbackEvent[]> = {}): RollbackState {
	let at = 0;
	const events: RollbackEvent[] = [];
	for (const step of state.steps) {
		at += 100;
		if (step.id === 'set-mode:/etc/cavra.env') events.push({type: 'clock-start', atMs: at});
		events.push(...(overrides[step.id] ?? run(step.id, at)));
	}
	events.push({type: 'finished', atMs: at + 1000});
	return apply(state, events);
}

describe('rollback machine: steps', () => {
	it('orders preflight, set-mode per env file, restarts by batch, verifies, capture, evidence', () => {
		const ids = buildSteps({envFiles: ['/a.env', '/b.env'], batches}).map(step => step.id);
		expect(ids).toEqual([
			'preflight',
			'set-mode:/a.env',
			'set-mode:/b.env',
			'restart:api',
			'restart:runner',
			'restart:agent',
			'verify:api',
			'verify:runner',
			'verify:agent',
			'capture',
			'evidence',
		]);
		const steps = buildSteps({envFiles: [], batches});
		expect(steps.find(step => step.id === 'restart:agent')?.batch).toBe(1);
	});

	it('rejects duplicate step ids and invalid transitions', () => {
		expect(() => initialState({runId: 'x', kind: 'rollback', steps: [{id: 'a', kind: 'capture', label: ''}, {id: 'a', kind: 'capture', label: ''}], budget: budgetFromPlan(1), nowMs: 0})).toThrow(/duplicate/);
		const state = apply(start(), run('preflight', 1));
		expect(() => reduce(state, {type: 'step-started', id: 'preflight', atMs: 2})).toThrow(/cannot start/);
		expect(() => reduce(state, {type: 'step-finished', id: 'preflight', status: 'done', atMs: 2})).toThrow(/cannot finish/);
		expect(() => reduce(state, {type: 'step-started', id: 'nope', atMs: 2})).toThrow(/unknown/);
	});

	it('keeps only the last lines of output, per step', () => {
		let state = apply(start(), [{type: 'step-started', id: 'preflight', atMs: 0}]);
		state = reduce(state, {type: 'output', id: 'restart:api', lines: Array.from({length: 20}, (_, i) => `line ${i}`)});
		expect(state.tail).toHaveLength(8);
		expect(state.tail.at(-1)).toBe('line 19');
		state = reduce(state, {type: 'output', id: 'restart:runner', lines: ['other']});
		expect(state.tail).toEqual(['other']);
	});
});

describe('rollback machine: results and exit codes', () => {
	it('recovered when every step succeeds: exit 0, within target', () => {
		const state = happy(start());
		expect(state.result).toBe('recovered');
		expect(state.exitCode).toBe(0);
		expect(state.phase).toBe('finished');
		expect(withinTarget(state)).toBe(true);
		// Clock: from set-mode start (200) to the last verify's end (800 + 10).
		expect(recoverySeconds(state)).toBe(0.61);
	});

	it('a service without verify.url counts as back but not verified', () => {
		const state = happy(start(), {'verify:runner': [{type: 'step-finished', id: 'verify:runner', status: 'skipped', skipReason: 'not-configured', atMs: 750}]});
		expect(state.result).toBe('recovered');
		const runner = serviceOutcomes(state.steps).find(outcome => outcome.service === 'runner');
		expect(runner).toMatchObject({ok: true, verified: false});
	});

	it('a failing restart is partial with exit 3 (an adapter failed)', () => {
		const state = happy(start(), {
			'restart:runner': run('restart:runner', 500, 'failed', {detail: 'exit 1'}),
			'verify:runner': [{type: 'step-finished', id: 'verify:runner', status: 'skipped', skipReason: 'blocked', atMs: 800}],
		});
		expect(state.result).toBe('partial');
		expect(state.exitCode).toBe(3);
		expect(withinTarget(state)).toBe(false);
	});

	it('a service that never reports disabled is partial with exit 1 (not verified)', () => {
		const state = happy(start(), {'verify:agent': run('verify:agent', 900, 'failed', {detail: 'still answers mode: promoted'})});
		expect(state.result).toBe('partial');
		expect(state.exitCode).toBe(1);
	});

	it('nothing verified is failed; a failed env-file write is failed with exit 3', () => {
		const noneBack = happy(start(), {
			'verify:api': run('verify:api', 700, 'failed'),
			'verify:runner': run('verify:runner', 800, 'failed'),
			'verify:agent': run('verify:agent', 900, 'failed'),
		});
		expect(noneBack.result).toBe('failed');
		expect(noneBack.exitCode).toBe(1);
		const state = apply(start(), [...run('preflight', 0), {type: 'clock-start', atMs: 5}, ...run('set-mode:/etc/cavra.env', 10, 'failed'), {type: 'finished', atMs: 50}]);
		expect(state.result).toBe('failed');
		expect(state.exitCode).toBe(3);
		expect(state.steps.filter(step => step.status === 'cancelled').map(step => step.id)).toContain('restart:api');
	});

	it('Ctrl-C between steps: cancelled, exit 130, unrun steps say so', () => {
		const state = apply(start(), [
			...run('preflight', 0),
			{type: 'clock-start', atMs: 5},
			{type: 'step-started', id: 'set-mode:/etc/cavra.env', atMs: 10},
			{type: 'cancel-requested', atMs: 11},
			{type: 'step-finished', id: 'set-mode:/etc/cavra.env', status: 'done', atMs: 20},
			{type: 'finished', atMs: 30},
		]);
		expect(state.result).toBe('cancelled');
		expect(state.exitCode).toBe(130);
		expect(state.steps.find(step => step.id === 'set-mode:/etc/cavra.env')?.status).toBe('done');
		expect(state.steps.find(step => step.id === 'restart:api')).toMatchObject({status: 'cancelled', detail: 'stopped by Ctrl-C'});
	});

	it('a cancel after every change step finished does not hide a recovery', () => {
		let state = start();
		const events: RollbackEvent[] = [];
		let at = 0;
		for (const step of state.steps) {
			at += 10;
			if (step.id === 'capture') events.push({type: 'cancel-requested', atMs: at});
			if (step.id === 'capture' || step.id === 'evidence') continue;
			events.push(...run(step.id, at));
		}
		events.push({type: 'finished', atMs: at});
		state = apply(state, events);
		expect(state.result).toBe('recovered');
	});

	it('resume skips (already done) count as success', () => {
		const state = happy(start(), {
			'set-mode:/etc/cavra.env': [{type: 'step-finished', id: 'set-mode:/etc/cavra.env', status: 'skipped', skipReason: 'already-done', atMs: 200}],
			'restart:api': [{type: 'step-finished', id: 'restart:api', status: 'skipped', skipReason: 'already-done', atMs: 300}],
			'verify:api': [{type: 'step-finished', id: 'verify:api', status: 'skipped', skipReason: 'already-done', atMs: 310}],
		});
		expect(state.result).toBe('recovered');
		expect(serviceOutcomes(state.steps)[0]).toMatchObject({service: 'api', verified: true, ok: true});
	});

	it('dry run: previewed and exit 0 when preflight built the preview; exit 2 when it could not', () => {
		const ok = apply(start('dry-run'), [...run('preflight', 0), {type: 'finished', atMs: 20}]);
		expect(ok.result).toBe('previewed');
		expect(ok.exitCode).toBe(0);
		const bad = apply(start('dry-run'), [...run('preflight', 0, 'failed'), {type: 'finished', atMs: 20}]);
		expect(bad.result).toBe('failed');
		expect(bad.exitCode).toBe(2);
	});

	it('a run with no services but env files set is recovered', () => {
		const state = initialState({runId: 'x', kind: 'rollback', steps: buildSteps({envFiles: ['/a'], batches: []}), budget: budgetFromPlan(5), nowMs: 0});
		const done = apply(state, [...run('preflight', 0), ...run('set-mode:/a', 10), ...run('capture', 20), ...run('evidence', 30), {type: 'finished', atMs: 40}]);
		expect(classifyResult(done)).toBe('recovered');
		expect(exitCodeFor('recovered', done.steps)).toBe(0);
	});

	it('an evidence write failure is exit 3 even when the services recovered', () => {
		const state = happy(start(), {evidence: run('evidence', 2000, 'failed')});
		expect(state.result).toBe('recovered');
		expect(state.exitCode).toBe(3);
	});
});

describe('rollback machine: countdown and budget', () => {
	it('counts down from the budget and reports an overrun', () => {
		const base = {budget: {maxRecoveryMinutes: 1, source: 'plan' as const}, clockStartedAtMs: 1000};
		expect(countdown({...base, nowMs: 1000})).toMatchObject({remainingMs: 60_000, text: '01:00 left', overrun: false, fraction: 0});
		expect(countdown({...base, nowMs: 31_000})).toMatchObject({remainingMs: 30_000, text: '00:30 left', fraction: 0.5});
		// Rounded down like every duration: 29.5 s left is 00:29, never more time than there is.
		expect(countdown({...base, nowMs: 30_500 + 1000})).toMatchObject({text: '00:29 left'});
		expect(countdown({...base, nowMs: 91_000})).toMatchObject({remainingMs: -30_000, text: '+00:30 over', overrun: true, fraction: 1});
		expect(countdown({...base, nowMs: 91_000, clockStoppedAtMs: 11_000})).toMatchObject({text: '00:50 left'});
		expect(countdown({budget: base.budget, nowMs: 5000})).toMatchObject({elapsedMs: 0, text: '01:00 left'});
	});

	it("takes the plan's max_recovery_minutes when it is a countdown (positive, at most a year), else the default", () => {
		expect(budgetFromPlan(7.5)).toEqual({maxRecoveryMinutes: 7.5, source: 'plan'});
		for (const bad of [0, -1, '15', true, null, undefined, Number.NaN, Infinity, 525_601]) {
			expect(budgetFromPlan(bad)).toEqual({maxRecoveryMinutes: DEFAULT_MAX_RECOVERY_MINUTES, source: 'default'});
		}
	});

	it('recovery beyond the budget is not within target', () => {
		let state = start();
		state = reduce(state, {type: 'budget', budget: {maxRecoveryMinutes: 0.001, source: 'plan'}});
		const done = happy(state);
		expect(done.result).toBe('recovered');
		expect(withinTarget(done)).toBe(false);
	});
});
