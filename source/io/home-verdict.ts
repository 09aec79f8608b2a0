/**
 * The home menu's one-line verdict: CAVRA's four reports computed locally as the dashboard does
 * (paths from the config, else CAVRA's variables; the mode from the env files, else the
 * environment), reduced to a line. Never throws: a verdict that cannot be computed says why.
 */
import type {CavraConfig} from '../core/config/schema.js';
import {evaluateAllReports, REPORT_NAMES, type ReportName} from '../core/readiness/index.js';
import {readinessSettings} from './readiness-settings.js';
import {readEnvMode} from './env-files.js';
import {readReadinessFiles} from './readiness-files.js';

const LABELS: Record<ReportName, string> = {rollback: 'rollback', rehearsal: 'rehearsal', drills: 'drills', 'drill-schedule': 'schedule'};

export async function homeVerdict(config: CavraConfig, env: NodeJS.ProcessEnv, now = new Date()): Promise<string> {
	try {
		let fileMode: string | undefined;
		for (const file of config.mode?.envFiles ?? []) {
			const reading = await readEnvMode(file).catch(() => undefined);
			if (reading?.value !== undefined) {
				fileMode = reading.value;
				break;
			}
		}
		const settings = readinessSettings(config, env, fileMode, now);
		const reports = evaluateAllReports(settings, await readReadinessFiles(settings));
		// The other reports only when they are not ready: one line that fits 80 columns when all is well.
		const others = REPORT_NAMES.filter(name => name !== 'rollback' && reports[name].status !== 'ready').map(name => `${LABELS[name]} ${reports[name].status}`);
		return `verdict: ${reports.rollback.status} (mode ${settings.mode}) · ${others.length === 0 ? 'rehearsal, drills and schedule ready' : others.join(' · ')}`;
	} catch (error) {
		return `verdict: not computed (${error instanceof Error ? error.message : String(error)})`;
	}
}
