import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {initialView, reduceView, type DashboardStore} from '../../source/core/dashboard/index.js';
import {DashboardScreen} from '../../source/ui/screens/dashboard/dashboard-screen.js';
import {detailsFrame, frameText, wrapJsonLine} from '../../source/ui/screens/dashboard/layout.js';
import {keys, readyStore, strip, waitForFrame} from './dashboard-harness.js';

let unmount: (() => void) | undefined;
afterEach(() => {
	unmount?.();
	unmount = undefined;
});

const SIZE = {columns: 60, rows: 16};

function mount(store: DashboardStore) {
	const instance = render(<DashboardScreen store={store} onRefresh={vi.fn()} rollbackAvailable={false} onBeginRollback={vi.fn()} color={false} size={SIZE} />);
	unmount = instance.unmount;
	const frame = () => strip(instance.lastFrame() ?? '');
	const press = async (key: string, predicate: (frame: string) => boolean, what?: string) => {
		instance.stdin.write(key);
		return waitForFrame(frame, predicate, what);
	};
	return {frame, press, until: (predicate: (frame: string) => boolean, what?: string) => waitForFrame(frame, predicate, what)};
}

/** Open the API panel's details (the raw JSON answers live there). */
async function openApiDetails(screen: ReturnType<typeof mount>) {
	await screen.until(frame => frame.includes('› ✔ READY'), 'verdict selected');
	for (let i = 0; i < 6; i++) await screen.press(keys.down, () => true);
	await screen.until(frame => /› API/.test(frame), 'api selected');
	return screen.press(keys.enter, frame => frame.includes('API: ✔ ready · details'), 'api details');
}

describe('dashboard details keys', () => {
	it('G and End go to the bottom, g and Home to the top; nothing is wider than the terminal', async () => {
		const screen = mount(readyStore());
		const top = await openApiDetails(screen);
		expect(top).toContain('lines 1–');
		const bottom = await screen.press('G', frame => !frame.includes('lines 1–'), 'bottom');
		const [, last, total] = /lines \d+–(\d+) of (\d+)/.exec(bottom)!;
		expect(last).toBe(total);
		await screen.press('g', frame => frame.includes('lines 1–'), 'top');
		await screen.press('\u001B[F', frame => frame.includes(`–${total} of ${total}`), 'end key');
		await screen.press('\u001B[H', frame => frame.includes('lines 1–'), 'home key');
		for (const line of screen.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(SIZE.columns);
	});

	it('/ searches as less does: type, enter jumps to the first match, n and N move, esc clears; q typed in the query does not quit', async () => {
		const screen = mount(readyStore());
		await openApiDetails(screen);
		await screen.press('/', frame => frame.includes('enter search · esc cancel'), 'search field');
		for (const letter of 'STATUS'.split('')) await screen.press(letter, () => true);
		const typed = await screen.until(frame => frame.includes('/STATUS'), 'query typed');
		const count = Number(/(\d+) match/.exec(typed)![1]);
		expect(count).toBeGreaterThan(1);
		const first = await screen.press(keys.enter, frame => frame.includes(`match 1 of ${count}`), 'first match');
		// The match the view is on is marked, and its line is on screen.
		expect(first).toMatch(/▸.*status/i);
		await screen.press('n', frame => frame.includes(`match 2 of ${count}`), 'next');
		await screen.press('N', frame => frame.includes(`match 1 of ${count}`), 'previous');
		await screen.press('N', frame => frame.includes(`match ${count} of ${count}`), 'wraps to the last');
		await screen.press(keys.escape, frame => frame.includes('/ search') && frame.includes('details'), 'search cleared, still in details');
		// A q typed into the query is a letter; esc cancels the field.
		await screen.press('/', frame => frame.includes('esc cancel'), 'field again');
		await screen.press('q', frame => frame.includes('/q'), 'q typed');
		await screen.press(keys.escape, frame => frame.includes('/ search'), 'cancelled');
		await screen.press(keys.escape, frame => frame.includes('↑↓ select'), 'back to the summary');
	});
});

describe('details layout', () => {
	it('wraps long JSON lines under their own indent instead of cutting them', () => {
		const long = `    "message": "${'word '.repeat(30).trim()}",`;
		const parts = wrapJsonLine(long, 40);
		expect(parts.length).toBeGreaterThan(3);
		for (const part of parts) expect([...part].length).toBeLessThanOrEqual(40);
		expect(parts.slice(1).every(part => part.startsWith('      '))).toBe(true);
		expect(parts.map(part => part.trim()).join(' ')).toBe(long.trim());
		const url = `  "url": "http://127.0.0.1:8000/${'x'.repeat(100)}"`;
		expect(wrapJsonLine(url, 40).join('').replace(/\s+/g, '')).toBe(url.replace(/\s+/g, ''));
	});

	it('counts matches case-insensitively over the whole body, wrapped JSON included', () => {
		const store = readyStore();
		const view = reduceView(reduceView({...initialView, selected: 6}, {type: 'open'}, 8), {type: 'search', search: {query: 'SCHEMA_VERSION', cursor: 14, editing: false, current: 0}}, 8);
		const frame = detailsFrame({state: store.getState(), view, width: 50, height: 20});
		expect(frame.matches!.length).toBeGreaterThan(0);
		expect(frameText(frame)).toContain('match 1 of');
		expect(reduceView(view, {type: 'back'}, 8).search).toBeUndefined();
	});
});
