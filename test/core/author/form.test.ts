import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {emptyForm, formFromPlan, formToPlan, minutesProblem, parseMinutes, serialisePlan} from '../../../source/core/author/form.js';
import {REQUIRED_CONTROLS} from '../../../source/core/plan/constants.js';

const standard = JSON.parse(readFileSync(new URL('../../../templates/standard.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('plan form', () => {
	it('a template round-trips to the same plan, minus its $comment, in documented key order', () => {
		const {form, notes} = formFromPlan(standard, {dropComment: true});
		expect(notes).toEqual([]);
		const plan = formToPlan(form);
		const {$comment: _comment, ...expected} = standard;
		expect(plan).toEqual(expected);
		expect(Object.keys(plan)).toEqual([
			'schema_version',
			'status',
			'target_mode',
			'approved',
			'approval_id',
			'max_recovery_minutes',
			'controls',
			'rollback_steps',
			'evidence_refs',
		]);
	});

	it('serialises with 2-space indentation and one trailing newline', () => {
		const text = serialisePlan(formToPlan(formFromPlan(standard, {dropComment: true}).form));
		expect(text.endsWith('}\n')).toBe(true);
		expect(text.endsWith('\n\n')).toBe(false);
		expect(text).toContain('\n  "schema_version": "cavra.go-backend-rollback-plan.v1",\n');
		expect(text).toContain('\n    "python-fallback-available",\n');
	});

	it('an existing plan keeps $schema, $comment and unknown keys, in their place', () => {
		const {$comment: _comment, ...rest} = standard;
		const withComment = {$schema: 'x.json', $comment: 'mine', ...rest, owner_team: 'platform'};
		const out = formToPlan(formFromPlan(withComment).form);
		expect(Object.keys(out)[0]).toBe('$schema');
		expect(Object.keys(out)[1]).toBe('$comment');
		expect(Object.keys(out).at(-1)).toBe('owner_team');
		expect(out['owner_team']).toBe('platform');
	});

	it('corrects target_mode and schema_version on load and says so', () => {
		const {form, notes} = formFromPlan({...standard, target_mode: 'DISABLED', schema_version: 'v0'});
		expect(form.targetMode).toBe('disabled');
		expect(notes.join('\n')).toMatch(/target_mode .*set to "disabled"/);
		expect(notes.join('\n')).toMatch(/schema_version/);
	});

	it('reads approval from the nested approval object and keeps it in step when written', () => {
		const base = {...standard, approved: undefined, approval_id: undefined, approval: {status: 'approved', approval_id: 'apr_1', by: 'cab'}};
		const {form} = formFromPlan(JSON.parse(JSON.stringify(base)) as Record<string, unknown>);
		expect(form.approved).toBe(true);
		expect(form.approvalId).toBe('apr_1');
		const revoked = formToPlan({...form, approved: false});
		expect(revoked['approved']).toBe(false);
		expect(revoked['approval']).toEqual({status: 'pending', approval_id: 'apr_1', by: 'cab'});
	});

	it('values of the wrong type become visible text, never silently dropped', () => {
		const {form} = formFromPlan({...standard, max_recovery_minutes: '15', rollback_steps: ['a', 3, {x: 1}], controls: 'python-fallback-available'});
		expect(form.maxRecoveryMinutes).toBe('15');
		expect(form.steps).toEqual(['a', '3', '{"x":1}']);
		expect(form.controls).toEqual([]);
		expect(form.controlOptions).toEqual([...REQUIRED_CONTROLS]);
		expect(formToPlan(form)['max_recovery_minutes']).toBe(15);
	});

	it('minutes: numbers are written as numbers, other text is kept as typed', () => {
		expect(parseMinutes(' 15 ')).toEqual({kind: 'number', value: 15});
		expect(parseMinutes('7.5')).toEqual({kind: 'number', value: 7.5});
		expect(parseMinutes('-3')).toEqual({kind: 'number', value: -3});
		expect(parseMinutes('')).toEqual({kind: 'empty'});
		expect(parseMinutes('15m')).toEqual({kind: 'text', text: '15m'});
		expect(minutesProblem('0')).toMatch(/greater than 0/);
		expect(minutesProblem('abc')).toMatch(/number of minutes/);
		expect(minutesProblem('12')).toBeUndefined();
		expect('max_recovery_minutes' in formToPlan({...emptyForm(), maxRecoveryMinutes: ''})).toBe(false);
		expect(formToPlan({...emptyForm(), maxRecoveryMinutes: '15m'})['max_recovery_minutes']).toBe('15m');
	});

	it('property: any form of strings serialises to JSON that parses back to the same plan', () => {
		fc.assert(
			fc.property(fc.array(fc.string()), fc.array(fc.string()), fc.string(), fc.boolean(), (steps, refs, id, approved) => {
				const plan = formToPlan({...emptyForm(), steps, evidenceRefs: refs, approvalId: id, approved});
				expect(JSON.parse(serialisePlan(plan))).toEqual(plan);
				const again = formToPlan(formFromPlan(plan).form);
				expect(again).toEqual(plan);
			}),
		);
	});
});
