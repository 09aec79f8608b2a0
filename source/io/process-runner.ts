/**
 * Running one external command for the rollback: an argv array (never a shell string: argv[0] is
 * the file, the rest reach it verbatim), a timeout on every call, and a result instead of an
 * exception whatever happens (exit code, signal, timeout, not found), with the last lines of
 * stdout and stderr kept for the screen and the evidence, secrets redacted.
 *
 * The command runs in its own process group so a timeout or a cancel ends the whole tree
 * (`systemctl` waiting on a job, a restart script and its children): SIGTERM first, SIGKILL
 * after a grace period.
 */
import {statSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import {StringDecoder} from 'node:string_decoder';
import type {Readable} from 'node:stream';
import {execa} from 'execa';
import {redactArgv, redactText, secretValuesFrom} from '../core/evidence/redact.js';
import {formatDuration} from '../core/text/quantities.js';

/**
 * All a command inherits from the operator's environment besides `passEnv`: finding programs
 * (PATH), finding its own config (HOME, USER, LOGNAME), messages and times (locale, TZ), and
 * TMPDIR. Nothing else: API tokens, cloud credentials and the rest of the operator's shell stay
 * with us (pm2 --update-env would copy them into the restarted app).
 */
export const INHERITED_ENV: readonly string[] = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR'];

export interface RunOptions {
	timeoutMs: number;
	/** Set for the command (the mode), on top of what it inherits. */
	env?: Readonly<Record<string, string | undefined>>;
	/** Names of the operator's variables the command needs besides INHERITED_ENV (its service manager's: PM2_HOME, KUBECONFIG…). */
	passEnv?: readonly string[];
	/** Where inherited variables come from (default: this process's environment). */
	parentEnv?: Readonly<Record<string, string | undefined>>;
	cwd?: string;
	/** Aborting ends the command like a timeout does (the operator pressed Ctrl-C twice). */
	signal?: AbortSignal;
	/** Between SIGTERM and SIGKILL (default 3 s). */
	killGraceMs?: number;
	/** A file fed to the command's stdin (default: stdin closed, so nothing can prompt). */
	stdinFile?: string;
	/** Each complete output line, redacted, as it arrives (the live tail on screen). */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Values hidden in argv and output besides those of secret-named variables (the API token under any name). */
	secretValues?: readonly string[];
}

export interface RunResult {
	/** The argv that ran, redacted for display and evidence. */
	argv: string[];
	/** null when the process did not exit by itself (killed, not started). */
	exitCode: number | null;
	signal: string | null;
	timedOut: boolean;
	cancelled: boolean;
	durationMs: number;
	/** The last ~40 lines / 8 KB of each stream, redacted, control characters removed. */
	stdoutTail: string;
	stderrTail: string;
	/** Why it did not run or did not finish: "command not found: systemctl", "timed out after 30 s". */
	error?: string;
	/** Exit code 0, no timeout, no cancel, no error. */
	ok: boolean;
}

/** What adapters receive: the real runner, or a fake in tests. */
export type CommandRunner = (argv: readonly string[], options: RunOptions) => Promise<RunResult>;

const TAIL_LINES = 40;
const TAIL_BYTES = 8 * 1024;
/** The raw window is much larger than the tail, so a secret cut at its edge never reaches the tail. */
const WINDOW_CHARS = 64 * 1024;
/** After the command exits, how long its output may take to close (a daemon it started may hold it). */
const DRAIN_MS = 1000;

export const runCommand: CommandRunner = async (argv, options) => {
	try {
		return await run(argv, options);
	} catch (error) {
		// Never an exception for a command that could not run: a result the caller can journal.
		const message = error instanceof Error ? error.message : String(error);
		const secrets = options.secretValues ?? [];
		return {argv: redactArgv(argv, secrets), exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, stdoutTail: '', stderrTail: '', error: `could not run ${argv[0] ?? 'the command'}: ${redactText(message, secrets)}`, ok: false};
	}
};

async function run(argv: readonly string[], options: RunOptions): Promise<RunResult> {
	const started = performance.now();
	const secrets = [...secretValuesFrom(process.env, options.env), ...(options.secretValues ?? [])];
	const shown = redactArgv(argv, secrets);
	const elapsed = () => Math.round(performance.now() - started);
	const [file, ...args] = argv;
	if (file === undefined || file === '') {
		return {argv: shown, exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, stdoutTail: '', stderrTail: '', error: 'empty command', ok: false};
	}
	// spawn says ENOENT for a missing working folder too; name the right culprit.
	if (options.cwd !== undefined && !isFolder(options.cwd)) {
		return {argv: shown, exitCode: null, signal: null, timedOut: false, cancelled: false, durationMs: 0, stdoutTail: '', stderrTail: '', error: `working folder not found: ${options.cwd}`, ok: false};
	}
	if (options.signal?.aborted) {
		return {argv: shown, exitCode: null, signal: null, timedOut: false, cancelled: true, durationMs: 0, stdoutTail: '', stderrTail: '', error: 'cancelled before it started', ok: false};
	}

	const subprocess = execa(file, args, {
		env: commandEnv(options),
		extendEnv: false,
		...(options.cwd !== undefined && {cwd: options.cwd}),
		shell: false,
		stdin: options.stdinFile === undefined ? 'ignore' : {file: options.stdinFile},
		stdout: 'pipe',
		stderr: 'pipe',
		buffer: false,
		reject: false,
		// Its own process group, so the whole tree can be signalled (not on Windows).
		detached: process.platform !== 'win32',
		windowsHide: true,
	});
	const stdout = new Tail(secrets, line => options.onLine?.(line, 'stdout'));
	const stderr = new Tail(secrets, line => options.onLine?.(line, 'stderr'));
	subprocess.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
	subprocess.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));

	let timedOut = false;
	let cancelled = false;
	let graceTimer: NodeJS.Timeout | undefined;
	let drainTimer: NodeJS.Timeout | undefined;
	const terminate = () => {
		killTree(subprocess.pid, 'SIGTERM');
		graceTimer ??= setTimeout(() => killTree(subprocess.pid, 'SIGKILL'), options.killGraceMs ?? 3000);
	};
	const timeoutTimer = setTimeout(() => {
		timedOut = true;
		terminate();
	}, options.timeoutMs);
	const onAbort = () => {
		cancelled = true;
		terminate();
	};
	options.signal?.addEventListener('abort', onAbort, {once: true});
	// A command that started a daemon may leave it holding our pipes: stop waiting for them.
	subprocess.on('exit', () => {
		drainTimer = setTimeout(() => {
			destroy(subprocess.stdout);
			destroy(subprocess.stderr);
		}, DRAIN_MS);
	});

	const result = await subprocess;
	clearTimeout(timeoutTimer);
	clearTimeout(drainTimer);
	if (!timedOut && !cancelled) clearTimeout(graceTimer);
	else if (graceTimer) {
		// The direct child is gone; make sure nothing of its tree outlives the grace period.
		clearTimeout(graceTimer);
		killTree(subprocess.pid, 'SIGKILL');
	}
	options.signal?.removeEventListener('abort', onAbort);

	const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null;
	const signal = result.signal ?? null;
	const error = describeFailure(file, result.code, {timedOut, cancelled, timeoutMs: options.timeoutMs, exitCode, signal, failed: result.failed});
	return {
		argv: shown,
		exitCode,
		signal,
		timedOut,
		cancelled,
		durationMs: elapsed(),
		stdoutTail: stdout.finish(),
		stderrTail: stderr.finish(),
		...(error !== undefined && {error}),
		ok: exitCode === 0 && !timedOut && !cancelled && error === undefined,
	};
}

