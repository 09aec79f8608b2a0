/**
 * `npm start`: set up the demo environment inside the repository, start a stand-in CAVRA API on
 * 127.0.0.1 (a free port, reading `demo-state/cavra.env` as CAVRA would), and open the home menu
 * on it. `npm start -- --reset` rebuilds the demo files; other arguments go to cavra-rollback
 * (`npm start -- dashboard` opens the dashboard directly).
 *
 * Several `npm start`s share one stand-in: each registers its pid in `demo-state/standin-users/`,
 * the first starts the stand-in (detached, so Ctrl-C in one terminal does not reach it) and the
 * others find it through `demo-state/standin.json`. The stand-in stops once no registered process
 * is alive, however they ended (even killed -9), so no `npm start` breaks another's.
 */
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {ExitCode} from '../core/exit-codes.js';
import {isInteractive} from '../io/terminal.js';
import {main} from '../main.js';
import {packagePath} from '../io/package-root.js';
import {processAlive} from './cavra-api-standin.js';
import {ensureDemoState, writeDemoConfig, type DemoApi} from './setup.js';

const args = process.argv.slice(2);
const reset = args.includes('--reset');
const rest = args.filter(arg => arg !== '--reset');
const dir = `${packagePath('demo-state')}${path.sep}`;
const usersDir = path.join(dir, 'standin-users');
const stateFile = path.join(dir, 'standin.json');
const standInScript = fileURLToPath(new URL('./cavra-api-standin.js', import.meta.url));
const restartScript = fileURLToPath(new URL('./restart-standin.js', import.meta.url));
/** The line a user copies to reach the demo from another terminal (npm runs us at the repository root). */
const TRY_LINE = 'node dist/cli.js --config demo-state/.cavrarc.yaml dashboard   (or readiness, rollback --dry-run, …)';

const demoApi = (url: string): DemoApi => ({url, restart: [process.execPath, restartScript, '--url', url]});

/** The stand-in another `npm start` runs, when it is alive and answers. */
async function runningStandIn(): Promise<{pid: number; url: string} | undefined> {
	let state: {pid?: unknown; url?: unknown};
	try {
		state = JSON.parse(readFileSync(stateFile, 'utf8')) as typeof state;
	} catch {
		return undefined;
	}
	const {pid, url} = state;
	if (typeof pid !== 'number' || typeof url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d+$/.test(url) || !processAlive(pid)) return undefined;
	try {
		const response = await fetch(`${url}/__standin/state`, {signal: AbortSignal.timeout(2000)});
		await response.body?.cancel();
		return response.ok ? {pid, url} : undefined;
	} catch {
		return undefined;
	}
}

/** Start the shared stand-in and read the URL it prints; undefined if it does not come up. */
async function startStandIn(): Promise<string | undefined> {
	// Detached and without our stdin: a Node process restores the terminal modes it saw at start-up
	// when it exits, which would take the dashboard's terminal out of raw mode.
	const child = spawn(process.execPath, [standInScript, '--port', '0', '--mode-file', 'cavra.env', '--users', usersDir, '--state-file', stateFile], {
		cwd: dir,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let errors = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		if (errors.length < 4000) errors += chunk.toString('utf8');
	});
	const url = await new Promise<string | undefined>(resolve => {
		const timer = setTimeout(() => resolve(undefined), 10_000);
		createInterface({input: child.stdout!}).once('line', line => {
			clearTimeout(timer);
			resolve(line.trim());
		});
		child.once('exit', () => {
			clearTimeout(timer);
			resolve(undefined);
		});
	});
	if (!url) {
		child.kill();
		if (errors.trim()) process.stderr.write(`demo: ${errors.trim()}\n`);
		return undefined;
	}
	child.stdout!.destroy();
	child.stderr!.destroy();
	child.unref();
	return url;
}

async function run(): Promise<number> {
	if (rest.length === 0 && !isInteractive({stdin: process.stdin, stdout: process.stdout}, process.env)) {
		process.stderr.write(
			'npm start: the demo opens an interactive home menu and needs a terminal (stdin and stdout a TTY, CI unset)\n' +
				'  without one, name a command: npm start -- readiness --report all\n',
		);
		return ExitCode.usage;
	}
	mkdirSync(usersDir, {recursive: true});
	const me = path.join(usersDir, String(process.pid));
	writeFileSync(me, '');
	process.on('exit', () => rmSync(me, {force: true}));

	const running = await runningStandIn();
	if (running && reset) {
		process.stderr.write(`npm start: another npm start is using the demo (its stand-in API, pid ${running.pid}, serves ${running.url}); --reset would rebuild its files under it\n  quit the other one first, then: npm start -- --reset\n`);
		return ExitCode.usage;
	}
	const configPath = await ensureDemoState(dir, {reset, ...(running && {api: demoApi(running.url)})});
	if (running) {
		process.stderr.write(`demo: sharing the stand-in CAVRA API of another npm start on ${running.url}\n`);
	} else {
		const url = await startStandIn();
		await writeDemoConfig(configPath, url === undefined ? undefined : demoApi(url));
		process.stderr.write(url === undefined ? 'demo: the stand-in CAVRA API did not start; the dashboard will show local files only\n' : `demo: stand-in CAVRA API on ${url} (reads ${dir}cavra.env at start-up)\n`);
	}
	process.stderr.write(`demo: using ${configPath} (npm start -- --reset rebuilds the files)\ndemo: from another terminal: ${TRY_LINE}\n`);
	const code = await main(['--config', configPath, ...rest]);
	if (rest.length === 0) process.stderr.write(`demo: the demo files stay in demo-state/ (the stand-in API stops with the last npm start); to look again: ${TRY_LINE}\n`);
	return code;
}

process.exitCode = await run();
