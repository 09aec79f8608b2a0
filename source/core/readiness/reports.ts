import {drillHistorySummary} from './drills.js';
import {checkMetadata, type MetadataCheck, type MetadataRead, type ReadinessFiles} from './metadata.js';
import {planSummary} from './plan.js';
import {instantFromDate, type Instant} from './py-datetime.js';
import {truthy} from './py-value.js';
import {rehearsalSummary} from './rehearsal.js';
import {drillScheduleSummary} from './schedule.js';
import {normaliseMode, type ReadinessSettings} from './settings.js';
import type {
	AllReports,
	ReadinessCheck,
	ReadinessStatus,
	ReportValue,
	RollbackDrillHistoryReport,
	RollbackDrillHistorySummary,
	RollbackDrillScheduleReport,
	RollbackPlanSummary,
	RollbackReadinessReport,
	RollbackRehearsalReport,
	ScheduleStatus,
} from './types.js';

/**
 * CAVRA's four rollback reports (`go_rollback_readiness_report`, `go_rollback_rehearsal_report`,
 * `go_rollback_drill_history_report`, `go_rollback_drill_schedule_report`), pure: the files
 * arrive as bytes (io/readiness-files.ts reads them) and the clock is in the settings.
 */

export const OPERATOR_NOTES = {
	rollback: [
		'Promoted Go backend pilots must have a documented path back to Python-only mode.',
		'The rollback plan is public-safe metadata; do not include private keys, secrets, or customer data.',
		'Set CAVRA_GO_BACKEND_MODE=disabled to force Python backend selection during rollback.',
	],
	rehearsal: [
		'Run rollback rehearsals outside the console and attach public-safe evidence metadata here.',
		'Rehearsals must prove that promoted mode can return to Python-only mode within the approved recovery target.',
		'Do not include secrets, customer data, or private endpoint scripts in rehearsal evidence.',
	],
	drills: [
		'Drill history is public-safe metadata that proves promoted environments can return to Python-only mode.',
		'Record drills from operational runbooks; do not execute rollback from the browser.',
		'Keep hostnames, private endpoint scripts, secrets, and customer details out of public drill history.',
	],
	schedule: [
		'Schedule metadata defines when promoted environments must rehearse rollback back to Python-only mode.',
		'Stale or missing schedules should notify release governance through configured connectors.',
		'Keep connector credentials in CAVRA_CONNECTOR_CONFIG or private secret stores; schedule metadata must stay public-safe.',
	],
} as const;

export const REQUESTED_MESSAGES = {
	rollback: 'Rollback controls are required when CAVRA_GO_BACKEND_MODE=promoted or a rollback plan is configured.',
	rehearsal: 'Rollback rehearsal evidence is required when CAVRA_GO_BACKEND_MODE=promoted or rehearsal evidence is configured.',
	drills: 'Rollback drill history is required when CAVRA_GO_BACKEND_MODE=promoted or drill history is configured.',
	schedule: 'Recurring rollback drill scheduling is required when CAVRA_GO_BACKEND_MODE=promoted or a schedule is configured.',
	pythonFallback: 'Python fallback remains available and can be restored by setting CAVRA_GO_BACKEND_MODE=disabled.',
} as const;

function check(id: string, passed: boolean, message: string, extra: Record<string, ReportValue> = {}): ReadinessCheck {
	return {id, status: passed ? 'pass' : 'warn', message, ...extra};
}

function threeWay(requested: boolean, checks: readonly ReadinessCheck[]): ReadinessStatus {
	if (!requested) return 'not_requested';
	return checks.every(item => item.status === 'pass') ? 'ready' : 'needs_attention';
}

const requestedBy = (mode: string, path: string) => mode === 'promoted' || path !== '';

function nowOf(settings: ReadinessSettings): Instant {
	return instantFromDate(settings.now, settings.nowExtraMicroseconds ?? 0);
}

// The builders take already-checked files, so evaluateAllReports reads each file once.

