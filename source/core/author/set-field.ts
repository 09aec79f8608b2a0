import {UsageError} from '../errors.js';
import type {PlanForm} from './form.js';

/**
 * `--set FIELD=VALUE` for the non-interactive mode: typed coercion with errors that name the
 * field and what it takes. Error messages never repeat the value: a mistyped flag could hold a
 * pasted secret, and errors end up in CI logs.
 */

export const SETTABLE_FIELDS = [
	'status',
	'approved',
	'approval_id',
	'max_recovery_minutes',
	'target_mode',
	'schema_version',
	'controls',
	'evidence_refs',
	'rollback_steps',
] as const;

export type SettableField = (typeof SETTABLE_FIELDS)[number];

export interface FieldAssignment {
	field: SettableField;
	apply(form: PlanForm): PlanForm;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

export function parseSetOption(raw: string): FieldAssignment {
	const equals = raw.indexOf('=');
	if (equals <= 0) {
		throw new UsageError('--set takes FIELD=VALUE', `e.g. --set max_recovery_minutes=15; fields: ${SETTABLE_FIELDS.join(', ')}`);
	}
	const name = raw.slice(0, equals).trim();
	const value = raw.slice(equals + 1);
	if (!(SETTABLE_FIELDS as readonly string[]).includes(name)) {
		const shown = /^[A-Za-z_][A-Za-z0-9_]{0,24}$/.test(name) ? `"${name}"` : 'that field';
		throw new UsageError(`--set: ${shown} is not a field the author command sets`, `fields: ${SETTABLE_FIELDS.join(', ')}`);
	}
	const field = name as SettableField;
	const fail = (expected: string, example: string): never => {
		throw new UsageError(`--set ${field}: ${expected}`, `e.g. --set ${field}=${example}`);
	};
	switch (field) {
		case 'status': {
			const status = value.trim();
			if (status === '') fail('takes a status word ("ready" or "draft")', 'draft');
			return {field, apply: form => ({...form, status})};
		}
		case 'approved': {
			const word = value.trim().toLowerCase();
			if (TRUE_WORDS.has(word)) return {field, apply: form => ({...form, approved: true})};
			if (FALSE_WORDS.has(word)) return {field, apply: form => ({...form, approved: false})};
			return fail('takes true or false (also yes/no)', 'true');
		}
		case 'approval_id':
			return {field, apply: form => ({...form, approvalId: value.trim()})};
		case 'max_recovery_minutes': {
			const text = value.trim();
			const number = Number(text);
			if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(number) || number <= 0) {
				fail('takes a number of minutes greater than 0 (digits, e.g. 15 or 7.5)', '15');
			}
			return {field, apply: form => ({...form, maxRecoveryMinutes: text})};
		}
		case 'target_mode': {
			const mode = value.trim();
			if (mode === '') fail('takes a mode; CAVRA accepts only "disabled"', 'disabled');
			return {field, apply: form => ({...form, targetMode: mode})};
		}
		case 'schema_version': {
			const version = value.trim();
			if (version === '') fail('takes the plan schema id', 'cavra.go-backend-rollback-plan.v1');
			return {field, apply: form => ({...form, schemaVersion: version})};
		}
		case 'controls': {
			const controls = commaList(value);
			return {
				field,
				apply: form => ({...form, controls, controlOptions: [...new Set([...form.controlOptions, ...controls])]}),
			};
		}
		case 'evidence_refs': {
			const refs = commaList(value);
			return {field, apply: form => ({...form, evidenceRefs: refs})};
		}
		case 'rollback_steps':
			if (value.trim() !== '') fail('can only be cleared here (--set rollback_steps=); add steps with --add-step TEXT, once per step', '');
			return {field, apply: form => ({...form, steps: []})};
	}
}

/** "a, b,,c" → ["a", "b", "c"]; an empty value is an empty list. */
export function commaList(value: string): string[] {
	return [...new Set(value.split(',').map(item => item.trim()).filter(item => item !== ''))];
}
