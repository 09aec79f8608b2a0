import {describe, expect, it} from 'vitest';
import type {Finding} from '../../../source/core/lint/finding.js';
import {foldFindings, MAX_FINDINGS_PER_RULE} from '../../../source/core/lint/fold.js';
import {lintPlanSync} from '../../../source/core/lint/lint-plan.js';

const finding = (rule: string, line: number): Finding => ({rule, category: 'syntax', severity: 'error', message: 'm', pointer: `/k${line}`, line, column: 1});

describe('foldFindings (bounded output)', () => {
	it('keeps the first findings of each rule and folds the rest into one summary of the same rule', () => {
		const input = [...Array.from({length: 250}, (_, i) => finding('syntax/duplicate-key', i + 1)), finding('schema/status', 300)];
		const out = foldFindings(input);
		const duplicates = out.filter(f => f.rule === 'syntax/duplicate-key');
		expect(duplicates).toHaveLength(MAX_FINDINGS_PER_RULE + 1);
		const summary = duplicates.at(-1)!;
		expect(summary).toMatchObject({severity: 'error', category: 'syntax', line: 101, pointer: '/k101'});
		expect(summary.message).toMatch(/^150 more syntax\/duplicate-key findings in this file/);
		expect(out.filter(f => f.rule === 'schema/status')).toHaveLength(1);
	});

	it('changes nothing at or under the limit', () => {
		const input = Array.from({length: MAX_FINDINGS_PER_RULE}, (_, i) => finding('syntax/duplicate-key', i + 1));
		expect(foldFindings(input)).toEqual(input);
	});

	it('a plan with 300 000 duplicate keys yields a bounded report', () => {
		const text = `{${Array.from({length: 300_000}, () => '"k":1').join(',')}}`;
		const report = lintPlanSync({path: 'dup.json', bytes: text});
		expect(report.ok).toBe(false);
		expect(report.findings.length).toBeLessThan(2 * MAX_FINDINGS_PER_RULE);
		expect(report.findings.find(f => f.message.startsWith('299899 more syntax/duplicate-key'))).toBeDefined();
	});
});
