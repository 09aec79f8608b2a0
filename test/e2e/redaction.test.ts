/*
 * No secret leaves through the tool's own outputs: the built CLI runs a rollback, a rehearsal and
 * `dashboard --once --json` against a CAVRA API that echoes the Authorization header it received,
 * with the API token under an arbitrary variable name (api.tokenEnv: X) and a plan whose steps
 * hold values the linter flags. Every file written, stdout and stderr are then searched for them.
 */
import {createServer, request as httpRequest, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {lintPlan} from '../../source/core/lint/lint-plan.js';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {restartScript, runCliAsync, scratch, writeConfig} from '../fixtures/rollback/e2e.js';
import {ALNUM, randomChars} from '../core/lint/public-safety/fixtures.js';

const node = process.execPath;
// Built at run time so no scanner flags this file.
const TOKEN = `opaque.${randomChars(41, 32, ALNUM)}`;
const GITHUB_TOKEN = `gh${'p_'}${randomChars(42, 36, ALNUM)}`;
const FLAGGED = [GITHUB_TOKEN, 'jane.doe@corp-mail.net', 'db01.corp.internal'];

let work: ReturnType<typeof scratch>;
let standIn: StandIn;
let echo: Server;
let echoUrl: string;

/** A CAVRA API in front of the stand-in that puts the request headers it received into every answer. */
async function startEchoingApi(target: string): Promise<void> {
	echo = createServer((req, res) => {
		const upstream = httpRequest(`${target}${req.url ?? '/'}`, {method: req.method, headers: req.headers}, answer => {
			let body = '';
			answer.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
			answer.on('end', () => {
				let out = body;
				try {
					out = JSON.stringify({...(JSON.parse(body) as object), received_headers: req.headers, debug: `Authorization: ${req.headers.authorization ?? ''}`});
				} catch {
					// Not JSON: passed on as it came.
				}
				res.writeHead(answer.statusCode ?? 502, {'content-type': 'application/json'}).end(out);
			});
		});
		upstream.on('error', () => res.writeHead(502).end('{"detail":"upstream"}'));
		req.pipe(upstream);
	});
	await new Promise<void>(resolve => echo.listen(0, '127.0.0.1', resolve));
	echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
}

beforeEach(async () => {
	work = scratch('cavra-redaction-e2e-');
	const plan = JSON.parse(readFileSync(work.planFile, 'utf8')) as {rollback_steps: string[]; evidence_refs: string[]};
	plan.rollback_steps.push(`If the API refuses, log in with ${GITHUB_TOKEN} and page jane.doe@corp-mail.net`, 'Check db01.corp.internal answers.');
	plan.evidence_refs.push('runbook://db01.corp.internal/rollback');
	writeFileSync(work.planFile, `${JSON.stringify(plan, null, 2)}\n`);
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile, token: TOKEN});
	await startEchoingApi(standIn.url);
});

afterEach(async () => {
	echo.closeAllConnections();
	await new Promise(resolve => echo.close(resolve));
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

function config(extra: string[] = []): void {
	const service = `{name: api, kind: command, restart: ${JSON.stringify([node, restartScript, standIn.url, '--say', `restarting with Authorization: Bearer ${TOKEN}`])}, verify: {url: "${echoUrl}/runtime/go-pilot/rollback-readiness"}}`;
	writeConfig(work.dir, ['plan: ./plan.json', 'mode:', '  envFiles: [./cavra.env]', `api: {url: "${echoUrl}", tokenEnv: X}`, 'evidence: {dir: ./evidence}', 'services:', `  - ${service}`, ...extra]);
}

/** Every file the run wrote (evidence bundle, journal, reports, rehearsal outputs), by name. */
function writtenFiles(): Map<string, string> {
	const out = new Map<string, string>();
	for (const entry of readdirSync(work.dir, {withFileTypes: true, recursive: true})) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath, entry.name);
		// Inputs the operator wrote are not outputs: the plan, its env file (and that file's backup), the config.
		if (file === work.planFile || entry.name.startsWith('cavra.env') || entry.name === '.cavrarc.yaml') continue;
		out.set(path.relative(work.dir, file), readFileSync(file, 'utf8'));
	}
	return out;
}

