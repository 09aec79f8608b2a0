import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {run} from '../../source/commands/author.js';
import type {CommandContext} from '../../source/commands/context.js';
import {lintPlan} from '../../source/core/lint/lint-plan.js';

/*
 * `author --plain` through its real command module, with @inquirer/prompts reading a fake
 * terminal: the streams say they are TTYs, keys are written as a terminal sends them, and every
 * key waits for the question it answers.
 */

const KEY = {down: '\u001B[B', up: '\u001B[A', enter: '\r', space: ' ', ctrlC: '\u0003'} as const;
const SECRET = 'ghp_Zq4Jt0bW8vXc2Lm7Nn5Rr1Ss9Tt3Uu6Vv0Ww';
const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[78]/g, '');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

class FakeTerminal {
	readonly input = Object.assign(new PassThrough(), {isTTY: true});
	// A terminal's stdout outlives each prompt: @inquirer ends the stream it is given after every
	// question (harmless on process.stdout), so this one ignores end() as a TTY does.
	readonly output = Object.assign(new PassThrough(), {isTTY: true, columns: 100, rows: 40});
	readonly errors = Object.assign(new PassThrough(), {isTTY: true});
	text = '';
	errorText = '';
	private seen = 0;

	constructor() {
		this.output.end = (() => this.output) as typeof this.output.end;
		this.output.on('data', chunk => (this.text += String(chunk)));
		this.errors.on('data', chunk => (this.errorText += String(chunk)));
	}

