import {describe, expect, it} from 'vitest';
import {parseJsonDocument} from '../../../source/core/json/document.js';
import {lintPlan, lintPlanSync} from '../../../source/core/lint/lint-plan.js';
import {seedPlan} from '../../helpers/plans.js';

const token = 'ghp_Zq8Lm3Np7Rt2Vw9Xy4Bc6Df1Gh5Jk0Ls8Pq';
const host = 'jenkins-77.fabrikam.internal';
const email = 'rosa.dominguez@fabrikam-payments.com';

/** A plan whose keys (top level, nested, duplicated) hold what would be flagged as values. */
function planWithKeys(): string {
	const plan = JSON.stringify(seedPlan(), null, 2).slice(0, -2);
	return `${plan},\n  "${token}": "x",\n  "${host}": 1,\n  "${host}": 2,\n  "notes": {"${email}": "on call"}\n}\n`;
}

/** Every 8-character run of the secret parts: none may appear anywhere in the report. */
function runsOf(...values: string[]): string[] {
	const runs: string[] = [];
	for (const value of values) for (let i = 0; i + 8 <= value.length; i++) runs.push(value.slice(i, i + 8));
	return runs;
}

describe('object keys are scanned like values', () => {
	it('a token, a host and an email used as keys are findings, at every occurrence of the key', async () => {
		const report = await lintPlan({path: 'plan.json', bytes: planWithKeys()});
		const safety = report.findings.filter(f => f.category === 'public-safety').map(f => `${f.rule} ${f.line}`);
		expect(safety).toEqual(['public-safety/github-token 24', 'public-safety/internal-hostname 25', 'public-safety/internal-hostname 26', 'public-safety/email 27']);
		const keyFinding = report.findings.find(f => f.rule === 'public-safety/email')!;
		expect(keyFinding.message).toMatch(/^a key in notes: this key holds what looks like an email address/);
		expect(keyFinding.pointer).toBe('/notes/rosa…');
	});

	it('no message, pointer or preview quotes a flagged key: not duplicate-key, not unknown-key', async () => {
		for (const report of [await lintPlan({path: 'plan.json', bytes: planWithKeys()}), lintPlanSync({path: 'plan.json', bytes: planWithKeys()})]) {
			const text = JSON.stringify(report);
			for (const run of runsOf(token.slice(4), 'jenkins-77.fabrikam', email)) expect(text).not.toContain(run);
			expect(report.findings.find(f => f.rule === 'syntax/duplicate-key')!.message).toContain('duplicate key "jenk…"');
			expect(report.findings.filter(f => f.rule === 'schema/unknown-key').map(f => f.message)).toEqual(
				expect.arrayContaining([expect.stringContaining('unknown key "ghp_…"'), expect.stringContaining('unknown key "notes"')]),
			);
		}
	});

	it('a key holding a card number is cut in pointers too (only short digit runs are list indexes)', async () => {
		const report = await lintPlan({path: 'plan.json', bytes: '{"steps": {"4111111111111111": "x"}, "list": ["a", "b"]}'});
		expect(JSON.stringify(report)).not.toContain('41111111');
		expect(report.findings.find(f => f.rule === 'public-safety/payment-card')!.pointer).toBe('/steps/4111…');
	});

	it('plain keys stay readable', async () => {
		const report = await lintPlan({path: 'plan.json', bytes: '{"rollback_stepz": ["x"]}'});
		expect(report.findings.find(f => f.rule === 'schema/unknown-key')!.message).toContain('unknown key "rollback_stepz"');
	});

	it('the document lists every key occurrence with its member pointer and offset', () => {
		const document = parseJsonDocument('{"a": {"b": 1}, "a": 2}');
		// The pointer is made on demand (a getter), so compare the fields themselves.
		expect(document.keys().map(({pointer, value, offset}) => ({pointer, value, offset}))).toEqual([
			{pointer: '/a', value: 'a', offset: 1},
			{pointer: '/a/b', value: 'b', offset: 7},
			{pointer: '/a', value: 'a', offset: 16},
		]);
	});
});
