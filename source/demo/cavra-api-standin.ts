/**
 * A stand-in for CAVRA's API, for tests and the demo (there is no CAVRA package to install).
 * Node's own `http`, no framework. Like CAVRA it builds its Go settings from its environment
 * once, at start-up (an env file's CAVRA_GO_* values override the process environment, as a
 * systemd EnvironmentFile would), and reads the metadata files on every request. Its answers
 * have exactly the contract's shapes (§9, §11), computed by the same readiness evaluator.
 *
 * It can also misbehave on purpose: `needs_attention`, slow answers, HTTP errors and garbage,
 * switchable in-process (`setBehaviour`) or over HTTP (`POST /__standin/behaviour`), and it
 * can "restart" (`POST /__standin/restart`: re-read the env file, as a restarted CAVRA would).
 *
 *   node dist/demo/cavra-api-standin.js --port 8000 --mode-file ./cavra.env [--token-env NAME]
 *
 * prints its URL on stdout and serves on 127.0.0.1 until SIGTERM or SIGINT.
 */
import {readdirSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {getEnvValue} from '../core/env-file/parse.js';
import {
	evaluateAllReports,
	floatRepr,
	productionReadinessRollbackChecks,
	PyDict,
	productionReadinessRollbackSection,
	rollbackReadinessReport,
	settingsFromEnvironment,
	type ReadinessSettings,
} from '../core/readiness/index.js';
import {readReadinessFiles} from '../io/readiness-files.js';

export const standInBehaviours = ['ok', 'needs_attention', 'slow', 'error', 'garbage'] as const;
export type StandInBehaviour = (typeof standInBehaviours)[number];

export interface BehaviourOptions {
	/** `slow`: how long each answer waits (default 10 s). */
	delayMs?: number;
	/** `error`: the HTTP status (default 500). */
	status?: number;
	/** `garbage`: the body (default: truncated JSON). */
	body?: string;
}

export interface StandInOptions {
	port: number;
	host?: string;
	/** The process environment CAVRA would start with. */
	env: NodeJS.ProcessEnv;
	/** KEY=VALUE file read at start-up; its CAVRA_GO_* values override `env`. */
	envFile?: string;
	/** When set, every CAVRA route requires `Authorization: Bearer <token>`. */
	token?: string;
	now?: () => Date;
}

export interface StandIn {
	url: string;
	close(): Promise<void>;
	setBehaviour(behaviour: StandInBehaviour, options?: BehaviourOptions): void;
	/** Re-read the env file, as a restarted CAVRA would. */
	restart(): void;
	/** Requests answered so far, by path (control routes excluded). */
	requests: Map<string, number>;
	/** The Authorization headers received (tests check the token went only here). */
	authorizations: Array<string | undefined>;
}

/** The variables CAVRA's Go settings come from (contract §2.1). */
export const CAVRA_GO_VARIABLES = [
	'CAVRA_GO_BACKEND_MODE',
	'CAVRA_GO_ROLLBACK_PLAN',
	'CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE',
	'CAVRA_GO_ROLLBACK_DRILL_HISTORY',
	'CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS',
	'CAVRA_GO_ROLLBACK_DRILL_SCHEDULE',
	'CAVRA_GO_ROLLBACK_DRILL_DUE_SOON_DAYS',
	'CAVRA_GO_PROMOTION_EVIDENCE',
] as const;

/** The environment CAVRA would see: the process env, with the env file's CAVRA_GO_* values on top. */
export function startupEnvironment(env: NodeJS.ProcessEnv, envFile: string | undefined): NodeJS.ProcessEnv {
	const merged: NodeJS.ProcessEnv = {};
	for (const key of CAVRA_GO_VARIABLES) if (env[key] !== undefined) merged[key] = env[key];
	if (envFile) {
		const text = readFileSync(envFile, 'utf8');
		for (const key of CAVRA_GO_VARIABLES) {
			const value = getEnvValue(text, key);
			if (value !== undefined) merged[key] = value;
		}
	}
	return merged;
}

const PRODUCTION_NOTES = [
	'Validate this report in the same environment that hosts the API and console.',
	'Keep restore operations in CLI or platform runbooks, not browser-facing endpoints.',
	'Attach this report to release evidence before enterprise pilots.',
];

type Json = Record<string, unknown>;

/** The production readiness report of §9.3: every key and check id in order; the rollback parts from the evaluator. */
export async function productionReadiness(settings: ReadinessSettings): Promise<Json> {
	const files = await readReadinessFiles(settings);
	const reports = evaluateAllReports(settings, files);
	const mode = settings.mode;
	const pilot = {schema_version: 'cavra.go-backend-pilot.readiness.v1', mode, status: mode === 'disabled' ? 'disabled' : 'ready', checks: []};
	// Stand-in simplifications: the Go runtime is deployed whenever the pilot is on, and promotion evidence is taken as audited.
	const deployment = {schema_version: 'cavra.go-backend-pilot.deployment-readiness.v1', mode, status: mode === 'disabled' ? 'not_configured' : 'ready', checks: []};
	const promotion = {schema_version: 'cavra.go-backend-pilot.promotion-readiness.v1', mode, status: mode === 'promoted' ? 'ready' : 'not_requested', checks: []};
	// CAVRA's `_check`: {id, status: pass|warn, message, ...extra}; messages and extra keys as in
	// policy_authoring.py. The server facts (OIDC, RBAC, CORS, stores) are a well-configured server's.
	const check = (id: string, passed: boolean, message: string, extra: Json = {}) => ({id, status: passed ? 'pass' : 'warn', message, ...extra});
	const policyPackCount = 12;
	const stores = ['activity', 'approvals', 'evidence', 'policies', 'rollouts', 'sessions'];
	const missingStores: string[] = [];
	const checks: Array<Json & {status: unknown}> = [
		check('oidc_configured', true, 'Console and approval actions validate signed OIDC tokens.'),
		check('rbac_configured', true, 'Repository-scoped RBAC policy is configured.'),
		check('cors_restricted', true, 'Allowed console origins are explicit.'),
		check('evidence_artifacts', true, 'Evidence artifact retrieval root is configured.'),
		check('policy_catalog', policyPackCount > 0, `${policyPackCount} policy packs are discoverable.`),
		check('persistent_stores', missingStores.length === 0, 'Persistent API stores exist.', {missing: missingStores}),
		check('go_backend_pilot', pilot.status === 'disabled' || pilot.status === 'ready', 'Optional Go backend pilot is disabled or ready with Python fallback and parity gate evidence.', {
			mode,
			go_backend_status: pilot.status,
		}),
		check(
			'go_backend_deployment_paths',
			deployment.status === 'ready' || (mode === 'disabled' && deployment.status === 'not_configured'),
			'Go backend CI runner and workstation deployment paths are ready when the pilot is enabled.',
			{mode, go_deployment_status: deployment.status},
		),
		check('go_backend_promotion_gate', promotion.status === 'not_requested' || promotion.status === 'ready', 'Promoted Go backend mode requires runtime, deployment, and audited parity evidence.', {
			mode,
			go_promotion_status: promotion.status,
		}),
		...(productionReadinessRollbackChecks({pilotMode: mode, rollback: reports.rollback, rehearsal: reports.rehearsal, drills: reports.drills}) as unknown as Array<Json & {status: unknown}>),
	];
	return {
		schema_version: 'cavra.deployment.production_readiness.v1',
		product: 'CAVRA',
		status: checks.every(check => check.status === 'pass') ? 'ready' : 'needs_attention',
		checks,
		go_backend_pilot: pilot,
		go_backend_deployment: deployment,
		go_backend_promotion: promotion,
		go_backend_rollback: productionReadinessRollbackSection(reports.rollback),
		go_backend_rollback_rehearsal: reports.rehearsal,
		go_backend_rollback_drill_history: reports.drills,
		store_summary: {total: stores.length, missing: missingStores},
		operator_notes: PRODUCTION_NOTES,
	};
}

/**
 * FastAPI's JSONResponse: `json.dumps(content, ensure_ascii=False, allow_nan=False,
 * separators=(",", ":"))`. Compact; keys in order; Python ints (`bigint`) and floats (`90.0`)
 * print as Python prints them; a non-finite float cannot be rendered, which is an HTTP 500 in
 * CAVRA too (returned here as undefined).
 */
export function fastApiJson(value: unknown): string | undefined {
	try {
		return compact(value);
	} catch (error) {
		if (error instanceof RangeError) return undefined;
		throw error;
	}
}

const STRING_ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};

