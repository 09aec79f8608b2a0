/**
 * Issue 13's figures: how fast the shipped bundle starts, as ratios to `node -e` measured in the
 * same run (interleaved, medians), so the machine's load hits both sides alike.
 *
 * - first frame of the dashboard and the home menu in a real pty (`script -qfc`), against `node -e`
 *   printing a word through the same wrapper: target ≤ 3×;
 * - cold start of `lint --format json` and `readiness --json` (no TTY, CI=true) against
 *   `node -e 0`: target ≤ 2.0×;
 * - `--help`: the bundle against the unbundled tsc output (dist/cli.js): unchanged or faster (≤ 1.1×:
 *   both are one small file, and on a loaded 2-core machine medians wander by a few percent).
 */
import {fileURLToPath} from 'node:url';
import {packagePath} from '../io/package-root.js';
import {shippedBin} from '../io/package-info.js';
import {fixture} from './dashboard.js';
import {median, medianSpawnMs, ms} from './measure.js';
import {hasScript, ptyTimeToText} from './pty.js';
import type {BenchRow, BenchSection} from './types.js';

const bundle = shippedBin();
const unbundled = fileURLToPath(new URL('../cli.js', import.meta.url));
const template = packagePath('templates', 'standard.json');
const runs = Number(process.env['BENCH_STARTUP_RUNS'] ?? 0) || 0;

const ratioRow = (name: string, value: number, base: number, limit: number, baseName = 'node'): BenchRow => {
	const ratio = value / base;
	return {name, value: `${ratio.toFixed(2)}× (${ms(value)} vs ${baseName} ${ms(base)})`, target: `≤ ${limit}×`, ok: ratio <= limit};
};

async function firstFrames(rows: BenchRow[]): Promise<void> {
	const env = await fixture();
	try {
		const marker = 'cavra-bench-ready';
		const screens = [
			{name: 'node -e (prints a word)', argv: [process.execPath, '-e', `process.stdout.write(${JSON.stringify(`${marker}\n`)})`], text: marker},
			{name: 'dashboard', argv: [process.execPath, bundle, '--config', env.configPath, 'dashboard'], text: 'cavra-rollback dashboard', quit: 'q'},
			{name: 'home menu', argv: [process.execPath, bundle, '--config', env.configPath], text: 'Roll CAVRA back from the Go backend', quit: 'q'},
			// Both screens draw at once and fill in as answers arrive: these say when they are complete.
			{name: 'dashboard with its verdict', argv: [process.execPath, bundle, '--config', env.configPath, 'dashboard'], text: /READY|NOT REQUESTED|NEEDS ATTENTION|CONFIG ERROR/, quit: 'q'},
			{name: 'home menu with its verdict', argv: [process.execPath, bundle, '--config', env.configPath], text: /verdict: (?!checking)/, quit: 'q'},
		];
		const samples = screens.map(() => [] as number[]);
		const count = runs || 7;
		for (let run = 0; run < count; run++) {
			for (const [index, screen] of screens.entries()) samples[index]!.push(await ptyTimeToText(screen.argv, screen.text, {quit: screen.quit}));
		}
		const [bare, dashboard, home, dashboardDone, homeDone] = samples.map(median);
		rows.push(ratioRow(`first frame in a pty (script -qfc, median of ${count}): dashboard vs node -e`, dashboard!, bare!, 3));
		rows.push(ratioRow(`first frame in a pty (script -qfc, median of ${count}): home menu vs node -e`, home!, bare!, 3));
		rows.push({
			name: 'for comparison, the complete screen (its verdict shown, answers in) vs node -e: dashboard / home menu',
			value: [dashboardDone!, homeDone!].map(value => `${(value / bare!).toFixed(2)}× (${ms(value)})`).join(' / '),
		});
	} finally {
		await env.close();
	}
}

export const benchStartup: BenchSection = async () => {
	const rows: BenchRow[] = [];
	if (hasScript()) await firstFrames(rows);
	else rows.push({name: 'first frame in a pty: util-linux `script` is missing, not measured', value: '—', ok: false});

	const env = {...process.env, CI: 'true'};
	const readinessEnv = {...env, CAVRA_GO_BACKEND_MODE: 'promoted', CAVRA_GO_ROLLBACK_PLAN: template};
	const count = runs || 15;
	const [bare, lint, readiness, help, helpUnbundled, lintUnbundled, readinessUnbundled] = medianSpawnMs(
		[
			{args: ['-e', '0'], env},
			{args: [bundle, 'lint', '--format', 'json', template], env},
			{args: [bundle, 'readiness', '--json'], env: readinessEnv},
			{args: [bundle, '--help'], env},
			{args: [unbundled, '--help'], env},
			{args: [unbundled, 'lint', '--format', 'json', template], env},
			{args: [unbundled, 'readiness', '--json'], env: readinessEnv},
		],
		count,
	);
	rows.push(ratioRow(`cold start (median of ${count}): lint --format json (template) vs node -e 0`, lint!, bare!, 2));
	rows.push(ratioRow(`cold start (median of ${count}): readiness --json (template, promoted) vs node -e 0`, readiness!, bare!, 2));
	rows.push(ratioRow(`cold start (median of ${count}): --help, bundle vs unbundled tsc output`, help!, helpUnbundled!, 1.1, 'tsc'));
	rows.push({
		name: 'for comparison, the unbundled tsc output (dist/cli.js) vs node -e 0: lint --format json / readiness --json / --help',
		value: [lintUnbundled!, readinessUnbundled!, helpUnbundled!].map(value => `${(value / bare!).toFixed(2)}×`).join(' / '),
	});
	return rows;
};
