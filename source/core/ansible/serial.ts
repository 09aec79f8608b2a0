/**
 * Ansible's `serial`, as Ansible computes it: a number is the batch size; "N%" is N percent of
 * the play's hosts, rounded down, at least one host. The last batch takes what is left. Pure.
 */
export type Serial = number | string;

export function batchSize(serial: Serial | undefined, hostCount: number): number {
	if (hostCount === 0) return 0;
	if (serial === undefined) return hostCount;
	if (typeof serial === 'number') return Math.max(1, Math.min(serial, hostCount));
	const percent = Number(serial.slice(0, -1));
	return Math.max(1, Math.min(hostCount, Math.floor((hostCount * percent) / 100)));
}

/** The hosts of each batch, in inventory order. */
export function splitBatches<T>(hosts: readonly T[], serial: Serial | undefined): T[][] {
	const size = batchSize(serial, hosts.length);
	const batches: T[][] = [];
	for (let start = 0; start < hosts.length; start += size) batches.push(hosts.slice(start, start + size));
	return batches;
}
