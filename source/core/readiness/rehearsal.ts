import {REHEARSAL_SCHEMA_VERSION} from '../plan/constants.js';
import type {MetadataCheck} from './metadata.js';
import {isPositiveNumber, isStringList, numberLessOrEqual, pyOr, pyStr, truthy} from './py-value.js';
import type {RollbackPlanSummary, RollbackRehearsalSummary} from './types.js';

/** CAVRA's `_rollback_rehearsal_summary` (contract §12). */

export const REHEARSAL_MESSAGES = {
	schema: 'rollback rehearsal evidence has an invalid schema_version',
	status: 'rollback rehearsal evidence must record status=pass',
	runbook: 'rollback rehearsal evidence must include runbook_ref',
	evidenceRefs: 'rollback rehearsal evidence_refs must be a non-empty list of strings',
	approvalMismatch: 'rollback rehearsal plan_approval_id must match the rollback plan approval_id',
	ready: 'Rollback rehearsal evidence proves Python fallback restoration within the approved recovery target.',
	simulated: 'Rollback rehearsal was simulated.',
	notSimulated: 'rollback rehearsal must be marked simulated=true',
	unusable: 'rollback rehearsal evidence is missing or invalid',
	fallbackOk: 'Python fallback restoration was verified.',
	fallbackBad: 'rollback rehearsal must verify Python fallback restoration',
	recoveryOk: 'Recovery target was met.',
	recoveryBad: 'rollback rehearsal recovery_minutes must be positive and less than or equal to max_recovery_minutes',
	recoveryUnusable: 'rollback rehearsal must record recovery_minutes within max_recovery_minutes',
	refsOk: 'Rollback rehearsal evidence references are recorded.',
	refsBad: 'rollback rehearsal must include evidence_refs',
} as const;

export function rehearsalSummary(check: MetadataCheck, plan: RollbackPlanSummary): RollbackRehearsalSummary {
	if (!check.valid) {
		return {
			valid: false,
			schema_version: '',
			status: '',
			plan_approval_id: '',
			simulated: false,
			fallback_verified: false,
			recovery_sla_met: false,
			recovery_minutes: null,
			max_recovery_minutes: plan.max_recovery_minutes,
			evidence_refs: [],
			runbook_ref: '',
			message: check.message,
			simulation_message: REHEARSAL_MESSAGES.unusable,
			fallback_message: REHEARSAL_MESSAGES.fallbackBad,
			recovery_message: REHEARSAL_MESSAGES.recoveryUnusable,
			evidence_message: REHEARSAL_MESSAGES.refsBad,
		};
	}
	const payload = check.payload;
	const schema = pyStr(payload.get('schema_version', ''));
	const status = pyStr(payload.get('status', ''));
	const planApprovalId = pyStr(pyOr(payload.get('plan_approval_id'), payload.get('approval_id'), ''));
	const simulated = payload.get('simulated') === true;
	const fallbackVerified = payload.get('fallback_verified') === true;
	const recoveryMinutes = payload.get('recovery_minutes');
	const ownMaxRecovery = payload.get('max_recovery_minutes');
	const maxRecovery = isPositiveNumber(ownMaxRecovery) ? ownMaxRecovery : plan.max_recovery_minutes;
	const evidenceRefs = payload.get('evidence_refs', []);
	const refsValid = isStringList(evidenceRefs);
	const runbookRef = pyStr(payload.get('runbook_ref', ''));
	const recoveryValid = isPositiveNumber(recoveryMinutes);
	const maxRecoveryValid = isPositiveNumber(maxRecovery);
	const recoverySlaMet = recoveryValid && maxRecoveryValid && numberLessOrEqual(recoveryMinutes, maxRecovery);
	const approvalMatches = plan.approval_id === '' || planApprovalId === plan.approval_id;
	const refsPresent = refsValid && truthy(evidenceRefs);
	const valid =
		schema === REHEARSAL_SCHEMA_VERSION && status === 'pass' && simulated && fallbackVerified && recoverySlaMet && refsPresent && runbookRef !== '' && approvalMatches;
	const messages: string[] = [];
	if (schema !== REHEARSAL_SCHEMA_VERSION) messages.push(REHEARSAL_MESSAGES.schema);
	if (status !== 'pass') messages.push(REHEARSAL_MESSAGES.status);
	if (runbookRef === '') messages.push(REHEARSAL_MESSAGES.runbook);
	if (!refsPresent) messages.push(REHEARSAL_MESSAGES.evidenceRefs);
	if (!approvalMatches) messages.push(REHEARSAL_MESSAGES.approvalMismatch);
	return {
		valid,
		schema_version: schema,
		status,
		plan_approval_id: planApprovalId,
		simulated,
		fallback_verified: fallbackVerified,
		recovery_sla_met: recoverySlaMet,
		recovery_minutes: recoveryValid ? recoveryMinutes : null,
		max_recovery_minutes: maxRecoveryValid ? maxRecovery : null,
		evidence_refs: refsValid ? evidenceRefs : [],
		runbook_ref: runbookRef,
		message: messages.length > 0 ? messages.join('; ') : REHEARSAL_MESSAGES.ready,
		simulation_message: simulated ? REHEARSAL_MESSAGES.simulated : REHEARSAL_MESSAGES.notSimulated,
		fallback_message: fallbackVerified ? REHEARSAL_MESSAGES.fallbackOk : REHEARSAL_MESSAGES.fallbackBad,
		recovery_message: recoverySlaMet ? REHEARSAL_MESSAGES.recoveryOk : REHEARSAL_MESSAGES.recoveryBad,
		evidence_message: refsPresent ? REHEARSAL_MESSAGES.refsOk : REHEARSAL_MESSAGES.refsBad,
	};
}
