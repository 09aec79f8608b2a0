/** Facts about CAVRA's rollback plan (contract §4–§6), in one place. */

export const PLAN_SCHEMA_VERSION = 'cavra.go-backend-rollback-plan.v1';
export const REHEARSAL_SCHEMA_VERSION = 'cavra.go-backend-rollback-rehearsal.v1';
export const DRILL_HISTORY_SCHEMA_VERSION = 'cavra.go-backend-rollback-drill-history.v1';
export const DRILL_SCHEDULE_SCHEMA_VERSION = 'cavra.go-backend-rollback-drill-schedule.v1';

/** The five controls CAVRA requires, in code-point order (the order CAVRA lists them in). */
export const REQUIRED_CONTROLS = [
	'evidence-capture-enabled',
	'operator-runbook-linked',
	'promoted-mode-disable-tested',
	'python-fallback-available',
	'rollback-approval-recorded',
] as const;

export const CONTROL_DESCRIPTIONS: Record<(typeof REQUIRED_CONTROLS)[number], string> = {
	'evidence-capture-enabled': 'readiness reports are captured before and after a rollback',
	'operator-runbook-linked': 'the operator runbook for this rollback is linked',
	'promoted-mode-disable-tested': 'setting CAVRA_GO_BACKEND_MODE=disabled has been tested in promoted mode',
	'python-fallback-available': 'the Python backend remains installed and can take over',
	'rollback-approval-recorded': 'the rollback approval is recorded',
};

/** Keys CAVRA reads from a plan; anything else is ignored by it. */
export const KNOWN_PLAN_KEYS = [
	'$schema',
	'$comment',
	'schema_version',
	'status',
	'target_mode',
	'approved',
	'approval',
	'approval_id',
	'max_recovery_minutes',
	'controls',
	'rollback_steps',
	'evidence_refs',
] as const;

/** The convention CAVRA's documented refs follow (`go-rollback-readiness://ci/ready`); CAVRA itself does not check it. */
export const EVIDENCE_REF_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/;

/** CAVRA's own wording (contract §6, §11.1), quoted in findings so operators recognise it. */
export const CAVRA_MESSAGES = {
	schemaVersion: 'rollback plan has an invalid schema_version',
	status: 'rollback plan must record status=ready',
	steps: 'rollback plan must include rollback_steps as a non-empty list of strings',
	evidenceRefs: 'rollback evidence_refs must be a list of strings',
	maxRecovery: 'rollback plan must include positive max_recovery_minutes',
	approval: 'rollback plan must be approved',
	targetMode: 'rollback plan must set target_mode=disabled',
	controlsMissing: 'rollback plan is missing controls: ',
} as const;
