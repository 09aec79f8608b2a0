/** A fleet (kind: ansible) in the dashboard's Services panel: one row, a detail line per host. */
import {describe, expect, it} from 'vitest';
import {buildPanels, buildSnapshot, initialState, isSettled, reduce, type DashboardState} from '../../../source/core/dashboard/index.js';
import {config} from './fixtures.js';

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const services = (state: DashboardState) => buildPanels(state).find(panel => panel.id === 'services')!;

describe('fleet in the Services panel', () => {
	it('checking until its probe comes back, and the snapshot waits for it', () => {
		const state = initialState(config({fleets: ['api-fleet']}), T0);
		expect(services(state)).toMatchObject({tone: 'pending', word: 'checking', summary: '0/1 answering · api-fleet checking'});
		expect(isSettled({...state, local: {} as never, lint: {} as never, modeSources: {} as never})).toBe(false);
	});

	it('one row with the hosts\' modes; per host: the env file mode and what it answers; a host answering another mode than its file is a warning', () => {
		let state = initialState(config({fleets: ['api-fleet']}), T0);
		state = reduce(state, {type: 'fleet', at: T0 + 1000, name: 'api-fleet', ok: true, detail: '3 hosts reachable', hosts: [
			{host: 'web1', envMode: 'disabled', answers: 'disabled'},
			{host: 'web2', envMode: 'disabled', answers: 'promoted'},
			{host: 'web3', envMode: 'disabled', answers: 'disabled'},
		]});
		const panel = services(state);
		expect(panel.tone).toBe('warn');
		expect(panel.summary).toBe('1/1 answering · api-fleet (3 hosts) 2 disabled, 1 promoted');
		expect(panel.details[0]!.lines.map(line => line.text)).toEqual([
			'⚠ api-fleet (3 hosts) 2 disabled, 1 promoted (1 answer another mode than their env file: restart them)',
			'  web1: env file disabled · answers disabled',
			'  web2: env file disabled · answers promoted',
			'  web3: env file disabled · answers disabled',
			'  probed 12:00:01',
		]);
		expect(state.panels.services.changedAt).toBe(T0 + 1000);
		expect(buildSnapshot(state)['fleets']).toEqual([
			{name: 'api-fleet', checked_at: '2030-01-01T12:00:01.000Z', ok: true, detail: '3 hosts reachable', hosts: [
				{host: 'web1', env_file_mode: 'disabled', answers_mode: 'disabled', problem: null},
				{host: 'web2', env_file_mode: 'disabled', answers_mode: 'promoted', problem: null},
				{host: 'web3', env_file_mode: 'disabled', answers_mode: 'disabled', problem: null},
			]},
		]);
	});

	it('all hosts agreeing is ok; an unreadable host is bad and says why; a fleet that cannot be probed at all too', () => {
		let state = initialState(config({fleets: ['api-fleet', 'batch-fleet']}), T0);
		state = reduce(state, {type: 'fleet', at: T0 + 1000, name: 'api-fleet', ok: false, detail: 'ghost: unreachable', hosts: [
			{host: 'web1', envMode: 'promoted'},
			{host: 'ghost', envMode: null, problem: 'unreachable: Failed to connect to the host via ssh'},
		]});
		state = reduce(state, {type: 'fleet', at: T0 + 1000, name: 'batch-fleet', ok: false, detail: 'ansible-playbook is not installed (install ansible-core) or not on PATH', hosts: []});
		const panel = services(state);
		expect(panel.tone).toBe('bad');
		const lines = panel.details[0]!.lines.map(line => line.text);
		expect(lines).toContain('  ghost: unreachable: Failed to connect to the host via ssh');
		expect(lines).toContain('  web1: env file promoted · no verify URL');
		expect(lines).toContain('✖ batch-fleet cannot be probed');
		expect(lines).toContain('  ansible-playbook is not installed (install ansible-core) or not on PATH');

		const agreed = reduce(initialState(config({fleets: ['api-fleet']}), T0), {type: 'fleet', at: T0, name: 'api-fleet', ok: true, detail: '', hosts: [{host: 'web1', envMode: 'promoted', answers: 'promoted'}, {host: 'web2', envMode: 'promoted', answers: 'promoted'}]});
		expect(services(agreed)).toMatchObject({tone: 'ok', summary: '1/1 answering · api-fleet (2 hosts) 2/2 promoted'});
	});

	it('no fleet in the config: no fleets key in the snapshot (its shape is unchanged)', () => {
		expect(Object.keys(buildSnapshot(initialState(config(), T0)))).not.toContain('fleets');
	});
});