	/** Wait until `expected` appears after the previous match, then move past it; returns the text since the previous match. */
	async waitFor(expected: string, timeoutMs = 5000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = strip(this.text);
			const at = all.indexOf(expected, this.seen);
			if (at >= 0) {
				const fresh = all.slice(this.seen);
				this.seen = at + expected.length;
				await sleep(10);
				return fresh;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(expected)}; output since last wait:\n${all.slice(this.seen)}`);
			await sleep(5);
		}
	}

	async answer(expected: string, ...keys: string[]): Promise<string> {
		const text = await this.waitFor(expected);
		for (const key of keys) {
			this.input.write(key);
			await sleep(10);
		}
		return text;
	}
}

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-plain-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function start(terminal: FakeTerminal, argv: string[]): Promise<number> {
	const context: CommandContext = {
		argv,
		globals: {color: false},
		stdin: terminal.input as unknown as NodeJS.ReadStream,
		stdout: terminal.output,
		stderr: terminal.errors,
		env: {},
		cwd: dir,
	};
	return run(context);
}

/** Template list → standard. */
async function chooseStandard(terminal: FakeTerminal): Promise<string> {
	const first = await terminal.answer('Start the plan from', KEY.down, KEY.down);
	await terminal.waitFor("The standard plan from CAVRA's documentation");
	terminal.input.write(KEY.enter);
	return first;
}

describe('author --plain', () => {
	it('walks the same steps line by line and saves a ready, lint-clean plan', async () => {
		const terminal = new FakeTerminal();
		const done = start(terminal, ['--plain', 'plan.json']);
		const first = await chooseStandard(terminal);
		expect(first).toContain(`the plan will be saved to ${path.join(dir, 'plan.json')}`);
		expect(first).toContain('CAVRA API service under a service manager');
		await terminal.answer('Is this rollback plan approved?', KEY.enter);
		await terminal.answer('Approval id', 'CAB-1', KEY.enter);
		await terminal.answer('Maximum recovery time, in minutes', KEY.enter);
		await terminal.answer('Which controls are in place?', KEY.enter);
		await terminal.answer('Add a custom control', KEY.enter);
		const steps = await terminal.answer('Rollback steps: what next?', KEY.down, KEY.enter);
		expect(steps).toContain('1. Set CAVRA_GO_BACKEND_MODE=disabled.');
		await terminal.answer('New step', 'Announce the rollback in the incident channel.', KEY.enter);
		const after = await terminal.answer('Rollback steps: what next?', KEY.enter);
		expect(after).toContain('4. Announce the rollback in the incident channel.');
		await terminal.answer('Evidence refs: what next?', KEY.down, KEY.enter);
		await terminal.answer('New evidence ref', 'not a ref', KEY.enter);
		await terminal.answer('write it as scheme://path');
		for (let i = 0; i < 'not a ref'.length; i++) terminal.input.write('\u007F');
		await sleep(20);
		terminal.input.write('incident-record://go-rollback/latest');
		await sleep(20);
		terminal.input.write(KEY.enter);
		await terminal.answer('Evidence refs: what next?', KEY.enter);
		const review = await terminal.answer('What next?', KEY.enter);
		expect(review).toContain('Review: the plan as it will be written (status "ready")');
		expect(review).toContain('"approval_id": "CAB-1"');
		expect(review).toContain('lint: no findings');
		await terminal.answer('Save to', KEY.enter);
		await terminal.waitFor('Saved');
		expect(await done).toBe(0);
		const file = path.join(dir, 'plan.json');
		const plan = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		expect(plan).toMatchObject({status: 'ready', approval_id: 'CAB-1'});
		expect(plan['evidence_refs']).toContain('incident-record://go-rollback/latest');
		expect((await lintPlan({path: file, bytes: readFileSync(file)})).findings).toEqual([]);
	});

	it('a planted secret blocks "ready"; the draft is offered, and the answer is echoed masked', async () => {
		const terminal = new FakeTerminal();
		const done = start(terminal, ['--plain', '--template', 'standard', 'plan.json']);
		await terminal.answer('Is this rollback plan approved?', KEY.enter);
		await terminal.answer('Approval id', KEY.enter);
		await terminal.answer('Maximum recovery time, in minutes', KEY.enter);
		await terminal.answer('Which controls are in place?', KEY.enter);
		await terminal.answer('Add a custom control', KEY.enter);
		await terminal.answer('Rollback steps: what next?', KEY.down, KEY.enter);
		await terminal.answer('New step', `export GITHUB_TOKEN=${SECRET}`);
		await sleep(20);
		terminal.input.write(KEY.enter);
		// The answered line is printed masked; from then on the secret never appears again.
		await terminal.waitFor('✔ New step ‹masked: ghp_');
		const list = await terminal.answer('Rollback steps: what next?', KEY.enter);
		expect(list).toMatch(/4\. ‹masked: ghp_/);
		expect(list).toMatch(/error: rollback step 4: .*GitHub token.*\$\{GITHUB_TOKEN\}/);
		await terminal.answer('Evidence refs: what next?', KEY.enter);
		const review = await terminal.answer('What next?', KEY.enter);
		expect(review).toContain('(status "draft", because errors remain)');
		const save = await terminal.answer('Save it as a draft?', KEY.enter);
		expect(save).toContain('can only be saved as a draft');
		expect(save).toMatch(/- rollback step 4: .*GitHub token/);
		await terminal.waitFor('Saved');
		expect(await done).toBe(0);
		// Once the answer was given, the secret never appeared again: not in the echo, list, review or save.
		const all = strip(terminal.text);
		expect(all.slice(all.indexOf('✔ New step'))).not.toContain(SECRET.slice(4, 12));
		expect(terminal.errorText).not.toContain(SECRET.slice(4, 12));
		expect(JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'))).toMatchObject({status: 'draft'});
	});

	it('asks before overwriting and keeps a backup; "no" goes back to the review', async () => {
		writeFileSync(path.join(dir, 'plan.json'), '{"old": true}\n');
		const terminal = new FakeTerminal();
		const done = start(terminal, ['--plain', '--template', 'standard', 'plan.json']);
		await terminal.answer('Is this rollback plan approved?', KEY.enter);
		for (const question of ['Approval id', 'Maximum recovery time', 'Which controls are in place?', 'Add a custom control', 'Rollback steps: what next?', 'Evidence refs: what next?', 'What next?']) {
			await terminal.answer(question, KEY.enter);
		}
		await terminal.answer('Save to', KEY.enter);
		await terminal.answer('already exists. Overwrite it?', 'n', KEY.enter);
		await terminal.answer('What next?', KEY.enter);
		expect(readFileSync(path.join(dir, 'plan.json'), 'utf8')).toBe('{"old": true}\n');
		await terminal.answer('Save to', KEY.enter);
		await terminal.answer('already exists. Overwrite it?', 'y', KEY.enter);
		await terminal.waitFor('previous version kept at');
		expect(await done).toBe(0);
		const backup = readdirSync(dir).find(name => name.endsWith('.bak'));
		expect(readFileSync(path.join(dir, backup!), 'utf8')).toBe('{"old": true}\n');
	});

	it('ctrl+c asks before discarding changes: "no" re-asks the question, "yes" exits 130 and writes nothing', async () => {
		const terminal = new FakeTerminal();
		const done = start(terminal, ['--plain', '--template', 'standard', 'plan.json']);
		await terminal.answer('Is this rollback plan approved?', KEY.enter);
		await terminal.answer('Approval id', KEY.ctrlC);
		await terminal.answer('Discard them and quit?', 'n', KEY.enter);
		await terminal.answer('Approval id', KEY.ctrlC);
		await terminal.answer('Discard them and quit?', 'y', KEY.enter);
		expect(await done).toBe(130);
		expect(terminal.errorText).toContain('cancelled; nothing was saved');
		expect(readdirSync(dir)).toEqual([]);
	});

	it('needs a terminal: without one it is a usage error naming the flags to pass', async () => {
		const terminal = new FakeTerminal();
		terminal.input.isTTY = false as true;
		await expect(start(terminal, ['--plain'])).rejects.toThrow(/--plain asks questions, so it needs a terminal/);
		await expect(start(terminal, ['--plain'])).rejects.toMatchObject({exitCode: 2, hint: expect.stringContaining('--template NAME --out FILE')});
	});
});
