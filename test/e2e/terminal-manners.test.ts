/*
 * Screens that respect the terminal, in a real pseudo-terminal (util-linux `script`): the
 * full-screen views (dashboard, wizard, rollback) use the alternate screen and always leave it (q,
 * Esc, Ctrl-C, SIGTERM, SIGHUP, a crash); the rollback's record is printed on the normal screen
 * after it; NO_COLOR leaves no colour code in any frame;
 * TERM=dumb gets line mode and bare question lines (author), never Ink and never an escape byte.
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {repoRoot, restartScript, scratch, sleepScript, writeConfig} from '../fixtures/rollback/e2e.js';
import {cliNode, cliPath} from '../helpers/cli.js';
import {hasScript, KEY, Pty, stripAnsi} from '../helpers/pty.js';

const ENTER = '\u001B[?1049h';
const LEAVE = '\u001B[?1049l';
const CLEAR_SCROLLBACK = '\u001B[3J';
// An SGR sequence with a foreground or background colour parameter (30–38, 40–48, 90–97, 100–107).
const SGR = /\u001B\[([0-9;:]*)m/g;
const hasColour = (output: string) => [...output.matchAll(SGR)].some(match => match[1]!.split(/[;:]/).some(param => /^(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(param)));

let work: ReturnType<typeof scratch>;
let standIn: StandIn;
let ptys: Pty[];

beforeEach(async () => {
	work = scratch('cavra-manners-');
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile});
	ptys = [];
	writeConfig(work.dir, [
		'plan: ./plan.json',
		'mode: {envFiles: [./cavra.env]}',
		`api: {url: "${standIn.url}"}`,
		'evidence: {dir: ./evidence}',
		'services:',
		`  - {name: api, kind: command, restart: ${JSON.stringify([process.execPath, restartScript, standIn.url])}, verify: {url: "${standIn.url}/runtime/go-pilot/rollback-readiness"}}`,
	]);
});
afterEach(async () => {
	for (const pty of ptys) pty.kill();
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

function open(args: string[], options: {env?: NodeJS.ProcessEnv; cols?: number; rows?: number; command?: string[]} = {}): Pty {
	const pty = new Pty(args, {cwd: work.dir, cols: 100, rows: 30, ...options});
	ptys.push(pty);
	return pty;
}

/** What the terminal shows on the normal screen once the alternate screen is left. */
const afterLeaving = (output: string) => stripAnsi(output.slice(output.lastIndexOf(LEAVE) + LEAVE.length));

/** One enter, one leave, in that order; the scrollback is cleared only inside. */
function expectAlternateScreenBalanced(output: string): void {
	expect(output.split(ENTER).length - 1).toBe(1);
	expect(output.split(LEAVE).length - 1).toBe(1);
	const enter = output.indexOf(ENTER);
	const leave = output.indexOf(LEAVE);
	expect(enter).toBeLessThan(leave);
	expect(output.slice(0, enter)).not.toContain(CLEAR_SCROLLBACK);
	expect(output.slice(leave)).not.toContain(CLEAR_SCROLLBACK);
}

