import {readFileSync} from 'node:fs';
import {lintPlan} from '../core/lint/lint-plan.js';
import {packagePath} from '../io/package-root.js';
import {ms, timeAsync} from './measure.js';
import type {BenchRow, BenchSection} from './types.js';

const template = packagePath('templates', 'standard.json');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic pseudo-random body, distinct per index: every token is a different secret. */
function body(index: number, length: number): string {
	let x = (index * 2_654_435_761) >>> 0 || 1;
	let out = '';
	for (let i = 0; i < length; i++) {
		x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
		out += ALNUM[x % ALNUM.length];
	}
	return out;
}

/** Same length as the token step, no finding: only the secret scanning differs. */
const cleanStep = (i: number) => `export GITHUB_TOKEN from the vault entry ${String(i).padStart(6, '0')} then restart the CAVRA service`.padEnd(64, '.').slice(0, 64);
const tokenStep = (i: number) => `export GITHUB_TOKEN=ghp_${body(i + 1, 36)}`.padEnd(64, ' ');

/**
 * Issue 10: secretlint's duplicate-message filter made token-dense plans quadratic (10k distinct
 * tokens 13 s, 20k 213 s). A plan with one distinct token per step must cost at most ~4× a clean
 * plan of the same size.
 */
export const benchLintDensity: BenchSection = async () => {
	const rows: BenchRow[] = [];
	const plan = JSON.parse(readFileSync(template, 'utf8')) as Record<string, unknown>;
	// Loads secretlint and warms the detectors, so neither side of the ratio pays for it.
	await lintPlan({path: 'warm.json', bytes: JSON.stringify({...plan, rollback_steps: [tokenStep(0), cleanStep(0)]})});
	for (const steps of [10_000, 20_000]) {
		const bytesOf = (step: (i: number) => string) => Buffer.from(JSON.stringify({...plan, rollback_steps: Array.from({length: steps}, (_, i) => step(i))}, null, 2));
		const clean = bytesOf(cleanStep);
		const dense = bytesOf(tokenStep);
		// Alternating runs, best of each: on a shared machine the minimum is the least noisy estimate.
		let cleanMs = Infinity;
		let denseMs = Infinity;
		for (let run = 0; run < 5; run++) {
			cleanMs = Math.min(cleanMs, await timeAsync(() => lintPlan({path: 'clean.json', bytes: clean})));
			denseMs = Math.min(denseMs, await timeAsync(() => lintPlan({path: 'dense.json', bytes: dense})));
		}
		const ratio = denseMs / cleanMs;
		rows.push({
			name: `lint ${steps.toLocaleString('en')} distinct tokens vs clean, same size (${(dense.length / 1024).toFixed(0)} KB vs ${(clean.length / 1024).toFixed(0)} KB)`,
			value: `${ratio.toFixed(2)}× (${ms(denseMs)} vs ${ms(cleanMs)})`,
			target: '≤ 4×',
			ok: ratio <= 4,
		});
	}
	return rows;
};
