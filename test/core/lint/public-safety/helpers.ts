import {scanPublicSafety, scanPublicSafetySync, type SafetyHit} from '../../../../source/core/lint/public-safety/index.js';
import {strings} from './fixtures.js';

/** Rule ids (without the prefix) our own detectors report for one string, sorted. */
export function rulesOf(value: string): string[] {
	return names(scanPublicSafetySync(strings(value)));
}

/** The same with secretlint on top. */
export async function rulesOfAsync(value: string): Promise<string[]> {
	return names(await scanPublicSafety(strings(value)));
}

export function names(hits: readonly SafetyHit[]): string[] {
	return hits.map(hit => hit.rule.replace(/^public-safety\//, '')).sort();
}

export function hitsOf(value: string): SafetyHit[] {
	return scanPublicSafetySync(strings(value));
}
