/**
 * Issue 4's figures for `npm run bench`:
 *
 * - time to first frame of `cavra-rollback dashboard` in a real pseudo-terminal: the built CLI is
 *   spawned under `script -qfc` (util-linux) and timed from spawn to the first frame on the pty;
 *   where `script` is missing, the in-process figure below stands in for it;
 * - the same measured inside the process (Ink rendering to a fake 80×24 TTY), from process start;
 * - CPU used while idle with `--interval 1` against the stand-in API, as a share of one core,
 *   measured with process.cpuUsage() in a child that runs only the dashboard (BENCH_IDLE_SECONDS,
 *   default 30);
 * - latency from an atomic write of the plan file to the frame that shows the change.
 *
 * The child role: `node dist/bench/dashboard.js --child CONFIG PLAN IDLE_SECONDS` prints one JSON line.
 */
import {spawn} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {shippedBin} from '../io/package-info.js';
import {median, medianSpawnMs, ms} from './measure.js';
import {hasScript, ptyTimeToText} from './pty.js';
import type {BenchRow, BenchSection} from './types.js';

const cli = shippedBin();
const self = fileURLToPath(import.meta.url);
const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[()][0-9A-Za-z]/g, '');
const sleep = (duration: number) => new Promise(resolve => setTimeout(resolve, duration));

interface ChildReport {
	firstFrameMs: number;
	idleSeconds: number;
	cpuShare: number;
	latencies: number[];
	frames: number;
}

