import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {CavraConfig} from '../../source/core/config/schema.js';
import {hasHiddenCharacters} from '../../source/core/text/sanitize.js';
import {RunControl, runRollback} from '../../source/io/rollback-runner.js';
import {targetExists, writePlan} from '../../source/io/plan-writer.js';
import {listTemplates} from '../../source/io/templates.js';
import type {AuthorDeps, TemplateChoice} from '../../source/ui/screens/author/types.js';
import {AuthorWizard} from '../../source/ui/screens/author/wizard.js';
import {keysOnly} from '../../source/ui/key-input.js';
import {runDashboardUi} from '../../source/ui/render-dashboard.js';
import {DashboardScreen} from '../../source/ui/screens/dashboard/dashboard-screen.js';
import {RollbackScreen} from '../../source/ui/screens/rollback/rollback-screen.js';
import {RollbackStore} from '../../source/ui/screens/rollback/store.js';
import {FakeWorld, readySummary} from '../fixtures/rollback/fakes.js';
import {HOSTILE, expectNoRawInFrame, expectShown} from '../helpers/hostile.js';
import {hostileDashboardStore} from '../helpers/hostile-dashboard.js';
import {FakeStdin, FakeStdout, waitForFrame} from './dashboard-harness.js';

/*
 * Each Ink screen with hostile input: every frame Ink wrote (raw, not stripped) holds no foreign
 * escape sequence, carriage return, bidi or zero-width character, and the payloads are visible.
 */

type App = ReturnType<typeof render>;
const KEY = {enter: '\r', down: '\u001B[B', up: '\u001B[A', tab: '\t', backspace: '\u007F'} as const;
const plainText = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '').replace(/\s+/g, ' ');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(app: App, expected: string | ((frame: string) => boolean)): Promise<string> {
	const test = typeof expected === 'string' ? (frame: string) => frame.includes(expected.replace(/\s+/g, ' ')) : expected;
	for (let i = 0; i < 1000; i++) {
		const frame = plainText(app.lastFrame() ?? '');
		if (test(frame)) {
			await sleep(30);
			return frame;
		}
		await sleep(5);
	}
	throw new Error(`timed out waiting for ${String(expected)}; last frame:\n${app.lastFrame() ?? ''}`);
}

async function press(app: App, key: string, expected: string): Promise<string> {
	app.stdin.write(key);
	return waitFor(app, expected);
}

function expectEveryFrameSafe(app: App): string {
	for (const frame of app.frames) expectNoRawInFrame(frame);
	return app.frames.map(plainText).join('\n');
}

describe('dashboard screen', () => {
	it('summary and every details view show hostile plan, env, config and API text escaped', async () => {
		const app = render(<DashboardScreen store={hostileDashboardStore(Date.UTC(2030, 0, 1))} onRefresh={() => undefined} rollbackAvailable={false} onBeginRollback={() => undefined} color={false} />);
		await waitFor(app, 'NEEDS ATTENTION');
		for (let panel = 0; panel <= 7; panel++) {
			await press(app, KEY.enter, 'details');
			await press(app, '\u001B', 'enter details');
			await press(app, KEY.down, 'enter details');
		}
		const text = expectEveryFrameSafe(app);
		expectShown(text, ['approvalId', 'red', 'zw', 'csi8', 'rlo']);
		app.unmount();
	});
});

