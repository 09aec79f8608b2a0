/**
 * The CAVRA readiness verdict a plan would get, boiled down for the review screen: the rollback
 * readiness report's status and the checks that do not pass. The evaluator itself lives in
 * core/readiness and is passed in, so this stays a pure function of its inputs.
 */

export interface ReadinessCheckLike {
	id: string;
	status: string;
	message: string;
}

export interface ReadinessReportLike {
	status: string;
	checks: readonly ReadinessCheckLike[];
}

export interface Verdict {
	status: string;
	failing: ReadinessCheckLike[];
}

export function summariseReport(report: ReadinessReportLike): Verdict {
	return {
		status: report.status,
		failing: report.checks.filter(check => check.status !== 'pass').map(check => ({id: check.id, status: check.status, message: check.message})),
	};
}

/** Settings for "what would CAVRA say in promoted mode with this plan and nothing else configured". */
export function promotedSettings(planPath: string, now: Date) {
	return {
		mode: 'promoted',
		rollbackPlanPath: planPath,
		rollbackRehearsalPath: '',
		rollbackDrillHistoryPath: '',
		rollbackDrillMaxAgeDays: 90,
		rollbackDrillSchedulePath: '',
		rollbackDrillDueSoonDays: 14,
		now,
	};
}
