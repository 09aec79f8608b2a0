/**
 * Rollback orchestration overhead (issue 6): a whole rollback (preflight, set mode, restart,
 * verify, capture, evidence with an fsynced journal) of 1, 4 and 16 services whose restart takes
 * 0.5 s (`sleep 0.5`, a real process), all in one parallel group and one after the other.
 *
 * Overhead = the execution (from the confirmation to evidence.json written: set mode, restarts,
 * verify, capture, evidence) minus the same restarts run bare, with the same process runner and
 * nothing else (in parallel: as long as the slowest, plus what this machine needs to start N
 * processes at once; sequentially: their sum). Preflight (before the confirmation) is shown apart.
 * Target: the parallel execution within 0.3 s of the bare restarts.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CavraConfig, ServiceConfig} from '../core/config/schema.js';
import {previewModeChange, setModeInEnvFile} from '../io/env-files.js';
import {runCommand} from '../io/process-runner.js';
import {createDefaultEffects, RunControl, runRollback} from '../io/rollback-runner.js';
import {templatesDir} from '../io/templates.js';
import {median, ms, timeAsync} from './measure.js';
import type {BenchRow, BenchSection} from './types.js';

const RESTART_SECONDS = '0.5';
const TARGET_MS = 300;
const REPEAT = 3;

interface Sample {
	totalMs: number;
	preflightMs: number;
	executionMs: number;
	slowestMs: number;
}

/** The same restarts with nothing around them. */
async function bare(count: number, parallel: boolean): Promise<number> {
	const started = performance.now();
	const one = () => runCommand(['sleep', RESTART_SECONDS], {timeoutMs: 30_000});
	if (parallel) await Promise.all(Array.from({length: count}, one));
	else for (let i = 0; i < count; i++) await one();
	return performance.now() - started;
}

async function once(dir: string, count: number, parallel: boolean, verifyUrl: string): Promise<Sample> {
	const envFile = path.join(dir, 'cavra.env');
	await writeFile(envFile, '# bench\nCAVRA_GO_BACKEND_MODE=promoted\nOTHER=1\n');
	const services: ServiceConfig[] = Array.from({length: count}, (_, index) => ({
		name: `svc-${index + 1}`,
		kind: 'command' as const,
		restart: ['sleep', RESTART_SECONDS],
		...(parallel && {group: 'all'}),
		verify: {url: verifyUrl},
	}));
	const config: CavraConfig = {plan: path.join(dir, 'plan.json'), mode: {envFiles: [envFile]}, services, evidence: {dir: path.join(dir, 'evidence')}};
	const effects = createDefaultEffects({config, env: process.env, evidenceDir: config.evidence!.dir!});
	const started = performance.now();
	const outcome = await runRollback(
		{kind: 'rollback', config, configPath: null, env: {}, serviceFilter: [], evidenceDir: config.evidence!.dir!, control: new RunControl(), confirm: async () => true, confirmMethod: '--yes'},
		effects,
	);
	const totalMs = performance.now() - started;
	if (outcome.state.result !== 'recovered') throw new Error(`the bench rollback did not recover: ${outcome.state.result} (${outcome.state.steps.find(step => step.status === 'failed')?.detail ?? ''})`);
	const restarts = (outcome.evidence!['services'] as Array<{duration_ms: number}>).map(service => service.duration_ms);
	const {state} = outcome;
	const preflight = state.steps.find(step => step.id === 'preflight')!;
	const evidence = state.steps.find(step => step.id === 'evidence')!;
	return {
		totalMs,
		preflightMs: preflight.endedAtMs! - preflight.startedAtMs!,
		executionMs: evidence.endedAtMs! - state.clockStartedAtMs!,
		slowestMs: Math.max(...restarts),
	};
}

export const benchRollback: BenchSection = async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'cavra-bench-rollback-'));
	const server = createServer((_request, response) => {
		response.setHeader('content-type', 'application/json');
		response.end('{"schema_version":"cavra.go-backend-pilot.rollback-readiness.v1","mode":"disabled","status":"ready"}');
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const verifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runtime/go-pilot/rollback-readiness`;
	const rows: BenchRow[] = [];
	try {
		await writeFile(path.join(dir, 'plan.json'), await readFile(path.join(templatesDir(), 'standard.json')));
		// Warm-up: module loading and the first spawn are not orchestration.
		await once(dir, 1, true, verifyUrl);
		for (const count of [1, 4, 16]) {
			for (const parallel of [true, false]) {
				const samples: Sample[] = [];
				const bares: number[] = [];
				for (let i = 0; i < REPEAT; i++) {
					bares.push(await bare(count, parallel));
					samples.push(await once(dir, count, parallel, verifyUrl));
				}
				const execution = median(samples.map(sample => sample.executionMs));
				const baseline = median(bares);
				const overhead = execution - baseline;
				rows.push({
					name: `rollback of ${count} service${count === 1 ? '' : 's'} (restart ${RESTART_SECONDS} s), ${parallel ? 'one parallel group' : 'sequential'}`,
					value: `execution ${ms(execution)} vs bare restarts ${ms(baseline)} (slowest single ${ms(median(samples.map(sample => sample.slowestMs)))}): overhead ${ms(overhead)}; preflight ${ms(median(samples.map(sample => sample.preflightMs)))}, whole run ${ms(median(samples.map(sample => sample.totalMs)))}`,
					...(parallel ? {target: `overhead ≤ ${TARGET_MS} ms`, ok: overhead <= TARGET_MS} : {}),
				});
			}
		}
	} finally {
		await new Promise<void>(resolve => server.close(() => resolve()));
		await rm(dir, {recursive: true, force: true});
	}
	return rows;
};

const ENV_FILE_TARGET_MS = 100;

/**
 * Issue 9: setting the mode stays linear. A 1 MB env file (20 000 assignments, the mode line in
 * the middle): the preview (read, safety check, patch, diff) and the whole write (check, backup,
 * atomic write with fsync, read back), median of 5.
 */
export const benchEnvFileEdit: BenchSection = async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'cavra-bench-envfile-'));
	try {
		const file = path.join(dir, 'cavra.env');
		const half = 'PADDING_VALUE_NAME=abcdefghijklmnopqrstuvwxyz0123\n'.repeat(10_000);
		const text = `${half}CAVRA_GO_BACKEND_MODE=promoted\n${half}`;
		const previews: number[] = [];
		const writes: number[] = [];
		for (let run = 0; run < 5; run++) {
			await writeFile(file, text);
			previews.push(await timeAsync(() => previewModeChange(file, 'disabled')));
			writes.push(await timeAsync(() => setModeInEnvFile(file, 'disabled', {backup: true})));
		}
		const size = `${(Buffer.byteLength(text) / 1e6).toFixed(2)} MB`;
		return [
			{name: `preview the mode change in a ${size} env file`, value: ms(median(previews)), target: `< ${ENV_FILE_TARGET_MS} ms`, ok: median(previews) < ENV_FILE_TARGET_MS},
			{name: `set the mode in a ${size} env file (backup, fsync, read back)`, value: ms(median(writes)), target: `< ${ENV_FILE_TARGET_MS} ms`, ok: median(writes) < ENV_FILE_TARGET_MS},
		];
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
};
