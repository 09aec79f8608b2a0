import {array, boolean, literal, number, object, optional, refine, size, string, type, unknown, type Infer} from '../superstruct.js';
import {EVIDENCE_REF_PATTERN, PLAN_SCHEMA_VERSION, REQUIRED_CONTROLS} from './constants.js';

/**
 * The plan's shape as superstruct definitions: what a plan must be to have no lint *errors*.
 * Warnings (a draft status, a missing approval, unknown keys) are the linter's opinions and are
 * deliberately not part of it. `json-schema.ts` is the same shape for editors; a test keeps the
 * two and the linter in agreement.
 */
export const PlanStruct = type({
	$schema: optional(string()),
	$comment: optional(string()),
	schema_version: literal(PLAN_SCHEMA_VERSION),
	status: optional(unknown()),
	target_mode: literal('disabled'),
	approved: optional(boolean()),
	approval: optional(unknown()),
	approval_id: optional(unknown()),
	max_recovery_minutes: refine(number(), 'positive', value => (Number.isFinite(value) && value > 0) || 'expected a positive number of minutes'),
	controls: refine(array(unknown()), 'required controls', value => {
		const missing = REQUIRED_CONTROLS.filter(control => !value.includes(control));
		return missing.length === 0 || `missing controls: ${missing.join(', ')}`;
	}),
	rollback_steps: size(array(string()), 1, Infinity),
	evidence_refs: optional(array(refine(string(), 'evidence ref', value => EVIDENCE_REF_PATTERN.test(value) || 'expected scheme://path'))),
});

export type Plan = Infer<typeof PlanStruct>;
