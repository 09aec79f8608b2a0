import {createHash} from 'node:crypto';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {
	endpointUrl,
	normaliseMode,
	type ApiEndpoint,
	type DashboardConfig,
	type DashboardEvent,
	type DashboardStore,
	type LocalReportKey,
	type LocalReports,
	type LocalSettings,
	type ModeSource,
	type PlanLint,
	type ProbeResult,
	type Report,
	type ServiceTarget,
} from '../core/dashboard/index.js';
import type {probeFleet} from '../adapters/ansible.js';
import type {AnsibleService, CavraConfig} from '../core/config/schema.js';
import {redactStrings, runSecretValues, screenRedactor} from '../core/evidence/redact.js';
import {getEnvValue} from '../core/env-file/parse.js';
import {visible} from '../core/text/sanitize.js';
import {promotionLink, type PromotionLink} from '../core/evidence/promotion.js';
import {evaluateAllReports, toPlainJson, type ReadinessSettings} from '../core/readiness/index.js';
import {getJson, sameOrigin, tokenFromEnv, withUnreachableHint, type GetJsonOptions} from './http-client.js';
import {readReadinessFiles} from './readiness-files.js';
import {MODE_VARIABLE, readinessSettings} from './readiness-settings.js';
import {watchFiles, type FileWatcher} from './watcher.js';

/**
 * Everything the dashboard watches, turned into core events: the four CAVRA metadata files
 * (evaluated exactly as CAVRA would), the plan's public-safety lint, the env files and this
 * process's environment (the backend mode), and CAVRA's API plus each service's verify URL.
 *
 * Files are watched (a change is on screen within the watcher's debounce plus one evaluation)
 * and, as a fallback for file systems that do not report changes, re-stat'ed on every poll.
 * The API is polled one round at a time: the next round starts `interval` after the previous
 * one finished, so requests never overlap, and each request has its own timeout.
 */

/** Time-derived figures (drill age, days until due) are re-evaluated at least this often. */
const REEVALUATE_MS = 60_000;
/** Least time between two API rounds started early by file changes (pollSoon). */
const EARLY_POLL_GAP_MS = 250;

export interface LoadedDashboardConfig {
	config: CavraConfig;
	filepath: string | undefined;
}

export interface SourcesOptions {
	store: DashboardStore;
	loaded: LoadedDashboardConfig;
	/** Re-load the config after its file changed; throw a CavraError to report it. */
	reloadConfig?: () => Promise<LoadedDashboardConfig>;
	env: NodeJS.ProcessEnv;
	intervalSeconds: number;
	/** `--timeout`: overrides api.timeoutMs. */
	timeoutMs?: number;
	now?: () => number;
	/** Watch files and poll on an interval (the live modes); false for `--once`. */
	live: boolean;
	get?: (url: string, options: GetJsonOptions) => Promise<ProbeResult>;
	watchDebounceMs?: number;
	/** Test seam: a fleet's read-only probe (default: the Ansible adapter's). */
	probeFleet?: typeof probeFleet;
}

export interface DashboardSources {
	/** One complete round of everything (files, lint, mode, API, services); then the live loop starts. */
	start(): Promise<void>;
	/** `r`: re-read everything now; the API round runs now, or right after the one in flight. */
	refresh(): void;
	stop(): Promise<void>;
	/** The config as the dashboard core sees it. */
	dashboardConfig(): DashboardConfig;
}

const DEFAULT_TIMEOUT_MS = 3000;

export function toDashboardConfig(loaded: LoadedDashboardConfig, intervalSeconds: number, timeoutOverride?: number): DashboardConfig {
	const {config, filepath} = loaded;
	// A fleet's verify URL holds host variables: Ansible probes it per host (fleets below).
	const services: ServiceTarget[] = (config.services ?? [])
		.filter(service => service.verify?.url && service.kind !== 'ansible')
		.map(service => ({name: service.name, url: service.verify!.url, ...(service.verify!.expectMode && {expectMode: normaliseMode(service.verify!.expectMode)})}));
	const fleets = (config.services ?? []).filter(service => service.kind === 'ansible').map(service => service.name);
	return {
		...(filepath !== undefined && {path: filepath}),
		...(config.api?.url !== undefined && {apiUrl: config.api.url}),
		intervalSeconds,
		timeoutMs: timeoutOverride ?? config.api?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		envFiles: config.mode?.envFiles ?? [],
		services,
		...(fleets.length > 0 && {fleets}),
	};
}

