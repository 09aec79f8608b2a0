import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {lintPlan} from '../../../source/core/lint/lint-plan.js';
import {allRules} from '../../../source/core/lint/catalog.js';
import {formatLintJson} from '../../../source/format/lint-json.js';
import {formatLintSarif} from '../../../source/format/lint-sarif.js';
import {formatLintText} from '../../../source/format/lint-text.js';
import {fixFile, formatFixText} from '../../../source/commands/lint-fix.js';
import {seedPlan} from '../../helpers/plans.js';

/**
 * The masking promise as a property: whatever the plan, no output of lint (text, JSON, SARIF,
 * the --fix --dry-run diff and summary) holds 8 characters of a flagged value that include any
 * of its random (secret) characters. Secrets of every class go in values and in keys.
 */

interface Part {
	text: string;
	random: boolean;
}
type Secret = Part[];

const chars = (alphabet: string, min: number, max = min) => fc.string({unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max});
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const fixed = (text: string): Part => ({text, random: false});
const random = (text: string): Part => ({text, random: true});

function luhn(body: string): string {
	let sum = 0;
	for (let i = 0; i < body.length; i++) {
		let d = Number(body[body.length - 1 - i]);
		if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return `${body}${(10 - (sum % 10)) % 10}`;
}

const secret: fc.Arbitrary<Secret> = fc.oneof(
	chars(ALNUM, 36).map(body => [fixed('ghp_'), random(body)]),
	chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16).map(body => [fixed('AKIA'), random(body)]),
	chars(ALNUM, 24, 32).map(body => [fixed('sk_live_'), random(body)]),
	fc.tuple(chars(LOWER, 6, 10), chars(LOWER, 8, 14)).map(([local, domain]) => [random(local), fixed('@'), random(domain), fixed('.com')]),
	fc.tuple(chars(LOWER, 8, 12), chars(LOWER, 8, 12)).map(([host, org]) => [random(host), fixed('.'), random(org), fixed('.internal')]),
	fc.tuple(fc.integer({min: 100, max: 255}), fc.integer({min: 100, max: 255})).map(([c, d]) => [fixed('192.168.'), random(`${c}.${d}`)]),
	chars(DIGITS, 14).map(body => [random(luhn(`4${body}`))]),
);

const textOf = (s: Secret) => s.map(p => p.text).join('');

/** Every 8-character window of the value that includes at least one random character. */
function forbiddenRuns(s: Secret): string[] {
	const value = textOf(s);
	const isRandom: boolean[] = s.flatMap(p => Array.from(p.text, () => p.random));
	const runs: string[] = [];
	for (let i = 0; i + 8 <= value.length; i++) if (isRandom.slice(i, i + 8).some(Boolean)) runs.push(value.slice(i, i + 8));
	return runs;
}

const placement = fc.constantFrom('step', 'assignment', 'key', 'nested-key');

function planWith(secrets: Array<[Secret, string]>): string {
	const plan = seedPlan() as Record<string, unknown> & {rollback_steps: string[]};
	const notes: Record<string, string> = {};
	for (const [s, where] of secrets) {
		const value = textOf(s);
		if (where === 'step') plan.rollback_steps.push(`Then check ${value} before the restart.`);
		else if (where === 'assignment') plan.rollback_steps.push(`export API_TOKEN=${value}`);
		else if (where === 'key') plan[value] = 'x';
		else notes[value] = 'see above';
	}
	if (Object.keys(notes).length > 0) plan['notes'] = notes;
	return JSON.stringify(plan, null, 2);
}

describe('no output holds 8 characters of a flagged value', () => {
	it('text, JSON, SARIF, --fix --dry-run diff and summary', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.tuple(secret, placement), {minLength: 1, maxLength: 4}), async secrets => {
				const text = planWith(secrets);
				const bytes = new TextEncoder().encode(text);
				const report = await lintPlan({path: 'plan.json', bytes});
				expect(report.findings.some(f => f.category === 'public-safety')).toBe(true);
				const fix = await fixFile('plan.json', bytes, {dryRun: true});
				const outputs = [
					formatLintText([report], {color: false}),
					formatLintJson([report]),
					formatLintSarif([report], {rules: allRules, version: '0.0.0', cwd: '/tmp'}),
					formatFixText(fix.summary, true),
					JSON.stringify(fix.summary),
				].join('\n');
				for (const [s] of secrets) for (const run of forbiddenRuns(s)) expect(outputs, `${run} leaked`).not.toContain(run);
			}),
			{numRuns: 60},
		);
	}, 120_000);
});
