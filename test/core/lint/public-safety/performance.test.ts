import {describe, expect, it} from 'vitest';
import {syncDetectors} from '../../../../source/core/lint/public-safety/detectors.js';
import {scanPublicSafety, scanPublicSafetySync} from '../../../../source/core/lint/public-safety/index.js';
import {adversarialInputs, strings} from './fixtures.js';

/**
 * Every detector on ~100 KB inputs built to make naive patterns backtrack or rescan. No clock is
 * read here: a catastrophic pattern takes minutes to hours on these inputs and is caught by the
 * file's generous timeout, while a busy machine cannot make a bound flaky. The figures (slowest
 * rule, and the time for 4× the input as a ratio, a quadratic detector's 16×) are `npm run bench`'s
 * "lint (issue 2)" section.
 */
const inputs = adversarialInputs();

describe('adversarial input', {timeout: 120_000}, () => {
	for (const detector of syncDetectors) it(`${detector.id} finishes on every adversarial input, its matches inside the input`, () => {
		for (const [name, input] of inputs) {
			for (const match of detector.scan(input)) {
				expect(match.start, `${detector.id} on ${name}`).toBeGreaterThanOrEqual(0);
				expect(match.end, `${detector.id} on ${name}`).toBeGreaterThan(match.start);
				expect(match.end, `${detector.id} on ${name}`).toBeLessThanOrEqual(input.length);
			}
		}
	});

	it('the whole sync scan finishes on every adversarial input, and gives the same answer twice', () => {
		for (const [name, input] of inputs) {
			const first = scanPublicSafetySync(strings(input));
			expect(scanPublicSafetySync(strings(input)), name).toEqual(first);
		}
	});

	it('the async scan (with secretlint) finishes on every adversarial input', async () => {
		for (const [name, input] of inputs) expect(Array.isArray(await scanPublicSafety(strings(input))), name).toBe(true);
	});
});
