/*
 * The home menu's first frame waits for neither the config nor the verdict: the title is drawn at
 * once, the facts and the menu fill in when the config is read, the verdict line when it is known.
 */
import {render as inkRender} from 'ink';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {availableActions} from '../../source/commands/home.js';
import {HomeScreen, VERDICT_PENDING, type HomeContent} from '../../source/ui/render-home.js';
import {FakeStdin, FakeStdout, strip, waitForFrame} from './dashboard-harness.js';

const turn = () => new Promise(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function frameWith(app: ReturnType<typeof render>, text: string): Promise<string> {
	for (let i = 0; i < 400; i++) {
		const frame = app.lastFrame() ?? '';
		if (frame.includes(text)) return frame;
		await sleep(5);
	}
	throw new Error(`no frame with ${text}: ${app.lastFrame()}`);
}

function deferred<T>() {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((yes, no) => {
		resolve = yes;
		reject = no;
	});
	return {promise, resolve, reject};
}

describe('home menu first frame', () => {
	it('shows the title before the config is read, then the menu, then the verdict', async () => {
		const content = deferred<HomeContent>();
		const verdict = deferred<string>();
		let chosen = -1;
		const app = render(<HomeScreen version="9.9.9" content={content.promise} verdict={verdict.promise} onChoose={index => (chosen = index)} />);
		const first = await frameWith(app, 'Roll CAVRA back from the Go backend');
		expect(first).toContain('reading the config…');
		expect(first).not.toContain('Quit');
		// Keys other than q do nothing while there is no menu.
		app.stdin.write('\r');
		await turn();
		expect(chosen).toBe(-1);

		content.resolve({facts: ['config: /x/.cavrarc.yaml', 'plan:   /x/plan.json'], actions: availableActions(true)});
		const menu = await frameWith(app, 'Quit');
		expect(menu).toContain('config: /x/.cavrarc.yaml');
		expect(menu).toContain(VERDICT_PENDING);
		expect(menu).not.toContain('reading the config…');

		verdict.resolve('verdict: ready (mode promoted) · rehearsal, drills and schedule ready');
		const filled = await frameWith(app, 'verdict: ready (mode promoted)');
		expect(filled).not.toContain(VERDICT_PENDING);
		app.stdin.write('\r');
		for (let i = 0; i < 200 && chosen === -1; i++) await sleep(5);
		expect(chosen).toBe(0);
		app.unmount();
	});

	it('q quits before the config is read', async () => {
		let chosen = 5;
		const app = render(<HomeScreen version="1" content={new Promise(() => undefined)} verdict={new Promise(() => undefined)} onChoose={index => (chosen = index)} />);
		await frameWith(app, 'reading the config…');
		app.stdin.write('q');
		for (let i = 0; i < 200 && chosen === 5; i++) await sleep(5);
		expect(chosen).toBe(-1);
		app.unmount();
	});

	it('an unreadable config erases the half-drawn menu and ends the screen with its error', async () => {
		const content = deferred<HomeContent>();
		const stdout = new FakeStdout(80, 24);
		const app = inkRender(<HomeScreen version="1" content={content.promise} verdict={new Promise(() => undefined)} onChoose={() => undefined} />, {
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
			patchConsole: false,
			// Each frame written whole, so the last one is what the terminal shows.
			debug: true,
		});
		await waitForFrame(() => strip(stdout.lastFrame()), text => text.includes('reading the config…'));
		const exited = app.waitUntilExit().then(() => undefined, (error: unknown) => error);
		const before = stdout.frames.length;
		content.reject(new Error('config: cannot parse'));
		expect(await exited).toEqual(new Error('config: cannot parse'));
		// Every frame drawn after the failure is empty: the error is not printed under a stale menu.
		const after = stdout.frames.slice(before).map(strip);
		expect(after.length).toBeGreaterThan(0);
		expect(after.filter(frame => frame.trim() !== '')).toEqual([]);
	});
});
