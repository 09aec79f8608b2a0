import {describe, expect, it} from 'vitest';
import {ConfigError} from '../../../source/core/errors.js';
import {planRestartBatches} from '../../../source/core/rollback/restart-plan.js';

const names = (services: Array<{name: string; group?: string}>) => planRestartBatches(services).map(batch => batch.services.map(service => service.name));

describe('planRestartBatches', () => {
	it('no groups: one service per batch, in config order', () => {
		expect(names([{name: 'a'}, {name: 'b'}, {name: 'c'}])).toEqual([['a'], ['b'], ['c']]);
	});

	it('a group runs together, in the batch where it first appears', () => {
		const services = [{name: 'db-proxy'}, {name: 'api-1', group: 'api'}, {name: 'worker'}, {name: 'api-2', group: 'api'}, {name: 'edge', group: 'edge'}, {name: 'api-3', group: 'api'}];
		expect(names(services)).toEqual([['db-proxy'], ['api-1', 'api-2', 'api-3'], ['worker'], ['edge']]);
		const batches = planRestartBatches(services);
		expect(batches.map(batch => [batch.index, batch.group])).toEqual([
			[0, undefined],
			[1, 'api'],
			[2, undefined],
			[3, 'edge'],
		]);
		expect(batches[0]).not.toHaveProperty('group');
	});

	it('no services, no batches', () => {
		expect(planRestartBatches([])).toEqual([]);
	});

	it('two services with one name are a config error', () => {
		expect(() => planRestartBatches([{name: 'api'}, {name: 'api', group: 'g'}])).toThrow(ConfigError);
		expect(() => planRestartBatches([{name: 'api'}, {name: 'api'}])).toThrow('two services are named "api"');
	});
});
