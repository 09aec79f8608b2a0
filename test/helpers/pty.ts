import {spawn, spawnSync, type ChildProcess} from 'node:child_process';

/*
 * A command in a real pseudo-terminal (util-linux `script`): stdin and stdout are TTYs, as in a
 * user's terminal. Keys are sent one at a time, each after the screen shows what it answers.
 * (test/e2e/author-pty.test.ts keeps its own copy of this class; new pty tests use this one.)
 */

export const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0;
export const KEY = {down: '\u001B[B', up: '\u001B[A', enter: '\r', tab: '\t', space: ' ', ctrlC: '\u0003', esc: '\u001B'} as const;
export const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[78=>]/g, '').replace(/\r/g, '');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

export class Pty {
	readonly child: ChildProcess;
	output = '';
	private seen = 0;
	readonly exit: Promise<number | null>;

	constructor(command: string[], options: {cwd: string; env?: NodeJS.ProcessEnv; cols?: number; rows?: number}) {
		const inner = `stty cols ${options.cols ?? 110} rows ${options.rows ?? 50}; exec ${command.map(quote).join(' ')}`;
		const env: NodeJS.ProcessEnv = {...process.env, CI: undefined, NO_COLOR: '1', TERM: 'xterm-256color', CAVRA_GO_ROLLBACK_PLAN: undefined, ...options.env};
		for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
		this.child = spawn('script', ['-qefc', inner, '/dev/null'], {cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe']});
		this.child.stdout!.on('data', chunk => (this.output += String(chunk)));
		this.child.stderr!.on('data', chunk => (this.output += String(chunk)));
		this.exit = new Promise(resolve => this.child.on('exit', code => resolve(code)));
	}

	/** Wait for `text` after the previous match; returns the screen output since then. */
	async waitFor(text: string, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = stripAnsi(this.output);
			const at = all.indexOf(text, this.seen);
			if (at >= 0) {
				const fresh = all.slice(this.seen);
				this.seen = at + text.length;
				await sleep(60);
				return fresh;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen since last match:\n${all.slice(this.seen).slice(-3000)}`);
			await sleep(20);
		}
	}

	async send(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.child.stdin!.write(key);
			await sleep(80);
		}
	}

	kill(): void {
		if (this.child.exitCode === null) this.child.kill('SIGKILL');
	}
}
