import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {demoCavraEnv, ensureDemoState} from '../../source/demo/setup.js';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {evaluateAllReports, rollbackReadinessReport, settingsFromEnvironment, toPlainJson} from '../../source/core/readiness/index.js';
import {readReadinessFiles} from '../../source/io/readiness-files.js';
import {getJson} from '../../source/io/http-client.js';

const NOW = new Date('2030-01-01T12:00:00Z');
let dir: string;
let envFile: string;
let standIn: StandIn;
const file = (name: string) => path.join(dir, name);

function writeEnv(mode: string) {
	writeFileSync(
		envFile,
		[
			'# the stand-in reads this at start-up',
			`CAVRA_GO_BACKEND_MODE=${mode}`,
			`CAVRA_GO_ROLLBACK_PLAN=${file('go-backend-rollback-plan.json')}`,
			`export CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE="${file('go-backend-rollback-rehearsal.json')}"`,
			`CAVRA_GO_ROLLBACK_DRILL_HISTORY=${file('go-backend-rollback-drills.json')}`,
			`CAVRA_GO_ROLLBACK_DRILL_SCHEDULE=${file('go-backend-rollback-drill-schedule.json')}`,
			'',
		].join('\n'),
	);
}

async function text(url: string, init?: RequestInit): Promise<{status: number; text: string; type: string | null}> {
	const response = await fetch(url, init);
	return {status: response.status, text: await response.text(), type: response.headers.get('content-type')};
}

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-standin-'));
	await ensureDemoState(dir, {reset: true, now: NOW});
	envFile = file('cavra.env');
	writeEnv('promoted');
	// The process env says disabled; the env file must win, as systemd's EnvironmentFile would.
	standIn = await startStandIn({port: 0, env: {CAVRA_GO_BACKEND_MODE: 'disabled', PATH: process.env['PATH']}, envFile, now: () => NOW});
});

afterAll(async () => {
	await standIn.close();
	rmSync(dir, {recursive: true, force: true});
});

