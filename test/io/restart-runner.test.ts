import {describe, expect, it} from 'vitest';
import type {ServiceConfig} from '../../source/core/config/schema.js';
import {planRestartBatches} from '../../source/core/rollback/restart-plan.js';
import {adapters, type AdapterRegistry, type AdapterResult, type ServiceAdapter} from '../../source/adapters/index.js';
import {runBatches} from '../../source/io/restart-runner.js';

interface Span {
	name: string;
	start: number;
	end: number;
}

/** A fake `command` adapter: each restart takes `delayMs` (per service name) and may fail. */
function fakeRegistry(delayMs: Record<string, number>, failing: string[] = [], spans: Span[] = []): AdapterRegistry {
	const command: ServiceAdapter<Extract<ServiceConfig, {kind: 'command'}>> = {
		kind: 'command',
		describe: service => service.name,
		plan: () => [],
		restart: async (service, context) => {
			const start = performance.now();
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, delayMs[service.name] ?? 50);
				context.signal?.addEventListener('abort', () => {
					clearTimeout(timer);
					resolve();
				});
			});
			spans.push({name: service.name, start, end: performance.now()});
			const cancelled = context.signal?.aborted === true;
			const ok = !failing.includes(service.name) && !cancelled;
			const result: AdapterResult = {
				service: service.name,
				kind: 'command',
				ok,
				commands: [{argv: ['x'], exitCode: ok ? 0 : cancelled ? null : 1, signal: null, timedOut: false, cancelled, durationMs: 1, stdoutTail: '', stderrTail: '', ok}],
				durationMs: 1,
				detail: ok ? 'exit 0' : cancelled ? 'cancelled' : 'exit 1',
			};
			return result;
		},
	};
	return {...adapters, command};
}

const svc = (name: string, group?: string): ServiceConfig => ({name, kind: 'command', restart: ['/bin/true'], ...(group && {group})});
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

describe('runBatches', () => {
	it('services of a group overlap in time; batches do not', async () => {
		const spans: Span[] = [];
		const services = [svc('first'), svc('api-1', 'api'), svc('api-2', 'api'), svc('api-3', 'api'), svc('last')];
		const result = await runBatches(planRestartBatches(services), {registry: fakeRegistry({first: 80, 'api-1': 150, 'api-2': 150, 'api-3': 150, last: 80}, [], spans)});
		expect(result.ok).toBe(true);
		const span = (name: string) => spans.find(entry => entry.name === name)!;
		expect(overlaps(span('api-1'), span('api-2'))).toBe(true);
		expect(overlaps(span('api-2'), span('api-3'))).toBe(true);
		expect(overlaps(span('first'), span('api-1'))).toBe(false);
		expect(span('first').end).toBeLessThanOrEqual(span('api-1').start);
		for (const name of ['api-1', 'api-2', 'api-3']) expect(span(name).end).toBeLessThanOrEqual(span('last').start);
		expect(result.outcomes.map(outcome => [outcome.name, outcome.batch, outcome.status])).toEqual([
			['first', 0, 'done'],
			['api-1', 1, 'done'],
			['api-2', 1, 'done'],
			['api-3', 1, 'done'],
			['last', 2, 'done'],
		]);
	});

	it('sequential services never overlap', async () => {
		const spans: Span[] = [];
		await runBatches(planRestartBatches([svc('a'), svc('b'), svc('c')]), {registry: fakeRegistry({a: 60, b: 60, c: 60}, [], spans)});
		expect(spans.map(entry => entry.name)).toEqual(['a', 'b', 'c']);
		expect(overlaps(spans[0]!, spans[1]!) || overlaps(spans[1]!, spans[2]!)).toBe(false);
	});

	it('outcomes carry timings on the given clock', async () => {
		let now = 1000;
		const result = await runBatches(planRestartBatches([svc('a')]), {registry: fakeRegistry({a: 1}), clock: () => (now += 10)});
		expect(result.outcomes[0]).toMatchObject({startedAtMs: 1020, endedAtMs: 1030, durationMs: 10});
	});

	it('a failure does not stop the others by default; stopOnFailure skips later batches', async () => {
		const registry = fakeRegistry({}, ['b']);
		const services = planRestartBatches([svc('a'), svc('b'), svc('c')]);
		const all = await runBatches(services, {registry});
		expect(all.outcomes.map(outcome => outcome.status)).toEqual(['done', 'failed', 'done']);
		expect(all.ok).toBe(false);
		const stopped = await runBatches(services, {registry, stopOnFailure: true});
		expect(stopped.outcomes.map(outcome => [outcome.status, outcome.detail])).toEqual([
			['done', 'exit 0'],
			['failed', 'exit 1'],
			['skipped', 'not run: an earlier batch failed'],
		]);
	});

	it('cancelling ends the running batch and skips the rest', async () => {
		const controller = new AbortController();
		const services = planRestartBatches([svc('a'), svc('slow-1', 'g'), svc('slow-2', 'g'), svc('c')]);
		const running = runBatches(services, {registry: fakeRegistry({a: 10, 'slow-1': 10_000, 'slow-2': 10_000}), signal: controller.signal, beforeService: service => {
			if (service.name === 'slow-2') setTimeout(() => controller.abort(), 50);
		}});
		const result = await running;
		expect(result.outcomes.map(outcome => [outcome.name, outcome.status])).toEqual([
			['a', 'done'],
			['slow-1', 'cancelled'],
			['slow-2', 'cancelled'],
			['c', 'cancelled'],
		]);
		expect(result.durationMs).toBeLessThan(5000);
	});

	it('before/after hooks are awaited around each service, in order for a sequence', async () => {
		const events: string[] = [];
		await runBatches(planRestartBatches([svc('a'), svc('b')]), {
			registry: fakeRegistry({a: 5, b: 5}),
			beforeService: async service => {
				await new Promise(resolve => setTimeout(resolve, 5));
				events.push(`before ${service.name}`);
			},
			afterService: outcome => void events.push(`after ${outcome.name} ${outcome.status}`),
		});
		expect(events).toEqual(['before a', 'after a done', 'before b', 'after b done']);
	});

	it('a hook that throws (the journal cannot be written) stops the run after the batch', async () => {
		const ran: string[] = [];
		const promise = runBatches(planRestartBatches([svc('a'), svc('b')]), {
			registry: fakeRegistry({a: 5, b: 5}),
			afterService: outcome => {
				ran.push(outcome.name);
				throw new Error('journal: disk full');
			},
		});
		await expect(promise).rejects.toThrow('journal: disk full');
		expect(ran).toEqual(['a']);
	});

	it('the real adapters are used by default, with the injected runner', async () => {
		const seen: string[][] = [];
		const result = await runBatches(planRestartBatches([{name: 'api', kind: 'systemd', unit: 'cavra-api.service'}]), {
			runner: async argv => {
				seen.push([...argv]);
				return {argv: [...argv], exitCode: 0, signal: null, timedOut: false, cancelled: false, durationMs: 1, stdoutTail: '', stderrTail: '', ok: true};
			},
			daemonReload: true,
		});
		expect(seen).toEqual([['systemctl', 'daemon-reload'], ['systemctl', 'restart', 'cavra-api.service']]);
		expect(result.ok).toBe(true);
	});
});
