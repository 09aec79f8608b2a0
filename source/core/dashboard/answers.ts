import type {ProbeResult} from './probe.js';
import type {ApiEndpoint, Report, ReportCheck} from './state.js';

/**
 * Reading CAVRA's API answers: is this body the document the endpoint promises, and what in it
 * matters to the dashboard. Anything else is `malformed`, never a crash.
 */

export const ROLLBACK_READINESS_SCHEMA = 'cavra.go-backend-pilot.rollback-readiness.v1';
export const PRODUCTION_READINESS_SCHEMA = 'cavra.deployment.production_readiness.v1';
export const ROLLBACK_CHECK_IDS = ['go_backend_rollback_controls', 'go_backend_rollback_rehearsal', 'go_backend_rollback_drill_history'] as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCheck(value: unknown): value is ReportCheck {
	return isRecord(value) && typeof value['id'] === 'string' && typeof value['status'] === 'string';
}

/** A report-shaped object: a string status and a list of checks. */
export function asReport(value: unknown): Report | undefined {
	if (!isRecord(value) || typeof value['status'] !== 'string' || !Array.isArray(value['checks'])) return undefined;
	if (!value['checks'].every(isCheck)) return undefined;
	return value as Report;
}

/** Why a 2xx JSON answer is not what the endpoint promises, or undefined when it is. */
export function bodyProblem(endpoint: ApiEndpoint, body: unknown): string | undefined {
	if (!isRecord(body)) return 'the answer is not a JSON object';
	if (!asReport(body)) return 'the answer has no status and checks';
	const schema = body['schema_version'];
	if (endpoint === 'rollback-readiness') {
		if (schema !== ROLLBACK_READINESS_SCHEMA) return `schema_version is ${JSON.stringify(schema)}, expected ${ROLLBACK_READINESS_SCHEMA}`;
		if (typeof body['mode'] !== 'string') return 'the answer has no mode';
	} else if (schema !== PRODUCTION_READINESS_SCHEMA) {
		return `schema_version is ${JSON.stringify(schema)}, expected ${PRODUCTION_READINESS_SCHEMA}`;
	}
	return undefined;
}

/** An `ok` result whose body is not the promised document becomes `malformed`. */
export function classifyAnswer(endpoint: ApiEndpoint, result: ProbeResult): ProbeResult {
	if (result.kind !== 'ok') return result;
	const problem = bodyProblem(endpoint, result.body);
	if (!problem) return result;
	const preview = result.text.replace(/\s+/g, ' ').trim();
	return {kind: 'malformed', status: result.status, message: problem, bodyPreview: preview.length > 200 ? `${preview.slice(0, 200)}…` : preview, elapsedMs: result.elapsedMs};
}

/** A service's verify URL is CAVRA's rollback-readiness endpoint: it must say which mode it runs. */
export function classifyServiceAnswer(result: ProbeResult): ProbeResult {
	if (result.kind !== 'ok') return result;
	if (isRecord(result.body) && typeof result.body['mode'] === 'string') return result;
	return {kind: 'malformed', status: result.status, message: 'the answer has no mode', bodyPreview: result.text.slice(0, 200), elapsedMs: result.elapsedMs};
}

export interface RollbackAnswer {
	status: string;
	mode: string;
	checks: ReportCheck[];
}

export function readRollbackAnswer(body: unknown): RollbackAnswer | undefined {
	const report = asReport(body);
	if (!report || typeof report.mode !== 'string') return undefined;
	return {status: report.status, mode: report.mode, checks: report.checks};
}

export interface ProductionAnswer {
	status: string;
	/** The `go_backend_rollback` section (the API's own rollback report, or its stub). */
	rollbackSection: Report | undefined;
	/** `go_backend_rollback_controls`, `…_rehearsal`, `…_drill_history`, in that order, when present. */
	rollbackChecks: ReportCheck[];
	checksPassing: number;
	checksTotal: number;
}

export function readProductionAnswer(body: unknown): ProductionAnswer | undefined {
	const report = asReport(body);
	if (!report) return undefined;
	const rollbackChecks = ROLLBACK_CHECK_IDS.map(id => report.checks.find(check => check.id === id)).filter((check): check is ReportCheck => check !== undefined);
	return {
		status: report.status,
		rollbackSection: asReport(report['go_backend_rollback']),
		rollbackChecks,
		checksPassing: report.checks.filter(check => check.status === 'pass').length,
		checksTotal: report.checks.length,
	};
}

export function serviceMode(body: unknown): string | undefined {
	return isRecord(body) && typeof body['mode'] === 'string' ? body['mode'] : undefined;
}
