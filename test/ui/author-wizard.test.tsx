import {chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {promotedSettings, summariseReport, type Verdict} from '../../source/core/author/verdict.js';
import {lintPlan} from '../../source/core/lint/lint-plan.js';
import {rollbackReadinessReport} from '../../source/core/readiness/index.js';
import {targetExists, writePlan} from '../../source/io/plan-writer.js';
import {listTemplates} from '../../source/io/templates.js';
import type {AuthorDeps, TemplateChoice, WizardOutcome} from '../../source/ui/screens/author/types.js';
import {AuthorWizard} from '../../source/ui/screens/author/wizard.js';

/*
 * The whole wizard driven with keys, as a user would. Every key waits for the frame it should
 * produce and then yields one setImmediate turn, so input handlers are armed before the next key.
 */

const KEY = {
	up: '\u001B[A',
	down: '\u001B[B',
	shiftUp: '\u001B[1;2A',
	enter: '\r',
	esc: '\u001B',
	tab: '\t',
	space: ' ',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

const SECRET = 'ghp_Zq4Jt0bW8vXc2Lm7Nn5Rr1Ss9Tt3Uu6Vv0Ww';

type App = ReturnType<typeof render>;
const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
const frame = (app: App) => strip(app.lastFrame() ?? '');
/** Whitespace (wrapping, padding, the text field's cursor cell) collapsed to single spaces. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const turn = () => new Promise(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitFor(app: App, expected: string | RegExp | ((text: string) => boolean), timeoutMs = 5000): Promise<string> {
	const test =
		typeof expected === 'function' ? expected
		: typeof expected === 'string' ? (text: string) => flat(text).includes(flat(expected))
		: (text: string) => expected.test(flat(text));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = frame(app);
		if (test(text)) {
			// Let React run the effects that re-arm input handlers before the next key (generous:
			// these files run in parallel with others on small machines).
			await sleep(30);
			await turn();
			return flat(text);
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)}; last frame:\n${text}`);
		await sleep(5);
	}
}

/** Press a key and wait for what it should show. */
async function press(app: App, key: string, expected: string | RegExp | ((text: string) => boolean)): Promise<string> {
	app.stdin.write(key);
	return waitFor(app, expected);
}

/**
 * The last key of the wizard: the saved screen is its final frame, and the wizard exits right
 * after it, so on a busy machine the poll may first see the frame after the exit. Any frame
 * rendered since the key counts.
 */
async function pressToFinish(app: App, key: string, expected: RegExp): Promise<void> {
	const before = app.frames.length;
	app.stdin.write(key);
	await waitFor(app, text => expected.test(flat(text)) || app.frames.slice(before).some(each => expected.test(flat(strip(each)))));
}

/** Type text into the focused field (one paste) and wait until it shows. */
async function type(app: App, text: string, shown: string = text): Promise<string> {
	app.stdin.write(text);
	return waitFor(app, shown);
}

/** Backspace one key at a time (a text field applies one edit per render). */
async function erase(app: App, count: number): Promise<void> {
	for (let i = 0; i < count; i++) {
		const before = frame(app);
		app.stdin.write(KEY.backspace);
		await waitFor(app, text => text !== before);
	}
}

let dir: string;
let templates: TemplateChoice[];
let exits: WizardOutcome[];
let exited: Promise<WizardOutcome>;
let resolveExit: (outcome: WizardOutcome) => void;

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-ui-'));
	templates = await Promise.all((await listTemplates()).map(async info => ({name: info.name, description: info.description, text: readFileSync(info.path, 'utf8')})));
	exits = [];
	exited = new Promise(resolve => (resolveExit = resolve));
});

afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
});

function readiness(target: string) {
	return (bytes: Uint8Array): Verdict =>
		summariseReport(
			rollbackReadinessReport(promotedSettings(target, new Date()), {
				plan: {kind: 'bytes', bytes},
				rehearsal: {kind: 'unconfigured'},
				drillHistory: {kind: 'unconfigured'},
				drillSchedule: {kind: 'unconfigured'},
			}),
		);
}

/** Real files: the plan writer (atomic, backup) on a temporary folder. */
function realDeps(target: string): AuthorDeps & {saves: string[]} {
	const saves: string[] = [];
	return {
		saves,
		targetExists: () => targetExists(target),
		save: async (text, options) => {
			saves.push(text);
			return writePlan(target, text, options);
		},
		readiness: readiness(target),
	};
}

function mount(target: string, deps: AuthorDeps, extra: {existing?: {path: string; text: string}; initialTemplate?: string} = {}) {
	return render(
		<AuthorWizard
			target={target}
			templates={templates}
			{...extra}
			deps={deps}
			animate={false}
			onExit={outcome => {
				exits.push(outcome);
				resolveExit(outcome);
			}}
		/>,
	);
}

