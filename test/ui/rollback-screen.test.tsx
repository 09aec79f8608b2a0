import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {CavraConfig, ServiceConfig} from '../../source/core/config/schema.js';
import {RunControl, runRollback, type RunOutcome} from '../../source/io/rollback-runner.js';
import {RollbackScreen} from '../../source/ui/screens/rollback/rollback-screen.js';
import {RollbackStore} from '../../source/ui/screens/rollback/store.js';
import {FakeWorld} from '../fixtures/rollback/fakes.js';
import {previewLines} from '../../source/core/rollback/preview.js';
import {displayWidth} from '../../source/core/text/wrap.js';
import {paneLines} from '../../source/ui/screens/rollback/preview-pane.js';

/*
 * The rollback screen driven as an operator would: the real runner on the fake world, keys typed
 * into the screen. Every key waits for the frame it answers and then yields a setImmediate turn.
 */

const KEY = {enter: '\r', esc: '\u001B', ctrlC: '\u0003'} as const;
const ENV = '/etc/cavra/cavra.env';

type App = ReturnType<typeof render>;
const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
/** The last frame with content: under CI=true Ink's final write on unmount is only the (empty) live region. */
const frame = (app: App) => strip([...app.frames].reverse().find(candidate => candidate.trim() !== '') ?? '');
const flat = (text: string) => text.replace(/\s+/g, ' ');
const turn = () => new Promise(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(app: App, expected: string | RegExp, timeoutMs = 5000): Promise<string> {
	const test = typeof expected === 'string' ? (text: string) => flat(text).includes(flat(expected)) : (text: string) => expected.test(flat(text));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = frame(app);
		if (test(text)) {
			await sleep(15);
			await turn();
			return flat(text);
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)}; last frame:\n${text}`);
		await sleep(5);
	}
}

const svc = (name: string, extra: Partial<ServiceConfig> = {}): ServiceConfig =>
	({name, kind: 'command', restart: [`/opt/${name}/restart`, '--password', 'pw-secret-1'], verify: {url: `http://127.0.0.1:8000/svc/${name}`}, ...extra}) as ServiceConfig;

/** Tall enough for the whole preview and every row: these tests read content; the window's limits have their own tests. */
const TALL = {columns: 100, rows: 200};

/** `setup` with the fake world paused where `at` returns a promise (until it settles). */
function setupHeld(at: (point: string) => Promise<void> | undefined) {
	return setup([svc('api')], TALL, world => (world.hooks.at = at));
}

function setup(services: ServiceConfig[] = [svc('api')], size = TALL, prepare: (world: FakeWorld) => void = () => {}) {
	const world = new FakeWorld({
		files: {[ENV]: '# settings\nDB_PASSWORD=hunter2\nCAVRA_GO_BACKEND_MODE=promoted\n'},
		services: Object.fromEntries(services.map(service => [service.name, {envFile: ENV}])),
	});
	prepare(world);
	const config: CavraConfig = {plan: '/etc/cavra/plan.json', mode: {envFiles: [ENV]}, services, evidence: {dir: '/evidence'}};
	const store = new RollbackStore();
	const control = new RunControl();
	const app = render(<RollbackScreen store={store} onStop={() => control.requestStop()} color={false} animate={false} size={size} />);
	let outcome: RunOutcome | undefined;
	const done = runRollback(
		{
			kind: 'rollback',
			config,
			configPath: '/etc/cavra/.cavrarc.yaml',
			env: {},
			serviceFilter: [],
			evidenceDir: '/evidence',
			control,
			onState: store.onState,
			onPreview: store.onPreview,
			confirm: store.confirm,
		},
		world.effects(),
	).then(result => {
		outcome = result;
		store.finish({evidencePath: result.evidencePath, runDir: result.runDir});
		return result;
	});
	return {world, store, control, app, done, outcome: () => outcome};
}

describe('rollback screen', () => {
	it('shows the preview, takes the typed word, runs every step and ends with the result and evidence path', async () => {
		const {app, world, done} = setup();
		let text = await waitFor(app, 'Type disable and press Enter');
		// The preview: runbook, redacted diff, every command, the budget.
		expect(text).toContain('Rollback preview: run rb-');
		expect(text).toContain('1. Set CAVRA_GO_BACKEND_MODE=disabled.');
		expect(text).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		expect(text).toContain('$ /opt/api/restart --password <redacted>');
		expect(text).toContain('recovery budget: 15 min');
		expect(world.files.get(ENV)).toContain('=promoted');

		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		text = await waitFor(app, 'RECOVERED: CAVRA is back in Python-only mode');
		const outcome = await done;
		expect(outcome.state.exitCode).toBe(0);
		expect(text).toContain('✔ Preflight: config, plan, readiness before, current mode [done]');
		expect(text).toContain(`✔ Set CAVRA_GO_BACKEND_MODE=disabled in ${ENV} [done]`);
		expect(text).toContain('✔ Restart api (command) [done]');
		expect(text).toContain('✔ Verify api reports mode disabled [done]: answers mode: disabled');
		expect(text).toMatch(/recovery time: \d+(\.\d)? m?s of the 15 min budget: within target/);
		expect(text).toContain(`evidence: /evidence/${outcome.state.runId}/evidence.json`);
		expect(text).toContain(`verify it: cavra-rollback evidence verify /evidence/${outcome.state.runId}`);
		// Finished steps are written once, into <Static> (a transcript, not a redrawn list).
		expect(text.split('Restart api (command) [done]').length - 1).toBe(1);
		expect(text).not.toMatch(/hunter2|pw-secret-1/);
		expect(world.services.get('api')!.mode).toBe('disabled');
		app.unmount();
	});

	it('a wrong word changes nothing; Esc cancels (exit 130)', async () => {
		const {app, world, done} = setup();
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('yes');
		await waitFor(app, '> yes');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'that is not "disable"; nothing was changed');
		app.stdin.write(KEY.esc);
		const text = await waitFor(app, 'CANCELLED: stopped by the operator');
		expect((await done).state.exitCode).toBe(130);
		expect(world.files.get(ENV)).toContain('=promoted');
		expect(text).toContain('∎ Restart api (command) [not run]');
		app.unmount();
	});

	it('keys typed while the preview is still being built are no answer, even still queued when the question appears', async () => {
		let release!: () => void;
		const held = new Promise<void>(resolve => (release = resolve));
		// Held at the preflight's last probe: the question appears a few turns after the release.
		const {app, world, done} = setupHeld(point => (point === 'http:http://127.0.0.1:8000/svc/api' ? held : undefined));
		await waitFor(app, 'Preflight');
		// An impatient operator: the word and Enter, again and again, before the question is on screen.
		// Keys of one read are handed out a render apart, so most are still queued when it appears.
		app.stdin.write('disable\r'.repeat(10));
		release();
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('x');
		await waitFor(app, '> x');
		expect(world.files.get(ENV)).toContain('=promoted');
		app.stdin.write('\u007F');
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'RECOVERED');
		expect((await done).state.exitCode).toBe(0);
		app.unmount();
	});

	it('a pasted line (the word and its Enter in one chunk) is taken as typed', async () => {
		const {app, world, done} = setup();
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('yes\r');
		await waitFor(app, 'that is not "disable"; nothing was changed');
		expect(world.files.get(ENV)).toContain('=promoted');
		app.stdin.write('disable\r');
		await waitFor(app, 'RECOVERED');
		expect((await done).state.exitCode).toBe(0);
		app.unmount();
	});

	it('fast typing (one key per write, no render in between) and backspace are never garbled', async () => {
		const {app, done} = setup();
		await waitFor(app, 'Type disable and press Enter');
		for (const key of 'disablx') app.stdin.write(key);
		app.stdin.write('\u007F');
		app.stdin.write('e');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'RECOVERED');
		expect((await done).state.exitCode).toBe(0);
		app.unmount();
	});

	it('while a step runs: spinner row, countdown and output tail; Ctrl-C stops after it', async () => {
		const {app, world, done, control} = setup([svc('api'), svc('later')]);
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		world.hooks.at = point => (point === 'restart:after:api' ? gate : undefined);
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		let text = await waitFor(app, 'Restart api (command) [running]');
		expect(text).toMatch(/Recovery budget 15 min \[[▰▱]+\] \d\d:\d\d left/);
		expect(text).toContain('│ restarting api');
		expect(text).toContain('steps to go; next: Restart later (command)');
		app.stdin.write(KEY.ctrlC);
		text = await waitFor(app, 'Stopping after the current step');
		expect(control.cancelRequested).toBe(true);
		release();
		text = await waitFor(app, 'CANCELLED: stopped by the operator');
		const outcome = await done;
		expect(outcome.state.exitCode).toBe(130);
		// The running step finished; the next batch never started.
		expect(text).toContain('✔ Restart api (command) [done]');
		expect(text).toContain('∎ Restart later (command) [not run]');
		expect(world.services.get('later')!.restarts).toBe(0);
		expect(text).toContain(`continue it: cavra-rollback rollback --resume ${outcome.state.runId}`);
		app.unmount();
	});

	it('Ctrl-C twice while a restart runs: the restart reads "interrupted", never "not run", on screen and in the summary', async () => {
		const {app, world, done} = setup([svc('api'), svc('later')]);
		world.services.get('api')!.behaviour = 'wait-for-abort';
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'Restart api (command) [running]');
		app.stdin.write(KEY.ctrlC);
		await waitFor(app, 'Stopping after the current step');
		app.stdin.write(KEY.ctrlC);
		const text = await waitFor(app, 'CANCELLED: stopped by the operator');
		expect((await done).state.exitCode).toBe(130);
		expect(text).toContain('◔ Restart api (command) [interrupted]: stopped mid-restart');
		expect(text).toContain('∎ Restart later (command) [not run]');
		expect(text).toContain('interrupted (a resume re-probes them): restart:api');
		expect(text).not.toMatch(/not run: [^\n]*restart:api/);
		app.unmount();
	});

	it('a missing plan is shown loudly before the question', async () => {
		const store = new RollbackStore();
		const control = new RunControl();
		const world = new FakeWorld({files: {[ENV]: 'CAVRA_GO_BACKEND_MODE=promoted\n'}, services: {api: {envFile: ENV}}});
		world.planSummary = {...world.planSummary!, valid: false, approved: false, message: 'metadata file is missing', max_recovery_minutes: null};
		world.planSha = null;
		const screen = render(<RollbackScreen store={store} onStop={() => control.requestStop()} color={false} animate={false} size={TALL} />);
		const done = runRollback(
			{kind: 'rollback', config: {plan: '/nope.json', mode: {envFiles: [ENV]}, services: [svc('api')]}, configPath: null, env: {}, serviceFilter: [], evidenceDir: '/e', control, onState: store.onState, onPreview: store.onPreview, confirm: store.confirm},
			world.effects(),
		).then(result => store.finish({evidencePath: result.evidencePath, runDir: result.runDir}));
		const text = await waitFor(screen, 'Type disable and press Enter');
		expect(text).toContain('!! THE ROLLBACK PLAN IS MISSING (/nope.json): metadata file is missing. The rollback continues');
		expect(text).toContain('recovery budget: 15 min (default: the plan gives none)');
		screen.stdin.write(KEY.ctrlC);
		await waitFor(screen, 'CANCELLED');
		await done;
		screen.unmount();
	});
});

