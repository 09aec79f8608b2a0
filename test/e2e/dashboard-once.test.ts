import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {demoCavraEnv, ensureDemoState} from '../../source/demo/setup.js';
import {cliNode, cliPath, repoRoot} from '../helpers/cli.js';

/**
 * `dashboard --once --json` end to end: the built CLI against the stand-in CAVRA API on
 * 127.0.0.1. The CLI is spawned asynchronously so the in-process stand-in can answer it.
 */

const noUiRegister = fileURLToPath(new URL('../helpers/no-ui/register.mjs', import.meta.url));
const TOKEN = 'dash-e2e-token-5f4e3d2c1b0a';

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
	if (!existsSync(cliPath)) throw new Error('dist/cli.js is missing: run `npm run build`');
	const childEnv: NodeJS.ProcessEnv = {...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CAVRA_GO_BACKEND_MODE: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined, ...env};
	for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
	return new Promise((resolve, reject) => {
		const child = spawn(cliNode, ['--import', noUiRegister, cliPath, ...args], {cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`timed out: ${stdout}\n${stderr}`));
		}, 20_000);
		child.once('exit', code => {
			clearTimeout(timer);
			resolve({code, stdout, stderr});
		});
	});
}

let dir: string;
let api: StandIn;
let other: StandIn;
const file = (name: string) => path.join(dir, name);

function writeConfig(name: string, lines: string[]): string {
	const configPath = file(name);
	writeFileSync(configPath, `${lines.join('\n')}\n`);
	return configPath;
}

function baseConfig(apiUrl: string, extra: string[] = []): string[] {
	return [
		'plan: ./go-backend-rollback-plan.json',
		'rehearsalEvidence: ./go-backend-rollback-rehearsal.json',
		'drillHistory: ./go-backend-rollback-drills.json',
		'drillSchedule: ./go-backend-rollback-drill-schedule.json',
		'mode:',
		'  envFiles: [./cavra.env]',
		'api:',
		`  url: ${JSON.stringify(apiUrl)}`,
		'  timeoutMs: 8000',
		...extra,
	];
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-dashboard-e2e-'));
	await ensureDemoState(dir, {reset: true});
	const env = demoCavraEnv(dir);
	api = await startStandIn({port: 0, env, token: TOKEN});
	// A second "service" on another origin: it must never receive the API token.
	other = await startStandIn({port: 0, env});
});

