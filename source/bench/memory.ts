/**
 * Peak memory of `lint` and `readiness` on a 10 MB plan (issue 13): the peak resident set size of
 * the shipped CLI's process (getrusage's maxrss, read by a preload at exit) against the size of the plan,
 * next to the target of about 10× the input. The same command on the standard template is shown
 * too: Node and the modules a command loads take that much whatever the plan, so the second
 * figure, (peak − template peak) / input, is what the plan itself costs.
 */
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {shippedBin} from '../io/package-info.js';
import type {BenchRow, BenchSection} from './types.js';

const cli = shippedBin();
const template = fileURLToPath(new URL('../../templates/standard.json', import.meta.url));
const TARGET = 10;
const MiB = 1024 * 1024;

const PRELOAD = `import {writeFileSync} from 'node:fs';
process.on('exit', () => writeFileSync(process.env.CAVRA_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

/** The 10 MB plan: the template with as many ordinary rollback steps as it takes. */
async function bigPlan(file: string, bytes: number): Promise<number> {
	const plan = JSON.parse(await readFile(template, 'utf8')) as {rollback_steps: string[]};
	const step = (i: number) => `Step ${i + 1}: restart the CAVRA API service and confirm it reports mode disabled (see runbook section ${i % 97}).`;
	const count = Math.ceil(bytes / (step(0).length + 8));
	const text = JSON.stringify({...plan, rollback_steps: Array.from({length: count}, (_, i) => step(i))}, null, 2);
	await writeFile(file, text);
	return Buffer.byteLength(text);
}

function peakMiB(dir: string, args: string[]): number {
	const rssFile = path.join(dir, 'rss');
	const result = spawnSync(process.execPath, ['--import', path.join(dir, 'preload.mjs'), cli, ...args], {
		env: {...process.env, CI: 'true', NO_COLOR: '1', CAVRA_BENCH_RSS_FILE: rssFile},
		// stdout a pipe, read as it comes, as a script reading `--json` would.
		stdio: ['ignore', 'pipe', 'ignore'],
		maxBuffer: 256 * MiB,
	});
	if (result.error) throw result.error;
	if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}`);
	// maxRSS is in KiB.
	return Number(readFileSync(rssFile, 'utf8')) / 1024;
}

export const benchMemory: BenchSection = async () => {
	const dir = await mkdtemp(path.join(tmpdir(), 'cavra-bench-memory-'));
	try {
		await writeFile(path.join(dir, 'preload.mjs'), PRELOAD);
		const plan = path.join(dir, 'plan.json');
		const inputMiB = (await bigPlan(plan, 10 * MiB)) / MiB;
		const readiness = (file: string) => ['readiness', '--mode', 'promoted', '--rollback-plan-path', file];
		const commands: Array<[string, (file: string) => string[]]> = [
			['lint', file => ['lint', file]],
			['lint --format sarif', file => ['lint', '--format', 'sarif', file]],
			['readiness --json', file => [...readiness(file), '--json']],
			['readiness (text, with the public-safety lint)', readiness],
		];
		const rows: BenchRow[] = [];
		for (const [name, args] of commands) {
			const base = peakMiB(dir, args(template));
			const peak = peakMiB(dir, args(plan));
			const ratio = peak / inputMiB;
			rows.push({
				name: `peak RSS: ${name} on a ${inputMiB.toFixed(1)} MiB plan`,
				value: `${peak.toFixed(0)} MiB = ${ratio.toFixed(1)}× the input; the plan's own share ${((peak - base) / inputMiB).toFixed(1)}× (template: ${base.toFixed(0)} MiB)`,
				target: `≤ ~${TARGET}× the input`,
				ok: ratio <= TARGET,
			});
		}
		return rows;
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
};
