import {readFileSync} from 'node:fs';

/** The seed's example plan (CAVRA's documented plan): ready, approved, every control. */
export function seedPlan(): Record<string, unknown> {
	return JSON.parse(readFileSync(new URL('../fixtures/plans/seed.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function seedWith(changes: Record<string, unknown>, remove: string[] = []): Record<string, unknown> {
	const plan = {...seedPlan(), ...changes};
	for (const key of remove) delete plan[key];
	return plan;
}