afterAll(async () => {
	await api.close();
	await other.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('dashboard --once --json against the stand-in API', () => {
	it('prints a ready snapshot with the API\'s answers, exits 0, sends the token only to api.url, and never loads Ink', async () => {
		const configPath = writeConfig('.cavrarc.yaml', [
			...baseConfig(api.url, ['  tokenEnv: DASH_E2E_TOKEN']),
			'services:',
			'  - name: demo-api',
			'    kind: command',
			'    restart: ["true"]',
			`    verify: {url: ${JSON.stringify(`${other.url}/runtime/go-pilot/rollback-readiness`)}, expectMode: disabled}`,
		]);
		api.authorizations.length = 0;
		other.authorizations.length = 0;
		const result = await runCliAsync(['--config', configPath, 'dashboard', '--once', '--json'], {DASH_E2E_TOKEN: TOKEN});
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		expect(result.code, result.stderr).toBe(0);
		const snapshot = JSON.parse(result.stdout) as Record<string, any>;
		expect(snapshot['schema_version']).toBe('cavra-rollback.dashboard-snapshot.v1');
		expect(snapshot['verdict']).toMatchObject({status: 'ready', exit_code: 0});
		expect(snapshot['mode']).toMatchObject({agree: true, configured: 'promoted', running: 'promoted'});
		expect(snapshot['plan']).toMatchObject({status: 'ready', lint: {state: 'ok', errors: 0}});
		expect(snapshot['plan'].checks).toHaveLength(6);
		expect(snapshot['rehearsal'].status).toBe('ready');
		expect(snapshot['drills']).toMatchObject({status: 'ready', max_age_days: 90});
		expect(snapshot['drills'].days_left).toBeGreaterThan(40);
		expect(snapshot['schedule']).toMatchObject({status: 'due_soon', due_soon: true});
		expect(snapshot['api']).toMatchObject({
			rollback_readiness: {state: 'ok', status: 'ready', mode: 'promoted', http_status: 200},
			production_readiness: {state: 'ok', status: 'ready', go_backend_rollback: {status: 'ready'}, go_backend_rollback_controls: {id: 'go_backend_rollback_controls', status: 'pass', go_rollback_status: 'ready'}},
		});
		expect(snapshot['services']).toMatchObject([{name: 'demo-api', state: 'ok', mode: 'promoted', expect_mode: 'disabled'}]);

		expect(api.authorizations.length).toBeGreaterThanOrEqual(2);
		expect(api.authorizations.every(header => header === `Bearer ${TOKEN}`)).toBe(true);
		expect(other.authorizations).toEqual([undefined]);
		expect(result.stdout + result.stderr).not.toContain(TOKEN);
	});

	it('exits 1 when the API reports needs_attention, and says what to do', async () => {
		const configPath = writeConfig('needs.yaml', baseConfig(api.url, ['  tokenEnv: DASH_E2E_TOKEN']));
		api.setBehaviour('needs_attention');
		try {
			const result = await runCliAsync(['--config', configPath, 'dashboard', '--once', '--json'], {DASH_E2E_TOKEN: TOKEN});
			expect(result.code).toBe(1);
			const snapshot = JSON.parse(result.stdout) as Record<string, any>;
			expect(snapshot['api'].rollback_readiness.status).toBe('needs_attention');
			expect(snapshot['verdict'].next).toBe('the API reports needs_attention: metadata path is not configured (does it read the same plan?)');
		} finally {
			api.setBehaviour('ok');
		}
	});

	it('exits 3 with a visible state when the API is unreachable, times out or answers garbage', async () => {
		const gone = await startStandIn({port: 0, env: {}});
		const goneUrl = gone.url;
		await gone.close();
		const unreachable = await runCliAsync(['--config', writeConfig('gone.yaml', baseConfig(goneUrl)), 'dashboard', '--once', '--json']);
		expect(unreachable.code).toBe(3);
		expect((JSON.parse(unreachable.stdout) as Record<string, any>)['api'].rollback_readiness).toMatchObject({state: 'unreachable', error: 'unreachable: connection refused', last_good_at: null});

		const slowConfig = writeConfig('slow.yaml', baseConfig(api.url, ['  tokenEnv: DASH_E2E_TOKEN']));
		api.setBehaviour('slow', {delayMs: 5000});
		try {
			const slow = await runCliAsync(['--config', slowConfig, 'dashboard', '--once', '--json', '--timeout', '200'], {DASH_E2E_TOKEN: TOKEN});
			expect(slow.code).toBe(3);
			expect((JSON.parse(slow.stdout) as Record<string, any>)['api'].rollback_readiness).toMatchObject({state: 'timeout', error: 'timed out after 200 ms'});
			api.setBehaviour('garbage');
			const garbage = await runCliAsync(['--config', slowConfig, 'dashboard', '--once', '--json'], {DASH_E2E_TOKEN: TOKEN});
			expect(garbage.code).toBe(3);
			expect((JSON.parse(garbage.stdout) as Record<string, any>)['api'].rollback_readiness.state).toBe('malformed');
		} finally {
			api.setBehaviour('ok');
		}
	});

	it('prints a text snapshot without --json', async () => {
		const result = await runCliAsync(['--config', writeConfig('text.yaml', baseConfig(api.url, ['  tokenEnv: DASH_E2E_TOKEN'])), 'dashboard', '--once'], {DASH_E2E_TOKEN: TOKEN});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^⚠ READY — next: the next rollback drill is due in [\d.]+ days?$/m);
		expect(result.stdout).toMatch(/^Plan {7}✔ ready · 6\/6 checks pass/m);
		expect(result.stdout).toMatch(/^API {8}✔ ready · mode promoted · production ready · controls pass/m);
	});

	it('refuses plain http:// to a non-loopback API with exit 2, and bad flags with exit 2', async () => {
		const insecure = await runCliAsync(['--config', writeConfig('insecure.yaml', baseConfig('http://cavra.example.com:8000')), 'dashboard', '--once']);
		expect(insecure.code).toBe(2);
		expect(insecure.stderr).toContain('api.url plain http:// to cavra.example.com is refused');
		const allowed = await runCliAsync(['--config', writeConfig('allowed.yaml', baseConfig('http://192.0.2.1:9', ['  allowInsecureHttp: true'])), 'dashboard', '--once', '--timeout', '300']);
		expect(allowed.code).toBe(3);
		const bad = await runCliAsync(['--config', writeConfig('bad.yaml', baseConfig(api.url)), 'dashboard', '--interval', 'soon']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toContain('--interval takes a number of seconds');
		// Past 2^31-1 ms a timer fires after 1 ms: such values are refused, not turned into a hot loop.
		const huge = await runCliAsync(['--config', writeConfig('huge.yaml', baseConfig(api.url)), 'dashboard', '--once', '--timeout', '3000000000']);
		expect(huge.code).toBe(2);
		expect(huge.stderr).toContain('--timeout takes a whole number of milliseconds from 1 to 600000, got "3000000000"');
		const forever = await runCliAsync(['--config', writeConfig('forever.yaml', baseConfig(api.url)), 'dashboard', '--once', '--interval', '1e10']);
		expect(forever.code).toBe(2);
		expect(forever.stderr).toContain('--interval takes a number of seconds from 0.1 to 3600');
	});

	it('answers --help without loading Ink', async () => {
		const result = await runCliAsync(['dashboard', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('cavra-rollback dashboard');
		expect(result.stdout).toContain('Exit codes');
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
	});
});
