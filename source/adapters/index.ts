/** The adapter registry: kind → adapter, and typed dispatch for any configured service. */
import type {ServiceConfig} from '../core/config/schema.js';
import {ansibleAdapter} from './ansible.js';
import {commandAdapter} from './command.js';
import {kubernetesAdapter} from './kubernetes.js';
import {launchdAdapter} from './launchd.js';
import {pm2Adapter} from './pm2.js';
import {systemdAdapter} from './systemd.js';
import type {AdapterResult, PlannedCommand, PreflightResult, PlanOptions, RestartContext, ServiceAdapter, ServiceKind} from './types.js';

export type {FleetHost, PreflightResult} from './types.js';
export type {AdapterResult, PlannedCommand, PlanOptions, RestartContext, ServiceAdapter, ServiceKind} from './types.js';
export {defaultTimeoutMs, timeoutFor} from './types.js';

export type AdapterRegistry = {[K in ServiceKind]: ServiceAdapter<Extract<ServiceConfig, {kind: K}>>};

export const adapters: AdapterRegistry = {
	systemd: systemdAdapter,
	launchd: launchdAdapter,
	kubernetes: kubernetesAdapter,
	pm2: pm2Adapter,
	command: commandAdapter,
	ansible: ansibleAdapter,
};

export function adapterFor(service: ServiceConfig, registry: AdapterRegistry = adapters): ServiceAdapter {
	return registry[service.kind] as unknown as ServiceAdapter;
}

export function describeService(service: ServiceConfig, registry: AdapterRegistry = adapters): string {
	return adapterFor(service, registry).describe(service);
}

export function planService(service: ServiceConfig, options: PlanOptions, registry: AdapterRegistry = adapters): PlannedCommand[] {
	return adapterFor(service, registry).plan(service, options);
}

export function restartService(service: ServiceConfig, context: RestartContext, registry: AdapterRegistry = adapters): Promise<AdapterResult> {
	return adapterFor(service, registry).restart(service, context);
}

/** The adapter's own checks before anything changes; undefined when its kind has none. */
export function preflightService(service: ServiceConfig, context: RestartContext, registry: AdapterRegistry = adapters): Promise<PreflightResult> | undefined {
	return adapterFor(service, registry).preflight?.(service, context);
}
