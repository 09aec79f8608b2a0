/**
 * The order services restart in: config order, one batch at a time; services sharing a `group`
 * restart together, in the batch where the group first appears (wherever its other members sit
 * in the list). Pure.
 */
import {ConfigError} from '../errors.js';

export interface RestartBatch<S> {
	/** 0-based position in the run. */
	index: number;
	/** The group the batch runs, when it is one. */
	group?: string;
	services: S[];
}

export function planRestartBatches<S extends {name: string; group?: string | undefined}>(services: readonly S[]): Array<RestartBatch<S>> {
	const batches: Array<RestartBatch<S>> = [];
	const byGroup = new Map<string, RestartBatch<S>>();
	const seen = new Set<string>();
	for (const service of services) {
		// Names identify steps in the journal and the evidence: two services cannot share one.
		if (seen.has(service.name)) {
			throw new ConfigError(`two services are named "${service.name}"`, {keyPath: 'services', hint: 'give every service in "services" its own name'});
		}
		seen.add(service.name);
		const existing = service.group === undefined ? undefined : byGroup.get(service.group);
		if (existing) {
			existing.services.push(service);
			continue;
		}
		const batch: RestartBatch<S> = {index: batches.length, services: [service], ...(service.group !== undefined && {group: service.group})};
		batches.push(batch);
		if (service.group !== undefined) byGroup.set(service.group, batch);
	}
	return batches;
}