describe.skipIf(!hasScript)('the alternate screen', () => {
	it('dashboard: entered on start, left on q; a 20-row terminal (frames as tall as the window) wipes no scrollback', async () => {
		const pty = open(['dashboard'], {cols: 60, rows: 20});
		// q ends with the verdict's exit code: wait for the first answers (this setup reads NEEDS
		// ATTENTION: exit 1; quitting before them once gave 0 or 1 by timing, or Node's 13 for a hung start-up).
		await pty.waitFor('NEEDS ATTENTION');
		await pty.type('q');
		expect(await pty.exit).toBe(1);
		expectAlternateScreenBalanced(pty.output);
	});

	it('dashboard: SIGTERM closes the screen through its normal way out', async () => {
		const pty = open(['dashboard']);
		await pty.waitFor('cavra-rollback dashboard');
		pty.signalCli('SIGTERM');
		await pty.exit;
		expectAlternateScreenBalanced(pty.output);
	});

	it('rollback at 60x20: the question stays in view while the top of the preview is reached by scrolling; the record is left on the normal screen', async () => {
		const pty = open(['rollback'], {cols: 60, rows: 20});
		await pty.waitFor('Type disable and press Enter');
		await pty.waitFor('preview lines 1–');
		// To the end of the preview and back to its top: the question is drawn under it each time.
		await pty.type('G');
		await pty.waitFor('4. capture readiness reports after');
		await pty.waitFor('Type disable and press Enter');
		await pty.type('g');
		await pty.waitFor('Rollback preview: run rb-');
		await pty.waitFor('Type disable and press Enter');
		await pty.waitFor('preview lines 1–');
		await pty.type('disable', KEY.enter);
		expect(await pty.exit).toBe(0);
		expectAlternateScreenBalanced(pty.output);
		const record = afterLeaving(pty.output);
		expect(record).toContain('Rollback preview: run rb-');
		expect(record).toContain('✔ Restart api (command): done');
		expect(record).toContain('RECOVERED: CAVRA is back in Python-only mode');
		expect(record.replace(/\s+/g, ' ')).toMatch(/evidence: \S+evidence\.json/);
	});

	it.each([
		['Esc', KEY.esc],
		['Ctrl-C', KEY.ctrlC],
	])('rollback: %s at the question leaves the screen and one line saying nothing was changed', async (_name, key) => {
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		await pty.type(key);
		expect(await pty.exit).toBe(130);
		expectAlternateScreenBalanced(pty.output);
		expect(afterLeaving(pty.output).replace(/\s+/g, ' ').trim()).toBe('CANCELLED: stopped by the operator; nothing was changed: no evidence bundle kept, nothing to resume');
	});

	it.each(['SIGTERM', 'SIGHUP'] as const)('rollback: %s at the question cancels and leaves the screen', async signal => {
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		pty.signalCli(signal);
		expect(await pty.exit).toBe(130);
		expectAlternateScreenBalanced(pty.output);
		expect(afterLeaving(pty.output)).toContain('nothing was changed');
	});

	it('rollback: SIGTERM while a restart runs aborts it, leaves the screen, and the record says what happened', async () => {
		const release = path.join(work.dir, 'never');
		writeConfig(work.dir, [
			'mode: {envFiles: [./cavra.env]}',
			'evidence: {dir: ./evidence}',
			'services:',
			`  - {name: slow, kind: command, restart: ${JSON.stringify([process.execPath, sleepScript, '60000', '--until', release])}}`,
		]);
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		await pty.type('disable', KEY.enter);
		await pty.waitFor('Restart slow (command) [running]');
		pty.signalCli('SIGTERM');
		expect(await pty.exit).toBe(130);
		expectAlternateScreenBalanced(pty.output);
		const record = afterLeaving(pty.output);
		expect(record).toContain('◔ Restart slow (command): interrupted');
		expect(record).toContain('CANCELLED: stopped by the operator');
		expect(record.replace(/\s+/g, ' ')).toMatch(/continue it: cavra-rollback --config \S+ rollback --resume rb-/);
	});

	it('rollback: a crash (an uncaught error) on the screen still leaves it', async () => {
		// The real CLI with an error thrown from a timer once the question is on the screen.
		const hook = path.join(work.dir, 'crash-on-screen.mjs');
		writeFileSync(
			hook,
			`const write = process.stdout.write.bind(process.stdout);\nlet armed = false;\nprocess.stdout.write = (chunk, ...rest) => {\n\tif (!armed && String(chunk).includes('press Enter to roll back')) {\n\t\tarmed = true;\n\t\tsetTimeout(() => { throw new Error('boom on the rollback screen'); }, 300);\n\t}\n\treturn write(chunk, ...rest);\n};\n`,
		);
		const pty = open([], {command: [cliNode, '--import', hook, cliPath, 'rollback']});
		await pty.waitFor('Type disable and press Enter');
		expect(await pty.exit).not.toBe(0);
		expectAlternateScreenBalanced(pty.output);
		expect(afterLeaving(pty.output)).toContain('boom on the rollback screen');
		expect(readFileSync(work.envFile, 'utf8')).toContain('CAVRA_GO_BACKEND_MODE=promoted');
	});

	it('author wizard: Ctrl-C on an unchanged plan quits and leaves the screen', async () => {
		const pty = open(['author', 'new-plan.json']);
		await pty.waitFor('cavra-rollback author');
		await pty.type(KEY.ctrlC);
		await pty.exit;
		expectAlternateScreenBalanced(pty.output);
	});

	it('a crash (an uncaught error) still leaves the alternate screen', async () => {
		const script = path.join(work.dir, 'crash.mjs');
		const session = path.join(repoRoot, 'dist', 'ui', 'terminal-session.js');
		writeFileSync(script, `import {enterFullScreen} from ${JSON.stringify(session)};\nenterFullScreen(process.stdout);\nsetTimeout(() => { throw new Error('boom'); }, 50);\n`);
		const pty = open([], {command: [process.execPath, script]});
		expect(await pty.exit).not.toBe(0);
		expectAlternateScreenBalanced(pty.output);
		expect(pty.output.slice(pty.output.indexOf(LEAVE))).toContain('boom');
	});
});

