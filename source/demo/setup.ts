import {existsSync} from 'node:fs';
import {copyFile, mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {atomicWriteFile} from '../io/atomic-write.js';
import {templatesDir} from '../io/templates.js';
import {DRILL_HISTORY_SCHEMA_VERSION, DRILL_SCHEDULE_SCHEMA_VERSION, REHEARSAL_SCHEMA_VERSION} from '../core/plan/constants.js';

/**
 * The demo environment behind `npm start`: a config, a plan, rehearsal evidence, drill history,
 * a drill schedule and an env file, all inside `<repo>/demo-state/` (git-ignored), so trying the
 * tool touches nothing else on the machine. Dates are relative to now so the demo stays fresh.
 */
/** The CAVRA variable that names each demo metadata file, and the file's name in the demo folder. */
const DEMO_FILES = {
	CAVRA_GO_ROLLBACK_PLAN: 'go-backend-rollback-plan.json',
	CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE: 'go-backend-rollback-rehearsal.json',
	CAVRA_GO_ROLLBACK_DRILL_HISTORY: 'go-backend-rollback-drills.json',
	CAVRA_GO_ROLLBACK_DRILL_SCHEDULE: 'go-backend-rollback-drill-schedule.json',
} as const;

/** CAVRA's environment for the demo folder `dir`: promoted mode and the four files by absolute path. */
export function demoCavraEnv(dir: string, mode = 'promoted'): Record<string, string> {
	return {CAVRA_GO_BACKEND_MODE: mode, ...Object.fromEntries(Object.entries(DEMO_FILES).map(([name, file]) => [name, path.join(dir, file)]))};
}

export interface DemoApi {
	/** The stand-in CAVRA API's base URL. */
	url: string;
	/** The argv that "restarts" the demo service (services[].restart); omitted: no services entry. */
	restart?: string[];
}

export async function ensureDemoState(dir: string, options: {reset?: boolean; now?: Date; api?: DemoApi} = {}): Promise<string> {
	const configPath = path.join(dir, '.cavrarc.yaml');
	if (existsSync(configPath) && !options.reset) {
		// The data files stay as the user left them; the config follows this run's stand-in API
		// (written by the caller once the stand-in is up: another `npm start` may be reading it now).
		if (options.api) await writeDemoConfig(configPath, options.api);
		return configPath;
	}
	const now = options.now ?? new Date();
	const days = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	await mkdir(dir, {recursive: true});
	await copyFile(path.join(templatesDir(), 'standard.json'), path.join(dir, 'go-backend-rollback-plan.json'));
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
	await writeFile(
		path.join(dir, 'cavra.env'),
		[
			'# CAVRA settings read by the demo API service (the stand-in reads them when it starts, as CAVRA does)',
			'CAVRA_GO_BACKEND_MODE=promoted',
			...Object.entries(DEMO_FILES).map(([name, file]) => `${name}=./${file}`),
			'',
		].join('\n'),
	);
	await writeDemoConfig(configPath, options.api);
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

/** What a command pointed at the demo config says when the stand-in is gone. */
export const DEMO_UNREACHABLE_HINT = 'demo stand-in not running: run npm start';

/** The demo config: every path inside the demo folder; the API and its service when a stand-in runs. */
export async function writeDemoConfig(configPath: string, api: DemoApi | undefined): Promise<void> {
	const lines = [
		'# Demo configuration written by `npm start` (rewritten when it starts a stand-in API, which gets a free port).',
		'# Use it from another terminal: node dist/cli.js --config demo-state/.cavrarc.yaml dashboard',
		'plan: ./go-backend-rollback-plan.json',
		'rehearsalEvidence: ./go-backend-rollback-rehearsal.json',
		'drillHistory: ./go-backend-rollback-drills.json',
		'drillSchedule: ./go-backend-rollback-drill-schedule.json',
		'mode:',
		'  envFiles: [./cavra.env]',
		'evidence:',
		'  dir: ./evidence',
	];
	if (api) {
		// The stand-in stops with the last npm start; this config outlives it.
		lines.push('api:', `  url: ${JSON.stringify(api.url)}`, '  timeoutMs: 2000', `  unreachableHint: ${JSON.stringify(DEMO_UNREACHABLE_HINT)}`);
		if (api.restart) {
			lines.push(
				'services:',
				'  - name: demo-api',
				'    kind: command',
				`    restart: ${JSON.stringify(api.restart)}`,
				`    verify: {url: ${JSON.stringify(`${api.url}/runtime/go-pilot/rollback-readiness`)}, expectMode: disabled}`,
			);
		}
	}
	// Atomic: another `npm start`, or a command pointed at it with --config, may read it meanwhile.
	await atomicWriteFile(configPath, `${lines.join('\n')}\n`);
}
