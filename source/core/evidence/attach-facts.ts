import {checkMetadata, rollbackReadinessReport, rollbackRehearsalReport, type MetadataRead, type PyNumber, type ReadinessSettings} from '../readiness/index.js';
import type {PlanFacts, RehearsalFacts} from './promotion.js';

/**
 * The facts `evidence attach` records about the plan and the latest rehearsal, read through CAVRA's
 * own evaluators (core/readiness), so "ready and approved" means what CAVRA means. Pure.
 */

/** The plan is evaluated as an explicit plan request (a path, mode disabled): every check runs. */
function settingsFor(planPath: string, rehearsalPath: string, now: Date): ReadinessSettings {
	return {
		mode: 'disabled',
		rollbackPlanPath: planPath,
		rollbackRehearsalPath: rehearsalPath,
		rollbackDrillHistoryPath: '',
		rollbackDrillMaxAgeDays: 90,
		rollbackDrillSchedulePath: '',
		rollbackDrillDueSoonDays: 14,
		now,
	};
}

const toNumber = (value: PyNumber | null): number | null => (value === null ? null : Number(value));

export interface PlanVerdict {
	facts: PlanFacts;
	/** CAVRA's failing checks (`go_rollback_approval: rollback plan must be approved`); empty when ready. */
	reasons: string[];
}

export function planVerdict(planPath: string, plan: MetadataRead, sha256: string, now: Date): PlanVerdict {
	const unconfigured: MetadataRead = {kind: 'unconfigured'};
	const report = rollbackReadinessReport(settingsFor(planPath, '', now), {plan, rehearsal: unconfigured, drillHistory: unconfigured, drillSchedule: unconfigured});
	const summary = report.rollback;
	return {
		facts: {
			sha256,
			approvalId: summary.approval_id,
			approved: summary.approved,
			maxRecoveryMinutes: toNumber(summary.max_recovery_minutes),
			evidenceRefs: summary.evidence_refs,
			cavraStatus: report.status,
		},
		reasons: report.checks.filter(check => check.status !== 'pass').map(check => `${check.id}: ${check.message}`),
	};
}

/** The rehearsal as CAVRA judges it against this plan, plus its id and date as the file writes them. */
export function rehearsalFacts(planPath: string, plan: MetadataRead, rehearsalPath: string, rehearsal: MetadataRead, now: Date): RehearsalFacts {
	const unconfigured: MetadataRead = {kind: 'unconfigured'};
	const report = rollbackRehearsalReport(settingsFor(planPath, rehearsalPath, now), {plan, rehearsal, drillHistory: unconfigured, drillSchedule: unconfigured});
	const summary = report.rehearsal;
	const check = checkMetadata(rehearsal);
	const text = (key: string): string | null => {
		const value = check.payload.get(key);
		return typeof value === 'string' && value !== '' ? value : null;
	};
	return {
		rehearsalId: text('rehearsal_id') ?? text('run_id'),
		executedAt: text('executed_at'),
		status: summary.status,
		recoveryMinutes: toNumber(summary.recovery_minutes),
		maxRecoveryMinutes: toNumber(summary.max_recovery_minutes),
		withinTarget: summary.recovery_sla_met,
		cavraStatus: report.status,
	};
}
