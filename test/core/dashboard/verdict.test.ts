import {describe, expect, it} from 'vitest';
import {computeVerdict, displayPanels, initialState, reduce, type DashboardEvent, type DashboardState, type LocalReports, type ModeSource} from '../../../source/core/dashboard/index.js';
import type {Finding} from '../../../source/core/lint/finding.js';
import {cleanLint, config, drillsReport, okAnswer, productionBody, reports, rollbackReport, scheduleReport, settings} from './fixtures.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const envPromoted: ModeSource = {kind: 'env-file', label: '/etc/cavra/cavra.env', state: 'set', raw: 'promoted', mode: 'promoted'};
const shellUnset: ModeSource = {kind: 'process-env', label: 'CAVRA_GO_BACKEND_MODE', state: 'unset'};

function stateWith(options: {local?: Partial<LocalReports>; api?: boolean; events?: DashboardEvent[]; sources?: ModeSource[]} = {}): DashboardState {
	let state = initialState(config(options.api ? {apiUrl: 'http://127.0.0.1:8000'} : {}), T0);
	const events: DashboardEvent[] = [
		{type: 'local', at: T0, reports: reports(options.local), settings},
		{type: 'lint', at: T0, lint: cleanLint},
		{type: 'mode-sources', at: T0, sources: options.sources ?? [envPromoted, shellUnset]},
		...(options.events ?? []),
	];
	for (const event of events) state = reduce(state, event);
	return state;
}

const goodApi: DashboardEvent[] = [
	{type: 'api', at: T0, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport())},
	{type: 'api', at: T0, endpoint: 'production-readiness', result: okAnswer(productionBody())},
];