describe('a step row longer than the terminal', () => {
	it('wraps at words within the width (Ink alone split "bu/dget")', async () => {
		const {RollbackStepRow} = await import('../../source/ui/components/rollback-step-row.js');
		const {displayWidth} = await import('../../source/core/text/wrap.js');
		const detail = 'plan ready; budget 15 min; mode now promoted; CAVRA answers ready for every report the preflight asked about, and the evidence folder is free';
		const app = render(<RollbackStepRow step={{id: 'preflight', kind: 'preflight', label: 'Preflight', status: 'done', detail}} color={false} animate={false} width={100} />);
		const lines = strip(app.lastFrame() ?? '').split('\n');
		app.unmount();
		expect(lines.length).toBeGreaterThan(1);
		// ink-testing-library's terminal is 100 columns wide.
		for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(100);
		const words = flat(lines.join(' ')).trim().split(' ');
		for (const word of ['Preflight', '[done]:', 'budget', 'promoted;', 'preflight', 'free']) expect(words).toContain(word);
	});
});

describe('on a small window (60×20): the preview scrolls, the question stays', () => {
	const SMALL = {columns: 60, rows: 20};
	const many = ['api', 'worker', 'scheduler', 'webhooks', 'billing'].map(name => svc(name));
	const lines = (app: App) => frame(app).split('\n');
	const fits = (app: App) => {
		const shown = lines(app);
		// One row is kept free: a frame as tall as the window makes Ink clear the screen.
		expect(shown.length).toBeLessThanOrEqual(SMALL.rows - 1);
		for (const line of shown) expect(displayWidth(line)).toBeLessThanOrEqual(SMALL.columns);
	};
	const key = {down: '\u001B[B', up: '\u001B[A', pageDown: '\u001B[6~', home: '\u001B[H', end: '\u001B[F'};

	it('every preview line is reachable by scrolling while the question and its keys stay visible', async () => {
		const {app, store} = setup(many, SMALL);
		await waitFor(app, 'Type disable and press Enter');
		const preview = store.getSnapshot().transcript.find(item => item.kind === 'preview');
		if (preview?.kind !== 'preview') throw new Error('no preview');
		const expected = paneLines(previewLines(preview.preview), SMALL.columns);
		expect(expected.length).toBeGreaterThan(SMALL.rows);
		fits(app);
		const first = frame(app);
		expect(first).toContain('Rollback preview: run rb-');
		expect(first).toContain(`preview lines 1–`);
		expect(first).toMatch(new RegExp(`of ${expected.length} · ↑↓ j k`));
		expect(first).not.toContain('4. capture readiness reports after');

		// j, one line at a time, to the end: every line of the preview was on screen, and the question never left.
		const seen = new Set(lines(app));
		const page = Number(/preview lines 1–(\d+)/.exec(first)![1]);
		for (let step = 1; step <= expected.length - page; step++) {
			app.stdin.write('j');
			const text = await waitFor(app, `preview lines ${step + 1}–${step + page} of ${expected.length}`);
			expect(text).toContain('Type disable and press Enter');
			fits(app);
			for (const line of lines(app)) seen.add(line);
		}
		for (const line of expected) expect(seen.has(line === '' ? ' ' : line) || seen.has(line)).toBe(true);
		// Past the end it stays at the end.
		app.stdin.write('j');
		await turn();
		expect(frame(app)).toContain(`preview lines ${expected.length - page + 1}–${expected.length} of ${expected.length}`);

		// g and Home: the top; G and End: the bottom; k and ↑ a line up; PgDn and space a page.
		app.stdin.write('g');
		await waitFor(app, `preview lines 1–${page} of`);
		app.stdin.write('G');
		await waitFor(app, '4. capture readiness reports after');
		app.stdin.write(key.home);
		await waitFor(app, `preview lines 1–${page} of`);
		app.stdin.write(key.pageDown);
		await waitFor(app, `preview lines ${page + 1}–`);
		app.stdin.write('k');
		await waitFor(app, `preview lines ${page}–`);
		app.stdin.write(key.up);
		await waitFor(app, `preview lines ${page - 1}–`);
		app.stdin.write(' ');
		await waitFor(app, `preview lines ${2 * page - 1}–`);
		app.stdin.write(key.end);
		await waitFor(app, `–${expected.length} of ${expected.length}`);

		// None of the scroll keys typed anything; the word still answers.
		expect(frame(app)).toMatch(/^> {0,2}$/m);
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'RECOVERED');
		app.unmount();
	});

	it('a wrong answer takes its rows from the pane, not from the question', async () => {
		const {app} = setup(many, SMALL);
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('yes\r');
		const text = await waitFor(app, 'that is not "disable"; nothing was changed');
		expect(text).toContain('preview lines 1–');
		fits(app);
		app.stdin.write(KEY.esc);
		await waitFor(app, 'CANCELLED');
		app.unmount();
	});

	it('during and after the run the newest rows are in view, the oldest leave at the top', async () => {
		const {app, done} = setup(many, SMALL);
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'RECOVERED');
		const {state} = await done;
		expect(state.exitCode).toBe(0);
		for (const shown of app.frames.map(strip).filter(text => text.trim() !== '')) expect(shown.split('\n').length).toBeLessThanOrEqual(SMALL.rows - 1);
		const last = frame(app);
		fits(app);
		expect(last).toContain('cavra-rollback rollback · run rb-');
		expect(last).toContain('Verify billing reports mode disabled [done]');
		expect(last).not.toContain('Preflight: config, plan');
		app.unmount();
	});

	it('on a narrow window the countdown puts its words above a shorter bar, nothing cut', async () => {
		const narrow = {columns: 50, rows: 20};
		const {app, world, done} = setup([svc('api')], narrow);
		let release!: () => void;
		const gate = new Promise<void>(resolve => (release = resolve));
		world.hooks.at = point => (point === 'restart:after:api' ? gate : undefined);
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('disable\r');
		await waitFor(app, 'Restart api (command) [running]');
		const shown = lines(app);
		expect(shown).toContain('Recovery budget 15 min');
		expect(shown.some(line => /^\[[▰▱]+\] \d\d:\d\d left$/.test(line))).toBe(true);
		for (const line of shown) expect(displayWidth(line), line).toBeLessThanOrEqual(narrow.columns);
		release();
		await waitFor(app, 'RECOVERED');
		expect((await done).state.exitCode).toBe(0);
		app.unmount();
	});

	it('a resize reflows the pane to the new window', async () => {
		const {app, store, control} = setup(many, SMALL);
		await waitFor(app, 'Type disable and press Enter');
		const total = Number(/ of (\d+) ·/.exec(frame(app))![1]);
		app.rerender(<RollbackScreen store={store} onStop={() => control.requestStop()} color={false} animate={false} size={{columns: 100, rows: 30}} />);
		const wide = await waitFor(app, /preview lines 1–\d+ of \d+/);
		expect(Number(/ of (\d+) ·/.exec(wide)![1])).toBeLessThan(total);
		for (const line of lines(app)) expect(displayWidth(line)).toBeLessThanOrEqual(100);
		expect(lines(app).length).toBeLessThanOrEqual(29);
		app.stdin.write(KEY.esc);
		await waitFor(app, 'CANCELLED');
		app.unmount();
	});
});