function buildRollbackReport(settings: ReadinessSettings, rollback: RollbackPlanSummary): RollbackReadinessReport {
	const mode = normaliseMode(settings.mode);
	const path = settings.rollbackPlanPath;
	const requested = requestedBy(mode, path);
	const checks = [
		check('go_rollback_requested', requested, REQUESTED_MESSAGES.rollback, {mode}),
		check('python_fallback_available', true, REQUESTED_MESSAGES.pythonFallback),
		check('go_rollback_plan', rollback.valid, rollback.message, {path, rollback_schema: rollback.schema_version}),
		check('go_rollback_approval', rollback.approved, rollback.approval_message, {approval_id: rollback.approval_id}),
		check('go_rollback_disable_path', rollback.target_mode === 'disabled', rollback.target_mode_message, {target_mode: rollback.target_mode}),
		check('go_rollback_controls', rollback.controls_valid, rollback.controls_message, {missing_controls: rollback.missing_controls}),
	];
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1',
		mode,
		status: threeWay(requested, checks),
		rollback_plan_path: path,
		checks,
		rollback,
		operator_notes: [...OPERATOR_NOTES.rollback],
	};
}

function buildRehearsalReport(settings: ReadinessSettings, plan: RollbackPlanSummary, file: MetadataCheck): RollbackRehearsalReport {
	const mode = normaliseMode(settings.mode);
	const path = settings.rollbackRehearsalPath;
	const rehearsal = rehearsalSummary(file, plan);
	const requested = requestedBy(mode, path);
	const checks = [
		check('go_rollback_rehearsal_requested', requested, REQUESTED_MESSAGES.rehearsal, {mode}),
		check('go_rollback_rehearsal_evidence', rehearsal.valid, rehearsal.message, {path, rehearsal_schema: rehearsal.schema_version}),
		check('go_rollback_rehearsal_simulated', rehearsal.simulated, rehearsal.simulation_message),
		check('go_rollback_rehearsal_fallback_verified', rehearsal.fallback_verified, rehearsal.fallback_message),
		check('go_rollback_rehearsal_recovery_sla', rehearsal.recovery_sla_met, rehearsal.recovery_message, {
			recovery_minutes: rehearsal.recovery_minutes,
			max_recovery_minutes: rehearsal.max_recovery_minutes,
		}),
		check('go_rollback_rehearsal_evidence_refs', truthy(rehearsal.evidence_refs), rehearsal.evidence_message, {evidence_refs: rehearsal.evidence_refs}),
	];
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-rehearsal.v1',
		mode,
		status: threeWay(requested, checks),
		rollback_rehearsal_path: path,
		checks,
		rehearsal,
		operator_notes: [...OPERATOR_NOTES.rehearsal],
	};
}

function buildDrillHistoryReport(settings: ReadinessSettings, history: RollbackDrillHistorySummary): RollbackDrillHistoryReport {
	const mode = normaliseMode(settings.mode);
	const path = settings.rollbackDrillHistoryPath;
	const requested = requestedBy(mode, path);
	const checks = [
		check('go_rollback_drill_history_requested', requested, REQUESTED_MESSAGES.drills, {mode}),
		check('go_rollback_drill_history_file', history.valid, history.message, {path, history_schema: history.schema_version}),
		check('go_rollback_drill_latest_passed', history.latest_status === 'pass', history.latest_status_message, {latest_drill_id: history.latest_drill_id}),
		check('go_rollback_drill_disabled_target', history.latest_target_mode === 'disabled', history.target_mode_message, {target_mode: history.latest_target_mode}),
		check('go_rollback_drill_fallback_verified', history.fallback_verified, history.fallback_message),
		check('go_rollback_drill_recovery_sla', history.recovery_sla_met, history.recovery_message, {
			recovery_minutes: history.recovery_minutes,
			max_recovery_minutes: history.max_recovery_minutes,
		}),
		check('go_rollback_drill_freshness', history.fresh, history.freshness_message, {max_age_days: settings.rollbackDrillMaxAgeDays, age_days: history.age_days}),
	];
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-drill-history.v1',
		mode,
		status: threeWay(requested, checks),
		rollback_drill_history_path: path,
		rollback_drill_max_age_days: settings.rollbackDrillMaxAgeDays,
		checks,
		history,
		operator_notes: [...OPERATOR_NOTES.drills],
	};
}

