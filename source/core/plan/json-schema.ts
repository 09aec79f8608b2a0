import {EVIDENCE_REF_PATTERN, PLAN_SCHEMA_VERSION, REQUIRED_CONTROLS} from './constants.js';

/**
 * JSON Schema (draft 2020-12) of a plan with no lint errors, for editors (`"$schema"`).
 * Mirrors `struct.ts` (checked by test/core/plan/schema-agreement.test.ts).
 */
export function planJsonSchema(): Record<string, unknown> {
	return {
		$schema: 'https://json-schema.org/draft/2020-12/schema',
		$id: 'https://cavra-rollback.invalid/schemas/cavra.go-backend-rollback-plan.v1.json',
		title: 'CAVRA Go backend rollback plan',
		description:
			'Public rollback plan back to Python-only mode (cavra.go-backend-rollback-plan.v1). Valid here means no cavra-rollback lint errors; run `cavra-rollback lint` for warnings and public-safety checks.',
		type: 'object',
		required: ['schema_version', 'target_mode', 'max_recovery_minutes', 'controls', 'rollback_steps'],
		properties: {
			$schema: {type: 'string'},
			$comment: {type: 'string', description: 'Free text; CAVRA ignores it. Templates use it as their description.'},
			schema_version: {const: PLAN_SCHEMA_VERSION},
			status: {description: 'Must be "ready" for CAVRA readiness; anything else is a draft.', examples: ['ready', 'draft']},
			target_mode: {const: 'disabled', description: 'Rollback returns CAVRA to Python-only mode.'},
			approved: {type: 'boolean', description: 'true records the approval; CAVRA does not count "true", 1 or "yes".'},
			approval: {description: 'Alternative approval record: {"status": "approved", "approval_id": "..."}.'},
			approval_id: {description: 'Reference to the approval record (a string).'},
			max_recovery_minutes: {type: 'number', exclusiveMinimum: 0, description: 'Recovery target in minutes.'},
			controls: {
				type: 'array',
				description: 'Must include every required control.',
				allOf: REQUIRED_CONTROLS.map(control => ({contains: {const: control}})),
			},
			rollback_steps: {type: 'array', minItems: 1, items: {type: 'string'}, description: 'The runbook steps, in order.'},
			evidence_refs: {
				type: 'array',
				items: {type: 'string', pattern: EVIDENCE_REF_PATTERN.source},
				description: 'References of the form scheme://path, e.g. go-rollback-readiness://ci/ready.',
			},
		},
	};
}
