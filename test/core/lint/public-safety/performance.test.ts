import {performance} from 'node:perf_hooks';
import {describe, expect, it} from 'vitest';
import {publicSafetyDetectors, scanPublicSafety, scanPublicSafetySync} from '../../../../source/core/lint/public-safety/index.js';
import {adversarialInputs, strings} from './fixtures.js';

/**
 * Every detector on ~100 KB inputs built to make naive patterns backtrack or rescan. The bound is
 * deliberately generous (1 s, the target is < 50 ms): a catastrophic pattern takes seconds to
 * minutes and is caught, while a busy CI machine does not make this flaky. Real numbers belong to
 * the benchmark.
 */
const BOUND_MS = 1000;

function timed(run: () => unknown): number {
	const start = performance.now();
	run();
	return performance.now() - start;
}

describe('adversarial input', () => {
	const inputs = adversarialInputs();

	it.each(publicSafetyDetectors.map(d => [d.id, d] as const))('%s stays linear on every adversarial input', (_id, detector) => {
		for (const [name, input] of inputs) {
			const ms = timed(() => detector.scan(input));
			expect(ms, `${detector.id} on ${name}: ${ms.toFixed(1)} ms`).toBeLessThan(BOUND_MS);
		}
	});

	it('the whole sync scan stays linear on every adversarial input', () => {
		for (const [name, input] of inputs) {
			const ms = timed(() => scanPublicSafetySync(strings(input)));
			expect(ms, `${name}: ${ms.toFixed(1)} ms`).toBeLessThan(BOUND_MS);
		}
	});

	it('the async scan (with secretlint) finishes on every adversarial input', async () => {
		for (const [name, input] of inputs) {
			const start = performance.now();
			await scanPublicSafety(strings(input));
			const ms = performance.now() - start;
			expect(ms, `${name}: ${ms.toFixed(1)} ms`).toBeLessThan(BOUND_MS * 2);
		}
	});

	it('doubling the input roughly doubles the time (no quadratic detector)', () => {
		const input = (n: number) => 'password=x1 10.0.0.1 a@b.io '.repeat(n);
		const small = strings(input(2000));
		const large = strings(input(8000));
		scanPublicSafetySync(small);
		const best = (s: ReturnType<typeof strings>) => Math.min(...[0, 1, 2].map(() => timed(() => scanPublicSafetySync(s))));
		const ratio = best(large) / Math.max(best(small), 0.5);
		// 4x the input; quadratic would be ~16x. Generous for timer noise.
		expect(ratio).toBeLessThan(10);
	});
});
