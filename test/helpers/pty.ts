import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {cleanEnv, cliNode, cliPath, noUiRegister} from './cli.js';

/*
 * The one pseudo-terminal helper of the e2e tests: a command in a real pty (util-linux `script`),
 * stdin and stdout are TTYs as in a user's terminal. Keys are sent after the screen shows what
 * they answer; `send` writes each key in one write, `type` one character per write.
 */

export const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0;
export const KEY = {down: '\u001B[B', up: '\u001B[A', enter: '\r', tab: '\t', space: ' ', ctrlC: '\u0003', esc: '\u001B'} as const;
export const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[78=>]/g, '').replace(/\r/g, '');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const shellQuote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

export interface PtyOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Load the hook that reports any import of ink or react. */
	watchUi?: boolean;
	cols?: number;
	rows?: number;
	/** Run this argv instead of the shipped CLI (e.g. `npm start`'s script); `args` is then ignored. */
	command?: string[];
}

export class Pty {
	readonly child: ChildProcess;
	output = '';
	private seen = 0;
	readonly exit: Promise<number | null>;

	/** The shipped CLI with `args`, or `options.command`, in a `cols`×`rows` terminal (120×50). */
	constructor(args: string[], options: PtyOptions) {
		const command = options.command ?? [cliNode, ...(options.watchUi ? ['--import', noUiRegister] : []), cliPath, ...args];
		const inner = `stty cols ${options.cols ?? 120} rows ${options.rows ?? 50}; exec ${command.map(shellQuote).join(' ')}`;
		const env = cleanEnv({TERM: 'xterm-256color', ...options.env});
		this.child = spawn('script', ['-qefc', inner, '/dev/null'], {cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe']});
		// A key sent after the program has ended (a "q" then a Ctrl-C to be sure) meets a closed pty:
		// EPIPE there is not the test's failure; the exit code and the screen are what tests judge.
		this.child.stdin!.on('error', () => undefined);
		this.child.stdout!.on('data', chunk => (this.output += String(chunk)));
		this.child.stderr!.on('data', chunk => (this.output += String(chunk)));
		this.exit = new Promise(resolve => this.child.on('exit', code => resolve(code)));
	}

	/** Everything shown so far, escape sequences removed. */
	screen(): string {
		return stripAnsi(this.output);
	}

	/** Wait for `text` after the previous match; returns the screen from there up to the end of `text`. */
	async waitFor(text: string, timeoutMs = 20_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = this.screen();
			const at = all.indexOf(text, this.seen);
			if (at >= 0) {
				const fresh = all.slice(this.seen, at + text.length);
				this.seen = at + text.length;
				// A margin, not a wait for a result: the rest of the frame that showed `text` lands and
				// the screen arms its input handlers before the next key.
				await sleep(80);
				return fresh;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen since last match:\n${all.slice(this.seen).slice(-3000)}`);
			await sleep(20);
		}
	}

	/**
	 * Each key in one write, one key per read as a person types; keys arriving in one read are a
	 * different case (test/e2e/keys-pty.test.ts writes them to `child.stdin` itself).
	 */
	async send(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.child.stdin!.write(key);
			await sleep(80);
		}
	}

	/** Text one character per write (an escape sequence stays whole), as typed. */
	async type(...keys: string[]): Promise<void> {
		for (const key of keys) {
			for (const char of key.length > 1 && !key.startsWith('\u001B') ? [...key] : [key]) {
				this.child.stdin!.write(char);
				await sleep(30);
			}
		}
	}

	kill(): void {
		if (this.child.exitCode === null) this.child.kill('SIGKILL');
	}

	/** Send a signal to the CLI itself (the child of `script`), as `kill` from another terminal would. */
	signalCli(signal: NodeJS.Signals): void {
		const pid = Number(spawnSync('pgrep', ['-P', String(this.child.pid)], {encoding: 'utf8'}).stdout.trim().split('\n')[0]);
		if (!pid) throw new Error('the CLI process is not running under script');
		process.kill(pid, signal);
	}
}
