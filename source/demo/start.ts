/**
 * `npm start`: set up the demo environment inside the repository, start a stand-in CAVRA API on
 * 127.0.0.1 (a free port, reading `demo-state/cavra.env` as CAVRA would), and open the home menu
 * on it. `npm start -- --reset` rebuilds the demo files; other arguments go to cavra-rollback
 * (`npm start -- dashboard` opens the dashboard directly). The stand-in stops when we exit,
 * however we exit: it also watches its stdin, which closes when this process dies.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {main} from '../main.js';
import {ensureDemoState, writeDemoConfig} from './setup.js';

const args = process.argv.slice(2);
const reset = args.includes('--reset');
const rest = args.filter(arg => arg !== '--reset');
const dir = fileURLToPath(new URL('../../demo-state/', import.meta.url));
const standInScript = fileURLToPath(new URL('./cavra-api-standin.js', import.meta.url));
const restartScript = fileURLToPath(new URL('./restart-standin.js', import.meta.url));

const configPath = await ensureDemoState(dir, {reset});

/** Start the stand-in as a child process and read the URL it prints; undefined if it does not come up. */
async function startStandIn(): Promise<{child: ChildProcess; url: string} | undefined> {
	// No stdio of ours reaches the child: a Node process restores the terminal modes it saw at
	// start-up when it exits, which would take the dashboard's terminal out of raw mode.
	const child = spawn(process.execPath, [standInScript, '--port', '0', '--env-file', 'cavra.env', '--stop-on-stdin-end'], {
		cwd: dir,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let errors = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		if (errors.length < 4000) errors += chunk.toString('utf8');
	});
	const url = await new Promise<string | undefined>(resolve => {
		const timer = setTimeout(() => resolve(undefined), 10_000);
		const lines = createInterface({input: child.stdout!});
		lines.once('line', line => {
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
	child.stdout?.resume();
	return {child, url};
}

const standIn = await startStandIn();
const stop = () => {
	if (standIn && standIn.child.exitCode === null) standIn.child.kill('SIGTERM');
};
process.on('exit', stop);
if (standIn) {
	await writeDemoConfig(configPath, {url: standIn.url, restart: [process.execPath, restartScript, '--url', standIn.url]});
	process.stderr.write(`demo: stand-in CAVRA API on ${standIn.url} (reads ${dir}cavra.env at start-up)\n`);
} else {
	await writeDemoConfig(configPath, undefined);
	process.stderr.write('demo: the stand-in CAVRA API did not start; the dashboard will show local files only\n');
}
process.stderr.write(`demo: using ${configPath} (files in ${dir}; npm start -- --reset to rebuild them)\n`);
try {
	process.exitCode = await main(['--config', configPath, ...rest]);
} finally {
	stop();
}
