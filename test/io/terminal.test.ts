import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {colorEnabled, isInteractive, loadWithNotice} from '../../source/io/terminal.js';

function stream(isTTY: boolean) {
	const out = new PassThrough() as PassThrough & {isTTY?: boolean};
	out.isTTY = isTTY;
	let written = '';
	out.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
	return {out, written: () => written};
}

describe('terminal facts', () => {
	it('colour: --no-color and NO_COLOR win, FORCE_COLOR forces, TERM=dumb and pipes get none', () => {
		expect(colorEnabled({env: {}, isTTY: true})).toBe(true);
		expect(colorEnabled({env: {}, isTTY: false})).toBe(false);
		expect(colorEnabled({env: {}, isTTY: true, noColorFlag: true})).toBe(false);
		expect(colorEnabled({env: {NO_COLOR: '1'}, isTTY: true})).toBe(false);
		expect(colorEnabled({env: {NO_COLOR: ''}, isTTY: true})).toBe(true);
		expect(colorEnabled({env: {FORCE_COLOR: '1'}, isTTY: false})).toBe(true);
		expect(colorEnabled({env: {FORCE_COLOR: '0'}, isTTY: true})).toBe(false);
		expect(colorEnabled({env: {TERM: 'dumb'}, isTTY: true})).toBe(false);
	});

	it('interactive only with a terminal at both ends and CI unset', () => {
		expect(isInteractive({stdin: {isTTY: true}, stdout: {isTTY: true}}, {})).toBe(true);
		expect(isInteractive({stdin: {isTTY: false}, stdout: {isTTY: true}}, {})).toBe(false);
		expect(isInteractive({stdin: {isTTY: true}, stdout: {isTTY: false}}, {})).toBe(false);
		expect(isInteractive({stdin: {isTTY: true}, stdout: {isTTY: true}}, {CI: 'true'})).toBe(false);
	});
});

describe('a notice while a screen loads', () => {
	it('shows one line on a terminal and erases it before the screen draws', async () => {
		const {out, written} = stream(true);
		let seenWhileLoading = '';
		const value = await loadWithNotice(out, 'starting the dashboard', async () => {
			await new Promise(resolve => setImmediate(resolve));
			seenWhileLoading = written();
			return 42;
		});
		expect(value).toBe(42);
		expect(seenWhileLoading).toBe('starting the dashboard…');
		expect(written()).toBe('starting the dashboard…\r\u001B[2K');
	});

	it('erases the line when loading fails, and passes the failure on', async () => {
		const {out, written} = stream(true);
		await expect(loadWithNotice(out, 'starting', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(written()).toBe('starting…\r\u001B[2K');
	});

	it('writes nothing to a pipe', async () => {
		const {out, written} = stream(false);
		expect(await loadWithNotice(out, 'starting', async () => 'ok')).toBe('ok');
		expect(written()).toBe('');
	});
});