function buildDrillScheduleReport(settings: ReadinessSettings, history: RollbackDrillHistorySummary, file: MetadataCheck): RollbackDrillScheduleReport {
	const mode = normaliseMode(settings.mode);
	const path = settings.rollbackDrillSchedulePath;
	const schedule = drillScheduleSummary(file, history, settings.rollbackDrillDueSoonDays, nowOf(settings));
	const requested = requestedBy(mode, path);
	const checks = [
		check('go_rollback_drill_schedule_requested', requested, REQUESTED_MESSAGES.schedule, {mode}),
		check('go_rollback_drill_schedule_file', schedule.valid, schedule.message, {path, schedule_schema: schedule.schema_version}),
		check('go_rollback_drill_schedule_active', schedule.active, schedule.active_message),
		check('go_rollback_drill_schedule_cadence', schedule.cadence_valid, schedule.cadence_message, {interval_days: schedule.interval_days}),
		check('go_rollback_drill_schedule_next_due', schedule.next_due_at !== '', schedule.next_due_message, {
			next_due_at: schedule.next_due_at,
			days_until_due: schedule.days_until_due,
		}),
		check('go_rollback_drill_schedule_not_stale', !schedule.stale, schedule.stale_message, {stale: schedule.stale}),
		check('go_rollback_drill_notification_routes', schedule.notification_routes_valid, schedule.notification_message, {
			notification_providers: schedule.notification_providers,
			owners: schedule.owners,
		}),
	];
	let status: ScheduleStatus;
	if (!requested) status = 'not_requested';
	else if (schedule.valid && !schedule.stale && schedule.due_soon) status = 'due_soon';
	else if (schedule.valid && !schedule.stale) status = 'ready';
	else status = 'needs_attention';
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-drill-schedule.v1',
		mode,
		status,
		rollback_drill_schedule_path: path,
		rollback_drill_due_soon_days: settings.rollbackDrillDueSoonDays,
		checks,
		schedule,
		history,
		operator_notes: [...OPERATOR_NOTES.schedule],
	};
}

const historyOf = (settings: ReadinessSettings, file: MetadataRead) =>
	drillHistorySummary(checkMetadata(file), settings.rollbackDrillMaxAgeDays, nowOf(settings));

/** `cavra runtime go-rollback-readiness` / `GET /runtime/go-pilot/rollback-readiness`. */
export function rollbackReadinessReport(settings: ReadinessSettings, files: ReadinessFiles): RollbackReadinessReport {
	return buildRollbackReport(settings, planSummary(checkMetadata(files.plan)));
}

/** `cavra runtime go-rollback-rehearsal` / `GET /runtime/go-pilot/rollback-rehearsal`. */
export function rollbackRehearsalReport(settings: ReadinessSettings, files: ReadinessFiles): RollbackRehearsalReport {
	return buildRehearsalReport(settings, planSummary(checkMetadata(files.plan)), checkMetadata(files.rehearsal));
}

/** `cavra runtime go-rollback-drills` / `GET /runtime/go-pilot/rollback-drills`. */
export function rollbackDrillHistoryReport(settings: ReadinessSettings, files: ReadinessFiles): RollbackDrillHistoryReport {
	return buildDrillHistoryReport(settings, historyOf(settings, files.drillHistory));
}

/** `cavra runtime go-rollback-drill-schedule` / `GET /runtime/go-pilot/rollback-drill-schedule`. */
export function rollbackDrillScheduleReport(settings: ReadinessSettings, files: ReadinessFiles): RollbackDrillScheduleReport {
	return buildDrillScheduleReport(settings, historyOf(settings, files.drillHistory), checkMetadata(files.drillSchedule));
}

/** All four, keyed by report name (the `--report all` document); each file is parsed once. */
export function evaluateAllReports(settings: ReadinessSettings, files: ReadinessFiles): AllReports {
	const plan = planSummary(checkMetadata(files.plan));
	const history = historyOf(settings, files.drillHistory);
	return {
		rollback: buildRollbackReport(settings, plan),
		rehearsal: buildRehearsalReport(settings, plan, checkMetadata(files.rehearsal)),
		drills: buildDrillHistoryReport(settings, history),
		'drill-schedule': buildDrillScheduleReport(settings, history, checkMetadata(files.drillSchedule)),
	};
}