function localSettings(settings: ReadinessSettings): LocalSettings {
	return {
		mode: settings.mode,
		planPath: settings.rollbackPlanPath,
		rehearsalPath: settings.rollbackRehearsalPath,
		drillHistoryPath: settings.rollbackDrillHistoryPath,
		drillSchedulePath: settings.rollbackDrillSchedulePath,
		drillMaxAgeDays: settings.rollbackDrillMaxAgeDays,
		drillDueSoonDays: settings.rollbackDrillDueSoonDays,
	};
}

/** A cheap identity of a file's current content: inode, size, mtime; or why there is none. */
async function fileStamp(file: string): Promise<string> {
	if (!file) return 'not-configured';
	try {
		const info = await stat(file);
		return `${info.ino}:${info.size}:${info.mtimeMs}`;
	} catch (error) {
		return `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
	}
}

async function readModeSources(envFiles: readonly string[], env: NodeJS.ProcessEnv): Promise<ModeSource[]> {
	const sources: ModeSource[] = [];
	for (const file of envFiles) {
		try {
			const text = await readFile(file, 'utf8');
			const raw = getEnvValue(text, MODE_VARIABLE);
			sources.push(raw === undefined ? {kind: 'env-file', label: file, state: 'unset'} : {kind: 'env-file', label: file, state: 'set', raw, mode: normaliseMode(raw)});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			sources.push(code === 'ENOENT' ? {kind: 'env-file', label: file, state: 'missing', message: 'no such file'} : {kind: 'env-file', label: file, state: 'unreadable', message: code ?? 'cannot be read'});
		}
	}
	const raw = env[MODE_VARIABLE];
	sources.push(raw === undefined ? {kind: 'process-env', label: MODE_VARIABLE, state: 'unset'} : {kind: 'process-env', label: MODE_VARIABLE, state: 'set', raw, mode: normaliseMode(raw)});
	return sources;
}

/** Whether the promotion evidence carries the plan whose sha256 is given (evidence attach). */
async function readPromotionLink(file: string, planSha: string | null): Promise<PromotionLink> {
	if (!file) return {kind: 'not-configured'};
	try {
		return promotionLink(await readFile(file, 'utf8'), planSha);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT' ? {kind: 'missing', message: 'no such file'} : {kind: 'unreadable', message: code ?? 'cannot be read'};
	}
}

function plain(report: unknown): Report {
	return toPlainJson(report) as Report;
}

export function createDashboardSources(options: SourcesOptions): DashboardSources {
	const now = options.now ?? Date.now;
	const get = options.get ?? getJson;
	const {env} = options;
	let loaded = options.loaded;
	let dashboardConfig = toDashboardConfig(loaded, options.intervalSeconds, options.timeoutMs);
	let secretValues = runSecretValues({env, tokenEnv: loaded.config.api?.tokenEnv});
	// Every event carries outside strings (answers, files, plan text, errors): each is masked on its
	// way into the store, which the screen draws, with the token under api.tokenEnv's name (which
	// the HTTP client only knows for api.url's origin) besides the engine's secrets.
	let redact = screenRedactor(secretValues);
	const store = {
		dispatch: (event: DashboardEvent) => options.store.dispatch(redactStrings(event, redact)),
		dispatchAll: (events: readonly DashboardEvent[]) => options.store.dispatchAll(events.map(event => redactStrings(event, redact))),
	};

	let stopped = false;
	let watcher: FileWatcher | undefined;
	let pollTimer: NodeJS.Timeout | undefined;
	let reevaluateTimer: NodeJS.Timeout | undefined;
	let inFlight: Promise<void> | undefined;
	let again = false;
	let soonTimer: NodeJS.Timeout | undefined;
	let lastSoonAt = Number.NEGATIVE_INFINITY;
	let abort = new AbortController();
	let stamps: Partial<Record<LocalReportKey, string>> = {};
	let envStamps = '';
	let lastLint: {hash: string; lint: PlanLint} | undefined;
	let localQueue: Promise<void> = Promise.resolve();

	const planPath = () => currentSettings().rollbackPlanPath;
	const promotionPath = () => loaded.config.promotionEvidence ?? env['CAVRA_GO_PROMOTION_EVIDENCE'] ?? '';
	let fileMode: string | undefined;
	const currentSettings = () => readinessSettings(loaded.config, env, fileMode, new Date(now()));

	async function readModes(): Promise<DashboardEvent> {
		const sources = await readModeSources(dashboardConfig.envFiles, env);
		fileMode = sources.find(source => source.kind === 'env-file' && source.state === 'set')?.raw;
		envStamps = (await Promise.all(dashboardConfig.envFiles.map(fileStamp))).join('|');
		return {type: 'mode-sources', at: now(), sources};
	}

	async function evaluate(): Promise<DashboardEvent> {
		const settings = currentSettings();
		const paths: Record<LocalReportKey, string> = {
			rollback: settings.rollbackPlanPath,
			rehearsal: settings.rollbackRehearsalPath,
			drills: settings.rollbackDrillHistoryPath,
			schedule: settings.rollbackDrillSchedulePath,
		};
		try {
			const newStamps = Object.fromEntries(await Promise.all(Object.entries(paths).map(async ([key, file]) => [key, await fileStamp(file)]))) as Record<LocalReportKey, string>;
			const files = await readReadinessFiles(settings);
			const all = evaluateAllReports(settings, files);
			const reports: LocalReports = {rollback: plain(all.rollback), rehearsal: plain(all.rehearsal), drills: plain(all.drills), schedule: plain(all['drill-schedule'])};
			stamps = newStamps;
			const planSha = files.plan.kind === 'bytes' ? createHash('sha256').update(files.plan.bytes).digest('hex') : null;
			const promotion = await readPromotionLink(promotionPath(), planSha);
			return {type: 'local', at: now(), reports, settings: localSettings(settings), stamps: newStamps, promotion};
		} catch (error) {
			return {type: 'local-error', at: now(), message: `could not evaluate the files: ${error instanceof Error ? error.message : String(error)}`};
		}
	}

	async function lint(): Promise<DashboardEvent> {
		const file = planPath();
		if (!file) return {type: 'lint', at: now(), lint: {kind: 'not-configured'}};
		let bytes: Buffer;
		try {
			bytes = await readFile(file);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			lastLint = undefined;
			return {type: 'lint', at: now(), lint: code === 'ENOENT' ? {kind: 'missing', path: file} : {kind: 'unreadable', path: file, message: code === 'EISDIR' ? 'is a directory' : (code ?? 'cannot be read')}};
		}
		const hash = createHash('sha256').update(file).update('\0').update(bytes).digest('hex');
		if (lastLint?.hash !== hash) {
			try {
				// Loaded on first use: secretlint's rules are the heaviest import, and not needed for a first frame.
				const {lintPlan} = await import('../core/lint/lint-plan.js');
				const report = await lintPlan({path: file, bytes}, {allow: loaded.config.lint?.allow ?? []});
				lastLint = {hash, lint: {kind: 'ok', report}};
			} catch (error) {
				lastLint = {hash, lint: {kind: 'unreadable', path: file, message: error instanceof Error ? error.message : String(error)}};
			}
		}
		return {type: 'lint', at: now(), lint: lastLint.lint};
	}

	/** Local work is serialised so a slow evaluation never lands after a newer one. */
	function local(what: {modes?: boolean; reports?: boolean; lint?: boolean}): Promise<void> {
		localQueue = localQueue.then(async () => {
			if (stopped) return;
			const events: DashboardEvent[] = [];
			// Modes first: the local evaluation runs with the mode the env files name.
			if (what.modes) events.push(await readModes());
			if (what.reports) events.push(await evaluate());
			// CAVRA's verdict goes on screen first; the lint (secretlint's async pass) follows.
			if (!stopped) store.dispatchAll(events);
			if (what.lint) {
				const linted = await lint();
				if (!stopped) store.dispatch(linted);
			}
		});
		return localQueue;
	}

	async function probe(url: string): Promise<ProbeResult> {
		const api = loaded.config.api;
		// The token goes to api.url's origin and nowhere else (not to other services' verify URLs).
		const token = api?.url && sameOrigin(url, api.url) ? tokenFromEnv(env, api.tokenEnv) : undefined;
		return withUnreachableHint(await get(url, {timeoutMs: dashboardConfig.timeoutMs, token, allowInsecureHttp: api?.allowInsecureHttp ?? false, signal: abort.signal}), url, api);
	}

	function fleetServices(): AnsibleService[] {
		return (loaded.config.services ?? []).filter((service): service is AnsibleService => service.kind === 'ansible' && (dashboardConfig.fleets ?? []).includes(service.name));
	}

	async function probeFleetOf(service: AnsibleService): Promise<Awaited<ReturnType<typeof probeFleet>>> {
		try {
			// Loaded only when a fleet is configured: Ansible's adapter and execa are no cost to the rest.
			const [probe, {runCommand}] = await Promise.all([options.probeFleet ?? import('../adapters/ansible.js').then(module => module.probeFleet), import('./process-runner.js')]);
			return await probe(service, {runner: (argv, runOptions) => runCommand(argv, {parentEnv: env, ...runOptions, secretValues}), signal: abort.signal, secretValues});
		} catch (error) {
			return {ok: false, detail: visible(error instanceof Error ? error.message : String(error)), hosts: []};
		}
	}

	async function pollRound(): Promise<void> {
		const config = dashboardConfig;
		const endpoints: ApiEndpoint[] = config.apiUrl ? ['rollback-readiness', 'production-readiness'] : [];
		const [apiResults, serviceResults] = await Promise.all([
			Promise.all(endpoints.map(async endpoint => ({endpoint, result: await probe(endpointUrl(config.apiUrl!, endpoint))}))),
			Promise.all(config.services.map(async service => ({name: service.name, result: await probe(service.url)}))),
		]);
		if (stopped) return;
		const at = now();
		store.dispatchAll([
			...apiResults.map(({endpoint, result}): DashboardEvent => ({type: 'api', at, endpoint, result})),
			...serviceResults.map(({name, result}): DashboardEvent => ({type: 'service', at, name, result})),
			{type: 'poll-finished', at},
		]);
		// Fleets after the rest: an Ansible probe of every host takes seconds, the API's answer should not wait for it.
		const fleets = await Promise.all(fleetServices().map(async service => ({name: service.name, ...(await probeFleetOf(service))})));
		if (stopped) return;
		const fleetAt = now();
		store.dispatchAll(fleets.map(({name, ok, detail, hosts}): DashboardEvent => ({type: 'fleet', at: fleetAt, name, ok, detail, hosts})));
		// Fallback for changes the watcher missed (network file systems, symlink swaps).
		if (options.live) await checkStamps();
	}

	async function checkStamps(): Promise<void> {
		const settings = currentSettings();
		const current = await Promise.all([settings.rollbackPlanPath, settings.rollbackRehearsalPath, settings.rollbackDrillHistoryPath, settings.rollbackDrillSchedulePath].map(fileStamp));
		const known = [stamps.rollback, stamps.rehearsal, stamps.drills, stamps.schedule];
		const envNow = (await Promise.all(dashboardConfig.envFiles.map(fileStamp))).join('|');
		const filesChanged = current.some((stamp, index) => stamp !== known[index]);
		if (!filesChanged && envNow === envStamps) return;
		pollSoon();
		await local({modes: envNow !== envStamps, reports: true, lint: current[0] !== known[0]});
	}

	function schedulePoll(): void {
		if (stopped || !options.live) return;
		if (pollTimer) clearTimeout(pollTimer);
		pollTimer = setTimeout(() => void runPoll(), dashboardConfig.intervalSeconds * 1000);
		pollTimer.unref?.();
	}

	function runPoll(): Promise<void> {
		if (inFlight) {
			again = true;
			return inFlight;
		}
		if (pollTimer) clearTimeout(pollTimer);
		pollTimer = undefined;
		inFlight = pollRound()
			.catch(() => undefined)
			.finally(() => {
				inFlight = undefined;
				if (again && !stopped) {
					again = false;
					void runPoll();
				} else schedulePoll();
			});
		return inFlight;
	}

	async function onFilesChanged(changed: ReadonlySet<string>): Promise<void> {
		if (stopped) return;
		const resolved = (file: string | undefined) => (file ? path.resolve(file) : undefined);
		if (loaded.filepath && changed.has(path.resolve(loaded.filepath)) && options.reloadConfig) {
			try {
				loaded = await options.reloadConfig();
				dashboardConfig = toDashboardConfig(loaded, options.intervalSeconds, options.timeoutMs);
				secretValues = runSecretValues({env, tokenEnv: loaded.config.api?.tokenEnv});
				redact = screenRedactor(secretValues);
				lastLint = undefined;
				store.dispatch({type: 'config', at: now(), config: dashboardConfig});
				await rewatch();
				await local({modes: true, reports: true, lint: true});
				void runPoll();
			} catch (error) {
				store.dispatch({type: 'config-error', at: now(), message: error instanceof Error ? error.message : String(error)});
			}
			return;
		}
		const envChanged = dashboardConfig.envFiles.some(file => changed.has(path.resolve(file)));
		const planChanged = changed.has(resolved(planPath()) ?? '');
		// The API round goes out first and runs alongside our own evaluation of the same files.
		pollSoon();
		await local({modes: envChanged, reports: true, lint: planChanged});
	}

	/**
	 * CAVRA reads the same files on every request: after one changes, ask the API again now rather
	 * than showing its stale verdict for up to a whole interval. Early rounds start at least
	 * EARLY_POLL_GAP_MS apart (and never overlap), so an editor saving in a loop cannot flood the API.
	 */
	function pollSoon(): void {
		if (stopped || !options.live || !dashboardConfig.apiUrl || soonTimer) return;
		const wait = Math.max(0, lastSoonAt + EARLY_POLL_GAP_MS - now());
		soonTimer = setTimeout(() => {
			soonTimer = undefined;
			if (stopped) return;
			lastSoonAt = now();
			void runPoll();
		}, wait);
		soonTimer.unref?.();
	}

	async function rewatch(): Promise<void> {
		await watcher?.close();
		if (stopped) return;
		const settings = currentSettings();
		const files = [settings.rollbackPlanPath, settings.rollbackRehearsalPath, settings.rollbackDrillHistoryPath, settings.rollbackDrillSchedulePath, promotionPath(), ...dashboardConfig.envFiles, loaded.filepath ?? ''].filter(Boolean);
		watcher = watchFiles(files, changed => void onFilesChanged(changed), {debounceMs: options.watchDebounceMs ?? 50});
		await watcher.ready;
	}

	return {
		dashboardConfig: () => dashboardConfig,
		async start() {
			store.dispatch({type: 'config', at: now(), config: dashboardConfig});
			await Promise.all([local({modes: true, reports: true, lint: true}), runPoll(), options.live ? rewatch() : Promise.resolve()]);
			// A file saved after the first read but before the watcher was ready would otherwise wait for the next poll.
			if (options.live && !stopped) await checkStamps();
			if (options.live && !stopped) {
				reevaluateTimer = setInterval(() => void local({reports: true}), REEVALUATE_MS);
				reevaluateTimer.unref?.();
			}
		},
		refresh() {
			if (stopped) return;
			store.dispatch({type: 'refresh-requested', at: now()});
			lastLint = undefined;
			void local({modes: true, reports: true, lint: true});
			void runPoll();
		},
		async stop() {
			stopped = true;
			if (pollTimer) clearTimeout(pollTimer);
			if (soonTimer) clearTimeout(soonTimer);
			if (reevaluateTimer) clearInterval(reevaluateTimer);
			abort.abort();
			abort = new AbortController();
			await watcher?.close();
			await inFlight?.catch(() => undefined);
			await localQueue.catch(() => undefined);
		},
	};
}
