import {readFileSync} from 'node:fs';
import {lintPlan} from '../core/lint/lint-plan.js';
import {packagePath} from '../io/package-root.js';
import {publicSafetyDetectors, scanPublicSafetySync} from '../core/lint/public-safety/index.js';
import {parseJsonDocument} from '../core/json/document.js';
import {checkPlanSchema} from '../core/lint/schema-rules.js';
import {median, ms, timeAsync} from './measure.js';
import type {BenchRow, BenchSection} from './types.js';

const template = packagePath('templates', 'standard.json');

/** Issue 2's figures: lint scaling, and the slowest rule on adversarial input. */
export const benchLint: BenchSection = async () => {
	const rows: BenchRow[] = [];
	// Cold start of `lint --format json` and `readiness --json` is measured with the other start-up figures (startup.ts).
	const plan = JSON.parse(readFileSync(template, 'utf8')) as {rollback_steps: string[]};
	const sizes = [10, 1_000, 100_000];
	const perKb: number[] = [];
	for (const steps of sizes) {
		const big = {...plan, rollback_steps: Array.from({length: steps}, (_, i) => `Step ${i + 1}: restart the CAVRA API service and confirm it reports mode disabled (see runbook section ${i % 97}).`)};
		const text = JSON.stringify(big, null, 2);
		const bytes = Buffer.from(text);
		const elapsed = await timeAsync(() => lintPlan({path: 'bench.json', bytes}), steps >= 100_000 ? 3 : 5);
		perKb.push(elapsed / (bytes.length / 1024));
		const mb = bytes.length / 1024 / 1024;
		const row: BenchRow = {name: `lint ${steps.toLocaleString('en')} steps (${mb >= 1 ? `${mb.toFixed(1)} MB` : `${(bytes.length / 1024).toFixed(1)} KB`})`, value: `${ms(elapsed)} (${(elapsed / mb).toFixed(0)} ms/MB)`};
		if (steps === 100_000) Object.assign(row, {target: '1 MB in < 1 s', ok: elapsed / mb < 1000});
		rows.push(row);
	}
	const growth = perKb[2]! / perKb[1]!;
	rows.push({name: 'lint scaling: time per KB at 100,000 steps vs 1,000', value: `${growth.toFixed(2)}×`, target: 'linear (≤ 2×)', ok: growth <= 2});

	const adversarial: Record<string, string> = {
		'a×100k': 'a'.repeat(100_000),
		'1×100k': '1'.repeat(100_000),
		'AKIA×25k': 'AKIA'.repeat(25_000),
		'a@×50k': 'a@'.repeat(50_000),
		'1.×50k': '1.'.repeat(50_000),
		'x:×50k': 'x:'.repeat(50_000),
		'eyJ.×25k': 'eyJ.'.repeat(25_000),
		'-----BEGIN ×9k': '-----BEGIN '.repeat(9_091),
		'token=×16k': 'token='.repeat(16_667),
		'http://a:×11k': 'http://a:'.repeat(11_112),
		'base64ish': Array.from({length: 100_000}, (_, i) => 'Aa0+/_-'[i % 7]).join(''),
		'spaces+@': ' @'.repeat(50_000),
	};
	let slowest = {rule: '', input: '', time: 0};
	for (const detector of publicSafetyDetectors) {
		for (const [name, input] of Object.entries(adversarial)) {
			const samples: number[] = [];
			for (let i = 0; i < 3; i++) {
				const start = process.hrtime.bigint();
				detector.scan(input);
				samples.push(Number(process.hrtime.bigint() - start) / 1e6);
			}
			const time = median(samples);
			if (time > slowest.time) slowest = {rule: detector.id, input: name, time};
		}
	}
	rows.push(scanGrowth());
	rows.push({name: `slowest public-safety rule on 100 KB adversarial input (${publicSafetyDetectors.length} rules × ${Object.keys(adversarial).length} inputs)`, value: `${ms(slowest.time)} (${slowest.rule} on ${slowest.input})`, target: '< 50 ms', ok: slowest.time < 50});

	let slowestParse = {input: '', time: 0};
	for (const [name, input] of Object.entries(adversarial)) {
		const text = JSON.stringify({schema_version: input, rollback_steps: [input], [input.slice(0, 50)]: input});
		const time = await timeAsync(async () => {
			const document = parseJsonDocument(text);
			checkPlanSchema(document.value as Record<string, unknown>);
		}, 3);
		if (time > slowestParse.time) slowestParse = {input: name, time};
	}
	rows.push({name: 'slowest parse + schema rules on 100 KB adversarial input', value: `${ms(slowestParse.time)} (${slowestParse.input})`, target: '< 50 ms', ok: slowestParse.time < 50});
	return rows;
};

/**
 * The ReDoS guard that used to be a timing test: 4× the input should take ~4× the time; a
 * quadratic detector takes ~16×. Best of three per size, the small one warmed first.
 */
function scanGrowth(): BenchRow {
	const input = (n: number) => [{pointer: '/rollback_steps/0', value: 'password=x1 10.0.0.1 a@b.io '.repeat(n), offset: 0}];
	const small = input(2000);
	const large = input(8000);
	scanPublicSafetySync(small);
	const best = (strings: ReturnType<typeof input>) =>
		Math.min(
			...[0, 1, 2].map(() => {
				const start = process.hrtime.bigint();
				scanPublicSafetySync(strings);
				return Number(process.hrtime.bigint() - start) / 1e6;
			}),
		);
	const smallMs = best(small);
	const largeMs = best(large);
	const ratio = largeMs / Math.max(smallMs, 0.5);
	return {name: 'public-safety scan of 4× the input (56 KB → 224 KB): time ratio', value: `${ratio.toFixed(2)}× (${ms(largeMs)} vs ${ms(smallMs)})`, target: '≤ 8× (linear 4×, quadratic 16×)', ok: ratio <= 8};
}
