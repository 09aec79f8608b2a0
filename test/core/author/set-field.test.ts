import {describe, expect, it} from 'vitest';
import {UsageError} from '../../../source/core/errors.js';
import {emptyForm} from '../../../source/core/author/form.js';
import {commaList, parseSetOption} from '../../../source/core/author/set-field.js';

const apply = (...raws: string[]) => raws.reduce((form, raw) => parseSetOption(raw).apply(form), emptyForm());

describe('--set FIELD=VALUE', () => {
	it('coerces each field to its type', () => {
		const form = apply('approved=yes', 'approval_id=CAB-1234', 'max_recovery_minutes=7.5', 'status=draft', 'controls=a, b,,a', 'evidence_refs=x://y');
		expect(form).toMatchObject({approved: true, approvalId: 'CAB-1234', maxRecoveryMinutes: '7.5', status: 'draft', controls: ['a', 'b'], evidenceRefs: ['x://y']});
		expect(form.controlOptions).toContain('a');
		expect(apply('approved=false').approved).toBe(false);
		expect(apply('approved=TRUE').approved).toBe(true);
		expect(apply('controls=').controls).toEqual([]);
		expect(apply('rollback_steps=').steps).toEqual([]);
		expect(apply('approval_id=a=b').approvalId).toBe('a=b');
	});

	it.each([
		['approved=maybe', /--set approved: takes true or false/],
		['max_recovery_minutes=abc', /--set max_recovery_minutes: takes a number of minutes greater than 0/],
		['max_recovery_minutes=0', /greater than 0/],
		['max_recovery_minutes=-5', /greater than 0/],
		['status=', /--set status: takes a status word/],
		['target_mode=', /--set target_mode/],
		['rollback_steps=do it', /--add-step/],
		['colour=red', /"colour" is not a field/],
		['approved', /--set takes FIELD=VALUE/],
		['=x', /--set takes FIELD=VALUE/],
	])('%s is a usage error naming the field', (raw, message) => {
		expect(() => parseSetOption(raw)).toThrow(UsageError);
		expect(() => parseSetOption(raw)).toThrow(message);
	});

	it('never repeats the value in an error (it could be a pasted secret)', () => {
		const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
		for (const raw of [`max_recovery_minutes=${secret}`, `approved=${secret}`, `${secret}=1`]) {
			try {
				parseSetOption(raw);
				expect.unreachable();
			} catch (error) {
				expect((error as UsageError).message).not.toContain(secret);
				expect((error as UsageError).hint ?? '').not.toContain(secret);
			}
		}
	});

	it('commaList trims, drops empties and duplicates', () => {
		expect(commaList(' a ,b,, a ,c')).toEqual(['a', 'b', 'c']);
		expect(commaList('')).toEqual([]);
	});
});