describe.skipIf(!hasScript)('NO_COLOR on every screen', () => {
	it('home menu, author wizard, dashboard and rollback draw no colour code; without NO_COLOR they do', async () => {
		const screens: Array<{args: string[]; ready: string; keys: string[]}> = [
			{args: [], ready: 'Quit', keys: ['q']},
			{args: ['author', 'new-plan.json'], ready: 'cavra-rollback author', keys: [KEY.ctrlC]},
			{args: ['dashboard'], ready: 'cavra-rollback dashboard', keys: ['q']},
			{args: ['rollback'], ready: 'Type disable and press Enter', keys: [KEY.esc]},
		];
		for (const screen of screens) {
			const plain = open(screen.args, {env: {NO_COLOR: '1'}});
			await plain.waitFor(screen.ready);
			await plain.type(...screen.keys);
			await plain.exit;
			expect(hasColour(plain.output), `${screen.args.join(' ') || 'home'} with NO_COLOR`).toBe(false);

			const coloured = open(screen.args, {env: {NO_COLOR: undefined}});
			await coloured.waitFor(screen.ready);
			await coloured.type(...screen.keys);
			await coloured.exit;
			expect(hasColour(coloured.output), `${screen.args.join(' ') || 'home'} in colour`).toBe(true);
		}
	}, 120_000);

	it('--no-color does the same for the wizard', async () => {
		const pty = open(['author', '--no-color', 'new-plan.json'], {env: {NO_COLOR: undefined}});
		await pty.waitFor('cavra-rollback author');
		await pty.type(KEY.ctrlC);
		await pty.exit;
		expect(hasColour(pty.output)).toBe(false);
	});
});

describe.skipIf(!hasScript)('TERM=dumb gets line mode', () => {
	it('dashboard: one line per change, no Ink, no alternate screen; Ctrl-C ends it with 130', async () => {
		const pty = open(['dashboard'], {env: {TERM: 'dumb'}});
		await pty.waitFor('next:');
		await pty.type(KEY.ctrlC);
		expect(await pty.exit).toBe(130);
		expect(pty.output).not.toContain(ENTER);
		expect(pty.output).not.toContain('\u001B[2K');
	});

	it('rollback: plain progress and a one-line question; typing disable rolls back', async () => {
		const pty = open(['rollback'], {env: {TERM: 'dumb'}});
		await pty.waitFor('Type "disable" and press Enter');
		await pty.type('disable', KEY.enter);
		await pty.waitFor('RECOVERED');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain(ENTER);
		expect(pty.output).not.toMatch(/\u001B\[\d*[ABJK]/);
	});

	it('rollback: Ctrl-C at the question cancels, nothing changed', async () => {
		const pty = open(['rollback'], {env: {TERM: 'dumb'}});
		await pty.waitFor('Type "disable" and press Enter');
		await pty.type(KEY.ctrlC);
		expect(await pty.exit).toBe(130);
		const status = (await (await fetch(`${standIn.url}/runtime/go-pilot/rollback-readiness`)).json()) as {mode: string};
		expect(status.mode).not.toBe('disabled');
	});

	it('author: the whole flow as question and answer lines, not one escape byte; a refused 30x is asked again; the plan is written', async () => {
		const pty = new Pty(['author', 'authored.json'], {cwd: work.dir, cols: 60, rows: 20, env: {TERM: 'dumb'}, watchUi: true});
		ptys.push(pty);
		const answers: Array<[question: string, answer: string]> = [
			['Choose 1-4 (Enter: 1):', '3'],
			['approved? (CAVRA only reports ready for an approved plan) (Y/n)', 'y'],
			['Approval id', 'CAB-77'],
			['Maximum recovery time, in minutes (Enter: 15):', '30x'],
			['not accepted: enter a number of minutes', '20'],
			['Numbers to tick', ''],
			['Add a custom control', ''],
			['Rollback steps: what next?', '2'],
			['New step:', 'Announce the rollback in the incident channel.'],
			['Rollback steps: what next?', ''],
			['Evidence refs: what next?', ''],
			['What next?', '1'],
			['Save to', '1'],
		];
		for (const [question, answer] of answers) {
			await pty.waitFor(question);
			await pty.type(answer, KEY.enter);
		}
		await pty.waitFor('Saved');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain('\u001B');
		expect(pty.output).not.toContain('LOADED-UI-MODULE');
		const plan = JSON.parse(readFileSync(path.join(work.dir, 'authored.json'), 'utf8')) as Record<string, unknown>;
		expect(plan).toMatchObject({status: 'ready', approved: true, approval_id: 'CAB-77', max_recovery_minutes: 20});
		expect(plan['rollback_steps']).toContain('Announce the rollback in the incident channel.');
	});

	it('author: Ctrl-C after a change asks before discarding; "y" quits with 130 and writes nothing', async () => {
		const pty = open(['author', 'authored.json'], {env: {TERM: 'dumb'}});
		await pty.waitFor('Choose 1-4');
		await pty.type('3', KEY.enter);
		await pty.waitFor('(Y/n)');
		await pty.type('n', KEY.enter);
		await pty.waitFor('Approval id');
		await pty.type(KEY.ctrlC);
		await pty.waitFor('Discard them and quit? (y/N)');
		await pty.type('y', KEY.enter);
		expect(await pty.exit).toBe(130);
		expect(pty.output).not.toContain('\u001B');
		expect(existsSync(path.join(work.dir, 'authored.json'))).toBe(false);
	});

	it('no command: the help, not the home menu', async () => {
		const pty = open([], {env: {TERM: 'dumb'}});
		await pty.waitFor('Usage: cavra-rollback');
		expect(await pty.exit).toBe(0);
	});
});
