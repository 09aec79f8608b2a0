import {describe, expect, it} from 'vitest';
import {initialView, type DashboardStore, type ViewState} from '../../source/core/dashboard/index.js';
import {runDashboardUi} from '../../source/ui/render-dashboard.js';
import {frameFor, frameText, wrapText} from '../../source/ui/screens/dashboard/layout.js';
import {reports, rollbackReport, settings} from '../core/dashboard/fixtures.js';
import {FakeStdin, FakeStdout, T0, keys, readyStore, strip, waitForFrame} from './dashboard-harness.js';

const services = [
	{name: 'api-primary-with-a-long-name', url: 'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness', expectMode: 'disabled' as const},
	{name: 'ci-runner', url: 'http://127.0.0.1:8001/runtime/go-pilot/rollback-readiness'},
];

/** The busiest summary: every panel failing with long messages, services down, a notice showing. */
function busyStore(): DashboardStore {
	const store = readyStore({services});
	store.dispatchAll([
		{type: 'local', at: T0 + 5000, reports: reports({rollback: rollbackReport({missingPlan: true})}), settings},
		{type: 'api', at: T0 + 6000, endpoint: 'rollback-readiness', result: {kind: 'unreachable', message: 'connection refused by a very long winded explanation that goes on', elapsedMs: 1}},
		{type: 'api', at: T0 + 6000, endpoint: 'production-readiness', result: {kind: 'timeout', timeoutMs: 3000, elapsedMs: 3000}},
		{type: 'service', at: T0 + 6000, name: 'api-primary-with-a-long-name', result: {kind: 'http-error', status: 503, statusText: 'Service Unavailable', bodyPreview: '', elapsedMs: 1}},
		{type: 'service', at: T0 + 6000, name: 'ci-runner', result: {kind: 'unreachable', message: 'connection refused', elapsedMs: 1}},
	]);
	return store;
}

const summary = (notice?: string): ViewState => ({...initialView, ...(notice && {notice})});

function measure(text: string) {
	const lines = text.split('\n');
	return {rows: lines.length, widest: Math.max(...lines.map(line => [...line].length))};
}

describe('dashboard layout', () => {
	it('fits the summary of the busiest state in 80×24 with a row to spare', () => {
		const frame = frameText(frameFor({state: busyStore().getState(), view: summary('guided rollback is not available yet: this build has no rollback command'), width: 80, height: 24}));
		const {rows, widest} = measure(frame);
		expect(rows).toBeLessThanOrEqual(23);
		expect(widest).toBeLessThanOrEqual(80);
		for (const title of ['Mode', 'Plan', 'Rehearsal', 'Drills', 'Schedule', 'API', 'Services']) expect(frame).toContain(title);
		expect(frame).toContain('NEEDS ATTENTION');
	});

	it('uses more room when there is more: extra lines on a tall terminal, longer lines on a wide one', () => {
		const state = busyStore().getState();
		const small = frameText(frameFor({state, view: summary(), width: 80, height: 24}));
		const tall = frameText(frameFor({state, view: summary(), width: 80, height: 50}));
		const wide = frameText(frameFor({state, view: summary(), width: 160, height: 24}));
		expect(measure(tall).rows).toBeGreaterThan(measure(small).rows);
		expect(measure(tall).rows).toBeLessThanOrEqual(49);
		expect(tall).toContain('go_rollback_controls: rollback plan controls are missing');
		expect(measure(wide).widest).toBeGreaterThan(80);
		expect(measure(wide).widest).toBeLessThanOrEqual(160);
	});

	it('drops the notes before anything else on a very short terminal', () => {
		const frame = frameText(frameFor({state: busyStore().getState(), view: summary(), width: 80, height: 14}));
		expect(measure(frame).rows).toBeLessThanOrEqual(13);
		expect(frame).toContain('Services');
	});

	it('keeps details inside the terminal and scrolls them', () => {
		const state = busyStore().getState();
		const view: ViewState = {mode: 'details', selected: 2, scroll: 0};
		const first = frameFor({state, view, width: 80, height: 24});
		expect(measure(frameText(first)).rows).toBeLessThanOrEqual(23);
		expect(first.maxScroll).toBeGreaterThan(0);
		const last = frameFor({state, view: {...view, scroll: 10_000}, width: 80, height: 24});
		expect(frameText(last)).toMatch(/lines \d+–(\d+) of \1/);
	});

	it('wraps long detail lines at spaces', () => {
		expect(wrapText('aaaa bbbb cccc dddd', 10)).toEqual(['aaaa bbbb', '  cccc', '  dddd']);
		expect(wrapText('short', 10)).toEqual(['short']);
	});

	it('renders through Ink at 80×24 without ever writing a frame taller than 23 rows', async () => {
		const stdout = new FakeStdout(80, 24);
		const stdin = new FakeStdin();
		const store = busyStore();
		const done = runDashboardUi({
			store,
			onRefresh: () => undefined,
			rollbackAvailable: false,
			color: true,
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
			debug: true,
		});
		const frame = () => strip(stdout.lastFrame());
		await waitForFrame(frame, text => text.includes('NEEDS ATTENTION'));
		stdin.write('b');
		await waitForFrame(frame, text => text.includes('not available yet'));
		stdin.write(keys.down);
		await waitForFrame(frame, text => /› Mode/.test(text));
		stdin.write(keys.enter);
		await waitForFrame(frame, text => text.includes('details'));
		stdin.write('q');
		await done;
		for (const written of stdout.frames) {
			const {rows, widest} = measure(strip(written).replace(/\n$/, ''));
			expect(rows).toBeLessThanOrEqual(23);
			expect(widest).toBeLessThanOrEqual(80);
		}
		// Whatever the colour support, every status carries a symbol and a word.
		expect(strip(stdout.frames[0] ?? '')).toMatch(/✖ needs_attention/);
	});
});