/** A stand-in CAVRA API and a demo folder pointing at it; absolute paths everywhere. */
export async function fixture() {
	// Loaded here, not at the top: the child role must load only what the dashboard loads.
	const [{startStandIn}, {demoCavraEnv, ensureDemoState, writeDemoConfig}] = await Promise.all([import('../demo/cavra-api-standin.js'), import('../demo/setup.js')]);
	const dir = mkdtempSync(path.join(tmpdir(), 'cavra-bench-dashboard-'));
	const configPath = await ensureDemoState(dir, {reset: true});
	const file = (name: string) => path.join(dir, name);
	const standIn = await startStandIn({
		port: 0,
		env: demoCavraEnv(dir),
	});
	await writeDemoConfig(configPath, {url: standIn.url, restart: [process.execPath, '-e', '0']});
	return {
		dir,
		configPath,
		plan: file('go-backend-rollback-plan.json'),
		async close() {
			await standIn.close();
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/** Spawn the shipped CLI under `script` (a real pty) and time the first dashboard frame. */
function ptyFirstFrame(configPath: string): Promise<number> {
	return ptyTimeToText([process.execPath, cli, '--config', configPath, 'dashboard'], 'cavra-rollback dashboard', {quit: 'q'});
}

function runChild(configPath: string, plan: string, idleSeconds: number): Promise<ChildReport> {
	const env: NodeJS.ProcessEnv = {...process.env};
	delete env['CI'];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [self, '--child', configPath, plan, String(idleSeconds)], {env, stdio: ['ignore', 'pipe', 'inherit']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.once('exit', code => {
			const line = output.trim().split('\n').pop() ?? '';
			try {
				resolve(JSON.parse(line) as ChildReport);
			} catch {
				reject(new Error(`bench child exited ${code}: ${output.slice(0, 300)}`));
			}
		});
	});
}

export const benchDashboard: BenchSection = async () => {
	const rows: BenchRow[] = [];
	const idleSeconds = Number(process.env['BENCH_IDLE_SECONDS'] ?? 30) || 30;
	const env = await fixture();
	try {
		// The floor under any Ink first frame on this machine right now: node starting and importing ink.
		const inkUrl = import.meta.resolve('ink');
		const [bare, inkOnly] = medianSpawnMs([{args: ['-e', '0']}, {args: ['--input-type=module', '-e', `await import(${JSON.stringify(inkUrl)})`]}], 5);
		rows.push({name: 'baseline: node -e 0 / node importing ink alone (what every Ink frame waits for)', value: `${ms(bare!)} / ${ms(inkOnly!)}`});
		if (hasScript()) {
			const samples: number[] = [];
			for (let i = 0; i < 5; i++) samples.push(await ptyFirstFrame(env.configPath));
			const first = median(samples);
			rows.push({name: 'dashboard: time to first frame (built CLI in a pty via script -qfc, spawn → frame)', value: `${ms(first)} (${(first / inkOnly!).toFixed(2)}× importing ink alone)`, target: '< 500 ms', ok: first < 500});
		}
		const report = await runChild(env.configPath, env.plan, idleSeconds);
		rows.push({
			name: `dashboard: time to first frame (in-process Ink on a fake 80×24 TTY, from process start)${hasScript() ? '' : ' [no `script`: the pty figure is missing]'}`,
			value: ms(report.firstFrameMs),
			target: '< 500 ms',
			ok: report.firstFrameMs < 500,
		});
		const percent = report.cpuShare * 100;
		rows.push({name: `dashboard: CPU while idle for ${report.idleSeconds} s, --interval 1, stand-in API (${report.frames} frames written)`, value: `${percent.toFixed(2)}% of one core`, target: '< 2%', ok: percent < 2});
		const latency = median(report.latencies);
		const worst = Math.max(...report.latencies);
		rows.push({
			name: `dashboard: plan file write (atomic rename) → updated frame, median of ${report.latencies.length}`,
			value: `${ms(latency)} (worst ${ms(worst)}; all: ${report.latencies.map(value => value.toFixed(0)).join(', ')} ms)`,
			target: '< 300 ms',
			ok: worst < 300,
		});
	} finally {
		await env.close();
	}
	return rows;
};

// ─── child role ──────────────────────────────────────────────────────────────

class BenchStdout extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 24;
	chunks: string[] = [];
	write = (chunk: string | Uint8Array) => {
		this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
		this.emit('chunk');
		return true;
	};

	/** Resolves with the time at which a chunk written after `from` contains `text`. */
	waitFor(text: string, from = 0, timeoutMs = 10_000): Promise<number> {
		return new Promise((resolve, reject) => {
			const check = () => {
				for (let i = from; i < this.chunks.length; i++) {
					if (strip(this.chunks[i]!).includes(text)) {
						this.off('chunk', check);
						clearTimeout(timer);
						resolve(performance.now());
						return;
					}
				}
			};
			const timer = setTimeout(() => {
				this.off('chunk', check);
				reject(new Error(`no frame with "${text}" within ${timeoutMs} ms`));
			}, timeoutMs);
			this.on('chunk', check);
			check();
		});
	}
}

class BenchStdin extends EventEmitter {
	isTTY = true;
	setRawMode() {
		return this;
	}
	setEncoding() {
		return this;
	}
	resume() {
		return this;
	}
	pause() {
		return this;
	}
	ref() {
		return this;
	}
	unref() {
		return this;
	}
	read() {
		return null;
	}
}

async function child(configPath: string, plan: string, idleSeconds: number): Promise<void> {
	const stdout = new BenchStdout();
	const stdin = new BenchStdin();
	const stderr = new BenchStdout();
	const {run} = await import('../commands/dashboard.js');
	void run({argv: ['--interval', '1'], globals: {configPath, color: false}, stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, env: process.env, cwd: process.cwd()});
	const firstFrameMs = await stdout.waitFor('cavra-rollback dashboard');
	await stdout.waitFor('READY');
	await stdout.waitFor('mode promoted · production ready');
	await sleep(1500);

	const frames0 = stdout.chunks.length;
	const cpu0 = process.cpuUsage();
	const wall0 = performance.now();
	await sleep(idleSeconds * 1000);
	const cpu = process.cpuUsage(cpu0);
	const wall = performance.now() - wall0;
	const frames = stdout.chunks.length - frames0;

	const original = readFileSync(plan, 'utf8');
	const unapproved = original.replace('"approved": true', '"approved": false');
	const latencies: number[] = [];
	for (let i = 0; i < 6; i++) {
		const next = i % 2 === 0 ? unapproved : original;
		const expect = i % 2 === 0 ? 'NEEDS ATTENTION —' : ' READY — ';
		const from = stdout.chunks.length;
		const temporary = `${plan}.tmp-${i}`;
		writeFileSync(temporary, next);
		const start = performance.now();
		renameSync(temporary, plan);
		const seen = await stdout.waitFor(expect, from);
		latencies.push(seen - start);
		await sleep(400);
	}
	const report: ChildReport = {firstFrameMs, idleSeconds, cpuShare: (cpu.user + cpu.system) / 1000 / wall, latencies, frames};
	process.stdout.write(`${JSON.stringify(report)}\n`);
	process.exit(0);
}

const invokedDirectly = (() => {
	try {
		return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(self);
	} catch {
		return false;
	}
})();
if (invokedDirectly && process.argv[2] === '--child') {
	await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5] ?? 30));
}
