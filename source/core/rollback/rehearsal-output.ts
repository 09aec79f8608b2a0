/**
 * What `rollback --rehearse` hands back to CAVRA: its own rehearsal evidence
 * (`cavra.go-backend-rollback-rehearsal.v1`, contract §12) and one more drill in the drill history
 * (`cavra.go-backend-rollback-drill-history.v1`, contract §13). Pure: built from the run's
 * measured facts; `io/rehearsal-writer.ts` writes them. Everything here is public-safe metadata:
 * run ids and `scheme://` references, never paths, host names or environment values.
 */
import {DRILL_HISTORY_SCHEMA_VERSION, EVIDENCE_REF_PATTERN, REHEARSAL_SCHEMA_VERSION} from '../plan/constants.js';

export interface RehearsalFacts {
	runId: string;
	/** ISO 8601 UTC, seconds precision (`2026-01-02T03:04:05Z`). */
	executedAt: string;
	/** True when every configured verify saw the service answer `mode: disabled`. */
	fallbackVerified: boolean;
	/** True when the rehearsal recovered (all services back). */
	passed: boolean;
	recoverySeconds: number;
	/** The plan's `max_recovery_minutes` (or the default budget when the plan has none). */
	maxRecoveryMinutes: number;
	/** The plan's approval id ("" when the plan has none). */
	planApprovalId: string;
	/** The plan's own evidence refs (public by design). */
	planEvidenceRefs: readonly string[];
	/** The mode the rehearsal target was in before (`promoted` in a real drill). */
	sourceMode: string;
}

export const RUNBOOK_REF_DEFAULT = 'cavra-rollback-runbook://plan/rollback_steps';

/** Measured minutes, rounded *up* to 0.01 so CAVRA's `recovery <= max` is never flattered; at least 0.01. */
export function recoveryMinutes(seconds: number): number {
	const minutes = Math.ceil((Math.max(0, seconds) / 60) * 100 - 1e-9) / 100;
	return Math.max(0.01, minutes);
}

/** The runbook reference: the plan's own runbook ref if it lists one, else the plan's rollback steps. */
export function runbookRef(planEvidenceRefs: readonly string[]): string {
	return planEvidenceRefs.find(ref => /runbook/i.test(ref) && EVIDENCE_REF_PATTERN.test(ref)) ?? RUNBOOK_REF_DEFAULT;
}

/** Evidence refs for this run: the bundle and journal (by run id), then the plan's own refs. */
export function rehearsalEvidenceRefs(runId: string, planEvidenceRefs: readonly string[]): string[] {
	const own = [`cavra-rollback-evidence://${runId}/evidence.json`, `cavra-rollback-evidence://${runId}/journal.ndjson`];
	const fromPlan = planEvidenceRefs.filter(ref => EVIDENCE_REF_PATTERN.test(ref) && !own.includes(ref));
	return [...own, ...fromPlan];
}

export function buildRehearsalEvidence(facts: RehearsalFacts): Record<string, unknown> {
	return {
		schema_version: REHEARSAL_SCHEMA_VERSION,
		status: facts.passed && facts.fallbackVerified ? 'pass' : 'fail',
		rehearsal_id: facts.runId,
		executed_at: facts.executedAt,
		plan_approval_id: facts.planApprovalId,
		simulated: true,
		fallback_verified: facts.fallbackVerified,
		recovery_minutes: recoveryMinutes(facts.recoverySeconds),
		max_recovery_minutes: facts.maxRecoveryMinutes,
		runbook_ref: runbookRef(facts.planEvidenceRefs),
		evidence_refs: rehearsalEvidenceRefs(facts.runId, facts.planEvidenceRefs),
	};
}

export function buildDrillEntry(facts: RehearsalFacts): Record<string, unknown> {
	return {
		drill_id: facts.runId,
		executed_at: facts.executedAt,
		status: facts.passed && facts.fallbackVerified ? 'pass' : 'fail',
		source_mode: facts.sourceMode,
		target_mode: 'disabled',
		fallback_verified: facts.fallbackVerified,
		recovery_minutes: recoveryMinutes(facts.recoverySeconds),
		max_recovery_minutes: facts.maxRecoveryMinutes,
		evidence_refs: rehearsalEvidenceRefs(facts.runId, facts.planEvidenceRefs),
		runbook_ref: runbookRef(facts.planEvidenceRefs),
	};
}

export type AppendDrillResult =
	| {ok: true; document: Record<string, unknown>; created: boolean}
	/** The existing file is not a drill history we can extend without losing data: it is left alone. */
	| {ok: false; reason: string};

/**
 * Append a drill to an existing history (parsed JSON), or start one. A history of another schema,
 * or whose `drills` is not a list, is never overwritten: earlier drills are audit records.
 * Other keys and earlier drills are kept as they are, in order.
 */
export function appendDrill(existing: unknown, drill: Record<string, unknown>, options: {environment?: string} = {}): AppendDrillResult {
	if (existing === undefined) {
		return {ok: true, created: true, document: {schema_version: DRILL_HISTORY_SCHEMA_VERSION, environment: options.environment ?? 'rehearsal', drills: [drill]}};
	}
	if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) {
		return {ok: false, reason: 'the drill history is not a JSON object'};
	}
	const document = existing as Record<string, unknown>;
	if (document['schema_version'] !== DRILL_HISTORY_SCHEMA_VERSION) {
		return {ok: false, reason: `the drill history's schema_version is not ${DRILL_HISTORY_SCHEMA_VERSION}`};
	}
	const drills = document['drills'];
	if (drills !== undefined && !Array.isArray(drills)) return {ok: false, reason: 'the drill history\'s "drills" is not a list'};
	const id = drill['drill_id'];
	if (Array.isArray(drills) && drills.some(entry => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>)['drill_id'] === id)) {
		// A resumed rehearsal replaces its own earlier entry instead of counting twice.
		return {ok: true, created: false, document: {...document, drills: drills.map(entry => ((entry as Record<string, unknown> | null)?.['drill_id'] === id ? drill : entry))}};
	}
	return {ok: true, created: false, document: {...document, drills: [...(drills ?? []), drill]}};
}

/** `2026-01-02T03:04:05Z` from epoch milliseconds. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