describe('rollback screen', () => {
	it('the confirmation shows the approval id and runbook escaped: no clipboard write, no hidden line', async () => {
		const env = '/etc/cavra/cavra.env';
		const world = new FakeWorld({files: {[env]: `CAVRA_GO_BACKEND_MODE=promoted\n`}, services: {api: {envFile: env}}});
		world.planSummary = {...readySummary, approval_id: HOSTILE.approvalId, rollback_steps: [HOSTILE.step, HOSTILE.red, HOSTILE.rlo]};
		const config: CavraConfig = {plan: `/etc/cavra/plan${HOSTILE.zw}.json`, mode: {envFiles: [env]}, services: [{name: 'api', kind: 'command', restart: ['/opt/api/restart'], verify: {url: 'http://127.0.0.1:8000/svc/api'}}], evidence: {dir: '/evidence'}};
		const store = new RollbackStore();
		const control = new RunControl();
		const app = render(<RollbackScreen store={store} onStop={() => control.requestStop()} color={false} animate={false} />);
		const done = runRollback(
			{kind: 'rollback', config, configPath: '/etc/cavra/.cavrarc.yaml', env: {}, serviceFilter: [], evidenceDir: '/evidence', control, onState: store.onState, onPreview: store.onPreview, confirm: store.confirm},
			world.effects(),
		).then(result => store.finish({evidencePath: result.evidencePath, runDir: result.runDir}));
		await waitFor(app, 'Type disable and press Enter');
		const text = expectEveryFrameSafe(app);
		expectShown(text, ['approvalId', 'step', 'red', 'rlo', 'zw']);
		app.stdin.write('\u001B');
		await done;
		expectEveryFrameSafe(app);
		app.unmount();
	});
});

describe('author wizard', () => {
	let dir: string;
	let templates: TemplateChoice[];
	beforeEach(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'author-hostile-'));
		templates = await Promise.all((await listTemplates()).map(async info => ({name: info.name, description: info.description, text: readFileSync(info.path, 'utf8')})));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	const deps = (target: string): AuthorDeps => ({targetExists: () => targetExists(target), save: async (text, options) => writePlan(target, text, options)});
	const mount = (target: string, existing?: {path: string; text: string}) =>
		render(<AuthorWizard target={target} templates={templates} {...(existing && {existing})} deps={deps(target)} animate={false} onExit={() => undefined} />);

	it('an opened plan with hidden characters shows them escaped in fields, lists, findings and review', async () => {
		const target = path.join(dir, 'plan.json');
		const plan = JSON.parse(readFileSync(new URL('../fixtures/author/existing-plan.json', import.meta.url), 'utf8')) as Record<string, unknown>;
		const text = JSON.stringify({...plan, approved: true, approval_id: HOSTILE.approvalId, rollback_steps: [HOSTILE.step, HOSTILE.red], evidence_refs: [`x://${HOSTILE.rlo}`]}, null, 2);
		writeFileSync(target, text);
		const app = mount(target, {path: target, text});
		await waitFor(app, 'The existing plan at the target path');
		await press(app, KEY.enter, 'Is this rollback plan approved?');
		await press(app, KEY.enter, 'Approval id');
		await waitFor(app, 'U+001B (escape)');
		await press(app, KEY.tab, 'Maximum recovery time');
		await press(app, KEY.tab, 'Which controls are in place?');
		await press(app, KEY.tab, 'The rollback steps an operator follows');
		await press(app, KEY.enter, 'enter or esc done');
		await press(app, '\u001B', 'a add');
		await press(app, KEY.tab, 'Evidence refs');
		await press(app, KEY.tab, 'The plan as it will be written');
		const shown = expectEveryFrameSafe(app);
		expectShown(shown, ['approvalId', 'step', 'red', 'rlo']);
		app.unmount();
	}, 60_000);

	it('typed input: Backspace bytes erase, escape sequences are dropped, nothing hidden is saved', async () => {
		const target = path.join(dir, 'new.json');
		const app = mount(target);
		await waitFor(app, 'Start the plan from:');
		await press(app, KEY.enter, 'Is this rollback plan approved?');
		await press(app, KEY.enter, '✔ approved');
		// Typed after the template's id: "X12", then a held Backspace arriving as one chunk of two DEL bytes.
		await sleep(100);
		app.stdin.write('X12');
		await waitFor(app, frame => /› \S*X12\s/.test(frame));
		app.stdin.write('\u007F\u007F');
		// Ink 6.8 may deliver them as keys or as text; either way they erase and are never kept.
		await waitFor(app, frame => /› \S*X\s/.test(frame));
		// A paste carrying a clipboard write (Ink splits it at the ESC; the BEL is dropped).
		app.stdin.write(`34${'\u001B]52;c;ZXZpbA==\u0007'}56`);
		await waitFor(app, frame => /› \S*X\S*56\s/.test(frame));
		await press(app, KEY.tab, 'Maximum recovery time');
		await press(app, KEY.tab, 'Which controls are in place?');
		await press(app, KEY.tab, 'The rollback steps an operator follows');
		await press(app, 'a', '› 2.');
		app.stdin.write('Page the on-call\u200B lead\r');
		await waitFor(app, 'Page the on-call lead');
		await press(app, KEY.tab, 'Evidence refs');
		await press(app, KEY.tab, 'The plan as it will be written (status ready)');
		expectEveryFrameSafe(app);
		await press(app, KEY.enter, 'Save as ready');
		await press(app, KEY.enter, 'Saved');
		const saved = JSON.parse(readFileSync(target, 'utf8')) as {approval_id: string; rollback_steps: string[]};
		// The Backspace bytes erased "12"; what survives of the paste is printable (Ink splits it at the ESC).
		expect(saved.approval_id).toMatch(/^apr_[a-z_]+X[^1]*56$/);
		expect(hasHiddenCharacters(saved.approval_id)).toBe(false);
		expect(saved.rollback_steps[1]).toBe('Page the on-call lead');
		expect(hasHiddenCharacters(readFileSync(target, 'utf8').replace(/\n/g, ''))).toBe(false);
		app.unmount();
	}, 60_000);
});