function compactString(text: string): string {
	let out = '"';
	for (const char of text) {
		const code = char.charCodeAt(0);
		if (STRING_ESCAPES[char] !== undefined) out += STRING_ESCAPES[char];
		else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += char;
	}
	return `${out}"`;
}

function compact(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'string') return compactString(value);
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError('Out of range float values are not JSON compliant');
		return floatRepr(value);
	}
	if (Array.isArray(value)) return `[${value.map(compact).join(',')}]`;
	const entries = value instanceof PyDict ? [...value.entries()] : typeof value === 'object' ? Object.entries(value) : undefined;
	if (!entries) throw new TypeError(`cannot serialise ${typeof value}`);
	return `{${entries.map(([key, item]) => `${compactString(key)}:${compact(item)}`).join(',')}}`;
}

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
	const host = options.host ?? '127.0.0.1';
	const now = options.now ?? (() => new Date());
	let env = startupEnvironment(options.env, options.envFile);
	let behaviour: StandInBehaviour = 'ok';
	let behaviourOptions: BehaviourOptions = {};
	const timers = new Set<NodeJS.Timeout>();
	const requests = new Map<string, number>();
	const authorizations: Array<string | undefined> = [];

	const settings = (): ReadinessSettings => {
		const base = settingsFromEnvironment(env, now());
		// `needs_attention`: answer as CAVRA does when promoted mode has no rollback plan configured.
		return behaviour === 'needs_attention' ? {...base, mode: 'promoted', rollbackPlanPath: ''} : base;
	};

	const routes: Record<string, () => Promise<unknown>> = {
		'/runtime/go-pilot/rollback-readiness': async () => {
			const current = settings();
			return rollbackReadinessReport(current, await readReadinessFiles(current));
		},
		'/deployment/production-readiness': () => productionReadiness(settings()),
		'/runtime/go-pilot/rollback-rehearsal': async () => {
			const current = settings();
			return evaluateAllReports(current, await readReadinessFiles(current)).rehearsal;
		},
		'/runtime/go-pilot/rollback-drills': async () => {
			const current = settings();
			return evaluateAllReports(current, await readReadinessFiles(current)).drills;
		},
		'/runtime/go-pilot/rollback-drill-schedule': async () => {
			const current = settings();
			return evaluateAllReports(current, await readReadinessFiles(current))['drill-schedule'];
		},
		'/console/config': async () => ({
			product: 'CAVRA',
			endpoints: {
				go_rollback_readiness: '/runtime/go-pilot/rollback-readiness',
				go_rollback_rehearsal: '/runtime/go-pilot/rollback-rehearsal',
				go_rollback_drills: '/runtime/go-pilot/rollback-drills',
				go_rollback_drill_schedule: '/runtime/go-pilot/rollback-drill-schedule',
			},
		}),
	};

	const send = (response: ServerResponse, status: number, body: string, type = 'application/json') => {
		if (response.destroyed) return;
		response.writeHead(status, {'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store'});
		response.end(body);
	};

	const control = async (request: IncomingMessage, response: ServerResponse, pathname: string) => {
		if (pathname === '/__standin/state' && request.method === 'GET') {
			return send(response, 200, JSON.stringify({behaviour, options: behaviourOptions, mode: settings().mode}));
		}
		if (request.method !== 'POST') return send(response, 405, '{"detail":"Method Not Allowed"}');
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		if (pathname === '/__standin/restart') {
			try {
				env = startupEnvironment(options.env, options.envFile);
				behaviour = 'ok';
				behaviourOptions = {};
				return send(response, 200, JSON.stringify({restarted: true, mode: settings().mode}));
			} catch (error) {
				return send(response, 500, JSON.stringify({detail: error instanceof Error ? error.message : String(error)}));
			}
		}
		if (pathname === '/__standin/behaviour') {
			let body: {behaviour?: unknown; delayMs?: unknown; status?: unknown; body?: unknown};
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
			} catch {
				return send(response, 400, '{"detail":"expected JSON"}');
			}
			if (!standInBehaviours.includes(body.behaviour as StandInBehaviour)) return send(response, 400, JSON.stringify({detail: `behaviour must be one of ${standInBehaviours.join(', ')}`}));
			api.setBehaviour(body.behaviour as StandInBehaviour, {
				...(typeof body.delayMs === 'number' && {delayMs: body.delayMs}),
				...(typeof body.status === 'number' && {status: body.status}),
				...(typeof body.body === 'string' && {body: body.body}),
			});
			return send(response, 200, JSON.stringify({behaviour}));
		}
		return send(response, 404, '{"detail":"Not Found"}');
	};

	const handle = async (request: IncomingMessage, response: ServerResponse) => {
		const pathname = new URL(request.url ?? '/', 'http://standin').pathname;
		if (pathname.startsWith('/__standin/')) return control(request, response, pathname);
		const route = routes[pathname];
		if (!route || request.method !== 'GET') return send(response, route ? 405 : 404, route ? '{"detail":"Method Not Allowed"}' : '{"detail":"Not Found"}');
		requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
		authorizations.push(request.headers.authorization);
		if (options.token && request.headers.authorization !== `Bearer ${options.token}`) return send(response, 401, '{"detail":"Not authenticated"}');

		const current = behaviour;
		const currentOptions = behaviourOptions;
		if (current === 'slow') {
			await new Promise<void>(resolve => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					resolve();
				}, currentOptions.delayMs ?? 10_000);
				timers.add(timer);
			});
		}
		if (current === 'error') return send(response, currentOptions.status ?? 500, 'Internal Server Error', 'text/plain; charset=utf-8');
		if (current === 'garbage') return send(response, 200, currentOptions.body ?? '{"schema_version":"cavra.go-backend-pilot.rollback-readiness.v1","status":', 'application/json');
		try {
			const text = fastApiJson(await route());
			if (text === undefined) return send(response, 500, 'Internal Server Error', 'text/plain; charset=utf-8');
			return send(response, 200, text);
		} catch {
			// CAVRA's uncaught reader errors (invalid UTF-8, `controls: null`) are HTTP 500s too.
			return send(response, 500, 'Internal Server Error', 'text/plain; charset=utf-8');
		}
	};

	const server: Server = createServer((request, response) => {
		handle(request, response).catch(() => send(response, 500, 'Internal Server Error', 'text/plain; charset=utf-8'));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

	const api: StandIn = {
		url,
		requests,
		authorizations,
		setBehaviour(next, nextOptions = {}) {
			behaviour = next;
			behaviourOptions = nextOptions;
		},
		restart() {
			env = startupEnvironment(options.env, options.envFile);
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
	return api;
}

// ─── CLI entry ───────────────────────────────────────────────────────────────

interface StandInArgs {
	port: number;
	envFile?: string;
	host: string;
	tokenEnv?: string;
	stopOnStdinEnd: boolean;
	/** A folder of `<pid>` files: the stand-in runs while one of them names a live process. */
	users?: string;
	/** Where the stand-in writes `{"pid", "url"}` once listening (removed when it stops). */
	stateFile?: string;
}

function parseArgs(argv: string[]): StandInArgs {
	let port = 8000;
	let host = '127.0.0.1';
	let stopOnStdinEnd = false;
	const optional: Pick<StandInArgs, 'envFile' | 'tokenEnv' | 'users' | 'stateFile'> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const value = () => {
			const next = argv[++i];
			if (next === undefined) throw new Error(`${arg} needs a value`);
			return next;
		};
		if (arg === '--port') port = Number(value());
		else if (arg === '--mode-file') optional.envFile = value();
		else if (arg === '--host') host = value();
		else if (arg === '--token-env') optional.tokenEnv = value();
		else if (arg === '--stop-on-stdin-end') stopOnStdinEnd = true;
		else if (arg === '--users') optional.users = value();
		else if (arg === '--state-file') optional.stateFile = value();
		else throw new Error(`unknown option ${arg} (options: --port N, --mode-file FILE, --host 127.0.0.1, --token-env NAME, --stop-on-stdin-end, --users DIR, --state-file FILE)`);
	}
	if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port takes a port number (0 picks a free one)');
	return {port, host, stopOnStdinEnd, ...optional};
}

/** Whether a process with this id is alive (EPERM: alive, another user's). */
export function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The live users in a `--users` folder; files of dead processes (killed -9) are removed. */
export function liveUsers(dir: string): number[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	const live: number[] = [];
	for (const name of names) {
		const pid = Number(name);
		if (!/^[1-9][0-9]*$/.test(name)) continue;
		if (processAlive(pid)) live.push(pid);
		else rmSync(path.join(dir, name), {force: true});
	}
	return live;
}

async function main(): Promise<void> {
	let args: ReturnType<typeof parseArgs>;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`cavra-api-standin: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 2;
		return;
	}
	const token = args.tokenEnv ? process.env[args.tokenEnv] : undefined;
	const standIn = await startStandIn({port: args.port, host: args.host, env: process.env, ...(args.envFile !== undefined && {envFile: args.envFile}), ...(token && {token})});
	process.stdout.write(`${standIn.url}\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		void standIn.close().then(() => process.exit(0));
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	// The launcher may close its end of our output once it has read the URL.
	process.stdout.on('error', () => undefined);
	process.stderr.on('error', () => undefined);
	if (args.stateFile !== undefined) {
		const stateFile = args.stateFile;
		writeFileSync(stateFile, `${JSON.stringify({pid: process.pid, url: standIn.url})}\n`);
		process.on('exit', () => {
			try {
				if ((JSON.parse(readFileSync(stateFile, 'utf8')) as {pid?: unknown}).pid === process.pid) rmSync(stateFile, {force: true});
			} catch {
				// Already gone or replaced: nothing of ours to remove.
			}
		});
	}
	if (args.users !== undefined) {
		// Shared by every `npm start` running now: stop when the last of them has gone (even killed).
		const users = args.users;
		const timer = setInterval(() => {
			if (liveUsers(users).length === 0) stop();
		}, 500);
		timer.unref();
		// The interval is unref'd, the server keeps us alive; a check right away covers a launcher gone already.
		if (liveUsers(users).length === 0) stop();
	}
	if (args.stopOnStdinEnd) {
		// The demo launcher holds our stdin: when it goes away (even killed), so do we.
		process.stdin.on('end', stop);
		process.stdin.on('error', stop);
		process.stdin.resume();
	}
}

const invokedDirectly = (() => {
	try {
		return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
	} catch {
		return false;
	}
})();
if (invokedDirectly) await main();
