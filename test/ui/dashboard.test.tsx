import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {clockTime, createStore, initialState, type DashboardStore} from '../../source/core/dashboard/index.js';
import {DashboardScreen} from '../../source/ui/screens/dashboard/dashboard-screen.js';
import {runDashboardUi} from '../../source/ui/render-dashboard.js';
import {config, okAnswer, reports, rollbackReport, settings} from '../core/dashboard/fixtures.js';
import {FakeStdin, FakeStdout, T0, keys, readyStore, strip, waitForFrame} from './dashboard-harness.js';

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

function mount(store: DashboardStore, options: {rollbackAvailable?: boolean} = {}) {
	const onRefresh = vi.fn();
	const onBeginRollback = vi.fn();
	const instance = render(<DashboardScreen store={store} onRefresh={onRefresh} rollbackAvailable={options.rollbackAvailable ?? false} onBeginRollback={onBeginRollback} color={false} />);
	unmount = instance.unmount;
	const frame = () => strip(instance.lastFrame() ?? '');
	const until = (predicate: (frame: string) => boolean, what?: string) => waitForFrame(frame, predicate, what);
	const press = async (key: string, predicate: (frame: string) => boolean, what?: string) => {
		instance.stdin.write(key);
		return until(predicate, what);
	};
	return {instance, frame, until, press, onRefresh, onBeginRollback};
}

