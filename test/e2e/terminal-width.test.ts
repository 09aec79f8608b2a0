/*
 * No line the tool prints is wider than the terminal it was told about. Every text command runs
 * at COLUMNS=60 and COLUMNS=100 (not a TTY, so COLUMNS is the width) and every line of stdout and
 * stderr is measured in display columns. The only lines allowed past the edge are the ones a user
 * copies, which are never broken: a lone word (a path, a URL) or a command line.
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {displayWidth} from '../../source/core/text/wrap.js';
import {restartScript, runCliAsync, scratch, writeConfig} from '../fixtures/rollback/e2e.js';

let work: ReturnType<typeof scratch>;
let standIn: StandIn;

beforeAll(async () => {
	work = scratch('cw-');
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile});
	writeConfig(work.dir, [
		'plan: ./plan.json',
		'mode: {envFiles: [./cavra.env]}',
		`api: {url: "${standIn.url}"}`,
		'evidence: {dir: ./evidence}',
		'services:',
		`  - {name: api, kind: command, restart: ${JSON.stringify([process.execPath, restartScript, standIn.url])}, verify: {url: "${standIn.url}/runtime/go-pilot/rollback-readiness"}}`,
	]);
	// A plan with long findings: an unapproved approval, private endpoints and personal data in steps.
	const plan = JSON.parse(readFileSync(path.join(work.dir, 'plan.json'), 'utf8')) as Record<string, unknown>;
	plan['approved'] = false;
	plan['rollback_steps'] = [
		'Set CAVRA_GO_BACKEND_MODE=disabled in /etc/cavra/cavra.env on every API host, then restart the API service and every CI runner that reads it, in the order the incident commander gives',
		'Page ops.lead@corp-mail.net and check http://10.20.30.40:8000/runtime/go-pilot/rollback-readiness until it reports mode disabled for every host listed in the fleet inventory',
	];
	writeFileSync(path.join(work.dir, 'hostile.json'), `${JSON.stringify(plan, null, 2)}\n`);
});
afterAll(async () => {
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

/** Lines wider than `width` that are not a lone word or a command line (or a command's backslash continuation). */
function tooWide(output: string, width: number): string[] {
	const lines = output.split('\n');
	return lines.filter((line, index) => {
		if (displayWidth(line) <= width) return false;
		const content = line.trim();
		const copyable = !content.includes(' ') || /^(?:\$ |cavra-rollback )/.test(content) || Boolean(lines[index - 1]?.endsWith('\\'));
		return !copyable;
	});
}

/**
 * In a help's tables (Arguments, Options, Commands, Modes…), every line under an item either
 * starts a new item or hangs exactly under the item's description column (or, for a table too
 * narrow for two columns, four columns in under the term that stands alone on its line).
 */
function misalignedHelpLines(help: string): string[] {
	const wrong: string[] = [];
	let column: number | undefined;
	for (const line of help.split('\n')) {
		if (!line.startsWith('  ')) {
			column = undefined;
			continue;
		}
		const indent = line.length - line.trimStart().length;
		const item = /^( {2,})(\S(?:.*?\S)?)( {2,})\S/.exec(line);
		if (column !== undefined && indent === column) continue;
		if (item) column = item[1]!.length + item[2]!.length + item[3]!.length;
		else if (indent === 2 && /^\s+-/.test(line)) column = indent + 4; // a term alone: its description follows under it
		else if (column !== undefined && indent > 2) wrong.push(line);
	}
	return wrong;
}

const commands: Array<[string, string[]]> = [
	['templates', ['templates']],
	['readiness text', ['readiness', '--report', 'all']],
	['lint text of a plan with findings', ['lint', 'hostile.json']],
	['readiness of a plan with findings', ['readiness', '--report', 'rollback']],
	['rollback --dry-run', ['rollback', '--dry-run']],
	['rollback --yes (progress and summary)', ['rollback', '--yes']],
	['evidence verify (latest)', ['evidence', 'verify']],
	['evidence list', ['evidence', 'list']],
	['dashboard --once', ['dashboard', '--once']],
	['--help', ['--help']],
	['an error and its hint (unknown command)', ['rollbak']],
	['an error and its hint (--resume with nothing to resume)', ['rollback', '--yes', '--resume', '--config', 'missing-dir.cavrarc.yaml']],
	...['author', 'lint', 'readiness', 'dashboard', 'rollback', 'templates', 'schema', 'init', 'completion', 'evidence', 'evidence verify', 'evidence list', 'evidence attach'].map(
		(name): [string, string[]] => [`${name} --help`, [...name.split(' '), '--help']],
	),
];

describe.each([60, 100])('at COLUMNS=%i', width => {
	it.each(commands)('%s: every line fits', async (_name, args) => {
		const env = {COLUMNS: String(width), CAVRA_GO_ROLLBACK_PLAN: undefined};
		const result = await runCliAsync(args, {cwd: work.dir, env});
		expect(result.stdout.length + result.stderr.length).toBeGreaterThan(0);
		expect(tooWide(result.stdout, width), result.stdout).toEqual([]);
		expect(tooWide(result.stderr, width), result.stderr).toEqual([]);
	});
});

describe.each([60, 100])('--help at COLUMNS=%i', width => {
	const helps = ['author', 'lint', 'readiness', 'dashboard', 'rollback', 'templates', 'schema', 'init', 'completion', 'evidence', 'evidence verify', 'evidence list', 'evidence attach'];
	it.each(['', ...helps])('"%s --help": option descriptions hang under their own column, not under commander\'s indent', async name => {
		const result = await runCliAsync([...name.split(' ').filter(Boolean), '--help'], {cwd: work.dir, env: {COLUMNS: String(width)}});
		expect(result.code).toBe(0);
		expect(misalignedHelpLines(result.stdout), result.stdout).toEqual([]);
	});
});

it('the wrapped rollback preview still names every command and path whole', async () => {
	const result = await runCliAsync(['rollback', '--dry-run'], {cwd: work.dir, env: {COLUMNS: '60'}});
	expect(result.stdout).toContain(`$ CAVRA_GO_BACKEND_MODE=disabled ${process.execPath} ${restartScript} ${standIn.url}`);
	expect(result.stdout).toContain(path.join(work.dir, 'cavra.env'));
	expect(result.stdout.split('\n').some(line => line.endsWith('restart-standin.j'))).toBe(false);
});
