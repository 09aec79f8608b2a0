import {existsSync} from 'node:fs';
import {copyFile, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {templatesDir} from '../io/templates.js';
import {DRILL_HISTORY_SCHEMA_VERSION, DRILL_SCHEDULE_SCHEMA_VERSION, REHEARSAL_SCHEMA_VERSION} from '../core/plan/constants.js';

/**
 * The demo environment behind `npm start`: a config, a plan, rehearsal evidence, drill history,
 * a drill schedule and an env file, all inside `<repo>/demo-state/` (git-ignored), so trying the
 * tool touches nothing else on the machine. Dates are relative to now so the demo stays fresh.
 */
export async function ensureDemoState(dir: string, options: {reset?: boolean; now?: Date} = {}): Promise<string> {
	const configPath = path.join(dir, '.cavrarc.yaml');
	if (existsSync(configPath) && !options.reset) return configPath;
	const now = options.now ?? new Date();
	const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	await mkdir(dir, {recursive: true});
	await copyFile(path.join(templatesDir, 'standard.json'), path.join(dir, 'go-backend-rollback-plan.json'));
	const refs = ['go-rollback-readiness://demo/rehearsal', 'go-promotion-rollback-runbook://docs/current'];
	const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
	await writeFile(
		path.join(dir, 'go-backend-rollback-rehearsal.json'),
		json({
			schema_version: REHEARSAL_SCHEMA_VERSION,
			status: 'pass',
			plan_approval_id: 'apr_go_backend_rollback',
			simulated: true,
			fallback_verified: true,
			recovery_minutes: 6,
			max_recovery_minutes: 15,
			evidence_refs: refs,
			runbook_ref: 'go-promotion-rollback-runbook://docs/current',
		}),
	);
	await writeFile(
		path.join(dir, 'go-backend-rollback-drills.json'),
		json({
			schema_version: DRILL_HISTORY_SCHEMA_VERSION,
			environment: 'demo',
			drills: [
				drill('drill-demo-001', days(-75), 9),
				drill('drill-demo-002', days(-40), 7),
			],
		}),
	);
	await writeFile(
		path.join(dir, 'go-backend-rollback-drill-schedule.json'),
		json({
			schema_version: DRILL_SCHEDULE_SCHEMA_VERSION,
			schedule_id: 'sched-demo-go-rollback',
			environment: 'demo',
			status: 'active',
			interval_days: 45,
			next_due_at: days(5),
			owners: ['platform-oncall'],
			notification_providers: ['slack'],
			owner_routes: {'platform-oncall': ['slack']},
			maintenance_windows: [],
			owner_calendars: {},
			runbook_ref: 'go-promotion-rollback-runbook://docs/current',
		}),
	);
	await writeFile(path.join(dir, 'cavra.env'), '# CAVRA settings read by the demo API service\nCAVRA_GO_BACKEND_MODE=promoted\nCAVRA_GO_ROLLBACK_PLAN=./go-backend-rollback-plan.json\n');
	await writeFile(
		configPath,
		[
			'# Demo configuration written by `npm start`; every path is inside this folder.',
			'plan: ./go-backend-rollback-plan.json',
			'rehearsalEvidence: ./go-backend-rollback-rehearsal.json',
			'drillHistory: ./go-backend-rollback-drills.json',
			'drillSchedule: ./go-backend-rollback-drill-schedule.json',
			'mode:',
			'  envFiles: [./cavra.env]',
			'evidence:',
			'  dir: ./evidence',
			'',
		].join('\n'),
	);
	return configPath;

	function drill(id: string, executedAt: string, minutes: number) {
		return {
			drill_id: id,
			executed_at: executedAt,
			status: 'pass',
			source_mode: 'promoted',
			target_mode: 'disabled',
			fallback_verified: true,
			recovery_minutes: minutes,
			max_recovery_minutes: 15,
			evidence_refs: refs,
			runbook_ref: 'go-promotion-rollback-runbook://docs/current',
		};
	}
}
