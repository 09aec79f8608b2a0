import type {BackendMode} from '../config/schema.js';
import {parsePyFloat, pyStrip} from './py-value.js';

/** What CAVRA's `GoBackendConfig` holds for the rollback reports (contract §2.1), plus the clock. */
export interface ReadinessSettings {
	/** Raw; normalised by every report as CAVRA does (trim, lower-case, unknown → disabled). */
	mode: string;
	rollbackPlanPath: string;
	rollbackRehearsalPath: string;
	rollbackDrillHistoryPath: string;
	/** A Python float in CAVRA: printed `90.0`. */
	rollbackDrillMaxAgeDays: number;
	rollbackDrillSchedulePath: string;
	/** A Python float in CAVRA: printed `14.0`. */
	rollbackDrillDueSoonDays: number;
	/** The clock for freshness and due dates (CAVRA: `datetime.now(timezone.utc)`). */
	now: Date;
	/** 0–999: microseconds past `now` that a Date cannot hold (from `--now ...T00:00:00.123456`). */
	nowExtraMicroseconds?: number;
}

export const DEFAULT_DRILL_MAX_AGE_DAYS = 90;
export const DEFAULT_DRILL_DUE_SOON_DAYS = 14;

/** CAVRA's environment variables for each setting. */
export const CAVRA_ENVIRONMENT = {
	mode: 'CAVRA_GO_BACKEND_MODE',
	rollbackPlanPath: 'CAVRA_GO_ROLLBACK_PLAN',
	rollbackRehearsalPath: 'CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE',
	rollbackDrillHistoryPath: 'CAVRA_GO_ROLLBACK_DRILL_HISTORY',
	rollbackDrillMaxAgeDays: 'CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS',
	rollbackDrillSchedulePath: 'CAVRA_GO_ROLLBACK_DRILL_SCHEDULE',
	rollbackDrillDueSoonDays: 'CAVRA_GO_ROLLBACK_DRILL_DUE_SOON_DAYS',
} as const;

// The same four as config/schema.ts's backendModes; not imported from there, so evaluating a
// report does not load superstruct.
const MODES: readonly BackendMode[] = ['disabled', 'shadow', 'enforce', 'promoted'];

/** `_normalized_mode`: trimmed, lower-cased; empty or unknown becomes `disabled`, silently. */
export function normaliseMode(raw: string): BackendMode {
	const mode = pyStrip(raw).toLowerCase() || 'disabled';
	return (MODES as readonly string[]).includes(mode) ? (mode as BackendMode) : 'disabled';
}

/** `_float_env`: Python `float()` of the variable (`nan`, `inf`, whitespace accepted), else the default. */
export function floatFromEnvironment(value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	return parsePyFloat(value) ?? fallback;
}

/** `go_backend_config_from_env()`: how CAVRA's API builds its settings, from the environment only. */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv | Readonly<Record<string, string | undefined>>, now: Date): ReadinessSettings {
	return {
		mode: normaliseMode(env[CAVRA_ENVIRONMENT.mode] ?? 'disabled'),
		rollbackPlanPath: env[CAVRA_ENVIRONMENT.rollbackPlanPath] ?? '',
		rollbackRehearsalPath: env[CAVRA_ENVIRONMENT.rollbackRehearsalPath] ?? '',
		rollbackDrillHistoryPath: env[CAVRA_ENVIRONMENT.rollbackDrillHistoryPath] ?? '',
		rollbackDrillMaxAgeDays: floatFromEnvironment(env[CAVRA_ENVIRONMENT.rollbackDrillMaxAgeDays], DEFAULT_DRILL_MAX_AGE_DAYS),
		rollbackDrillSchedulePath: env[CAVRA_ENVIRONMENT.rollbackDrillSchedulePath] ?? '',
		rollbackDrillDueSoonDays: floatFromEnvironment(env[CAVRA_ENVIRONMENT.rollbackDrillDueSoonDays], DEFAULT_DRILL_DUE_SOON_DAYS),
		now,
	};
}
