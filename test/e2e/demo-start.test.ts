import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {cliNode, repoRoot, runCli} from '../helpers/cli.js';
import {hasScript, KEY, Pty} from '../helpers/pty.js';

/* `npm start` (dist/demo/start.js) in the repository's demo-state/, as a user runs it. */

const startScript = path.join(repoRoot, 'dist/demo/start.js');
const stateFile = path.join(repoRoot, 'demo-state/standin.json');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
let ptys: Pty[] = [];
afterEach(() => {
	for (const pty of ptys) pty.kill();
	ptys = [];
});

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
	return spawnSync(cliNode, [startScript, ...args], {cwd: repoRoot, encoding: 'utf8', input: '', env: {...process.env, CI: undefined, ...env}, timeout: 30_000});
}

async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/__standin/state`, {signal: AbortSignal.timeout(2000)});
		await response.body?.cancel();
		return response.ok;
	} catch {
		return false;
	}
}

describe('npm start', () => {
	it('without a terminal says it needs one (exit 2) instead of printing the help, and starts nothing', () => {
		const result = start([]);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('needs a terminal');
		expect(result.stderr).toContain('npm start -- readiness --report all');
		expect(result.stdout).not.toContain('Usage: cavra-rollback');
	});

	it.skipIf(!hasScript)('says how to point the CLI at the demo; a second npm start shares the first one\'s stand-in and leaves it running', async () => {
		const first = new Pty([], {cwd: repoRoot, command: [cliNode, startScript]});
		ptys.push(first);
		// The home menu's one-line verdict, filled in under the menu once computed (the demo schedule
		// is due within its due-soon window).
		const banner = await first.waitFor('verdict: ready (mode promoted)');
		expect(banner).toContain('--config demo-state/.cavrarc.yaml');
		const {url} = JSON.parse(readFileSync(stateFile, 'utf8')) as {url: string};
		expect(await answers(url)).toBe(true);

		const second = start(['readiness', '--report', 'all']);
		expect(second.status, second.stderr).toBe(0);
		expect(second.stderr).toContain(`sharing the stand-in CAVRA API of another npm start on ${url}`);
		expect(readFileSync(path.join(repoRoot, 'demo-state/.cavrarc.yaml'), 'utf8')).toContain(url);
		// The second one is gone; the first one's stand-in still answers.
		expect(await answers(url)).toBe(true);
		// --reset under a running demo is refused.
		const resetting = start(['--reset', 'readiness']);
		expect(resetting.status).toBe(2);
		expect(resetting.stderr).toContain('another npm start is using the demo');

		await first.send('q');
		await first.send(KEY.ctrlC);
		await first.exit;
		// The stand-in stops once no npm start is left (bounded wait, no timing assertion).
		for (let i = 0; i < 100 && (await answers(url)); i++) await sleep(100);
		expect(await answers(url)).toBe(false);
		expect(existsSync(stateFile)).toBe(false);

		// The demo config outlives its stand-in: what it points at says so, and how to start it.
		const config = path.join(repoRoot, 'demo-state/.cavrarc.yaml');
		const dashboard = runCli(['--config', config, 'dashboard', '--once']);
		expect(dashboard.code).toBe(3);
		expect(dashboard.stdout).toContain('unreachable: demo stand-in not running: run npm start; connection refused');
		const rollback = runCli(['--config', config, 'rollback', '--dry-run']);
		expect(rollback.stdout + rollback.stderr).toContain('unreachable (demo stand-in not running: run npm start; connection refused)');
		expect(rollback.stdout + rollback.stderr).toContain('(now: not answering: demo stand-in not running: run npm start; connection refused)');
	});
});
