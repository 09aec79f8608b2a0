import type {DashboardConfig, LocalReports, LocalSettings, Report} from '../../../source/core/dashboard/index.js';

/** Hand-built CAVRA reports in the contract's shapes (§11–§14), small enough to read in a test. */

const check = (id: string, pass: boolean, message: string, extras: Record<string, unknown> = {}) => ({id, status: pass ? 'pass' : 'warn', message, ...extras});

export function rollbackReport(options: {approved?: boolean; status?: string; missingPlan?: boolean; mode?: string} = {}): Report {
	const approved = options.approved ?? true;
	const missing = options.missingPlan ?? false;
	const status = options.status ?? (missing || !approved ? 'needs_attention' : 'ready');
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1',
		mode: options.mode ?? 'promoted',
		status,
		rollback_plan_path: '/etc/cavra/plan.json',
		checks: [
			check('go_rollback_requested', status !== 'not_requested', 'Rollback controls are required when CAVRA_GO_BACKEND_MODE=promoted or a rollback plan is configured.', {mode: options.mode ?? 'promoted'}),
			check('python_fallback_available', true, 'Python fallback remains available and can be restored by setting CAVRA_GO_BACKEND_MODE=disabled.'),
			check('go_rollback_plan', !missing, missing ? 'metadata file is missing' : 'Rollback plan is ready for promoted Go backend pilots.', {path: '/etc/cavra/plan.json', rollback_schema: ''}),
			check('go_rollback_approval', !missing && approved, missing ? 'rollback plan is missing or invalid' : approved ? 'Rollback approval is recorded.' : 'rollback plan must be approved', {approval_id: ''}),
			check('go_rollback_disable_path', !missing, missing ? 'rollback plan must set target_mode=disabled' : 'Rollback returns CAVRA to Python-only mode.', {target_mode: 'disabled'}),
			check('go_rollback_controls', !missing, missing ? 'rollback plan controls are missing' : 'Rollback controls are complete.', {missing_controls: []}),
		],
		rollback: {valid: !missing, approved, approval_id: 'apr_1', max_recovery_minutes: 15, rollback_steps: ['a', 'b']},
		operator_notes: [],
	};
}

export function rehearsalReport(status = 'ready'): Report {
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-rehearsal.v1',
		mode: 'promoted',
		status,
		checks: [
			check('go_rollback_rehearsal_requested', true, 'Rollback rehearsal evidence is required…'),
			check('go_rollback_rehearsal_evidence', status === 'ready', status === 'ready' ? 'Rollback rehearsal evidence proves Python fallback restoration within the approved recovery target.' : 'metadata file is missing'),
		],
		rehearsal: {recovery_minutes: 6, max_recovery_minutes: 15},
	};
}

export function drillsReport(ageDays: number, maxAgeDays = 90): Report {
	const fresh = ageDays <= maxAgeDays;
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-drill-history.v1',
		mode: 'promoted',
		status: fresh ? 'ready' : 'needs_attention',
		rollback_drill_max_age_days: maxAgeDays,
		checks: [
			check('go_rollback_drill_history_requested', true, 'requested'),
			check('go_rollback_drill_freshness', fresh, fresh ? 'Latest rollback drill is within the freshness window.' : 'latest rollback drill is missing, invalid, or stale', {max_age_days: maxAgeDays, age_days: ageDays}),
		],
		history: {latest_drill_id: 'drill-002', drill_count: 2, age_days: ageDays, fresh},
	};
}

export function scheduleReport(daysUntilDue: number, dueSoonDays = 14): Report {
	const stale = daysUntilDue < 0;
	const dueSoon = !stale && daysUntilDue <= dueSoonDays;
	return {
		schema_version: 'cavra.go-backend-pilot.rollback-drill-schedule.v1',
		mode: 'promoted',
		status: stale ? 'needs_attention' : dueSoon ? 'due_soon' : 'ready',
		checks: [
			check('go_rollback_drill_schedule_requested', true, 'requested'),
			check('go_rollback_drill_schedule_not_stale', !stale, stale ? 'rollback drill schedule is stale and requires notification' : 'Rollback drill schedule is not stale.', {stale}),
		],
		schedule: {days_until_due: daysUntilDue, due_soon: dueSoon, stale, next_due_at: '2030-01-10T00:00:00+00:00'},
	};
}

export function reports(overrides: Partial<LocalReports> = {}): LocalReports {
	return {rollback: rollbackReport(), rehearsal: rehearsalReport(), drills: drillsReport(40), schedule: scheduleReport(30), ...overrides};
}

export const settings: LocalSettings = {
	mode: 'promoted',
	planPath: '/etc/cavra/plan.json',
	rehearsalPath: '/etc/cavra/rehearsal.json',
	drillHistoryPath: '/etc/cavra/drills.json',
	drillSchedulePath: '/etc/cavra/schedule.json',
	drillMaxAgeDays: 90,
	drillDueSoonDays: 14,
};

export function config(overrides: Partial<DashboardConfig> = {}): DashboardConfig {
	return {path: '/etc/cavra/.cavrarc.yaml', intervalSeconds: 5, timeoutMs: 3000, envFiles: ['/etc/cavra/cavra.env'], services: [], ...overrides};
}

export function okAnswer(body: unknown) {
	const text = JSON.stringify(body);
	return {kind: 'ok' as const, status: 200, body, text, elapsedMs: 3};
}

export function productionBody(options: {status?: string; controls?: 'pass' | 'warn'; rollbackStatus?: string} = {}) {
	const controls = options.controls ?? 'pass';
	return {
		schema_version: 'cavra.deployment.production_readiness.v1',
		product: 'CAVRA',
		status: options.status ?? (controls === 'pass' ? 'ready' : 'needs_attention'),
		checks: [
			{id: 'oidc_configured', status: 'pass', message: 'ok'},
			{id: 'go_backend_rollback_controls', status: controls, message: 'Promoted Go backend mode requires an approved rollback plan back to Python-only mode.', mode: 'promoted', go_rollback_status: options.rollbackStatus ?? 'ready'},
			{id: 'go_backend_rollback_rehearsal', status: 'pass', message: 'r', go_rollback_rehearsal_status: 'ready'},
			{id: 'go_backend_rollback_drill_history', status: 'pass', message: 'd', go_rollback_drill_history_status: 'ready'},
		],
		go_backend_rollback: {schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1', mode: 'promoted', status: options.rollbackStatus ?? 'ready', checks: []},
	};
}

export const cleanLint = {kind: 'ok' as const, report: {path: '/etc/cavra/plan.json', ok: true, findings: [], suppressed: 0}};
