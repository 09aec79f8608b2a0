import {describe, expect, it} from 'vitest';
import type {CavraConfig, ServiceConfig} from '../../source/core/config/schema.js';
import {RunControl, runRollback} from '../../source/io/rollback-runner.js';
import {redactText, runSecretValues} from '../../source/core/evidence/redact.js';
import {renderRollback, type RunHooks} from '../../source/ui/render-rollback.js';
import {FakeWorld} from '../fixtures/rollback/fakes.js';
import {FakeStdin, FakeStdout} from './dashboard-harness.js';

/*
 * The rollback screen's way in and out, through the real mount on a fake terminal: the alternate
 * screen is entered once and left once, and only then is the record printed (on the normal
 * screen), on the way out of a finished run and of a run that threw.
 */

const ENV = '/etc/cavra/cavra.env';

/**
 * Ink under CI writes only its last frame, so the test cannot wait for the question on screen: it
 * types `keys` again every few milliseconds until the run settles (a key before the field is
 * mounted is dropped; once answered, these keys do nothing).
 */
async function answer(stdin: FakeStdin, done: Promise<unknown>, keys: string): Promise<void> {
	let settled = false;
	void done.then(
		() => (settled = true),
		() => (settled = true),
	);
	for (let attempt = 0; !settled && attempt < 500; attempt++) {
		for (const key of keys) stdin.write(key);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

function mount(start: (hooks: RunHooks, control: RunControl) => Promise<{evidencePath?: string | undefined; runDir?: string | undefined}>, redact?: (text: string) => string) {
	const stdout = new FakeStdout(60, 20);
	const stdin = new FakeStdin();
	const control = new RunControl();
	const printed: Array<{lines: string[]; screenModes: string[]}> = [];
	const done = renderRollback({
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
		color: false,
		onStop: () => control.requestStop(),
		// What the terminal had seen when the record was printed.
		printTranscript: lines => printed.push({lines, screenModes: [...stdout.screenModes]}),
		start: hooks => start(hooks, control),
		...(redact && {redact}),
	});
	return {stdout, stdin, printed, done};
}

function run(hooks: RunHooks, control: RunControl) {
	const world = new FakeWorld({files: {[ENV]: 'SECRET_KEY=hunter2\nCAVRA_GO_BACKEND_MODE=promoted\n'}, services: {api: {envFile: ENV}}});
	const service = {name: 'api', kind: 'command', restart: ['/opt/api/restart'], verify: {url: 'http://127.0.0.1:8000/svc/api'}} as ServiceConfig;
	const config: CavraConfig = {plan: '/etc/cavra/plan.json', mode: {envFiles: [ENV]}, services: [service], evidence: {dir: '/evidence'}};
	return runRollback({kind: 'rollback', config, configPath: null, env: {}, serviceFilter: [], evidenceDir: '/evidence', control, onState: hooks.onState, onPreview: hooks.onPreview, confirm: hooks.confirm}, world.effects());
}

describe('renderRollback', () => {
	it('a confirmed run: the screen is left, then the record is printed, verdict and evidence path included', async () => {
		const {stdin, printed, done} = mount(run);
		await answer(stdin, done, '\u0015disable\r');
		const outcome = await done;
		expect(outcome.evidencePath).toMatch(/evidence\.json$/);
		expect(printed).toHaveLength(1);
		expect(printed[0]!.screenModes).toEqual(['enter', 'leave']);
		const record = printed[0]!.lines;
		expect(record).toContain('RECOVERED: CAVRA is back in Python-only mode');
		expect(record).toContain(`evidence: ${outcome.evidencePath}`);
		expect(record.join('\n')).not.toContain('hunter2');
	});

	it('Esc: the screen is left and the record is one line saying nothing was changed', async () => {
		const {stdin, printed, done} = mount(run);
		await answer(stdin, done, '\u001B');
		await done;
		expect(printed).toEqual([{lines: ['CANCELLED: stopped by the operator; nothing was changed: no evidence bundle kept, nothing to resume'], screenModes: ['enter', 'leave']}]);
	});

	it('a run that throws: the screen is left, the record so far is printed, then the error is thrown for the command to report', async () => {
		const {printed, done} = mount(async (hooks, control) => {
			await run({...hooks, confirm: async () => false}, control);
			throw new Error('the adapter exploded');
		});
		await expect(done).rejects.toThrow('the adapter exploded');
		expect(printed).toHaveLength(1);
		expect(printed[0]!.screenModes).toEqual(['enter', 'leave']);
		expect(printed[0]!.lines.some(line => line.startsWith('Rollback preview: run rb-'))).toBe(true);
	});
});

describe('renderRollback masks the run\'s secret values on the screen', () => {
	// The token under api.tokenEnv=MY_CAVRA_TOKEN: a random word no secret pattern recognises.
	const TOKEN = 'zq81Lr0xVbN3kd7';
	const redact = (text: string) => redactText(text, runSecretValues({env: {MY_CAVRA_TOKEN: TOKEN}, tokenEnv: 'MY_CAVRA_TOKEN'}));

	/** The runner's strings carrying the token everywhere the screen draws one: a notice, the output tail, a step's detail, the preview. */
	function leaky(hooks: RunHooks): RunHooks {
		return {
			onState: state =>
				hooks.onState({
					...state,
					notices: [...state.notices, `the API answered for token ${TOKEN}`],
					tail: [...state.tail, `restart echoed ${TOKEN}`],
					steps: state.steps.map(step => (step.status === 'done' ? {...step, detail: `exit 0 (${TOKEN})`} : step)),
				}),
			onPreview: preview => hooks.onPreview({...preview, notices: [...preview.notices, `env file mentions ${TOKEN}`]}),
			confirm: hooks.confirm,
		};
	}

	function mountLeaky(after?: () => never) {
		return mount(async (hooks, control) => {
			const outcome = await run(leaky(hooks), control);
			after?.();
			return outcome;
		}, redact);
	}

	it('no frame and no line of the record holds the token, though the runner handed it in notices, tails, details and the preview', async () => {
		const {stdout, stdin, printed, done} = mountLeaky();
		await answer(stdin, done, '\u0015disable\r');
		await done;
		const screen = stdout.frames.join('');
		// The masked strings did reach the screen: what is checked was drawn.
		expect(screen).toContain('<redacted>');
		expect(screen).not.toContain(TOKEN);
		expect(printed).toHaveLength(1);
		expect(printed[0]!.lines.join('\n')).toContain('the API answered for token <redacted>');
		expect(printed[0]!.lines.join('\n')).not.toContain(TOKEN);
	});

	it('a run that throws with the token in its message: the screen shows it masked', async () => {
		const {stdout, stdin, done} = mountLeaky(() => {
			throw new Error(`adapter failed with ${TOKEN}`);
		});
		await answer(stdin, done, '\u0015disable\r');
		await expect(done).rejects.toThrow();
		expect(stdout.frames.join('')).not.toContain(TOKEN);
	});
});
