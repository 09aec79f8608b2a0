import {spawn, spawnSync} from 'node:child_process';

const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[()][0-9A-Za-z]/g, '');
const sleep = (duration: number) => new Promise(resolve => setTimeout(resolve, duration));
const shellQuote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/** util-linux `script`, the pty wrapper every pty figure uses. */
export function hasScript(): boolean {
	return spawnSync('script', ['--version'], {stdio: 'ignore'}).status === 0;
}

/**
 * Milliseconds from spawn until `text` shows on a real 80×24 pseudo-terminal (`script -qfc`), then
 * `quit` is typed (or the child is killed after 3 s). A baseline such as `node -e` printing a word
 * goes through the same wrapper, so ratios compare like with like.
 */
export async function ptyTimeToText(argv: string[], text: string | RegExp, options: {env?: NodeJS.ProcessEnv; quit?: string; timeoutMs?: number} = {}): Promise<number> {
	const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color', COLUMNS: '80', LINES: '24', ...options.env};
	delete env['CI'];
	const start = process.hrtime.bigint();
	// script's pty starts at 0×0 when our stdin is not a terminal: give it a real size first.
	const child = spawn('script', ['-qfc', `stty cols 80 rows 24; exec ${argv.map(shellQuote).join(' ')}`, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'ignore']});
	const closed = new Promise(resolve => child.once('close', resolve));
	let output = '';
	const elapsed = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`"${String(text)}" did not show within ${options.timeoutMs ?? 10_000} ms: ${strip(output).slice(-200)}`)), options.timeoutMs ?? 10_000);
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString('utf8');
			const shown = strip(output);
			if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) {
				clearTimeout(timer);
				resolve(Number(process.hrtime.bigint() - start) / 1e6);
			}
		});
		void closed.then(() => {
			clearTimeout(timer);
			reject(new Error(`exited before "${String(text)}" showed: ${strip(output).slice(-200)}`));
		});
	});
	if (options.quit !== undefined && child.exitCode === null) child.stdin.write(options.quit);
	await Promise.race([closed, sleep(3000)]);
	if (child.exitCode === null) child.kill('SIGKILL');
	return elapsed;
}