describe('verdict and next action', () => {
	it('is ready with nothing to do when every panel is fine', () => {
		const verdict = computeVerdict(stateWith({api: true, events: goodApi}));
		expect(verdict).toMatchObject({status: 'ready', headline: 'READY', exitCode: 0, blockers: []});
		expect(verdict.next).toBe('nothing to do: rollback to Python-only mode is ready');
	});

	it('says "approve the plan" when approval is what is missing', () => {
		const verdict = computeVerdict(stateWith({local: {rollback: rollbackReport({approved: false})}}));
		expect(verdict).toMatchObject({status: 'needs_attention', exitCode: 1});
		expect(verdict.next).toMatch(/^approve the plan/);
	});

	it('asks for the plan file when it is missing', () => {
		const verdict = computeVerdict(stateWith({local: {rollback: rollbackReport({missingPlan: true})}}));
		expect(verdict.next).toBe('write the rollback plan /etc/cavra/plan.json (cavra-rollback author)');
	});

	it('counts down to stale drill history when nothing blocks', () => {
		const verdict = computeVerdict(stateWith({local: {drills: drillsReport(77.6)}}));
		expect(verdict).toMatchObject({status: 'ready', tone: 'warn', exitCode: 0});
		expect(verdict.next).toBe('drill history is 12 days from stale: run a rollback drill');
	});

	it('picks the nearest deadline between drill freshness and the schedule', () => {
		const verdict = computeVerdict(stateWith({local: {drills: drillsReport(80), schedule: scheduleReport(5)}}));
		expect(verdict.next).toBe('the next rollback drill is due in 5 days');
	});

	it('asks for a drill when the history is stale, and for the overdue one when the schedule is', () => {
		expect(computeVerdict(stateWith({local: {drills: drillsReport(95.2)}})).next).toBe('run a rollback drill: the latest is 95 days old (max 90)');
		expect(computeVerdict(stateWith({local: {schedule: scheduleReport(-3.5)}})).next).toBe('the scheduled rollback drill is 3.5 days overdue: run it');
	});

	it('blocks on public-safety lint errors, naming the worst finding', () => {
		const finding: Finding = {rule: 'public-safety/aws-access-key', category: 'public-safety', severity: 'error', message: 'rollback step 2: an AWS access key', pointer: '/rollback_steps/1', line: 12, column: 5, preview: 'AKIA…', fingerprint: '0123456789abcdef'};
		const state = reduce(stateWith(), {type: 'lint', at: T0, lint: {kind: 'ok', report: {path: 'p', ok: false, findings: [finding], suppressed: 0}}});
		expect(computeVerdict(state)).toMatchObject({status: 'needs_attention', exitCode: 1, next: 'make the plan safe to publish: rollback step 2: an AWS access key (line 12)'});
	});

	it('exits 3 when the API is configured but unreachable, keeping the local blocker first', () => {
		const down: DashboardEvent[] = [
			{type: 'api', at: T0, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
			{type: 'api', at: T0, endpoint: 'production-readiness', result: {kind: 'timeout', timeoutMs: 3000, elapsedMs: 3000}},
		];
		const onlyApi = computeVerdict(stateWith({api: true, events: down}));
		expect(onlyApi).toMatchObject({status: 'needs_attention', exitCode: 3});
		expect(onlyApi.next).toBe('check the CAVRA API: rollback-readiness unreachable: connection refused');
		const both = computeVerdict(stateWith({api: true, events: down, local: {rollback: rollbackReport({approved: false})}}));
		expect(both.exitCode).toBe(3);
		expect(both.next).toMatch(/^approve the plan/);
		expect(both.blockers).toHaveLength(3);
	});

	it('flags an API that still runs promoted after the env file says disabled', () => {
		const envDisabled: ModeSource = {...envPromoted, raw: 'disabled', mode: 'disabled'};
		const verdict = computeVerdict(stateWith({api: true, events: goodApi, sources: [envDisabled, shellUnset]}));
		expect(verdict.status).toBe('needs_attention');
		expect(verdict.next).toBe('the API runs promoted but the env files say disabled: restart the API');
	});

	it('reports what the API says when it disagrees with the local files', () => {
		const events: DashboardEvent[] = [
			{type: 'api', at: T0, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport({approved: false}))},
			{type: 'api', at: T0, endpoint: 'production-readiness', result: okAnswer(productionBody({controls: 'warn', rollbackStatus: 'needs_attention'}))},
		];
		const verdict = computeVerdict(stateWith({api: true, events}));
		expect(verdict.next).toBe('the API reports needs_attention: rollback plan must be approved (does it read the same plan?)');
		expect(verdict.blockers).toContain('production readiness: go_backend_rollback_controls is warn');
	});

	it('is not_requested (exit 0) when nothing asks for a rollback plan', () => {
		const verdict = computeVerdict(stateWith({local: {rollback: rollbackReport({status: 'not_requested', mode: 'disabled'})}, sources: [shellUnset]}));
		expect(verdict).toMatchObject({status: 'not_requested', exitCode: 0});
		expect(verdict.next).toBe('nothing to do: no rollback plan is requested (mode disabled)');
	});

	it('a config error wins, with exit 2', () => {
		const state = reduce(stateWith(), {type: 'config-error', at: T0, message: '.cavrarc.yaml: api.url expected an http(s) URL'});
		expect(computeVerdict(state)).toMatchObject({status: 'config_error', exitCode: 2});
	});

	it('a service that stops answering or runs the wrong mode blocks', () => {
		const service = {name: 'api', url: 'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness', expectMode: 'disabled' as const};
		let state = initialState(config({services: [service]}), T0);
		for (const event of [
			{type: 'local', at: T0, reports: reports(), settings},
			{type: 'lint', at: T0, lint: cleanLint},
			{type: 'mode-sources', at: T0, sources: [envPromoted]},
			{type: 'service', at: T0, name: 'api', result: okAnswer({mode: 'promoted'})},
		] satisfies DashboardEvent[]) state = reduce(state, event);
		expect(computeVerdict(state).status).toBe('ready');
		state = reduce(state, {type: 'service', at: T0 + 1, name: 'api', result: {kind: 'http-error', status: 503, statusText: 'Service Unavailable', bodyPreview: '', elapsedMs: 1}});
		expect(computeVerdict(state)).toMatchObject({status: 'needs_attention', exitCode: 1, next: 'service api does not answer: HTTP 503 Service Unavailable'});
		state = reduce(state, {type: 'mode-sources', at: T0 + 2, sources: [{...envPromoted, raw: 'disabled', mode: 'disabled'}]});
		state = reduce(state, {type: 'service', at: T0 + 2, name: 'api', result: okAnswer({mode: 'promoted'})});
		expect(computeVerdict(state).next).toBe('service api runs promoted but the env files say disabled: restart it');
	});
});

describe('one rounding rule on the drills panel', () => {
	it('the summary, the note and the details say the same number of days (89, never 89 next to 90.0)', () => {
		const panel = displayPanels(stateWith({local: {drills: drillsReport(0.04)}})).find(view => view.id === 'drills')!;
		expect(panel.summary).toBe('89 days left · latest drill under an hour old (max 90)');
		const details = panel.details.flatMap(section => section.lines.map(line => line.text)).join('\n');
		expect(details).toContain('freshness window: 90 days; 89 days left');
		expect(details).not.toMatch(/\d+\.\d days left/);
	});
});