describe('the transcript left on the normal screen', () => {
	it('a finished run: the preview, every step, the verdict and the evidence path, in the plain renderer\'s words', async () => {
		const {app, store, done} = setup();
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write('disable');
		await waitFor(app, '> disable');
		app.stdin.write(KEY.enter);
		await waitFor(app, 'RECOVERED');
		const outcome = await done;
		app.unmount();
		const transcript = store.transcriptLines();
		expect(transcript).toContain(`cavra-rollback: rollback ${outcome.state.runId}`);
		expect(transcript).toContain(`Rollback preview: run ${outcome.state.runId}`);
		expect(transcript).toContain('       $ /opt/api/restart --password <redacted>');
		expect(transcript.some(line => /^✔ Restart api \(command\): done/.test(line))).toBe(true);
		expect(transcript.some(line => /^✔ Verify api reports mode disabled: done/.test(line))).toBe(true);
		expect(transcript).toContain('RECOVERED: CAVRA is back in Python-only mode');
		expect(transcript).toContain(`evidence: /evidence/${outcome.state.runId}/evidence.json`);
		expect(transcript.join('\n')).not.toMatch(/hunter2|pw-secret-1/);
	});

	it('declined (Esc): one line saying nothing was changed', async () => {
		const {app, store, done} = setup();
		await waitFor(app, 'Type disable and press Enter');
		app.stdin.write(KEY.esc);
		await waitFor(app, 'CANCELLED');
		await done;
		app.unmount();
		expect(store.transcriptLines()).toEqual(['CANCELLED: stopped by the operator; nothing was changed: no evidence bundle kept, nothing to resume']);
	});
});