/** The 8-character runs of each secret found in `text` (none, when nothing leaked). */
function leaks(text: string, secrets: readonly string[]): string[] {
	const found: string[] = [];
	for (const secret of secrets) for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(`${secret.slice(0, 4)}…: ${secret.slice(i, i + 8)}`);
	return [...new Set(found)];
}

describe('no secret leaves through outputs', () => {
	it('rollback --yes --json: the token (api.tokenEnv: X) and the flagged plan values are in no file, on no stream; reports stay valid JSON', async () => {
		config();
		const linted = await lintPlan({path: work.planFile, bytes: readFileSync(work.planFile)});
		// The linter does flag what the plan holds (else this test would prove nothing).
		expect(linted.findings.filter(finding => finding.category === 'public-safety').length).toBeGreaterThanOrEqual(3);

		const result = await runCliAsync(['rollback', '--yes', '--json'], {cwd: work.dir, env: {X: TOKEN}});
		expect(result.stderr).toMatch(/recovered/i);
		expect(result.code).toBe(0);
		// The token went to the API (the stand-in refuses without it), and came back echoed.
		expect(standIn.authorizations).toContain(`Bearer ${TOKEN}`);

		const files = writtenFiles();
		expect([...files.keys()].some(name => name.endsWith('reports/before.json'))).toBe(true);
		expect([...files.keys()].some(name => name.endsWith('journal.ndjson'))).toBe(true);
		for (const [name, text] of files) expect(leaks(text, [TOKEN, ...FLAGGED]), name).toEqual([]);
		expect(leaks(result.stdout, [TOKEN, ...FLAGGED]), 'stdout').toEqual([]);
		expect(leaks(result.stderr, [TOKEN, ...FLAGGED]), 'stderr').toEqual([]);

		const evidence = JSON.parse(result.stdout) as {result: string; plan: {rollback_steps: string[]}};
		expect(evidence.result).toBe('recovered');
		expect(evidence.plan.rollback_steps.join('\n')).toContain('<redacted>');
		const before = [...files].find(([name]) => name.endsWith('reports/before.json'))![1];
		const captured = JSON.parse(before) as {api_rollback_readiness: {received_headers: {authorization: string}; debug: string}};
		expect(captured.api_rollback_readiness.received_headers.authorization).toBe('Bearer <redacted>');
		expect(captured.api_rollback_readiness.debug).toBe('Authorization: Bearer <redacted>');
	});

	it('rollback --rehearse: the rehearsal evidence and drill history it writes lint clean and hold no secret', async () => {
		config(['rehearsalEvidence: ./rehearsal.json', 'drillHistory: ./drills.json']);
		const result = await runCliAsync(['rollback', '--rehearse', '--yes'], {cwd: work.dir, env: {X: TOKEN}});
		expect(result.code).toBe(0);
		for (const name of ['rehearsal.json', 'drills.json']) {
			const file = path.join(work.dir, name);
			const report = await lintPlan({path: file, bytes: readFileSync(file)});
			expect(report.findings.filter(finding => finding.category === 'public-safety'), name).toEqual([]);
		}
		for (const [name, text] of writtenFiles()) expect(leaks(text, [TOKEN, ...FLAGGED]), name).toEqual([]);
		expect(leaks(result.stdout + result.stderr, [TOKEN, ...FLAGGED])).toEqual([]);
	});

	it('dashboard --once --json: the echoed token is not in the snapshot, which stays valid JSON', async () => {
		config();
		const result = await runCliAsync(['dashboard', '--once', '--json'], {cwd: work.dir, env: {X: TOKEN}});
		expect(standIn.authorizations).toContain(`Bearer ${TOKEN}`);
		const snapshot = JSON.parse(result.stdout) as {api: {rollback_readiness: {state: string}}};
		expect(snapshot.api.rollback_readiness.state).toBe('ok');
		expect(leaks(result.stdout, [TOKEN, GITHUB_TOKEN])).toEqual([]);
		expect(leaks(result.stderr, [TOKEN, GITHUB_TOKEN])).toEqual([]);
		const text = await runCliAsync(['dashboard', '--once'], {cwd: work.dir, env: {X: TOKEN}});
		expect(leaks(text.stdout + text.stderr, [TOKEN, GITHUB_TOKEN])).toEqual([]);
	});
});
