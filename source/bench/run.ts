/**
 * `npm run bench`: every figure the design and the issues set a target for, measured side by
 * side in one run on this machine (ratios, not absolute times, where a baseline exists).
 */
import {benchDashboard} from './dashboard.js';
import {benchFleet} from './fleet.js';
import {benchLintDensity} from './lint-density.js';
import {benchLint} from './lint.js';
import {benchMemory} from './memory.js';
import {benchEnvFileEdit, benchRollback} from './rollback.js';
import {benchStartup} from './startup.js';
import type {BenchRow, BenchSection} from './types.js';

const sections: Array<[string, BenchSection]> = [
	['start-up: the shipped bundle (issue 13)', benchStartup],
	['lint (issue 2)', benchLint],
	['lint: token-dense input (issue 10)', benchLintDensity],
	['dashboard (issue 4)', benchDashboard],
	['rollback (issue 6)', benchRollback],
	['rollback: a 1 MB env file (issue 9)', benchEnvFileEdit],
	['memory: lint and readiness on a 10 MB plan (issue 13)', benchMemory],
	['fleet rollback through Ansible (issue 12)', benchFleet],
];

// `node dist/bench/run.js token-dense` runs only the sections whose title contains the words given.
const only = process.argv.slice(2).join(' ').toLowerCase();

let failed = 0;
for (const [title, section] of sections) {
	if (only && !title.toLowerCase().includes(only)) continue;
	process.stdout.write(`\n${title}\n`);
	let rows: BenchRow[];
	try {
		rows = await section();
	} catch (error) {
		failed++;
		process.stdout.write(`  could not measure: ${error instanceof Error ? error.message : String(error)}\n`);
		continue;
	}
	for (const row of rows) {
		const mark = row.ok === undefined ? ' ' : row.ok ? '✔' : '✖';
		if (row.ok === false) failed++;
		process.stdout.write(`  ${mark} ${row.name}: ${row.value}${row.target ? `  [target ${row.target}]` : ''}\n`);
	}
}
process.stdout.write(`\n${failed === 0 ? 'all targets met' : `${failed} target(s) missed`}\n`);