/** From the template list to the steps step, keeping the template's approval, minutes and controls. */
async function chooseStandardAndGoToSteps(app: App): Promise<void> {
	await waitFor(app, 'Template: standard');
	await press(app, KEY.down, '❯ Template: ci-runner');
	await press(app, KEY.down, '❯ Template: standard');
	await waitFor(app, "The standard plan from CAVRA's documentation");
	await press(app, KEY.enter, 'Is this rollback plan approved?');
	await press(app, KEY.tab, 'Maximum recovery time');
	await press(app, KEY.tab, 'Which controls are in place?');
	await press(app, KEY.tab, 'The rollback steps an operator follows');
}

describe('author wizard (Ink)', () => {
	it('writes a new plan from a template: saved, lint-clean and ready under readiness', async () => {
		const target = path.join(dir, 'plan.json');
		const deps = realDeps(target);
		const app = mount(target, deps);
		let text = await waitFor(app, 'Start the plan from:');
		// Each template's one-line description shows as it is highlighted.
		expect(text).toContain(templates[0]!.description);
		await press(app, KEY.down, templates[1]!.description);
		await press(app, KEY.down, templates[2]!.description);
		expect(templates[2]!.name).toBe('standard');
		await press(app, KEY.enter, 'Is this rollback plan approved?');

		// Approval: yes, then a new approval id.
		await press(app, KEY.enter, '✔ approved');
		await erase(app, 'apr_go_backend_rollback'.length);
		await type(app, 'CAB-2024-117');
		await press(app, KEY.enter, 'Maximum recovery time');

		// Recovery target: 15 → 20, checked as typed.
		await erase(app, 2);
		text = await waitFor(app, 'enter the recovery target in minutes, e.g. 15');
		await type(app, '20');
		await press(app, KEY.enter, 'Which controls are in place?');

		// Controls: the five required ones, marked and ticked.
		text = frame(app);
		expect(text.match(/\[x\] [a-z-]+ \(required\)/g)).toHaveLength(5);
		await press(app, KEY.enter, 'The rollback steps an operator follows');

		// Steps: add one after step 1.
		await press(app, 'a', '› 2.');
		await type(app, 'Announce the rollback in the incident channel.');
		await press(app, KEY.enter, 'a add');
		expect(flat(frame(app))).toMatch(/2\. Announce the rollback/);
		await press(app, KEY.tab, 'Evidence refs: where the proof lives');
		await press(app, KEY.tab, 'The plan as it will be written (status ready)');

		text = frame(app);
		expect(text).toContain('"approval_id": "CAB-2024-117"');
		expect(text).toContain('"max_recovery_minutes": 20');
		expect(text).toMatch(/CAVRA readiness in promoted mode with this plan:\s+ready/);
		expect(text).toContain('lint: no findings');

		await press(app, KEY.enter, 'Save as ready');
		await pressToFinish(app, KEY.enter, /Saved .*plan\.json/);
		expect(await exited).toEqual({kind: 'saved', status: 'ready', path: target});

		const written = readFileSync(target, 'utf8');
		expect(written.endsWith('}\n')).toBe(true);
		const plan = JSON.parse(written) as Record<string, unknown>;
		expect(plan).toMatchObject({status: 'ready', approved: true, approval_id: 'CAB-2024-117', max_recovery_minutes: 20});
		expect(plan['$comment']).toBeUndefined();
		expect((plan['rollback_steps'] as string[])[1]).toBe('Announce the rollback in the incident channel.');
		const report = await lintPlan({path: target, bytes: readFileSync(target)});
		expect(report.findings).toEqual([]);
		expect(readiness(target)(readFileSync(target))).toEqual({status: 'ready', failing: []});
		app.unmount();
	});

	it('edits an existing plan: approves it, ticks the missing control, reorders and deletes steps, overwrites with a backup, keeps the mode', async () => {
		const target = path.join(dir, 'existing.json');
		const original = readFileSync(new URL('../fixtures/author/existing-plan.json', import.meta.url), 'utf8');
		writeFileSync(target, original);
		chmodSync(target, 0o640);
		const app = mount(target, realDeps(target), {existing: {path: target, text: original}});
		await waitFor(app, 'The existing plan at the target path');
		expect(flat(frame(app))).toContain(`Edit ${target}`);
		await press(app, KEY.enter, 'Is this rollback plan approved?');
		expect(flat(frame(app))).toContain('the plan is not approved');
		await press(app, KEY.up, '❯ Yes');
		await press(app, KEY.enter, '✔ approved');
		await type(app, 'CAB-9');
		await waitFor(app, text => !text.includes('the plan is not approved'));
		await press(app, KEY.enter, 'Maximum recovery time');
		expect(flat(frame(app))).toContain('› 30');
		await press(app, KEY.enter, 'Which controls are in place?');
		expect(flat(frame(app))).toContain('controls is missing "evidence-capture-enabled"');
		for (const control of ['promoted-mode-disable-tested', 'rollback-approval-recorded', 'operator-runbook-linked']) await press(app, KEY.down, `› [x] ${control}`);
		await press(app, KEY.down, '› [ ] evidence-capture-enabled');
		await press(app, KEY.space, '[x] evidence-capture-enabled');
		await waitFor(app, text => !text.includes('controls is missing'));
		await press(app, KEY.enter, 'The rollback steps an operator follows');

		// Move step 3 ("Restart the API service.") above step 2, then delete the capture step.
		await press(app, KEY.down, '› 2. Capture');
		await press(app, KEY.down, '› 3. Restart');
		await press(app, KEY.shiftUp, '› 2. Restart the API service.');
		await press(app, KEY.down, '› 3. Capture');
		await press(app, 'd', text => !text.includes('Capture the rollback readiness report.'));
		// Edit step 1.
		await press(app, KEY.up, '› 2. Restart');
		await press(app, KEY.up, '› 1. Set');
		await press(app, KEY.enter, 'enter or esc done');
		await type(app, ' Keep a copy of the file.', 'file. Keep a copy of the file.');
		await press(app, KEY.esc, 'a add');
		await press(app, KEY.tab, 'Evidence refs');
		await press(app, KEY.tab, 'The plan as it will be written (status ready)');
		await press(app, KEY.enter, 'Save as ready');
		await press(app, KEY.enter, 'already exists. Overwrite it?');
		await press(app, KEY.down, '❯ Yes, overwrite');
		await press(app, KEY.enter, 'previous version kept at');
		await exited;

		const plan = JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>;
		expect(plan).toMatchObject({status: 'ready', approved: true, approval_id: 'CAB-9', max_recovery_minutes: 30, owner_team: 'platform'});
		expect(Object.keys(plan)[0]).toBe('$schema');
		expect(plan['rollback_steps']).toEqual(['Set CAVRA_GO_BACKEND_MODE=disabled in the API environment file. Keep a copy of the file.', 'Restart the API service.']);
		expect((plan['controls'] as string[]).at(-1)).toBe('evidence-capture-enabled');
		expect(statSync(target).mode & 0o777).toBe(0o640);
		const backups = readdirSync(dir).filter(name => name.startsWith('existing.json.cavra-rollback.') && name.endsWith('.bak'));
		expect(backups).toHaveLength(1);
		expect(readFileSync(path.join(dir, backups[0]!), 'utf8')).toBe(original);
		app.unmount();
	});

	it('a planted secret in a step blocks a ready save, is never echoed in a finding, and the draft path saves with status "draft"', async () => {
		const target = path.join(dir, 'plan.json');
		const deps = realDeps(target);
		const app = mount(target, deps);
		await chooseStandardAndGoToSteps(app);
		await press(app, 'a', '› 2.');
		await type(app, `export GITHUB_TOKEN=${SECRET}`);
		await waitFor(app, 'holds what looks like a GitHub token');
		// The field itself shows what is typed; the finding next to it does not.
		for (const line of frame(app).split('\n').filter(line => line.includes('✖'))) expect(line).not.toContain(SECRET.slice(4, 12));
		expect(flat(frame(app))).toMatch(/reference it by name instead, e\.g\. \$\{GITHUB_TOKEN\}/);
		expect(flat(frame(app))).toMatch(/lint: 1 error · 0 warnings/);
		await press(app, KEY.esc, 'a add');
		// Once the edit ends, the list shows the value masked.
		let text = frame(app);
		expect(text).not.toContain(SECRET.slice(4, 12));
		expect(text).toContain('‹masked: ghp_');

		await press(app, KEY.tab, 'Evidence refs');
		text = await press(app, KEY.tab, 'The plan as it will be written (status draft, because errors remain)');
		expect(text).not.toContain(SECRET.slice(4, 12));
		expect(text).toMatch(/CAVRA readiness in promoted mode with this plan:\s+needs_attention/);
		expect(text).toContain('rollback plan must record status=ready');

		text = await press(app, KEY.enter, 'can only be saved as a draft');
		expect(text).not.toContain('Save as ready');
		expect(text).toContain('What remains:');
		expect(text).toMatch(/rollback step 2: .*GitHub token/);
		expect(text).not.toContain(SECRET.slice(4, 12));
		await pressToFinish(app, KEY.enter, /Saved/);
		expect(await exited).toMatchObject({kind: 'saved', status: 'draft'});
		expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({status: 'draft'});
		// No frame ever put the secret inside a finding line.
		for (const written of app.frames.map(strip)) {
			for (const line of written.split('\n').filter(candidate => candidate.includes('✖') || candidate.includes('⚠'))) expect(line).not.toContain(SECRET.slice(4, 12));
		}
		app.unmount();
	});

	it('back and forward keep everything typed, including half-typed items and a custom control draft', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		await press(app, KEY.enter, '✔ approved');
		await type(app, '-v2', 'apr_go_backend_rollback-v2');
		await press(app, KEY.enter, 'Maximum recovery time');
		await erase(app, 2);
		await type(app, '4');
		await press(app, KEY.esc, 'apr_go_backend_rollback-v2');
		await press(app, KEY.tab, 'Maximum recovery time');
		expect(flat(frame(app))).toMatch(/› 4 minutes/);
		await press(app, KEY.tab, 'Which controls are in place?');
		await press(app, 'a', 'New control:');
		await type(app, 'incident-channel-announced');
		await press(app, KEY.esc, text => !text.includes('New control:'));
		await press(app, KEY.tab, 'The rollback steps an operator follows');
		await press(app, 'a', '› 2.');
		await type(app, 'Half-typed step');
		// Leave while editing: esc closes the field (kept), esc again goes back.
		await press(app, KEY.esc, 'a add');
		await press(app, KEY.esc, 'Which controls are in place?');
		await press(app, 'a', 'incident-channel-announced');
		await press(app, KEY.enter, '[x] incident-channel-announced');
		await press(app, KEY.esc, 'Maximum recovery time');
		await press(app, KEY.esc, '› apr_go_backend_rollback-v2');
		await press(app, KEY.esc, '❯ Yes: the rollback plan is approved');
		await press(app, KEY.esc, 'Start the plan from:');
		// The source step offers to keep the plan being edited.
		expect(flat(frame(app))).toContain('❯ Keep the plan you are editing');
		await press(app, KEY.enter, 'Is this rollback plan approved?');
		expect(flat(frame(app))).toContain('apr_go_backend_rollback-v2');
		await press(app, KEY.tab, 'Maximum recovery time');
		expect(flat(frame(app))).toMatch(/› 4 minutes/);
		await press(app, KEY.tab, '[x] incident-channel-announced');
		await press(app, KEY.tab, 'Half-typed step');
		await press(app, KEY.tab, 'Evidence refs');
		const text = await press(app, KEY.tab, 'The plan as it will be written');
		expect(text).toContain('"approval_id": "apr_go_backend_rollback-v2"');
		expect(text).toContain('"max_recovery_minutes": 4');
		expect(text).toContain('"incident-channel-announced"');
		expect(text).toContain('"Half-typed step"');
		app.unmount();
	});

	it('asks before overwriting: "no" leaves the file alone, "yes" replaces it and keeps a backup', async () => {
		const target = path.join(dir, 'plan.json');
		writeFileSync(target, '{"hand": "written"}\n');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		for (const title of ['Maximum recovery time', 'Which controls', 'The rollback steps', 'Evidence refs', 'The plan as it will be written']) await press(app, KEY.tab, title);
		await press(app, KEY.enter, 'Save as ready');
		await press(app, KEY.enter, 'already exists. Overwrite it?');
		expect(flat(frame(app))).toContain('❯ No, go back');
		await press(app, KEY.enter, 'Save as ready');
		expect(readFileSync(target, 'utf8')).toBe('{"hand": "written"}\n');
		await press(app, KEY.enter, 'already exists. Overwrite it?');
		await press(app, KEY.esc, 'Save as ready');
		expect(exits).toEqual([]);
		await press(app, KEY.enter, 'already exists. Overwrite it?');
		await press(app, KEY.down, '❯ Yes, overwrite');
		await press(app, KEY.enter, 'previous version kept at');
		await exited;
		expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({status: 'ready'});
		const backup = readdirSync(dir).find(name => name.endsWith('.bak'));
		expect(readFileSync(path.join(dir, backup!), 'utf8')).toBe('{"hand": "written"}\n');
		app.unmount();
	});

	it('ctrl+c asks before discarding unsaved changes; "keep editing" keeps them, "discard" saves nothing', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		await press(app, KEY.enter, '✔ approved');
		await type(app, '-x', 'rollback-x');
		await press(app, KEY.ctrlC, 'You have unsaved changes. Discard them and quit?');
		await press(app, KEY.enter, 'rollback-x');
		expect(exits).toEqual([]);
		await press(app, KEY.ctrlC, 'Discard them and quit?');
		await press(app, KEY.esc, 'rollback-x');
		await press(app, KEY.ctrlC, 'Discard them and quit?');
		await press(app, KEY.down, '❯ Yes, discard and quit');
		app.stdin.write(KEY.enter);
		expect(await exited).toEqual({kind: 'cancelled'});
		expect(() => statSync(target)).toThrow();
		app.unmount();
	});

	it('ctrl+c with nothing changed quits at once', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target));
		await waitFor(app, 'Start the plan from:');
		app.stdin.write(KEY.ctrlC);
		expect(await exited).toEqual({kind: 'cancelled'});
		app.unmount();
	});

	it('a failed save says so, changes nothing, and can be retried', async () => {
		const target = path.join(dir, 'plan.json');
		let attempts = 0;
		const deps: AuthorDeps = {
			targetExists: async () => false,
			save: async () => {
				attempts++;
				if (attempts === 1) throw new Error('disk full');
				return {path: target};
			},
		};
		const app = mount(target, deps, {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		for (const title of ['Maximum recovery time', 'Which controls', 'The rollback steps', 'Evidence refs', 'The plan as it will be written']) await press(app, KEY.tab, title);
		expect(flat(frame(app))).toContain('CAVRA readiness: not available');
		await press(app, KEY.enter, 'Save as ready');
		await press(app, KEY.enter, 'Not saved: disk full');
		await pressToFinish(app, KEY.enter, /Saved .*plan\.json/);
		expect(await exited).toMatchObject({kind: 'saved', status: 'ready'});
		app.unmount();
	});
});

