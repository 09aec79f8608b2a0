import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {run} from '../../source/commands/author.js';
import type {CommandContext} from '../../source/commands/context.js';
import {isCavraError} from '../../source/core/errors.js';
import {lintPlan} from '../../source/core/lint/lint-plan.js';
import {printedCommands, runPrinted} from '../helpers/run-printed.js';

/* The non-interactive mode (`--template NAME --out FILE ...`) and the rules that pick a mode. */

const SECRET = 'ghp_Zq4Jt0bW8vXc2Lm7Nn5Rr1Ss9Tt3Uu6Vv0Ww';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-cmd-'));
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

interface Result {
	code: number;
	stdout: string;
	stderr: string;
	error?: {message: string; hint: string | undefined};
}

/** Run the command as cli.ts would: an expected failure becomes its exit code and message. */
async function author(argv: string[], options: {tty?: boolean; env?: NodeJS.ProcessEnv} = {}): Promise<Result> {
	const stdout = Object.assign(new PassThrough(), {isTTY: options.tty ?? false});
	const stderr = Object.assign(new PassThrough(), {isTTY: false});
	const stdin = Object.assign(new PassThrough(), {isTTY: options.tty ?? false});
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	const context: CommandContext = {argv, globals: {color: false}, stdin: stdin as unknown as NodeJS.ReadStream, stdout, stderr, env: options.env ?? {}, cwd: dir};
	try {
		const code = await run(context);
		return {code, stdout: out, stderr: err};
	} catch (error) {
		if (!isCavraError(error)) throw error;
		return {code: error.exitCode, stdout: out, stderr: err, error: {message: error.message, hint: error.hint}};
	}
}

const readPlan = (name = 'plan.json') => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;

