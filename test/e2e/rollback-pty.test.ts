/*
 * The rollback in a real terminal (a pseudo-terminal through util-linux `script`): the Ink screen,
 * typed confirmation, Ctrl-C as a key (raw mode), and `--plain` line-by-line without Ink.
 */
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {restartScript, runCliAsync, scratch, sleepScript, writeConfig} from '../fixtures/rollback/e2e.js';
import {hasScript, KEY, Pty} from '../helpers/pty.js';

const node = process.execPath;
let work: ReturnType<typeof scratch>;
let standIn: StandIn;
let ptys: Pty[];

beforeEach(async () => {
	work = scratch('cavra-rollback-pty-');
	standIn = await startStandIn({port: 0, env: {}, envFile: work.envFile});
	ptys = [];
});
afterEach(async () => {
	for (const pty of ptys) pty.kill();
	await standIn.close();
	rmSync(work.dir, {recursive: true, force: true});
});

function config(extraServices: string[] = []): void {
	writeConfig(work.dir, [
		'plan: ./plan.json',
		'mode: {envFiles: [./cavra.env]}',
		'evidence: {dir: ./evidence}',
		'services:',
		...extraServices.map(service => `  - ${service}`),
		`  - {name: api, kind: command, restart: ${JSON.stringify([node, restartScript, standIn.url])}, verify: {url: "${standIn.url}/runtime/go-pilot/rollback-readiness"}}`,
	]);
}

function open(args: string[], options: {watchUi?: boolean} = {}): Pty {
	const pty = new Pty(args, {cwd: work.dir, ...options});
	ptys.push(pty);
	return pty;
}

async function mode(): Promise<string> {
	return ((await (await fetch(`${standIn.url}/runtime/go-pilot/rollback-readiness`)).json()) as {mode: string}).mode;
}

