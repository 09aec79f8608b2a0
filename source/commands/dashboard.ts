import {InvalidArgumentError} from 'commander';
import {buildSnapshot, changeLine, changedPanels, computeVerdict, createStore, formatSnapshotText, initialState, isSettled, panelIds, type DashboardState, type DashboardStore, type Verdict} from '../core/dashboard/index.js';
import {ConfigError} from '../core/errors.js';
import {MAX_REQUEST_TIMEOUT_MS} from '../core/config/limits.js';
import {visible} from '../core/text/sanitize.js';
import {ExitCode} from '../core/exit-codes.js';
import {escapeHiddenInJson} from '../core/text/sanitize.js';
import type {LoadedConfig} from '../io/config.js';
import type {DashboardSources, SourcesOptions} from '../io/dashboard-sources.js';
import {canDrawScreens, loadWithNotice, outputWidth} from '../io/terminal.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';
import {commands} from './registry.js';

/**
 * `cavra-rollback dashboard`: one screen that says whether this environment can roll back from
 * the Go backend to Python-only mode, and what is in the way. In a terminal it is an Ink screen;
 * otherwise it never loads Ink: `--once` prints one snapshot (text or `--json`) and exits with
 * the readiness exit code, and without `--once` it prints one line per state change (NDJSON with
 * `--json`) until interrupted.
 */

interface Options {
	once?: boolean;
	json?: boolean;
	interval: number;
	timeout?: number;
}

// Bounded like the config's timeouts: past 2^31-1 ms a Node timer fires after 1 ms (a hot loop on the API).
const MAX_INTERVAL_SECONDS = 3600;

const positiveSeconds = (value: string): number => {
	const number = Number(value.trim());
	if (value.trim() === '' || !Number.isFinite(number) || number < 0.1 || number > MAX_INTERVAL_SECONDS) {
		throw new InvalidArgumentError(`--interval takes a number of seconds from 0.1 to ${MAX_INTERVAL_SECONDS}, got "${visible(value)}"`);
	}
	return number;
};

const positiveMs = (value: string): number => {
	const number = Number(value.trim());
	if (!Number.isInteger(number) || number < 1 || number > MAX_REQUEST_TIMEOUT_MS) {
		throw new InvalidArgumentError(`--timeout takes a whole number of milliseconds from 1 to ${MAX_REQUEST_TIMEOUT_MS}, got "${visible(value)}"`);
	}
	return number;
};

export const run: CommandRun = async context => {
	const command = createCommand('dashboard', context)
		.description('Live readiness dashboard: can this environment roll back from the Go backend to Python-only mode, and what is in the way?')
		.option('--once', 'print one snapshot and exit with the readiness exit code')
		.option('--json', 'machine output: one JSON snapshot with --once, else one NDJSON line per state change (never Ink)')
		.option('--interval <seconds>', 'poll the API every SECONDS', positiveSeconds, 5)
		.option('--timeout <ms>', 'per-request timeout in milliseconds (default: api.timeoutMs, else 3000)', positiveMs)
		.addHelpText(
			'after',
			`
Keys (in a terminal): ↑↓ select · enter details · esc back · r refresh · b begin the guided rollback · ? help · q quit
Not a terminal: --once prints a snapshot; otherwise one line per state change until interrupted.
Exit codes (--once, and q in a terminal: the verdict on screen): 0 ready or not_requested,
  1 needs_attention, 2 usage or config, 3 the API is configured but unreachable or failing.
b then Esc at the rollback's confirmation changes nothing and comes back to the dashboard.
The API token is read from the variable named by api.tokenEnv and sent only to api.url.`,
		);
	parseCommand(command, context);
	const options = command.opts<Options>();

	// The config reader, the URL check and the redactor load after the screen's first frame (or, off
	// a terminal, when first used): the frame does not wait for them.
	const checkedLoad = async () => {
		const {loadConfig} = await import('../io/config.js');
		const loaded = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
		const api = loaded.config.api;
		if (api?.url) {
			const {urlRefusal} = await import('../io/http-client.js');
			const refusal = urlRefusal(api.url, api.allowInsecureHttp ?? false);
			if (refusal) throw new ConfigError(`${loaded.filepath ?? 'config'}: api.url ${refusal}`, {file: loaded.filepath, keyPath: 'api.url'});
		}
		return loaded;
	};
	const interactive = canDrawScreens({stdin: context.stdin as {isTTY?: boolean}, stdout: context.stdout}, context.env) && !options.once && !options.json;
	const live = (loaded: LoadedConfig) => ({
		loaded,
		reloadConfig: checkedLoad,
		env: context.env,
		intervalSeconds: options.interval,
		...(options.timeout !== undefined && {timeoutMs: options.timeout}),
		live: !options.once,
	});
	if (interactive) return interactiveMode(context, options, checkedLoad, live);

	const loaded = await checkedLoad();
	const {redactJson, redactText, runSecretValues} = await import('../core/evidence/redact.js');
	// Answers arrive redacted from the HTTP client; what is printed is redacted once more, with the
	// token under whatever name api.tokenEnv gives it.
	const secretValues = runSecretValues({env: context.env, tokenEnv: loaded.config.api?.tokenEnv});
	const {createDashboardSources, toDashboardConfig} = await import('../io/dashboard-sources.js');
	const store = createStore(initialState(toDashboardConfig(loaded, options.interval, options.timeout), Date.now()));
	const sources = createDashboardSources({store, ...live(loaded)});

	if (options.once) {
		try {
			await sources.start();
		} finally {
			await sources.stop();
		}
		const state = store.getState();
		if (options.json) context.stdout.write(`${escapeHiddenInJson(JSON.stringify(redactJson(buildSnapshot(state), secretValues), null, 2))}\n`);
		else context.stdout.write(redactText(formatSnapshotText(state, {width: outputWidth(context.stdout, context.env)}), secretValues));
		return computeVerdict(state).exitCode;
	}
	return lineMode(context, store, sources, Boolean(options.json), secretValues);
};