describe('dashboard screen', () => {
	it('first renders every panel waiting for data, then the picture as it arrives', async () => {
		const store = createStore(initialState(config({apiUrl: 'http://127.0.0.1:8000'}), T0));
		const {until} = mount(store);
		const first = await until(frame => frame.includes('CHECKING'), 'the first frame');
		for (const title of ['Mode', 'Plan', 'Rehearsal', 'Drills', 'Schedule', 'API', 'Services']) expect(first).toContain(title);
		expect(first).toContain('⋯ reading');

		store.dispatch({type: 'local', at: T0 + 1000, reports: reports(), settings});
		const withFiles = await until(frame => frame.includes('6/6 checks pass'), 'the plan panel');
		expect(withFiles).toMatch(/Plan\s+✔ ready/);
		expect(withFiles).toContain(`changed ${clockTime(T0 + 1000, T0 + 1000)}`);
	});

	it('shows a file change arriving: the plan loses its approval', async () => {
		const store = readyStore();
		const {until} = mount(store);
		await until(frame => frame.includes('READY'), 'ready');
		store.dispatch({type: 'local', at: T0 + 60_000, reports: reports({rollback: rollbackReport({approved: false})}), settings, stamps: {rollback: 'v2'}});
		const frame = await until(frame => frame.includes('NEEDS ATTENTION'), 'needs attention');
		expect(frame).toMatch(/Plan\s+✖ needs_attention\s+5\/6 checks pass · rollback plan must be approved/);
		expect(frame).toContain('next: approve the plan');
		expect(frame).toContain(`changed ${clockTime(T0 + 60_000, T0 + 60_000)}`);
	});

	it('shows the API going down, with the time of the last good answer, and coming back', async () => {
		const store = readyStore();
		const {until} = mount(store);
		await until(frame => frame.includes('mode promoted · production ready · controls pass'), 'API ok');
		store.dispatchAll([
			{type: 'api', at: T0 + 7000, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
			{type: 'api', at: T0 + 7000, endpoint: 'production-readiness', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
		]);
		const down = await until(frame => frame.includes('✖ unreachable'), 'API unreachable');
		expect(down).toContain(`unreachable since ${clockTime(T0 + 7000, T0)} · last good ${clockTime(T0 + 2000, T0)} · connection refused`);
		expect(down).toContain('next: check the CAVRA API');
		// The mode the API reported is unknown while it is down, not silently stale.
		expect(down).toContain('API unreachable');

		store.dispatchAll([
			{type: 'api', at: T0 + 12_000, endpoint: 'rollback-readiness', result: {kind: 'timeout', timeoutMs: 3000, elapsedMs: 3000}},
		]);
		await until(frame => frame.includes('✖ timed out'), 'API timing out');

		store.dispatchAll([
			{type: 'api', at: T0 + 17_000, endpoint: 'rollback-readiness', result: okAnswer(rollbackReport())},
			{type: 'api', at: T0 + 17_000, endpoint: 'production-readiness', result: {kind: 'http-error', status: 500, statusText: 'Internal Server Error', bodyPreview: 'Internal Server Error', elapsedMs: 2}},
		]);
		await until(frame => frame.includes('✖ HTTP error') && frame.includes('production HTTP error'), 'HTTP 500');

		store.dispatchAll([{type: 'api', at: T0 + 22_000, endpoint: 'production-readiness', result: {kind: 'ok', status: 200, body: null, text: 'garbage', elapsedMs: 1}}]);
		await until(frame => frame.includes('✖ malformed'), 'malformed');

		store.dispatchAll([{type: 'api', at: T0 + 27_000, endpoint: 'production-readiness', result: okAnswer(readyStore().getState().api!['production-readiness'].lastGood!.body)}]);
		const back = await until(frame => frame.includes('READY') && frame.includes('mode promoted · production ready · controls pass'), 'API back');
		expect(back).toContain('API=promoted');
	});

	it('navigates into a panel\'s details and back with arrows, enter and esc', async () => {
		const store = readyStore();
		const {until, press} = mount(store);
		await until(frame => frame.includes('› ✔ READY'), 'verdict selected');
		await press(keys.down, frame => /› Mode/.test(frame), 'mode selected');
		await press(keys.down, frame => /› Plan/.test(frame), 'plan selected');
		const details = await press(keys.enter, frame => frame.includes('Plan: ✔ ready · details'), 'plan details');
		for (const id of ['go_rollback_requested', 'python_fallback_available', 'go_rollback_plan', 'go_rollback_approval', 'go_rollback_disable_path', 'go_rollback_controls']) expect(details).toContain(id);
		expect(details).toContain('Public-safety lint (0 errors, 0 warnings)');
		// Scroll down to the raw JSON, then back out.
		await press(keys.pageDown, frame => frame.includes('"schema_version"'), 'raw JSON');
		await press(keys.escape, frame => /› Plan/.test(frame) && frame.includes('↑↓ select'), 'summary again');

		// The API panel's details show the answer as JSON.
		for (let i = 0; i < 4; i++) await press(keys.down, () => true);
		await until(frame => /› API/.test(frame), 'api selected');
		const api = await press(keys.enter, frame => frame.includes('API: ✔ ready · details'), 'api details');
		expect(api).toContain('GET http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness');
		expect(api).toContain('Raw JSON answer');
		await press(keys.escape, frame => frame.includes('↑↓ select'), 'summary');
		// Up from the top wraps to the last row.
		await press(keys.up, frame => /› API/.test(frame) === false, 'moved');
	});

	it('keys that arrive in one read all count: three Down keys and Enter in one write open the fourth row (Rehearsal)', async () => {
		const store = readyStore();
		const {until, press} = mount(store);
		await until(frame => frame.includes('› ✔ READY'), 'verdict selected');
		// Rows: the verdict, Mode, Plan, Rehearsal, …
		await press(keys.down + keys.down + keys.down + keys.enter, frame => frame.includes('Rehearsal: ✔ ready · details'), 'rehearsal details');
	});

	it('does not redraw when a poll brings the same answers (idle costs no renders)', async () => {
		const store = readyStore();
		const {until, instance} = mount(store);
		await until(frame => frame.includes('READY'));
		const before = instance.frames.length;
		const same = readyStore().getState().api!;
		for (let i = 1; i <= 5; i++) {
			store.dispatchAll([
				{type: 'api', at: T0 + 2000 + i * 5000, endpoint: 'rollback-readiness', result: same['rollback-readiness'].last!},
				{type: 'api', at: T0 + 2000 + i * 5000, endpoint: 'production-readiness', result: same['production-readiness'].last!},
				{type: 'poll-finished', at: T0 + 2000 + i * 5000},
			]);
		}
		await new Promise(resolve => setTimeout(resolve, 50));
		expect(instance.frames.length).toBe(before);
		// A real change still draws.
		store.dispatch({type: 'api', at: T0 + 40_000, endpoint: 'rollback-readiness', result: {kind: 'timeout', timeoutMs: 3000, elapsedMs: 3000}});
		await until(frame => frame.includes('✖ timed out'));
	});

	it('r refreshes, ? shows key help, b says the guided rollback is not there yet', async () => {
		const store = readyStore();
		const {until, press, onRefresh, instance} = mount(store);
		await until(frame => frame.includes('READY'));
		instance.stdin.write('r');
		await until(() => onRefresh.mock.calls.length === 1, 'refresh called');
		const help = await press('?', frame => frame.includes('Keys'), 'help');
		expect(help).toContain('begin the guided rollback');
		expect(help).toContain('never colour alone');
		await press('?', frame => frame.includes('↑↓ select'), 'back from help');
		const notice = await press('b', frame => frame.includes('guided rollback is not available yet'), 'notice');
		expect(notice).toContain('⚠ guided rollback is not available yet');
	});
});

describe('runDashboardUi', () => {
	function start(rollbackAvailable: boolean) {
		const stdout = new FakeStdout(80, 24);
		const stdin = new FakeStdin();
		const stderr = new FakeStdout();
		const onRefresh = vi.fn();
		const done = runDashboardUi({
			store: readyStore(),
			onRefresh,
			rollbackAvailable,
			color: false,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
			debug: true,
		});
		return {stdout, stdin, done};
	}

	it('quits cleanly on q and resolves once Ink has unmounted', async () => {
		const {stdout, stdin, done} = start(false);
		await waitForFrame(() => strip(stdout.lastFrame()), frame => frame.includes('READY'));
		stdin.write('q');
		await expect(done).resolves.toEqual({next: 'quit'});
		expect(stdin.listenerCount('readable')).toBe(0);
	});

	it('hands over to the guided rollback on b when it exists', async () => {
		const {stdout, stdin, done} = start(true);
		await waitForFrame(() => strip(stdout.lastFrame()), frame => frame.includes('READY'));
		stdin.write('b');
		await expect(done).resolves.toEqual({next: 'rollback'});
	});
});