describe('stand-in CAVRA API', () => {
	it('listens on 127.0.0.1', () => {
		expect(standIn.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	it('answers rollback readiness with exactly the evaluator\'s report, as compact JSON', async () => {
		const answer = await text(`${standIn.url}/runtime/go-pilot/rollback-readiness`);
		expect(answer.status).toBe(200);
		expect(answer.type).toMatch(/^application\/json/);
		const env = demoCavraEnv(dir);
		const settings = settingsFromEnvironment(env, NOW);
		const expected = toPlainJson(rollbackReadinessReport(settings, await readReadinessFiles(settings)));
		expect(JSON.parse(answer.text)).toEqual(expected);
		// Compact, as FastAPI renders it: no spaces after separators, no newlines.
		expect(answer.text).toMatch(/^\{"schema_version":"cavra\.go-backend-pilot\.rollback-readiness\.v1","mode":"promoted",/);
		expect(answer.text).not.toContain('\n');
		const body = JSON.parse(answer.text) as Record<string, unknown>;
		expect(Object.keys(body)).toEqual(['schema_version', 'mode', 'status', 'rollback_plan_path', 'checks', 'rollback', 'operator_notes']);
		expect(body).toMatchObject({schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1', mode: 'promoted', status: 'ready'});
	});

	it('answers production readiness with every key and check id of the contract, in order', async () => {
		const answer = await text(`${standIn.url}/deployment/production-readiness`);
		expect(answer.status).toBe(200);
		const body = JSON.parse(answer.text) as {checks: Array<Record<string, unknown>>} & Record<string, unknown>;
		expect(Object.keys(body)).toEqual([
			'schema_version',
			'product',
			'status',
			'checks',
			'go_backend_pilot',
			'go_backend_deployment',
			'go_backend_promotion',
			'go_backend_rollback',
			'go_backend_rollback_rehearsal',
			'go_backend_rollback_drill_history',
			'store_summary',
			'operator_notes',
		]);
		expect(body.checks.map(check => check['id'])).toEqual([
			'oidc_configured',
			'rbac_configured',
			'cors_restricted',
			'evidence_artifacts',
			'policy_catalog',
			'persistent_stores',
			'go_backend_pilot',
			'go_backend_deployment_paths',
			'go_backend_promotion_gate',
			'go_backend_rollback_controls',
			'go_backend_rollback_rehearsal',
			'go_backend_rollback_drill_history',
		]);
		// Each entry is CAVRA's `_check(id, passed, message, **extra)`: the extra keys, in order.
		expect(Object.fromEntries(body.checks.map(check => [check['id'], Object.keys(check).slice(3)]))).toEqual({
			oidc_configured: [],
			rbac_configured: [],
			cors_restricted: [],
			evidence_artifacts: [],
			policy_catalog: [],
			persistent_stores: ['missing'],
			go_backend_pilot: ['mode', 'go_backend_status'],
			go_backend_deployment_paths: ['mode', 'go_deployment_status'],
			go_backend_promotion_gate: ['mode', 'go_promotion_status'],
			go_backend_rollback_controls: ['mode', 'go_rollback_status'],
			go_backend_rollback_rehearsal: ['mode', 'go_rollback_rehearsal_status'],
			go_backend_rollback_drill_history: ['mode', 'go_rollback_drill_history_status'],
		});
		expect(body.checks.every(check => Object.keys(check).slice(0, 3).join() === 'id,status,message')).toBe(true);
		expect(body.checks.find(check => check['id'] === 'go_backend_promotion_gate')!['message']).toBe('Promoted Go backend mode requires runtime, deployment, and audited parity evidence.');
		expect(body['store_summary']).toEqual({total: 6, missing: []});
		const controls = body.checks.find(check => check['id'] === 'go_backend_rollback_controls')!;
		expect(Object.keys(controls)).toEqual(['id', 'status', 'message', 'mode', 'go_rollback_status']);
		expect(controls).toMatchObject({status: 'pass', message: 'Promoted Go backend mode requires an approved rollback plan back to Python-only mode.', mode: 'promoted', go_rollback_status: 'ready'});
		expect(body).toMatchObject({schema_version: 'cavra.deployment.production_readiness.v1', product: 'CAVRA', status: 'ready', go_backend_rollback: {status: 'ready', mode: 'promoted'}});
		const settings = settingsFromEnvironment(demoCavraEnv(dir), NOW);
		const reports = evaluateAllReports(settings, await readReadinessFiles(settings));
		expect(body['go_backend_rollback_drill_history']).toEqual(toPlainJson(reports.drills));
	});

	it('serves the sibling routes and /console/config', async () => {
		for (const [route, schema] of [
			['/runtime/go-pilot/rollback-rehearsal', 'cavra.go-backend-pilot.rollback-rehearsal.v1'],
			['/runtime/go-pilot/rollback-drills', 'cavra.go-backend-pilot.rollback-drill-history.v1'],
			['/runtime/go-pilot/rollback-drill-schedule', 'cavra.go-backend-pilot.rollback-drill-schedule.v1'],
		] as const) {
			const answer = await text(`${standIn.url}${route}`);
			expect((JSON.parse(answer.text) as {schema_version: string}).schema_version, route).toBe(schema);
		}
		// Python floats print as Python prints them.
		expect((await text(`${standIn.url}/runtime/go-pilot/rollback-drills`)).text).toContain('"rollback_drill_max_age_days":90.0,');
		const consoleConfig = JSON.parse((await text(`${standIn.url}/console/config`)).text) as {endpoints: Record<string, string>};
		expect(consoleConfig.endpoints['go_rollback_readiness']).toBe('/runtime/go-pilot/rollback-readiness');
		expect((await text(`${standIn.url}/nope`)).status).toBe(404);
	});

	it('reads the metadata files on every request, like CAVRA', async () => {
		const plan = file('go-backend-rollback-plan.json');
		const original = readFileSync(plan, 'utf8');
		try {
			writeFileSync(plan, original.replace('"approved": true', '"approved": false'));
			const body = JSON.parse((await text(`${standIn.url}/runtime/go-pilot/rollback-readiness`)).text) as {status: string};
			expect(body.status).toBe('needs_attention');
		} finally {
			writeFileSync(plan, original);
		}
	});

	it('misbehaves on request: needs_attention, slow, error, garbage; and recovers', async () => {
		const url = `${standIn.url}/runtime/go-pilot/rollback-readiness`;
		try {
			standIn.setBehaviour('needs_attention');
			expect(JSON.parse((await text(url)).text)).toMatchObject({status: 'needs_attention', mode: 'promoted'});
			expect(JSON.parse((await text(`${standIn.url}/deployment/production-readiness`)).text)).toMatchObject({status: 'needs_attention'});

			standIn.setBehaviour('slow', {delayMs: 5000});
			expect(await getJson(url, {timeoutMs: 100})).toMatchObject({kind: 'timeout'});

			standIn.setBehaviour('error', {status: 503});
			expect(await getJson(url, {timeoutMs: 2000})).toMatchObject({kind: 'http-error', status: 503});

			standIn.setBehaviour('garbage');
			expect(await getJson(url, {timeoutMs: 2000})).toMatchObject({kind: 'malformed', status: 200});

			// The same switch over HTTP, for tmux demos.
			const switched = await text(`${standIn.url}/__standin/behaviour`, {method: 'POST', body: JSON.stringify({behaviour: 'error'})});
			expect(switched.status).toBe(200);
			expect((await text(url)).status).toBe(500);
			expect((await text(`${standIn.url}/__standin/behaviour`, {method: 'POST', body: '{"behaviour":"explode"}'})).status).toBe(400);
		} finally {
			standIn.setBehaviour('ok');
		}
		expect(await getJson(url, {timeoutMs: 2000})).toMatchObject({kind: 'ok', body: {status: 'ready'}});
	});

	it('reads its env file again only when restarted', async () => {
		const url = `${standIn.url}/runtime/go-pilot/rollback-readiness`;
		try {
			writeEnv('disabled');
			expect(JSON.parse((await text(url)).text)).toMatchObject({mode: 'promoted'});
			expect((await text(`${standIn.url}/__standin/restart`, {method: 'POST'})).status).toBe(200);
			expect(JSON.parse((await text(url)).text)).toMatchObject({mode: 'disabled'});
		} finally {
			writeEnv('promoted');
			standIn.restart();
		}
	});

	it('requires the bearer token when given one', async () => {
		const guarded = await startStandIn({port: 0, env: {}, envFile, token: 'secret-token-value'});
		try {
			const url = `${guarded.url}/runtime/go-pilot/rollback-readiness`;
			expect((await text(url)).status).toBe(401);
			expect((await text(url, {headers: {authorization: 'Bearer secret-token-value'}})).status).toBe(200);
		} finally {
			await guarded.close();
		}
	});
});

describe('stand-in CLI', () => {
	it('prints its URL, serves, and stops on SIGTERM', async () => {
		const script = fileURLToPath(new URL('../../dist/demo/cavra-api-standin.js', import.meta.url));
		const child = spawn(process.execPath, [script, '--port', '0', '--mode-file', envFile], {stdio: ['ignore', 'pipe', 'pipe']});
		const url = await new Promise<string>((resolve, reject) => {
			createInterface({input: child.stdout}).once('line', resolve);
			child.once('exit', code => reject(new Error(`exited ${code}`)));
		});
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(JSON.parse((await text(`${url}/runtime/go-pilot/rollback-readiness`)).text)).toMatchObject({mode: 'promoted', status: 'ready'});
		const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	});

	it('refuses unknown options with exit 2', async () => {
		const script = fileURLToPath(new URL('../../dist/demo/cavra-api-standin.js', import.meta.url));
		const child = spawn(process.execPath, [script, '--bogus'], {stdio: ['ignore', 'ignore', 'pipe']});
		expect(await new Promise(resolve => child.once('exit', resolve))).toBe(2);
	});
});
