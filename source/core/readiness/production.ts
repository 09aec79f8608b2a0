import type {ReportObject, ReportValue} from './types.js';

/**
 * The rollback parts of CAVRA's production readiness report (`production_readiness_report`,
 * contract §9.3), for the dashboard and the API stand-in: three check entries and the
 * `go_backend_rollback` section.
 */

/** Any report, typed or parsed from the API: only its `status` is read. */
export type StatusCarrier = ReportObject | {readonly status?: unknown};

export interface ProductionRollbackInputs {
	/** The Go backend pilot readiness report's `mode` (not the rollback report's); default `disabled`. */
	pilotMode?: string;
	rollback?: StatusCarrier;
	rehearsal?: StatusCarrier;
	drills?: StatusCarrier;
}

export const PRODUCTION_CHECK_MESSAGES = {
	rollback: 'Promoted Go backend mode requires an approved rollback plan back to Python-only mode.',
	rehearsal: 'Promoted Go backend mode requires rollback rehearsal evidence and dashboard visibility.',
	drills: 'Promoted Go backend mode requires fresh operational drill history for returning to Python-only mode.',
} as const;

export type ProductionCheck = {id: string; status: 'pass' | 'warn'; message: string; mode: string} & {[key: string]: ReportValue};

/** `(report or {}).get("status", "not_requested")`. */
function statusOf(report: StatusCarrier | undefined): ReportValue {
	if (report === undefined || !Object.hasOwn(report, 'status')) return 'not_requested';
	return (report as {status: ReportValue}).status;
}

export function productionReadinessRollbackChecks(inputs: ProductionRollbackInputs): ProductionCheck[] {
	const mode = inputs.pilotMode ?? 'disabled';
	const entry = (id: string, message: string, statusKey: string, report: StatusCarrier | undefined): ProductionCheck => {
		const status = statusOf(report);
		return {id, status: status === 'not_requested' || status === 'ready' ? 'pass' : 'warn', message, mode, [statusKey]: status};
	};
	return [
		entry('go_backend_rollback_controls', PRODUCTION_CHECK_MESSAGES.rollback, 'go_rollback_status', inputs.rollback),
		entry('go_backend_rollback_rehearsal', PRODUCTION_CHECK_MESSAGES.rehearsal, 'go_rollback_rehearsal_status', inputs.rehearsal),
		entry('go_backend_rollback_drill_history', PRODUCTION_CHECK_MESSAGES.drills, 'go_rollback_drill_history_status', inputs.drills),
	];
}

/** What stands in for a missing (or empty) rollback report. */
export type RollbackSectionStub = {
	schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1';
	mode: 'disabled';
	status: 'not_requested';
	checks: never[];
};

/** The `go_backend_rollback` section: the rollback report itself, or the stub when there is none. */
export function productionReadinessRollbackSection<T extends StatusCarrier>(report: T | undefined): T | RollbackSectionStub {
	if (report !== undefined && Object.keys(report).length > 0) return report;
	return {schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1', mode: 'disabled', status: 'not_requested', checks: []};
}