describe('author wizard keys', () => {
	it('Enter or Tab on an invalid recovery time ("30x") does not move on and says why; fixed, Enter moves on', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		await press(app, KEY.tab, 'Maximum recovery time');
		await erase(app, 2);
		await type(app, '30x', '30x');
		await press(app, KEY.enter, 'not moving on: enter a number of minutes');
		expect(frame(app)).toContain('Maximum recovery time');
		app.stdin.write(KEY.tab);
		await turn();
		await sleep(50);
		expect(frame(app)).toContain('not moving on');
		expect(frame(app)).not.toContain('Which controls are in place?');
		// The footer says what Enter and Tab do here.
		expect(flat(frame(app))).toContain('enter or tab next step');
		// A held Backspace: one DEL erases the x; the refusal goes with the bad value.
		await press(app, KEY.backspace, text => !text.includes('30x') && !text.includes('not moving on'));
		expect(flat(frame(app))).toMatch(/› 30 minutes/);
		await press(app, KEY.enter, 'Which controls are in place?');
		app.unmount();
	});

	it('keys batched in one read all count: two DEL bytes erase two digits, three Down keys move three rows', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		await press(app, KEY.tab, 'Maximum recovery time');
		await press(app, KEY.backspace + KEY.backspace, 'enter the recovery target in minutes');
		await type(app, '45', '› 45');
		await press(app, KEY.enter, 'Which controls are in place?');
		const before = frame(app).match(/\[x\]/g)?.length ?? 0;
		app.stdin.write(KEY.down + KEY.down + KEY.down + KEY.space);
		await waitFor(app, text => (text.match(/\[x\]/g)?.length ?? 0) === before - 1);
		// The fourth control (index 3) is the highlighted one, and the one unticked.
		const rows = frame(app).split('\n').filter(row => /\[[x ]\]/.test(row));
		expect(rows.findIndex(row => row.trimStart().startsWith('›'))).toBe(3);
		expect(rows[3]).toMatch(/›\s*\[ \]/);
		app.unmount();
	});

	it('a paste into a text field goes in whole: its line break does not press Enter', async () => {
		const target = path.join(dir, 'plan.json');
		const app = mount(target, realDeps(target), {initialTemplate: 'standard'});
		await waitFor(app, 'Is this rollback plan approved?');
		await press(app, KEY.enter, '✔ approved');
		app.stdin.write('\u0015');
		await waitFor(app, text => !text.includes('apr_go_backend_rollback'));
		await type(app, '\u001B[200~CAB-77\r\u001B[201~', 'CAB-77');
		expect(frame(app)).toContain('Approval id');
		expect(frame(app)).not.toContain('Maximum recovery time');
		await press(app, KEY.enter, 'Maximum recovery time');
		await press(app, KEY.esc, 'Approval id');
		expect(flat(frame(app))).toContain('CAB-77');
		app.unmount();
	});
});
