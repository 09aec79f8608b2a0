import type {PyValue} from './py-value.js';

/**
 * The shapes of CAVRA's reports (contract §6, §11–§14). Key order in these types is the order
 * CAVRA prints; the evaluator builds every object in that order. Numbers: `bigint` is a Python
 * int, `number` a Python float (`15` vs `15.0` in the JSON); see py-value.ts.
 */

export type ReportValue = PyValue | ReportArray | ReportObject;
export type ReportArray = readonly ReportValue[];
export type ReportObject = {readonly [key: string]: ReportValue};

/** A Python number: int (`bigint`) or float (`number`). */
export type PyNumber = bigint | number;

export type CheckStatus = 'pass' | 'warn';

/** `_check(id, passed, message, **extra)`: id, status, message, then the extras in order. */
export type ReadinessCheck = {readonly id: string; readonly status: CheckStatus; readonly message: string} & {readonly [extra: string]: ReportValue};

export type ReadinessStatus = 'not_requested' | 'ready' | 'needs_attention';
export type ScheduleStatus = ReadinessStatus | 'due_soon';

/** §6: fourteen keys, always, in this order. */
export type RollbackPlanSummary = {
	valid: boolean;
	approved: boolean;
	controls_valid: boolean;
	schema_version: string;
	approval_id: string;
	target_mode: string;
	message: string;
	approval_message: string;
	target_mode_message: string;
	controls_message: string;
	missing_controls: string[];
	evidence_refs: string[];
	rollback_steps: string[];
	max_recovery_minutes: PyNumber | null;
};

/** §11. */
export type RollbackReadinessReport = {
	schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1';
	mode: string;
	status: ReadinessStatus;
	rollback_plan_path: string;
	checks: ReadinessCheck[];
	rollback: RollbackPlanSummary;
	operator_notes: string[];
};

/** §12. */
export type RollbackRehearsalSummary = {
	valid: boolean;
	schema_version: string;
	status: string;
	plan_approval_id: string;
	simulated: boolean;
	fallback_verified: boolean;
	recovery_sla_met: boolean;
	recovery_minutes: PyNumber | null;
	/** The plan's value passes through unchanged when the rehearsal file is unusable. */
	max_recovery_minutes: PyNumber | null;
	evidence_refs: string[];
	runbook_ref: string;
	message: string;
	simulation_message: string;
	fallback_message: string;
	recovery_message: string;
	evidence_message: string;
};

export type RollbackRehearsalReport = {
	schema_version: 'cavra.go-backend-pilot.rollback-rehearsal.v1';
	mode: string;
	status: ReadinessStatus;
	rollback_rehearsal_path: string;
	checks: ReadinessCheck[];
	rehearsal: RollbackRehearsalSummary;
	operator_notes: string[];
};

/** §13. */
export type RollbackDrillHistorySummary = {
	valid: boolean;
	schema_version: string;
	environment: string;
	/** A Python int. */
	drill_count: bigint;
	latest_drill_id: string;
	latest_status: string;
	latest_target_mode: string;
	latest_executed_at: string;
	age_days: number | null;
	fresh: boolean;
	fallback_verified: boolean;
	recovery_sla_met: boolean;
	recovery_minutes: PyNumber | null;
	max_recovery_minutes: PyNumber | null;
	runbook_ref: string;
	evidence_refs: string[];
	message: string;
	latest_status_message: string;
	target_mode_message: string;
	fallback_message: string;
	recovery_message: string;
	freshness_message: string;
};

export type RollbackDrillHistoryReport = {
	schema_version: 'cavra.go-backend-pilot.rollback-drill-history.v1';
	mode: string;
	status: ReadinessStatus;
	rollback_drill_history_path: string;
	rollback_drill_max_age_days: number;
	checks: ReadinessCheck[];
	history: RollbackDrillHistorySummary;
	operator_notes: string[];
};

/** §14. */
export type RollbackDrillScheduleSummary = {
	valid: boolean;
	schema_version: string;
	schedule_id: string;
	environment: string;
	status: string;
	active: boolean;
	cadence_valid: boolean;
	interval_days: PyNumber | null;
	next_due_at: string;
	days_until_due: number | null;
	stale: boolean;
	due_soon: boolean;
	notification_routes_valid: boolean;
	owners: string[];
	notification_providers: string[];
	/** Reported as found (an object or a list), else `[]`. */
	owner_routes: PyValue;
	maintenance_windows: PyValue[];
	owner_calendars: PyValue;
	runbook_ref: string;
	message: string;
	active_message: string;
	cadence_message: string;
	next_due_message: string;
	stale_message: string;
	notification_message: string;
};

export type RollbackDrillScheduleReport = {
	schema_version: 'cavra.go-backend-pilot.rollback-drill-schedule.v1';
	mode: string;
	status: ScheduleStatus;
	rollback_drill_schedule_path: string;
	rollback_drill_due_soon_days: number;
	checks: ReadinessCheck[];
	schedule: RollbackDrillScheduleSummary;
	history: RollbackDrillHistorySummary;
	operator_notes: string[];
};

/** The names `--report` takes, and the keys of `--report all`, in this order. */
export const REPORT_NAMES = ['rollback', 'rehearsal', 'drills', 'drill-schedule'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

export type AllReports = {
	rollback: RollbackReadinessReport;
	rehearsal: RollbackRehearsalReport;
	drills: RollbackDrillHistoryReport;
	'drill-schedule': RollbackDrillScheduleReport;
};
