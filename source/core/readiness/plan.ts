import {PLAN_SCHEMA_VERSION, REQUIRED_CONTROLS} from '../plan/constants.js';
import type {MetadataCheck} from './metadata.js';
import {isDict, isPositiveNumber, isStringList, PyDict, pyOr, pyStr, truthy} from './py-value.js';
import type {RollbackPlanSummary} from './types.js';

/** CAVRA's `_rollback_plan_summary` (contract §4–§6). */

export const PLAN_MESSAGES = {
	schema: 'rollback plan has an invalid schema_version',
	status: 'rollback plan must record status=ready',
	steps: 'rollback plan must include rollback_steps as a non-empty list of strings',
	evidenceRefs: 'rollback evidence_refs must be a list of strings',
	maxRecovery: 'rollback plan must include positive max_recovery_minutes',
	ready: 'Rollback plan is ready for promoted Go backend pilots.',
	approved: 'Rollback approval is recorded.',
	notApproved: 'rollback plan must be approved',
	unusable: 'rollback plan is missing or invalid',
	targetOk: 'Rollback returns CAVRA to Python-only mode.',
	targetBad: 'rollback plan must set target_mode=disabled',
	controlsOk: 'Rollback controls are complete.',
	controlsMissing: 'rollback plan is missing controls: ',
	controlsAbsent: 'rollback plan controls are missing',
	/** Ours: where CAVRA crashes on `controls: null`, a number or a boolean. */
	controlsNotIterable: 'rollback plan controls must be a list of strings',
} as const;

/**
 * The control names a plan declares, as CAVRA's set comprehension finds them: the string items
 * of a list, the characters of a string (never a control name), the keys of an object.
 * Undefined where Python cannot iterate the value (CAVRA raises TypeError).
 */
function declaredControls(value: ReturnType<PyDict['get']>): Set<string> | undefined {
	if (Array.isArray(value)) return new Set(value.filter((item): item is string => typeof item === 'string'));
	if (typeof value === 'string') return new Set(value);
	if (isDict(value)) return new Set(value.map.keys());
	return undefined;
}

export function planSummary(check: MetadataCheck): RollbackPlanSummary {
	if (!check.valid) {
		return {
			valid: false,
			approved: false,
			controls_valid: false,
			schema_version: '',
			approval_id: '',
			target_mode: '',
			message: check.message,
			approval_message: PLAN_MESSAGES.unusable,
			target_mode_message: PLAN_MESSAGES.targetBad,
			controls_message: PLAN_MESSAGES.controlsAbsent,
			missing_controls: [...REQUIRED_CONTROLS],
			evidence_refs: [],
			rollback_steps: [],
			max_recovery_minutes: null,
		};
	}
	const payload = check.payload;
	const schema = pyStr(payload.get('schema_version', ''));
	const approvalValue = payload.get('approval');
	const approval = isDict(approvalValue) ? approvalValue : new PyDict();
	const approved = payload.get('approved') === true || approval.get('status') === 'approved';
	const approvalId = pyStr(pyOr(payload.get('approval_id'), approval.get('approval_id'), ''));
	const targetMode = pyStr(payload.get('target_mode', ''));
	const controls = declaredControls(payload.get('controls', []));
	const missingControls = REQUIRED_CONTROLS.filter(control => !controls?.has(control));
	const rollbackSteps = payload.get('rollback_steps', []);
	const evidenceRefs = payload.get('evidence_refs', []);
	const stepsValid = isStringList(rollbackSteps);
	const refsValid = isStringList(evidenceRefs);
	const status = pyStr(payload.get('status', ''));
	const maxRecovery = payload.get('max_recovery_minutes');
	const maxRecoveryValid = isPositiveNumber(maxRecovery);
	const valid =
		schema === PLAN_SCHEMA_VERSION &&
		status === 'ready' &&
		targetMode === 'disabled' &&
		missingControls.length === 0 &&
		stepsValid &&
		truthy(rollbackSteps) &&
		refsValid &&
		maxRecoveryValid;
	const messages: string[] = [];
	if (schema !== PLAN_SCHEMA_VERSION) messages.push(PLAN_MESSAGES.schema);
	if (status !== 'ready') messages.push(PLAN_MESSAGES.status);
	if (!stepsValid || !truthy(rollbackSteps)) messages.push(PLAN_MESSAGES.steps);
	if (!refsValid) messages.push(PLAN_MESSAGES.evidenceRefs);
	if (!maxRecoveryValid) messages.push(PLAN_MESSAGES.maxRecovery);
	let controlsMessage: string;
	if (controls === undefined) controlsMessage = PLAN_MESSAGES.controlsNotIterable;
	else if (missingControls.length > 0) controlsMessage = PLAN_MESSAGES.controlsMissing + missingControls.join(', ');
	else controlsMessage = PLAN_MESSAGES.controlsOk;
	return {
		valid,
		approved,
		controls_valid: missingControls.length === 0,
		schema_version: schema,
		approval_id: approvalId,
		target_mode: targetMode,
		message: messages.length > 0 ? messages.join('; ') : PLAN_MESSAGES.ready,
		approval_message: approved ? PLAN_MESSAGES.approved : PLAN_MESSAGES.notApproved,
		target_mode_message: targetMode === 'disabled' ? PLAN_MESSAGES.targetOk : PLAN_MESSAGES.targetBad,
		controls_message: controlsMessage,
		missing_controls: missingControls,
		evidence_refs: refsValid ? evidenceRefs : [],
		rollback_steps: stepsValid ? rollbackSteps : [],
		max_recovery_minutes: maxRecoveryValid ? maxRecovery : null,
	};
}
