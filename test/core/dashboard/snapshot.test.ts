import {describe, expect, it} from 'vitest';
import {
	buildSnapshot,
	changeLine,
	clockTime,
	computeVerdict,
	formatDays,
	formatSnapshotText,
	initialState,
	initialView,
	isSettled,
	reduce,
	reduceView,
	SNAPSHOT_SCHEMA_VERSION,
	truncate,
	type DashboardEvent,
	type DashboardState,
} from '../../../source/core/dashboard/index.js';
import {cleanLint, config, drillsReport, okAnswer, productionBody, reports, rollbackReport, settings} from './fixtures.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function settled(extra: DashboardEvent[] = []): DashboardState {
	let state = initialState(config({apiUrl: 'http://127.0.0.1:8000'}), T0);
	const events: DashboardEvent[] = [
		{type: 'local', at: T0 + 1, reports: reports({drills: drillsReport(40.25)}), settings},
		{type: 'lint', at: T0 + 1, lint: cleanLint},
		{type: 'mode-sources', at: T0 + 1, sources: [{kind: 'env-file', label: '/etc/cavra/cavra.env', state: 'set', raw: 'promoted', mode: 'promoted'}, {kind: 'process-env', label: 'CAVRA_GO_BACKEND_MODE', state: 'unset'}]},
		{type: 'api', at: T0 + 2, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport())},
		{type: 'api', at: T0 + 2, endpoint: 'production-readiness', result: okAnswer(productionBody())},
		...extra,
	];
	for (const event of events) state = reduce(state, event);
	return state;
}

describe('snapshot', () => {
	it('has a stable schema with the verdict, every panel and the API parts the issue names', () => {
		const snapshot = buildSnapshot(settled());
		expect(Object.keys(snapshot)).toEqual(['schema_version', 'generated_at', 'config', 'verdict', 'mode', 'plan', 'rehearsal', 'drills', 'schedule', 'api', 'services']);
		expect(snapshot.schema_version).toBe(SNAPSHOT_SCHEMA_VERSION);
		expect(snapshot.verdict).toMatchObject({status: 'ready', exit_code: 0});
		expect(snapshot.mode).toMatchObject({agree: true, configured: 'promoted', running: 'promoted'});
		expect(snapshot.plan.checks).toHaveLength(6);
		expect(snapshot.plan.lint).toMatchObject({state: 'ok', ok: true, errors: 0, worst: null});
		expect(snapshot.drills).toMatchObject({age_days: 40.25, max_age_days: 90, days_left: 49.75, latest_drill_id: 'drill-002'});
		expect(snapshot.api).toMatchObject({
			rollback_readiness: {state: 'ok', status: 'ready', mode: 'promoted', http_status: 200},
			production_readiness: {state: 'ok', status: 'ready', go_backend_rollback: {status: 'ready', mode: 'promoted'}, go_backend_rollback_controls: {id: 'go_backend_rollback_controls', status: 'pass'}},
		});
		expect(snapshot.plan.changed_at).toBe(new Date(T0 + 1).toISOString());
	});

	it('keeps the last good answer\'s facts and its time when the API fails', () => {
		const snapshot = buildSnapshot(settled([{type: 'api', at: T0 + 5000, endpoint: 'rollback-readiness', result: {kind: 'timeout', timeoutMs: 100, elapsedMs: 100}}]));
		expect(snapshot.api?.['rollback_readiness']).toMatchObject({state: 'timeout', error: 'timed out after 100 ms', last_good_at: new Date(T0 + 2).toISOString(), status: 'ready'});
		expect(snapshot.verdict.exit_code).toBe(3);
	});

	it('prints a text snapshot with the verdict first and the failing checks', () => {
		const text = formatSnapshotText(settled([{type: 'local', at: T0 + 3, reports: reports({rollback: rollbackReport({approved: false})}), settings}]), {width: 200});
		const lines = text.split('\n');
		expect(lines[1]).toBe('✖ NEEDS ATTENTION — next: approve the plan (approved: true, with its approval_id)');
		expect(text).toMatch(/^Plan {7}✖ needs_attention · 5\/6 checks pass · rollback plan must be approved$/m);
		expect(text).toContain('⚠ warn go_rollback_approval: rollback plan must be approved');
	});

	it('prints one line per change, and nothing when nothing changed', () => {
		const before = settled();
		expect(changeLine(undefined, before)).toContain('READY · next: nothing to do');
		const same = reduce(before, {type: 'poll-finished', at: T0 + 10});
		expect(changeLine(before, same, computeVerdict(before))).toBeNull();
		const after = reduce(same, {type: 'api', at: T0 + 20, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}});
		const line = changeLine(same, after, computeVerdict(same));
		expect(line).toBe(`${clockTime(T0 + 20, T0 + 20)} NEEDS ATTENTION · next: check the CAVRA API: rollback-readiness unreachable: connection refused | mode ✔ promoted: cavra.env=promoted · shell unset · API unreachable | api ✖ unreachable: rollback unreachable · production ready · controls pass`);
		expect(line).not.toContain('\n');
	});

	it('knows when the first complete picture has arrived', () => {
		expect(isSettled(initialState(config({apiUrl: 'http://127.0.0.1:8000'}), T0))).toBe(false);
		expect(isSettled(settled())).toBe(true);
	});
});

describe('text helpers', () => {
	it('rounds days down, as a deadline should', () => {
		expect(formatDays(12.9)).toBe('12 days');
		expect(formatDays(4.99)).toBe('4.9 days');
		expect(formatDays(5)).toBe('5 days');
		expect(formatDays(1.5)).toBe('1.5 days');
		expect(formatDays(1.04)).toBe('1 day');
		expect(formatDays(0.5)).toBe('12 hours');
		expect(formatDays(0.01)).toBe('under an hour');
		expect(formatDays(-3.2)).toBe('3.2 days');
	});

	it('truncates with a cut mark and shows the date for another day', () => {
		expect(truncate('abcdef', 4)).toBe('abc⋯');
		expect(truncate('abc', 4)).toBe('abc');
		expect(clockTime(T0, T0 + 86_400_000 * 2)).toMatch(/^2030-01-01 \d\d:\d\d:\d\d$/);
	});
});

describe('view reducer', () => {
	it('moves the selection with wrap-around, opens and closes details, toggles help', () => {
		let view = reduceView(initialView, {type: 'up'}, 8);
		expect(view.selected).toBe(7);
		view = reduceView(view, {type: 'down'}, 8);
		expect(view.selected).toBe(0);
		view = reduceView(reduceView(view, {type: 'down'}, 8), {type: 'open'}, 8);
		expect(view).toMatchObject({mode: 'details', selected: 1, scroll: 0});
		view = reduceView(view, {type: 'scroll', by: 5, max: 3}, 8);
		expect(view.scroll).toBe(3);
		view = reduceView(view, {type: 'scroll', by: -10, max: 3}, 8);
		expect(view.scroll).toBe(0);
		view = reduceView(view, {type: 'back'}, 8);
		expect(view.mode).toBe('summary');
		view = reduceView(view, {type: 'help'}, 8);
		expect(view.mode).toBe('help');
		view = reduceView(view, {type: 'help'}, 8);
		expect(view.mode).toBe('summary');
		view = reduceView(view, {type: 'notice', text: 'x'}, 8);
		expect(view.notice).toBe('x');
		expect(reduceView(view, {type: 'down'}, 8).notice).toBeUndefined();
	});
});
