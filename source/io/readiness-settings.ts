/**
 * The settings of CAVRA's local evaluation for this machine, shared by the dashboard and the home
 * menu's verdict. Its own module so the home menu's first frame does not load the dashboard's
 * sources (HTTP client, file watcher, process runner).
 */
import type {CavraConfig} from '../core/config/schema.js';
import {CAVRA_ENVIRONMENT, normaliseMode, settingsFromEnvironment, type ReadinessSettings} from '../core/readiness/index.js';

export const MODE_VARIABLE = CAVRA_ENVIRONMENT.mode;

/**
 * Paths: config, else CAVRA's own variables. Mode: what the env files say (CAVRA reads them at
 * start-up), else this process's environment, else disabled.
 */
export function readinessSettings(config: CavraConfig, env: NodeJS.ProcessEnv, fileMode: string | undefined, now: Date): ReadinessSettings {
	const base = settingsFromEnvironment(env, now);
	return {
		...base,
		mode: normaliseMode(fileMode ?? env[MODE_VARIABLE] ?? ''),
		rollbackPlanPath: config.plan ?? base.rollbackPlanPath,
		rollbackRehearsalPath: config.rehearsalEvidence ?? base.rollbackRehearsalPath,
		rollbackDrillHistoryPath: config.drillHistory ?? base.rollbackDrillHistoryPath,
		rollbackDrillSchedulePath: config.drillSchedule ?? base.rollbackDrillSchedulePath,
		rollbackDrillMaxAgeDays: config.drillMaxAgeDays ?? base.rollbackDrillMaxAgeDays,
		rollbackDrillDueSoonDays: config.drillDueSoonDays ?? base.rollbackDrillDueSoonDays,
	};
}
