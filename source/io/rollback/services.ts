/** Which services a run restarts, and the mode each must answer afterwards. */
import {UsageError} from '../../core/errors.js';
import type {ServiceConfig} from '../../core/config/schema.js';
import {TARGET_MODE} from '../../core/rollback/preview.js';

/** Services chosen by `--service`, in config order; unknown names are a usage error (exit 2). */
export function selectServices(services: readonly ServiceConfig[], filter: readonly string[]): ServiceConfig[] {
	const names = new Set(services.map(service => service.name));
	const unknown = filter.filter(name => !names.has(name));
	if (unknown.length > 0) {
		throw new UsageError(`--service ${unknown.join(', ')}: no such service in the config`, `configured services: ${[...names].join(', ') || '(none)'}`);
	}
	const duplicates = services.map(service => service.name).filter((name, index, all) => all.indexOf(name) !== index);
	if (duplicates.length > 0) throw new UsageError(`services: the name ${duplicates[0]} is used twice`, 'every service needs its own name (it names its steps and evidence)');
	return filter.length === 0 ? [...services] : services.filter(service => filter.includes(service.name));
}

/**
 * A fleet service (Ansible) sets, restarts and verifies each host itself: its verify.url holds
 * host variables, so the run never polls it, and its preflight is the adapter's.
 */
export function isFleet(service: ServiceConfig): boolean {
	return service.kind === 'ansible';
}

export function expectModeOf(service: ServiceConfig): string {
	return service.verify?.expectMode ?? TARGET_MODE;
}
