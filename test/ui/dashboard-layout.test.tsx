import {describe, expect, it} from 'vitest';
import {initialView, type DashboardStore, type ViewState} from '../../source/core/dashboard/index.js';
import {frameFor, frameText, wrapText} from '../../source/ui/screens/dashboard/layout.js';
import {reports, rollbackReport, settings} from '../core/dashboard/fixtures.js';
import {FakeStdin, FakeStdout, T0, keys, readyStore, startDashboard, strip, waitForFrame} from './dashboard-harness.js';

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
		const {done} = await startDashboard(busyStore(), stdout, stdin, {color: true});
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

/** A plan whose failing checks say a lot: a path, a number with its unit, a command. */
function longChecksStore(): DashboardStore {
	const report = rollbackReport({missingPlan: true});
	const checks = report['checks'] as Array<Record<string, unknown>>;
	checks[2]!['message'] = 'metadata file is missing at /etc/cavra/go-backend-rollback-plan.json; CAVRA looked for it for 2000 ms and then reported the plan as missing';
	checks[5]!['message'] = 'rollback plan controls are missing: python-fallback-available, promoted-mode-disable-tested, rollback-approval-recorded';
	const store = readyStore();
	store.dispatchAll([{type: 'local', at: T0 + 5000, reports: reports({rollback: report}), settings}]);
	return store;
}

describe.each([60, 100])('summary check lines at %i columns', width => {
	it('wrap at words under the check message instead of being cut, and the frame stays inside the window', () => {
		const frame = frameText(frameFor({state: longChecksStore().getState(), view: summary(), width, height: 60}));
		const lines = frame.split('\n');
		expect(lines.every(line => [...line].length <= width)).toBe(true);
		expect(lines.length).toBeLessThanOrEqual(59);
		const start = lines.findIndex(line => line.includes('go_rollback_plan: metadata file'));
		expect(start).toBeGreaterThan(0);
		// The continuation lines hang under the message (after "go_rollback_plan: ") when that leaves
		// half the room, else under the text after the symbol; the words are never cut.
		const column = width >= 100 ? lines[start]!.indexOf('metadata') : lines[start]!.indexOf('⚠') + 2;
		const block = [lines[start]!];
		for (const line of lines.slice(start + 1)) {
			if (line.length - line.trimStart().length !== column) break;
			block.push(line);
		}
		expect(block.length).toBeGreaterThan(1);
		const text = block.map(line => line.trim()).join(' ');
		expect(text).toContain('/etc/cavra/go-backend-rollback-plan.json');
		expect(text).toContain('2000 ms');
		expect(text).toMatch(/reported the plan as missing$/);
		expect(block.join('\n')).not.toContain('⋯');
	});

	it('on a short window shows fewer checks and counts the rest ("n more"), never a half-shown check', () => {
		const state = longChecksStore().getState();
		const tall = frameText(frameFor({state, view: summary(), width, height: 60}));
		for (let height = 12; height <= 40; height++) {
			const frame = frameText(frameFor({state, view: summary(), width, height}));
			const lines = frame.split('\n');
			expect(lines.length, `height ${height}`).toBeLessThanOrEqual(height - 1);
			expect(lines.every(line => [...line].length <= width)).toBe(true);
			// Every check line shown is shown whole: its last line is the check's last line in the tall frame.
			const shown = lines.filter(line => /warn go_rollback_\w+:/.test(line)).length;
			const whole = tall.split('\n').filter(line => /warn go_rollback_\w+:/.test(line)).length;
			if (shown < whole && shown > 0) expect(frame, `height ${height}`).toMatch(/⇣ \d+ more \(enter: details\)/);
		}
		expect(tall).not.toContain('more (enter: details)');
	});

	it('renders through Ink without a frame wider or taller than the terminal', async () => {
		const stdout = new FakeStdout(width, 34);
		const stdin = new FakeStdin();
		const {done} = await startDashboard(longChecksStore(), stdout, stdin);
		const shown = await waitForFrame(() => strip(stdout.lastFrame()), text => text.includes('go_rollback_plan: metadata'));
		stdin.write('q');
		await done;
		expect(shown).toContain('2000 ms');
		for (const written of stdout.frames) {
			const {rows, widest} = measure(strip(written).replace(/\n$/, ''));
			expect(rows).toBeLessThanOrEqual(33);
			expect(widest).toBeLessThanOrEqual(width);
		}
	});
});

describe.each([60, 100])('the verdict line at %i columns', width => {
	it('wraps its next step at words under the headline instead of cutting it, and short windows still fit', () => {
		const state = busyStore().getState();
		const frame = frameText(frameFor({state, view: summary(), width, height: 40}));
		const lines = frame.split('\n');
		expect(lines.every(line => [...line].length <= width)).toBe(true);
		const start = lines.findIndex(line => line.includes('NEEDS ATTENTION'));
		const block = [lines[start]!];
		for (const line of lines.slice(start + 1)) {
			if (!line.startsWith('    ') || line.trim() === '') break;
			block.push(line);
		}
		const text = block.map(line => line.trim()).join(' ');
		expect(text).toContain('— next: write the rollback plan /etc/cavra/plan.json (cavra-rollback author)');
		expect(text).not.toContain('⋯');
		if (width === 60) expect(block.length).toBeGreaterThan(1);
		for (let height = 12; height <= 30; height++) {
			const small = frameText(frameFor({state, view: summary('a notice'), width, height})).split('\n');
			expect(small.length, `height ${height}`).toBeLessThanOrEqual(height - 1);
			expect(small.every(line => [...line].length <= width)).toBe(true);
		}
	});
});
