import {describe, expect, it} from 'vitest';
import {endpointUrl, initialState, reduce, type DashboardEvent, type DashboardState} from '../../../source/core/dashboard/index.js';
import {cleanLint, config, drillsReport, okAnswer, productionBody, reports, rollbackReport, settings} from './fixtures.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const apply = (state: DashboardState, ...events: DashboardEvent[]) => events.reduce(reduce, state);

describe('dashboard reducer', () => {
	it('builds API endpoint URLs under api.url, path prefix kept', () => {
		expect(endpointUrl('http://127.0.0.1:8000', 'rollback-readiness')).toBe('http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness');
		expect(endpointUrl('https://cavra.example.com/api/', 'production-readiness')).toBe('https://cavra.example.com/api/deployment/production-readiness');
	});

	it('stamps a panel when its content changes, and only then', () => {
		let state = initialState(config(), T0);
		state = reduce(state, {type: 'local', at: T0 + 1000, reports: reports(), settings, stamps: {rollback: 'a'}});
		expect(state.panels.plan.changedAt).toBe(T0 + 1000);
		expect(state.panels.drills.changedAt).toBe(T0 + 1000);

		// The same evaluation again, a minute later: the drill is a minute older but nothing changed.
		state = reduce(state, {type: 'local', at: T0 + 61_000, reports: reports({drills: {...drillsReport(40.0007)}}), settings, stamps: {rollback: 'a'}});
		expect(state.panels.plan.changedAt).toBe(T0 + 1000);
		expect(state.panels.drills.changedAt).toBe(T0 + 1000);

		// The plan file was rewritten (new stamp) without changing any verdict: still a change.
		state = reduce(state, {type: 'local', at: T0 + 62_000, reports: reports(), settings, stamps: {rollback: 'b'}});
		expect(state.panels.plan.changedAt).toBe(T0 + 62_000);

		// A verdict changed.
		state = reduce(state, {type: 'local', at: T0 + 63_000, reports: reports({rollback: rollbackReport({approved: false})}), settings, stamps: {rollback: 'b'}});
		expect(state.panels.plan.changedAt).toBe(T0 + 63_000);
		expect(state.panels.rehearsal.changedAt).toBe(T0 + 1000);
	});

	it('keeps the last good API answer and since when a failure lasts', () => {
		let state = initialState(config({apiUrl: 'http://127.0.0.1:8000'}), T0);
		const good = okAnswer(rollbackReport());
		state = apply(
			state,
			{type: 'api', at: T0 + 1000, endpoint: 'rollback-readiness', result: good},
			{type: 'api', at: T0 + 6000, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
			{type: 'api', at: T0 + 11_000, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
		);
		const endpoint = state.api!['rollback-readiness'];
		expect(endpoint.lastGood?.at).toBe(T0 + 1000);
		expect(endpoint.since).toBe(T0 + 6000);
		expect(endpoint.checkedAt).toBe(T0 + 11_000);
		expect(state.panels.api.changedAt).toBe(T0 + 6000);

		state = reduce(state, {type: 'api', at: T0 + 16_000, endpoint: 'rollback-readiness', result: good});
		expect(state.api!['rollback-readiness'].since).toBe(T0 + 16_000);
		expect(state.api!['rollback-readiness'].lastGood?.at).toBe(T0 + 16_000);
		expect(state.panels.api.changedAt).toBe(T0 + 16_000);
	});

	it('turns a JSON answer that is not the promised document into "malformed"', () => {
		let state = initialState(config({apiUrl: 'http://127.0.0.1:8000'}), T0);
		state = reduce(state, {type: 'api', at: T0, endpoint: 'rollback-readiness', result: okAnswer({hello: 'world'})});
		expect(state.api!['rollback-readiness'].last).toMatchObject({kind: 'malformed', message: 'the answer has no status and checks'});
		state = reduce(state, {type: 'api', at: T0, endpoint: 'production-readiness', result: okAnswer(productionBody())});
		expect(state.api!['production-readiness'].last?.kind).toBe('ok');
		state = reduce(state, {type: 'api', at: T0, endpoint: 'production-readiness', result: okAnswer(rollbackReport())});
		expect(state.api!['production-readiness'].last).toMatchObject({kind: 'malformed'});
	});

	it('ignores API events when no API is configured, and service events for unknown services', () => {
		const state = initialState(config(), T0);
		expect(reduce(state, {type: 'api', at: T0, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport())}).api).toBeUndefined();
		expect(reduce(state, {type: 'service', at: T0, name: 'ghost', result: okAnswer({mode: 'disabled'})}).services).toEqual([]);
	});

	it('keeps a service\'s history across a config reload that does not change it', () => {
		const service = {name: 'api', url: 'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness'};
		let state = initialState(config({services: [service]}), T0);
		state = reduce(state, {type: 'service', at: T0 + 1, name: 'api', result: okAnswer({mode: 'promoted'})});
		state = reduce(state, {type: 'config', at: T0 + 2, config: config({services: [service], intervalSeconds: 1})});
		expect(state.services[0]!.endpoint.lastGood?.at).toBe(T0 + 1);
		expect(state.config.intervalSeconds).toBe(1);
	});

	it('clears a config error when a good config arrives, and counts finished polls', () => {
		let state = initialState(config(), T0);
		state = apply(state, {type: 'config-error', at: T0 + 1, message: 'bad'}, {type: 'refresh-requested', at: T0 + 2});
		expect(state.configError?.message).toBe('bad');
		expect(state.refreshing).toBe(true);
		state = apply(state, {type: 'config', at: T0 + 3, config: config()}, {type: 'poll-finished', at: T0 + 4});
		expect(state.configError).toBeUndefined();
		expect(state.refreshing).toBe(false);
		expect(state.polls).toBe(1);
		expect(state.now).toBe(T0 + 4);
	});

	it('records lint results and mode sources', () => {
		let state = initialState(config(), T0);
		state = apply(
			state,
			{type: 'lint', at: T0 + 1, lint: cleanLint},
			{type: 'mode-sources', at: T0 + 1, sources: [{kind: 'env-file', label: '/etc/cavra/cavra.env', state: 'set', raw: 'promoted', mode: 'promoted'}]},
		);
		expect(state.lint?.value.kind).toBe('ok');
		expect(state.panels.mode.changedAt).toBe(T0 + 1);
	});
});