/**
 * The Ink screen. The first frame is drawn before anything else is loaded or read (config,
 * files, API): the panels say "reading…" and fill in as answers arrive, so the screen is up in
 * the time it takes to import Ink, and never waits on the network.
 */
async function interactiveMode(
	context: CommandContext,
	options: Options,
	checkedLoad: () => Promise<LoadedConfig>,
	live: (loaded: LoadedConfig) => Omit<SourcesOptions, 'store'>,
): Promise<number> {
	for (;;) {
		const shown = await showScreen(context, options, checkedLoad, live);
		if (shown.next === 'quit') return shown.exitCode;
		// Ink has unmounted and released stdin: the rollback command owns the terminal alone.
		context.stdout.write('\n$ cavra-rollback rollback\n');
		const {rollbackCommand} = await commands.rollback.load();
		const rollback = await rollbackCommand({...context, argv: []});
		// Declined at the confirmation (Esc): nothing changed, so the operator is back where they were.
		if (!rollback.changeBegan) continue;
		return rollback.exitCode;
	}
}

/** One showing of the screen: until `q` (the verdict's exit code, as `--once` would give) or `b`. */
async function showScreen(
	context: CommandContext,
	options: Options,
	checkedLoad: () => Promise<LoadedConfig>,
	live: (loaded: LoadedConfig) => Omit<SourcesOptions, 'store'>,
): Promise<{next: 'quit'; exitCode: number} | {next: 'rollback'}> {
	const {runDashboardUi} = await loadWithNotice(context.stdout, 'starting the dashboard', () => import('../ui/render-dashboard.js'));
	const store = createStore(initialState({pending: true, intervalSeconds: options.interval, timeoutMs: options.timeout ?? 3000, envFiles: [], services: []}, Date.now()));
	const closeUi = new AbortController();
	let sources: DashboardSources | undefined;
	let started: Promise<unknown> = Promise.resolve();
	const shown = runDashboardUi({
		store,
		onRefresh: () => sources?.refresh(),
		rollbackAvailable: true,
		color: context.globals.color,
		stdin: context.stdin as NodeJS.ReadStream,
		stdout: context.stdout as NodeJS.WriteStream,
		stderr: context.stderr as NodeJS.WriteStream,
		signal: closeUi.signal,
	});
	let result;
	try {
		let loaded: LoadedConfig;
		try {
			loaded = await checkedLoad();
		} catch (error) {
			// A config that cannot be used ends the screen; cli.ts reports it (exit 2) once Ink let go.
			closeUi.abort();
			await shown.catch(() => undefined);
			throw error;
		}
		const {createDashboardSources} = await import('../io/dashboard-sources.js');
		sources = createDashboardSources({store, ...live(loaded)});
		started = sources.start().catch(() => undefined);
		result = await shown;
	} finally {
		await sources?.stop();
		await started;
	}
	if (result.next === 'rollback') return {next: 'rollback'};
	// Quitting says what the screen said: a NEEDS ATTENTION dashboard does not end "ok".
	return {next: 'quit', exitCode: computeVerdict(store.getState()).exitCode};
}

/** Not a terminal, no --once: one line per state change until SIGINT/SIGTERM (or the reader goes away). */
async function lineMode(context: CommandContext, store: DashboardStore, sources: DashboardSources, json: boolean, secretValues: readonly string[]): Promise<number> {
	let printed: DashboardState | undefined;
	let printedVerdict: Verdict | undefined;
	let closed = false;
	let finish: (code: number) => void = () => undefined;
	const finished = new Promise<number>(resolve => (finish = resolve));

	const write = (text: string) => {
		if (closed) return;
		context.stdout.write(text);
	};
	const {redactJson, redactText} = await import('../core/evidence/redact.js');
	const print = (state: DashboardState) => {
		const verdict = computeVerdict(state);
		if (json) {
			const changed = printed ? changedPanels(printed, state) : [...panelIds];
			const verdictChanged = !printedVerdict || printedVerdict.status !== verdict.status || printedVerdict.next !== verdict.next;
			if (changed.length === 0 && !verdictChanged) return;
			write(`${escapeHiddenInJson(JSON.stringify(redactJson({...buildSnapshot(state), changed}, secretValues)))}\n`);
		} else {
			const line = changeLine(printed, state, printedVerdict);
			if (line === null) return;
			write(`${redactText(line, secretValues)}\n`);
		}
		printed = state;
		printedVerdict = verdict;
	};

	const unsubscribe = store.subscribe(state => {
		// Wait for the first complete picture before the first line, then report every change.
		if (!printed && !isSettled(state)) return;
		print(state);
	});
	const onSignal = () => finish(ExitCode.cancelled);
	const onStdoutError = (error: NodeJS.ErrnoException) => {
		closed = true;
		finish(error.code === 'EPIPE' ? ExitCode.ok : ExitCode.external);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	context.stdout.on('error', onStdoutError);
	try {
		await sources.start();
		if (!printed) print(store.getState());
		return await finished;
	} finally {
		unsubscribe();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		context.stdout.off('error', onStdoutError);
		await sources.stop();
	}
}
