import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import {is} from '../../../source/core/superstruct.js';
import {describe, expect, it} from 'vitest';
import {checkPlanSchema} from '../../../source/core/lint/schema-rules.js';
import {REQUIRED_CONTROLS} from '../../../source/core/plan/constants.js';
import {planJsonSchema} from '../../../source/core/plan/json-schema.js';
import {PlanStruct} from '../../../source/core/plan/struct.js';
import {seedPlan} from '../../helpers/plans.js';

const ajv = new Ajv2020.default({strict: false, allErrors: true});
const validateJsonSchema = ajv.compile(planJsonSchema());
/** superstruct builds messages with `${value}`, which throws for objects like {"toString": ""}: that is "invalid" too. */
function safeIs(plan: unknown): boolean {
	try {
		return is(plan, PlanStruct);
	} catch {
		return false;
	}
}

const hasSchemaErrors = (plan: Record<string, unknown>) => checkPlanSchema(plan).some(problem => problem.severity === 'error');

/** Values that are right for some fields and wrong for others. */
const anyValue = fc.oneof(
	fc.constantFrom<unknown>(
		null, true, false, 0, -1, 15, 7.5, '', ' ', 'ready', 'draft', 'disabled', 'DISABLED', 'approved',
		'cavra.go-backend-rollback-plan.v1', 'go-rollback-readiness://ci/ready', 'not a ref', [], {}, ['x'], [''],
		[...REQUIRED_CONTROLS], REQUIRED_CONTROLS.slice(1), [...REQUIRED_CONTROLS, 'extra', 3],
		['go-rollback-readiness://ci/ready', 'bad ref'], {status: 'approved'}, Object.fromEntries(REQUIRED_CONTROLS.map(c => [c, 1])),
	),
	fc.jsonValue({maxDepth: 2}),
);
const keys = ['schema_version', 'status', 'target_mode', 'approved', 'approval', 'approval_id', 'max_recovery_minutes', 'controls', 'rollback_steps', 'evidence_refs', 'extra_key'];
const mutation = fc.record(Object.fromEntries(keys.map(key => [key, fc.oneof(fc.constant({op: 'keep'}), fc.constant({op: 'delete'}), anyValue.map(value => ({op: 'set', value})))])) as Record<string, fc.Arbitrary<{op: string; value?: unknown}>>);

describe('the JSON Schema, the superstruct definitions and the linter agree', () => {
	it('on the seed plan and every template-like variation', () => {
		expect(is(seedPlan(), PlanStruct)).toBe(true);
		expect(validateJsonSchema(seedPlan())).toBe(true);
		fc.assert(
			fc.property(mutation, changes => {
				const plan: Record<string, unknown> = seedPlan();
				for (const [key, change] of Object.entries(changes)) {
					if (change.op === 'delete') delete plan[key];
					else if (change.op === 'set') plan[key] = change.value;
				}
				const struct = safeIs(plan);
				const schema = validateJsonSchema(plan);
				const lint = !hasSchemaErrors(plan);
				expect({struct, schema}).toEqual({struct: lint, schema: lint});
			}),
			{numRuns: 2000},
		);
	});
});