describe('author --template NAME --out FILE (no prompts)', () => {
	it('writes a ready plan with typed --set values, added steps and refs; it lints clean', async () => {
		const result = await author([
			'--template',
			'standard',
			'--out',
			'plan.json',
			'--set',
			'approval_id=CAB-1234',
			'--set',
			'max_recovery_minutes=20',
			'--set',
			'approved=yes',
			'--add-step',
			'Announce the rollback in the incident channel.',
			'--add-evidence-ref',
			'incident-record://go-rollback/latest',
		]);
		expect(result).toMatchObject({code: 0, stdout: 'wrote plan.json (status "ready")\n'});
		const plan = readPlan();
		expect(plan).toMatchObject({status: 'ready', approved: true, approval_id: 'CAB-1234', max_recovery_minutes: 20});
		expect((plan['rollback_steps'] as string[]).at(-1)).toBe('Announce the rollback in the incident channel.');
		expect((plan['evidence_refs'] as string[]).at(-1)).toBe('incident-record://go-rollback/latest');
		expect(plan['$comment']).toBeUndefined();
		const text = readFileSync(path.join(dir, 'plan.json'), 'utf8');
		expect(text).toBe(`${JSON.stringify(plan, null, 2)}\n`);
		expect((await lintPlan({path: 'plan.json', bytes: text})).findings).toEqual([]);
	});

	it('its closing hint checks the file just written (not the configured plan), and works pasted into a shell', async () => {
		// The config names another plan; the path has a space, a quote and a $(…) that must stay text.
		writeFileSync(path.join(dir, '.cavrarc.yaml'), 'plan: ./configured-plan.json\n');
		mkdirSync(path.join(dir, "new plans"));
		const out = "new plans/it's $(touch pwned).json";
		const result = await author(['--template', 'standard', '--out', out, '--set', 'approval_id=CAB-1234', '--set', 'approved=yes']);
		expect(result.code).toBe(0);
		const commands = printedCommands(result.stderr);
		expect(commands).toEqual([`cavra-rollback lint 'new plans/it'\\''s $(touch pwned).json'`, `cavra-rollback readiness --mode promoted --rollback-plan-path 'new plans/it'\\''s $(touch pwned).json'`]);
		const [lint, readiness] = await Promise.all(commands.map(command => runPrinted(command, {cwd: dir})));
		expect(lint!.code).toBe(0);
		expect(readiness!.stdout).toMatch(/^Go rollback readiness: ready \(promoted\)/);
		expect(readiness!.code).toBe(0);
		expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
	});

	it('FILE works as --out; --set rollback_steps= then --add-step replaces the steps', async () => {
		const result = await author(['plan.json', '--template', 'standard', '--set', 'rollback_steps=', '--add-step', 'One.', '--add-step', 'Two.']);
		expect(result.code).toBe(0);
		expect(readPlan()['rollback_steps']).toEqual(['One.', 'Two.']);
	});

	it('refuses to record "ready" while errors remain: exit 1, nothing written, the findings named', async () => {
		const result = await author(['--template', 'standard', '--out', 'plan.json', '--set', 'controls=python-fallback-available', '--add-evidence-ref', 'not a ref']);
		expect(result.code).toBe(1);
		expect(readdirSync(dir)).toEqual([]);
		expect(result.stderr).toContain('controls is missing "evidence-capture-enabled"');
		expect(result.stderr).toContain('not of the form scheme://path');
		expect(result.stderr).toMatch(/not written: 5 error findings remain/);
		expect(result.stderr).toContain('pass --draft');
	});

	it('--draft writes the same plan as a draft (exit 0) and says what remains; a planted secret is never printed', async () => {
		const result = await author(['--template', 'standard', '--out', 'plan.json', '--add-step', `curl -H "Authorization: token ${SECRET}" …`, '--draft']);
		expect(result.code).toBe(0);
		expect(readPlan()['status']).toBe('draft');
		expect(result.stdout).toBe('wrote plan.json (status "draft")\n');
		expect(result.stderr).toMatch(/rollback step 4: .*GitHub token/);
		expect(result.stderr).toContain('CAVRA reports needs_attention');
		expect(result.stdout + result.stderr).not.toContain(SECRET.slice(4, 12));
	});

	it('the same secret without --draft: exit 1 and still never printed', async () => {
		const result = await author(['--template', 'standard', '--out', 'plan.json', '--add-step', `export GITHUB_TOKEN=${SECRET}`]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('${GITHUB_TOKEN}');
		expect(result.stdout + result.stderr).not.toContain(SECRET.slice(4, 12));
		expect(readdirSync(dir)).toEqual([]);
	});

	it('--set status=draft records a draft too', async () => {
		expect((await author(['--template', 'standard', '--out', 'plan.json', '--set', 'status=draft'])).code).toBe(0);
		expect(readPlan()['status']).toBe('draft');
	});

	it('an existing file needs --force (exit 2, unchanged); with --force it is replaced and a backup kept', async () => {
		writeFileSync(path.join(dir, 'plan.json'), '{"old": true}\n');
		const refused = await author(['--template', 'standard', '--out', 'plan.json']);
		expect(refused.code).toBe(2);
		expect(refused.error?.message).toContain('plan.json already exists');
		expect(refused.error?.hint).toContain('--force');
		expect(readFileSync(path.join(dir, 'plan.json'), 'utf8')).toBe('{"old": true}\n');
		const forced = await author(['--template', 'standard', '--out', 'plan.json', '--force']);
		expect(forced.code).toBe(0);
		expect(readPlan()['status']).toBe('ready');
		const backup = readdirSync(dir).find(name => /^plan\.json\.cavra-rollback\..+\.bak$/.test(name));
		expect(readFileSync(path.join(dir, backup!), 'utf8')).toBe('{"old": true}\n');
		expect(forced.stderr).toContain('previous version kept at');
	});

	it.each([
		[['--template', 'standard', '--out', 'plan.json', '--set', 'max_recovery_minutes=soon'], /--set max_recovery_minutes: takes a number of minutes/],
		[['--template', 'standard', '--out', 'plan.json', '--set', 'approved=perhaps'], /--set approved: takes true or false/],
		[['--template', 'standard', '--out', 'plan.json', '--set', 'colour=red'], /"colour" is not a field/],
		[['--out', 'plan.json'], /needs --template NAME/],
		[['--template', 'standard', '--set', 'approved=true'], /needs --out FILE/],
		[['--template', 'nope', '--out', 'plan.json'], /no template named "nope"/],
		[['--plain', '--out', 'plan.json', '--template', 'standard'], /--plain asks questions; it cannot be combined/],
		[['a.json', '--out', 'b.json', '--template', 'standard'], /either FILE or --out FILE/],
		[['--template', 'standard', '--out', 'missing-folder/plan.json'], /does not exist/],
		[['--frobnicate'], /unknown option/],
	])('usage error (exit 2): %j', async (argv, message) => {
		const result = await author(argv);
		expect(result.code).toBe(2);
		expect(`${result.error?.message} ${result.error?.hint}`).toMatch(message);
		expect(readdirSync(dir).filter(name => name !== 'a.json')).toEqual([]);
	});

	it('without a terminal and without those flags: exit 2 naming --template NAME --out FILE', async () => {
		for (const argv of [[], ['plan.json'], ['--template', 'standard']]) {
			const result = await author(argv);
			expect(result.code, argv.join(' ')).toBe(2);
			expect(result.error?.message).toContain('needs a terminal');
			expect(result.error?.hint).toContain('--template NAME --out FILE');
		}
		// A terminal in CI is not interactive either: nothing prompts in CI.
		const ci = await author([], {tty: true, env: {CI: 'true'}});
		expect(ci.code).toBe(2);
	});

	it('--help lists the modes, the save rules and the exit codes', async () => {
		const result = await author(['--help']);
		expect(result.code).toBe(0);
		for (const text of ['--template', '--out', '--set', '--add-step', '--add-evidence-ref', '--draft', '--force', '--plain', 'Exit codes', 'backup']) expect(result.stdout).toContain(text);
	});
});