describe('one sanitizer for every Ink text', () => {
	it("no screen or component takes Text or ink-text-input straight from their packages", async () => {
		const {readdirSync} = await import('node:fs');
		const root = new URL('../../source/ui/', import.meta.url);
		const files = readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(file => /\.tsx?$/.test(file) && !/components\/text(-input)?\.tsx$/.test(file));
		const offenders = files.filter(file => {
			const source = readFileSync(new URL(file, root), 'utf8');
			return /import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*'ink'/.test(source) || /from\s*'ink-text-input'/.test(source);
		});
		expect(files.length).toBeGreaterThan(10);
		expect(offenders).toEqual([]);
	});
});

describe('keyboard input reaches Ink as keys only', () => {
	it('keeps keys, drops colour codes, reports, OSC strings and C1 controls whole', () => {
		const keys = ['\u001b[A', '\u001b[1;5D', '\u001b[Z', '\u001b[3~', '\u001b[6~', '\u001b[200~', '\u001b[201~', '\u001bOA', '\u001b', '\r', '\t', '\u007f', 'q'];
		for (const key of keys) expect(keysOnly(key)).toBe(key);
		expect(keysOnly('34\u001b[31m56\u001b[0m')).toBe('3456');
		expect(keysOnly('a\u001b[12;40Rb\u001b[2Jc')).toBe('abc');
		expect(keysOnly(`x${'\u001b]52;c;ZXZpbA==\u0007'}y\u001bP1$r\u001b\\z`)).toBe('xyz');
		expect(keysOnly('a\u009b31mb\u0085c')).toBe('abc');
	});

	it('the dashboard survives a pasted colour code and a cursor-position report (Ink alone throws on them)', async () => {
		const stdout = new FakeStdout(100, 40);
		const stdin = new FakeStdin();
		const done = runDashboardUi({
			store: hostileDashboardStore(Date.UTC(2030, 0, 1)),
			onRefresh: () => undefined,
			rollbackAvailable: false,
			color: false,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
			debug: true,
		});
		await waitForFrame(() => stdout.lastFrame(), frame => frame.includes('NEEDS ATTENTION'));
		stdin.write('\u001b[31mred\u001b[0m');
		stdin.write('\u001b[12;40R');
		stdin.write('?');
		await waitForFrame(() => stdout.lastFrame(), frame => frame.includes('Keys'));
		stdin.write('q');
		await expect(done).resolves.toEqual({next: 'quit'});
		for (const frame of stdout.frames) expectNoRawInFrame(frame);
		// The terminal's own sequences (alternate screen in and out) are the only ones written around frames.
		expect(stdout.screenModes).toEqual(['enter', 'leave']);
	});
});
