import {EventEmitter} from 'node:events';
import {createStore, initialState, type DashboardConfig, type DashboardEvent, type DashboardStore} from '../../source/core/dashboard/index.js';
import {cleanLint, config, okAnswer, productionBody, reports, rollbackReport, settings} from '../core/dashboard/fixtures.js';

/** Key sequences as a terminal sends them. */
export const keys = {up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', pageDown: '\u001B[6~'};

/** A terminal-sized fake stdout: every frame is kept (Ink runs with debug: true, one full frame per write). */
export class FakeStdout extends EventEmitter {
	isTTY = true;
	frames: string[] = [];
	constructor(
		public columns = 100,
		public rows = 40,
	) {
		super();
	}

	/** What the terminal session wrote around the frames (alternate screen in and out). */
	screenModes: string[] = [];

	write = (frame: string) => {
		if (/^(?:\u001B\[\?25h)?\u001B\[\?1049[hl]$/.test(frame)) this.screenModes.push(frame.includes('1049h') ? 'enter' : 'leave');
		else this.frames.push(frame);
		return true;
	};

	lastFrame = () => this.frames[this.frames.length - 1] ?? '';
}

/** Ink reads keys through 'readable' + read(), like a TTY in raw mode. */
export class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	setRawMode() {
		return this;
	}
	setEncoding() {
		return this;
	}
	resume() {
		return this;
	}
	pause() {
		return this;
	}
	ref() {
		return this;
	}
	unref() {
		return this;
	}
	read = () => {
		const {data} = this;
		this.data = null;
		return data;
	};
	write(data: string) {
		this.data = data;
		this.emit('readable');
	}
}

export const T0 = Date.UTC(2030, 0, 1, 9, 30, 0);

const tick = () => new Promise<void>(resolve => setImmediate(resolve));

/** Wait until the latest frame satisfies `predicate`, then one more setImmediate turn so input handlers are armed. */
export async function waitForFrame(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, what = 'frame'): Promise<string> {
	for (let i = 0; i < 2000; i++) {
		const frame = lastFrame() ?? '';
		if (predicate(frame)) {
			await tick();
			return frame;
		}
		await tick();
		if (i % 50 === 49) await new Promise(resolve => setTimeout(resolve, 1));
	}
	throw new Error(`timed out waiting for ${what}; last frame:\n${lastFrame() ?? '(none)'}`);
}

/** A store already holding a complete, ready picture (files, lint, mode, API). */
export function readyStore(overrides: Partial<DashboardConfig> = {}): DashboardStore {
	const store = createStore(initialState(config({apiUrl: 'http://127.0.0.1:8000', ...overrides}), T0));
	const events: DashboardEvent[] = [
		{type: 'local', at: T0 + 1000, reports: reports(), settings, stamps: {rollback: 'v1'}},
		{type: 'lint', at: T0 + 1000, lint: cleanLint},
		{type: 'mode-sources', at: T0 + 1000, sources: [{kind: 'env-file', label: '/etc/cavra/cavra.env', state: 'set', raw: 'promoted', mode: 'promoted'}, {kind: 'process-env', label: 'CAVRA_GO_BACKEND_MODE', state: 'unset'}]},
		{type: 'api', at: T0 + 2000, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport())},
		{type: 'api', at: T0 + 2000, endpoint: 'production-readiness', result: okAnswer(productionBody())},
		{type: 'poll-finished', at: T0 + 2000},
	];
	store.dispatchAll(events);
	return store;
}

/** The dashboard screen on fake streams (one full frame per write), as a terminal of `stdout`'s size. */
export async function startDashboard(store: DashboardStore, stdout: FakeStdout, stdin: FakeStdin, options: {color?: boolean} = {}): Promise<{done: Promise<unknown>}> {
	const {runDashboardUi} = await import('../../source/ui/render-dashboard.js');
	const done = runDashboardUi({
		store,
		onRefresh: () => undefined,
		rollbackAvailable: false,
		color: options.color ?? false,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
		debug: true,
	});
	return {done};
}

export function strip(text: string): string {
	return text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
}