describe.skipIf(!hasScript)('rollback in a real terminal', () => {
	it('the Ink screen: preview, type "disable", every step, the result and the evidence path', async () => {
		config();
		const pty = open(['rollback']);
		const preview = await pty.waitFor('Type disable and press Enter');
		expect(preview).toContain('-CAVRA_GO_BACKEND_MODE=promoted');
		expect(preview).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		expect(preview).toContain('CAVRA_DB_PASSWORD=…');
		expect(preview).not.toContain('hunter2');
		await pty.type('disable', KEY.enter);
		const end = await pty.waitFor('cavra-rollback evidence verify');
		expect(end).toContain('✔ Restart api (command) [done]');
		expect(end).toContain('✔ Verify api reports mode disabled [done]');
		expect(end).toContain('RECOVERED: CAVRA is back in Python-only mode');
		expect(end).toMatch(/evidence: .*evidence\.json/);
		expect(await pty.exit).toBe(0);
		expect(await mode()).toBe('disabled');
	});

	it('Esc at the question cancels: exit 130, nothing changed, no evidence bundle and nothing to resume', async () => {
		config();
		const before = readFileSync(work.envFile, 'utf8');
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		await pty.type(KEY.esc);
		await pty.waitFor('CANCELLED: stopped by the operator');
		await pty.waitFor('no evidence bundle kept, nothing to resume');
		expect(await pty.exit).toBe(130);
		expect(readFileSync(work.envFile, 'utf8')).toBe(before);
		expect(pty.screen()).not.toContain('--resume');
		expect(existsSync(path.join(work.dir, 'evidence')) ? readdirSync(path.join(work.dir, 'evidence')).filter(name => name.startsWith('rb-')) : []).toEqual([]);
	});

	it('a bracketed paste types into the question but never presses Enter; Enter then runs', async () => {
		config();
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		expect(pty.output).toContain('\u001B[?2004h');
		pty.child.stdin!.write('\u001B[200~disable\r\u001B[201~');
		await pty.waitFor('> disable');
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(readFileSync(work.envFile, 'utf8')).toContain('CAVRA_GO_BACKEND_MODE=promoted');
		await pty.type(KEY.enter);
		await pty.waitFor('cavra-rollback evidence verify');
		expect(await pty.exit).toBe(0);
		expect(pty.output).toContain('\u001B[?2004l');
		expect(await mode()).toBe('disabled');
	});

	it('Ctrl-C while a restart runs (raw mode: a key, not a signal): it finishes, the rest is not run, exit 130', async () => {
		// The restart ends only once the test has seen the Ctrl-C taken, so the key lands mid-restart however slow the machine.
		const release = path.join(work.dir, 'release-slow');
		config([`{name: slow, kind: command, restart: ${JSON.stringify([node, sleepScript, '60000', '--until', release])}}`]);
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		await pty.type('disable', KEY.enter);
		await pty.waitFor('Restart slow (command) [running]');
		await pty.type(KEY.ctrlC);
		await pty.waitFor('Stopping after the current step');
		writeFileSync(release, '');
		const end = await pty.waitFor('CANCELLED: stopped by the operator');
		expect(end).toContain('✔ Restart slow (command) [done]');
		expect(end).toContain('∎ Restart api (command) [not run]: stopped by Ctrl-C');
		expect(await pty.exit).toBe(130);
		expect(await mode()).toBe('promoted');
		const runs = readdirSync(path.join(work.dir, 'evidence'));
		// The config the run found is named, so the command works from any folder.
		expect(pty.screen().replace(/\s+/g, ' ')).toContain(`cavra-rollback --config ${path.join(work.dir, '.cavrarc.yaml')} rollback --resume ${runs[0]}`);
	});

	const RUN_ID = /rb-\d{8}T\d{6}Z-[0-9a-f]{6}/;
	const runFolders = () => (existsSync(path.join(work.dir, 'evidence')) ? readdirSync(path.join(work.dir, 'evidence')).filter(name => name.startsWith('rb-')) : []);

	for (const screen of ['Ink screen', '--plain'] as const) {
		it(`kill -9 at the question (${screen}): no run folder, nothing listed or to resume, and the next rollback takes the lock and runs`, async () => {
			config();
			const before = readFileSync(work.envFile, 'utf8');
			const pty = open(screen === '--plain' ? ['rollback', '--plain'] : ['rollback']);
			const shown = await pty.waitFor(screen === '--plain' ? 'Type "disable" to set the mode' : 'Type disable and press Enter');
			const runId = RUN_ID.exec(shown)![0];
			pty.signalCli('SIGKILL');
			await pty.exit;
			expect(readFileSync(work.envFile, 'utf8')).toBe(before);
			// Only the dead run's lock is left: no folder for the run.
			expect(runFolders()).toEqual([]);
			expect(existsSync(path.join(work.dir, 'evidence', '.cavra-rollback.lock'))).toBe(true);
			const list = await runCliAsync(['evidence', 'list', '--json'], {cwd: work.dir});
			expect((JSON.parse(list.stdout) as {runs: unknown[]}).runs).toEqual([]);
			const resume = await runCliAsync(['rollback', '--yes', '--resume', runId], {cwd: work.dir});
			expect(resume.code).toBe(2);
			expect(resume.stderr).toContain(`no evidence folder for run ${runId}`);
			expect(resume.stderr).toContain('nothing to resume');
			// The dead run's lock blocks no one (its pid is gone); the next run goes ahead.
			const next = await runCliAsync(['rollback', '--yes', '--plain'], {cwd: work.dir});
			expect(next.code, next.stderr).toBe(0);
			expect(runFolders()).toHaveLength(1);
			expect(runFolders()[0]).not.toBe(runId);
			expect(await mode()).toBe('disabled');
		});
	}

	it('kill -9 right after confirming: the run is listed (incomplete) with its preflight and confirmation, and --resume finishes it', async () => {
		const release = path.join(work.dir, 'release-slow');
		config([`{name: slow, kind: command, restart: ${JSON.stringify([node, sleepScript, '60000', '--until', release])}}`]);
		const pty = open(['rollback']);
		await pty.waitFor('Type disable and press Enter');
		await pty.type('disable', KEY.enter);
		await pty.waitFor('Restart slow (command) [running]');
		pty.signalCli('SIGKILL');
		await pty.exit;
		writeFileSync(release, '');
		const [runId] = runFolders();
		expect(runId).toMatch(RUN_ID);
		const journal = readFileSync(path.join(work.dir, 'evidence', runId!, 'journal.ndjson'), 'utf8')
			.trim()
			.split('\n')
			.map(line => JSON.parse(line) as {step: string; phase: string; status?: string; at: string});
		expect(journal.slice(0, 4).map(record => `${record.step}:${record.phase}${record.status ? `:${record.status}` : ''}`)).toEqual(['preflight:before', 'preflight:after:done', 'confirm:before', 'confirm:after:confirmed']);
		// The preview's and the confirmation's own times, in order.
		expect(Date.parse(journal[3]!.at)).toBeGreaterThanOrEqual(Date.parse(journal[2]!.at));
		expect(existsSync(path.join(work.dir, 'evidence', runId!, 'reports', 'before.json'))).toBe(true);
		const list = JSON.parse((await runCliAsync(['evidence', 'list', '--json'], {cwd: work.dir})).stdout) as {runs: Array<{id: string; result: string}>};
		expect(list.runs.map(run => run.id)).toEqual([runId]);
		expect(list.runs[0]!.result).toBe('incomplete');
		const resumed = await runCliAsync(['rollback', '--yes', '--plain', '--resume', runId!], {cwd: work.dir});
		expect(resumed.code, resumed.stderr).toBe(0);
		expect(await mode()).toBe('disabled');
	});

	for (const screen of ['Ink screen', '--plain', 'TERM=dumb'] as const) {
		it(`keys typed before the question appears are not an answer (${screen}): "y⏎" and "disable⏎" at once change nothing; typed after, "disable⏎" rolls back`, async () => {
			config();
			const before = readFileSync(work.envFile, 'utf8');
			const pty = new Pty(screen === 'Ink screen' ? ['rollback'] : ['rollback', '--plain'], {cwd: work.dir, ...(screen === 'TERM=dumb' && {env: {TERM: 'dumb'}})});
			ptys.push(pty);
			// At once, while the CLI is still starting and building the preview (a held key, an impatient operator).
			pty.child.stdin!.write('y\r');
			pty.child.stdin!.write('disable\r');
			await pty.waitFor(screen === 'Ink screen' ? 'Type disable and press Enter' : screen === '--plain' ? 'Type "disable" to set the mode' : 'Type "disable" and press Enter');
			// The field holds only what is typed from now on: the early keys neither answered nor stayed in it.
			await pty.type('x');
			if (screen === 'Ink screen') await pty.waitFor('> x');
			else await pty.waitFor('x');
			expect(pty.screen()).not.toMatch(/RECOVERED|Set CAVRA_GO_BACKEND_MODE=disabled in .* \[(?:done|running)\]/);
			expect(readFileSync(work.envFile, 'utf8')).toBe(before);
			await pty.type('\u007f', 'disable', KEY.enter);
			await pty.waitFor('RECOVERED');
			expect(await pty.exit).toBe(0);
			expect(await mode()).toBe('disabled');
		});
	}

	it('--plain: the question line by line, never loading Ink or React', async () => {
		config();
		const pty = open(['rollback', '--plain'], {watchUi: true});
		await pty.waitFor('Type "disable" to set the mode');
		await pty.type('disable', KEY.enter);
		await pty.waitFor('RECOVERED');
		expect(await pty.exit).toBe(0);
		expect(pty.screen()).not.toContain('LOADED-UI-MODULE');
		expect(await mode()).toBe('disabled');
	});
});
