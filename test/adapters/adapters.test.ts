import {describe, expect, it} from 'vitest';
import type {ServiceConfig} from '../../source/core/config/schema.js';
import {adapters, describeService, planService, restartService} from '../../source/adapters/index.js';
import {fakeRunner} from './support.js';

const disabled = {mode: 'disabled'} as const;
const argvOf = (service: ServiceConfig, options: {daemonReload?: boolean; timeoutMs?: number} = {}) => planService(service, {...disabled, ...options}).map(command => command.argv);

describe('systemd', () => {
	it('systemctl restart UNIT; --user; daemon-reload first only when a drop-in was written', () => {
		const service: ServiceConfig = {name: 'api', kind: 'systemd', unit: 'cavra-api.service'};
		expect(argvOf(service)).toEqual([['systemctl', 'restart', 'cavra-api.service']]);
		expect(argvOf(service, {daemonReload: true})).toEqual([['systemctl', 'daemon-reload'], ['systemctl', 'restart', 'cavra-api.service']]);
		expect(argvOf({...service, user: true}, {daemonReload: true})).toEqual([['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'restart', 'cavra-api.service']]);
		expect(describeService(service)).toBe('systemd unit cavra-api.service');
		expect(planService(service, disabled)[0]).not.toHaveProperty('env');
	});
});

describe('launchd', () => {
	it('launchctl kickstart -k <domain>/<label>, domain system by default', () => {
		expect(argvOf({name: 'w', kind: 'launchd', label: 'com.cavra.agent'})).toEqual([['launchctl', 'kickstart', '-k', 'system/com.cavra.agent']]);
		expect(argvOf({name: 'w', kind: 'launchd', label: 'com.cavra.agent', domain: 'gui/501'})).toEqual([['launchctl', 'kickstart', '-k', 'gui/501/com.cavra.agent']]);
	});
});

describe('kubernetes', () => {
	it('kubectl set env, then rollout status with a timeout in seconds', () => {
		const service: ServiceConfig = {name: 'k', kind: 'kubernetes', deployment: 'cavra-api', namespace: 'cavra', timeoutMs: 120_000};
		expect(argvOf(service)).toEqual([
			['kubectl', '-n', 'cavra', 'set', 'env', 'deployment/cavra-api', 'CAVRA_GO_BACKEND_MODE=disabled'],
			['kubectl', '-n', 'cavra', 'rollout', 'status', 'deployment/cavra-api', '--timeout=120s'],
		]);
	});

	it('context and container when given; kubectl outlives its own --timeout', () => {
		const service: ServiceConfig = {name: 'k', kind: 'kubernetes', deployment: 'api', namespace: 'ns', container: 'app', context: 'prod-eu'};
		const plan = planService(service, {...disabled, timeoutMs: 90_500});
		expect(plan.map(command => command.argv)).toEqual([
			['kubectl', '--context', 'prod-eu', '-n', 'ns', 'set', 'env', 'deployment/api', '-c', 'app', 'CAVRA_GO_BACKEND_MODE=disabled'],
			['kubectl', '--context', 'prod-eu', '-n', 'ns', 'rollout', 'status', 'deployment/api', '--timeout=91s'],
		]);
		expect(plan[0]!.timeoutMs).toBe(60_000);
		expect(plan[1]!.timeoutMs).toBe(106_000);
	});

	it('no namespace: kubectl uses the context default', () => {
		expect(argvOf({name: 'k', kind: 'kubernetes', deployment: 'api'})[0]).toEqual(['kubectl', 'set', 'env', 'deployment/api', 'CAVRA_GO_BACKEND_MODE=disabled']);
	});
});

describe('pm2', () => {
	it('pm2 restart NAME --update-env with the mode in the environment', () => {
		const [command] = planService({name: 'demo', kind: 'pm2', process: 'cavra-api'}, disabled);
		expect(command).toMatchObject({argv: ['pm2', 'restart', 'cavra-api', '--update-env'], env: {CAVRA_GO_BACKEND_MODE: 'disabled'}, timeoutMs: 60_000});
	});
});

describe('command', () => {
	it('the argv from config, as is, with the mode in the environment', () => {
		const restart = ['/opt/cavra/bin/restart-runner', '--fast', 'a b', '$HOME'];
		const [command] = planService({name: 'ci', kind: 'command', restart}, disabled);
		expect(command).toMatchObject({argv: restart, env: {CAVRA_GO_BACKEND_MODE: 'disabled'}, timeoutMs: 120_000});
	});
});

describe('timeouts', () => {
	it("the service's timeoutMs, else the caller's, else the kind default", () => {
		const service: ServiceConfig = {name: 'api', kind: 'systemd', unit: 'u'};
		expect(planService(service, disabled)[0]!.timeoutMs).toBe(120_000);
		expect(planService(service, {...disabled, timeoutMs: 5000})[0]!.timeoutMs).toBe(5000);
		expect(planService({...service, timeoutMs: 7000}, {...disabled, timeoutMs: 5000})[0]!.timeoutMs).toBe(7000);
	});
});

describe('restart', () => {
	it('runs exactly the plan through the runner, with env, timeout and signal', async () => {
		const runner = fakeRunner();
		const controller = new AbortController();
		const service: ServiceConfig = {name: 'k', kind: 'kubernetes', deployment: 'api', namespace: 'ns', timeoutMs: 30_000};
		const result = await restartService(service, {runner, signal: controller.signal});
		expect(runner.calls.map(call => call.argv)).toEqual(planService(service, disabled).map(command => command.argv));
		expect(runner.calls.map(call => call.options.timeoutMs)).toEqual([30_000, 45_000]);
		expect(runner.calls[0]!.options.signal).toBe(controller.signal);
		expect(result).toMatchObject({service: 'k', kind: 'kubernetes', ok: true, detail: '2 commands, all exit 0 (10 ms)'});
		expect(result.commands).toHaveLength(2);

		const pm2 = fakeRunner();
		await restartService({name: 'demo', kind: 'pm2', process: 'cavra-api'}, {runner: pm2});
		expect(pm2.calls[0]!.options.env).toEqual({CAVRA_GO_BACKEND_MODE: 'disabled'});
	});

	it('a failing command stops the rest and the detail says what failed', async () => {
		const runner = fakeRunner(() => ({exitCode: 1, stderrTail: 'error: deployments.apps "api" not found'}));
		const result = await restartService({name: 'k', kind: 'kubernetes', deployment: 'api', namespace: 'ns'}, {runner});
		expect(runner.calls).toHaveLength(1);
		expect(result.ok).toBe(false);
		expect(result.detail).toBe('kubectl -n ns: exit 1: error: deployments.apps "api" not found');
	});

	it('a missing binary and a timeout are failures with their reason', async () => {
		const missing = await restartService({name: 'api', kind: 'systemd', unit: 'u'}, {runner: fakeRunner(() => ({exitCode: null, error: 'command not found: systemctl'}))});
		expect(missing).toMatchObject({ok: false, detail: 'systemctl restart u: command not found: systemctl'});
		const hung = await restartService({name: 'w', kind: 'launchd', label: 'l'}, {runner: fakeRunner(() => ({exitCode: null, signal: 'SIGTERM', timedOut: true, error: 'timed out after 60 s'}))});
		expect(hung).toMatchObject({ok: false, detail: 'launchctl kickstart -k: timed out after 60 s'});
	});

	it('daemonReload reaches systemd', async () => {
		const runner = fakeRunner();
		await restartService({name: 'api', kind: 'systemd', unit: 'u', user: true}, {runner, daemonReload: true});
		expect(runner.calls.map(call => call.argv)).toEqual([['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'restart', 'u']]);
	});

	it('the registry has every kind of the config schema', async () => {
		const {serviceKinds} = await import('../../source/core/config/schema.js');
		expect(Object.keys(adapters).sort()).toEqual([...serviceKinds].sort());
		for (const kind of serviceKinds) expect(adapters[kind].kind).toBe(kind);
	});
});