/** The command's whole environment: INHERITED_ENV and `passEnv` from the parent, then `env`. */
export function commandEnv(options: Pick<RunOptions, 'env' | 'passEnv' | 'parentEnv'>): Record<string, string> {
	const parent = options.parentEnv ?? process.env;
	const env: Record<string, string> = {};
	for (const name of [...INHERITED_ENV, ...(options.passEnv ?? [])]) {
		const value = parent[name];
		if (value !== undefined) env[name] = value;
	}
	for (const [name, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[name] = value;
	return env;
}

function isFolder(folder: string): boolean {
	try {
		return statSync(folder).isDirectory();
	} catch {
		return false;
	}
}

function describeFailure(
	file: string,
	code: string | undefined,
	state: {timedOut: boolean; cancelled: boolean; timeoutMs: number; exitCode: number | null; signal: string | null; failed: boolean},
): string | undefined {
	if (state.timedOut) return `timed out after ${formatDuration(state.timeoutMs)}`;
	if (state.cancelled) return 'cancelled';
	if (code === 'ENOENT') return `command not found: ${file}`;
	if (code === 'EACCES') return `not executable (permission denied): ${file}`;
	if (state.exitCode === null && state.signal) return `killed by ${state.signal}`;
	if (state.exitCode === null && state.failed) return `could not run ${file}${code ? ` (${code})` : ''}`;
	return undefined;
}


function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		// Negative pid: the process group the command leads (it was started detached).
		process.kill(process.platform === 'win32' ? pid : -pid, signal);
	} catch {
		// Already gone.
	}
}

function destroy(stream: Readable | null | undefined): void {
	if (stream && !stream.destroyed) stream.destroy();
}

/** The end of one output stream: a bounded raw window, redacted only when read. */
class Tail {
	private window = '';
	private partial = '';
	private readonly decoder = new StringDecoder('utf8');

	constructor(
		private readonly secrets: readonly string[],
		private readonly onLine: (line: string) => void,
	) {}

	push(chunk: Buffer): void {
		const text = this.decoder.write(chunk);
		this.window += text;
		if (this.window.length > 2 * WINDOW_CHARS) this.window = this.window.slice(-WINDOW_CHARS);
		this.partial += text;
		const lines = this.partial.split('\n');
		this.partial = lines.pop() ?? '';
		if (this.partial.length > WINDOW_CHARS) this.partial = this.partial.slice(-WINDOW_CHARS);
		for (const line of lines) this.onLine(clean(redactText(line, this.secrets)));
	}

	finish(): string {
		const rest = this.decoder.end();
		this.window += rest;
		this.partial += rest;
		if (this.partial !== '') this.onLine(clean(redactText(this.partial, this.secrets)));
		const text = clean(redactText(this.window.slice(-WINDOW_CHARS), this.secrets)).replace(/\n+$/, '');
		let lines = text.split('\n').slice(-TAIL_LINES);
		while (lines.length > 1 && Buffer.byteLength(lines.join('\n')) > TAIL_BYTES) lines = lines.slice(1);
		const tail = lines.join('\n');
		// One very long line: keep its end.
		return Buffer.byteLength(tail) > TAIL_BYTES ? `…${tail.slice(-TAIL_BYTES / 2)}` : tail;
	}
}

/** No terminal escapes or control characters from a command reach the screen or the evidence. */
function clean(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-_]/g, '').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}
