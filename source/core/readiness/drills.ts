import {DRILL_HISTORY_SCHEMA_VERSION} from '../plan/constants.js';
import type {MetadataCheck} from './metadata.js';
import {daysBetween, parseCavraTimestamp, type Instant} from './py-datetime.js';
import {isDict, isPositiveNumber, isStringList, numberLessOrEqual, PyDict, pyStr, truthy} from './py-value.js';
import type {RollbackDrillHistorySummary} from './types.js';

/** CAVRA's `_rollback_drill_history_summary` and `_latest_drill` (contract §13). */

export const DRILL_MESSAGES = {
	schema: 'rollback drill history has an invalid schema_version',
	drills: 'rollback drill history must include a non-empty drills list',
	noDrills: 'rollback drill history has no parseable drills',
	evidenceRefs: 'latest rollback drill must include evidence_refs as a non-empty list of strings',
	runbook: 'latest rollback drill must include runbook_ref',
	executedAt: 'latest rollback drill must include valid executed_at timestamp',
	ready: 'Rollback drill history is parseable and latest drill is evaluated.',
	passed: 'Latest rollback drill passed.',
	notPassed: 'latest rollback drill must record status=pass',
	unusable: 'rollback drill history is missing or invalid',
	targetOk: 'Latest rollback drill returned to Python-only mode.',
	targetBad: 'latest rollback drill must set target_mode=disabled',
	fallbackOk: 'Latest rollback drill verified Python fallback restoration.',
	fallbackBad: 'latest rollback drill must verify Python fallback restoration',
	recoveryOk: 'Latest rollback drill met the recovery target.',
	recoveryBad: 'latest rollback drill recovery_minutes must be positive and less than or equal to max_recovery_minutes',
	freshOk: 'Latest rollback drill is within the freshness window.',
	freshBad: 'latest rollback drill is missing, invalid, or stale',
} as const;

function emptyHistory(message: string): RollbackDrillHistorySummary {
	return {
		valid: false,
		schema_version: '',
		environment: '',
		drill_count: 0n,
		latest_drill_id: '',
		latest_status: '',
		latest_target_mode: '',
		latest_executed_at: '',
		age_days: null,
		fresh: false,
		fallback_verified: false,
		recovery_sla_met: false,
		recovery_minutes: null,
		max_recovery_minutes: null,
		runbook_ref: '',
		evidence_refs: [],
		message,
		latest_status_message: DRILL_MESSAGES.unusable,
		target_mode_message: DRILL_MESSAGES.targetBad,
		fallback_message: DRILL_MESSAGES.fallbackBad,
		recovery_message: DRILL_MESSAGES.recoveryBad,
		freshness_message: DRILL_MESSAGES.freshBad,
	};
}

/** The drill whose `executed_at` is the latest instant (the first of equals); else the last one. */
function latestDrill(drills: PyDict[]): PyDict | undefined {
	let latest: {at: Instant; drill: PyDict} | undefined;
	for (const drill of drills) {
		const at = parseCavraTimestamp(pyStr(drill.get('executed_at', '')));
		if (at !== undefined && (latest === undefined || at > latest.at)) latest = {at, drill};
	}
	return latest?.drill ?? drills.at(-1);
}

export function drillHistorySummary(check: MetadataCheck, maxAgeDays: number, now: Instant): RollbackDrillHistorySummary {
	if (!check.valid) return emptyHistory(check.message);
	const payload = check.payload;
	const schema = pyStr(payload.get('schema_version', ''));
	const drills = payload.get('drills', []);
	if (schema !== DRILL_HISTORY_SCHEMA_VERSION || !Array.isArray(drills) || !truthy(drills)) {
		const messages: string[] = [];
		if (schema !== DRILL_HISTORY_SCHEMA_VERSION) messages.push(DRILL_MESSAGES.schema);
		if (!Array.isArray(drills) || !truthy(drills)) messages.push(DRILL_MESSAGES.drills);
		return emptyHistory(messages.join('; '));
	}
	const validDrills = drills.filter(isDict);
	const latest = latestDrill(validDrills);
	if (latest === undefined) return emptyHistory(DRILL_MESSAGES.noDrills);
	const executedAt = pyStr(latest.get('executed_at', ''));
	const executed = parseCavraTimestamp(executedAt);
	let ageDays: number | null = null;
	let fresh = false;
	if (executed !== undefined && isPositiveNumber(maxAgeDays)) {
		ageDays = daysBetween(now, executed);
		fresh = ageDays <= maxAgeDays;
	}
	const status = pyStr(latest.get('status', ''));
	const targetMode = pyStr(latest.get('target_mode', ''));
	const fallbackVerified = latest.get('fallback_verified') === true;
	const recoveryMinutes = latest.get('recovery_minutes');
	const maxRecovery = latest.get('max_recovery_minutes');
	const recoveryValid = isPositiveNumber(recoveryMinutes);
	const maxRecoveryValid = isPositiveNumber(maxRecovery);
	const recoverySlaMet = recoveryValid && maxRecoveryValid && numberLessOrEqual(recoveryMinutes, maxRecovery);
	const evidenceRefs = latest.get('evidence_refs', []);
	const refsValid = isStringList(evidenceRefs);
	const runbookRef = pyStr(latest.get('runbook_ref', ''));
	const refsPresent = refsValid && truthy(evidenceRefs);
	const valid = status === 'pass' && targetMode === 'disabled' && fallbackVerified && recoverySlaMet && fresh && refsPresent && runbookRef !== '';
	const messages: string[] = [];
	if (!refsPresent) messages.push(DRILL_MESSAGES.evidenceRefs);
	if (runbookRef === '') messages.push(DRILL_MESSAGES.runbook);
	if (executed === undefined) messages.push(DRILL_MESSAGES.executedAt);
	return {
		valid,
		schema_version: schema,
		environment: pyStr(payload.get('environment', '')),
		drill_count: BigInt(validDrills.length),
		latest_drill_id: pyStr(latest.get('drill_id', '')),
		latest_status: status,
		latest_target_mode: targetMode,
		latest_executed_at: executedAt,
		age_days: ageDays,
		fresh,
		fallback_verified: fallbackVerified,
		recovery_sla_met: recoverySlaMet,
		recovery_minutes: recoveryValid ? recoveryMinutes : null,
		max_recovery_minutes: maxRecoveryValid ? maxRecovery : null,
		runbook_ref: runbookRef,
		evidence_refs: refsValid ? evidenceRefs : [],
		message: messages.length > 0 ? messages.join('; ') : DRILL_MESSAGES.ready,
		latest_status_message: status === 'pass' ? DRILL_MESSAGES.passed : DRILL_MESSAGES.notPassed,
		target_mode_message: targetMode === 'disabled' ? DRILL_MESSAGES.targetOk : DRILL_MESSAGES.targetBad,
		fallback_message: fallbackVerified ? DRILL_MESSAGES.fallbackOk : DRILL_MESSAGES.fallbackBad,
		recovery_message: recoverySlaMet ? DRILL_MESSAGES.recoveryOk : DRILL_MESSAGES.recoveryBad,
		freshness_message: fresh ? DRILL_MESSAGES.freshOk : DRILL_MESSAGES.freshBad,
	};
}
