import chalk from 'chalk';
import {render} from 'ink-testing-library';
import {useState} from 'react';
import {describe, expect, it} from 'vitest';
import {Text} from '../../source/ui/components/text.js';
import {TextInput} from '../../source/ui/components/text-input.js';

/*
 * The text field as a user types into it. Every write waits for the frame it should produce and
 * yields a setImmediate turn first; several keys in ONE write are how a held key, a paste or a
 * laggy SSH link arrive.
 */

// The cursor is drawn in inverse video: let chalk emit it although the test's stdout is no terminal.
chalk.level = 1;

const turn = () => new Promise(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const INVERSE = /\u001b\[7m(.*?)\u001b\[27m/;

function Field({initial = '', onSubmit}: {initial?: string; onSubmit?(value: string): void}) {
	const [value, setValue] = useState(initial);
	return (
		<>
			<TextInput value={value} placeholder="e.g. 15" onChange={setValue} onSubmit={onSubmit} />
			<Text>value=[{value}]</Text>
		</>
	);
}

type App = ReturnType<typeof render>;

async function until(app: App, test: (frame: string) => boolean): Promise<string> {
	for (let i = 0; i < 400; i++) {
		const frame = app.lastFrame() ?? '';
		if (test(frame)) {
			await turn();
			return frame;
		}
		await sleep(5);
	}
	throw new Error(`frame never matched:\n${app.lastFrame()}`);
}

const valueOf = (frame: string) => /value=\[(.*)\]/.exec(frame.replace(/\u001b\[[0-9;]*m/g, ''))?.[1];

async function typed(app: App, input: string, expected: string): Promise<string> {
	await turn();
	app.stdin.write(input);
	return until(app, frame => valueOf(frame) === expected);
}

describe('the text field', () => {
	it('shows the placeholder with the cursor on its first cell while empty', async () => {
		const app = render(<Field />);
		const frame = await until(app, text => text.includes('.g. 15'));
		expect(INVERSE.exec(frame)?.[1]).toBe('e');
		app.unmount();
	});

	it('shows a cursor where the next character goes, and ←/→ move it', async () => {
		const app = render(<Field />);
		await until(app, text => text.includes('value=[]'));
		await typed(app, 'abc', 'abc');
		expect(INVERSE.exec(app.lastFrame()!)?.[1]).toBe(' ');
		app.stdin.write('\u001b[D\u001b[D');
		await until(app, frame => INVERSE.exec(frame)?.[1] === 'b');
		await typed(app, 'X', 'aXbc');
		app.unmount();
	});

	it('types every character of a fast burst, and a held Backspace deletes two', async () => {
		const app = render(<Field />);
		await until(app, text => text.includes('value=[]'));
		await typed(app, '30x', '30x');
		await typed(app, '\u007f\u007f', '3');
		app.unmount();
	});

	it('Home/End, Ctrl+A/E, Delete, Ctrl+U/K/W edit like a shell prompt', async () => {
		const app = render(<Field initial="restart cavra-api now" />);
		await until(app, text => text.includes('value=[restart cavra-api now]'));
		await typed(app, '\u0017', 'restart cavra-api ');
		await typed(app, '\u0001\u001b[3~', 'estart cavra-api ');
		await typed(app, '\u0005!', 'estart cavra-api !');
		await typed(app, '\u001b[H\u001b[C\u001b[C\u000b', 'es');
		await typed(app, '\u001b[F\u0015', '');
		app.unmount();
	});

	it('a paste goes in whole, without the line break submitting or control characters stored', async () => {
		let submitted: string | undefined;
		const app = render(<Field onSubmit={value => (submitted = value)} />);
		await until(app, text => text.includes('value=[]'));
		await typed(app, '\u001b[200~CAB-\u001b[31m12\r\n34\r\n\u001b[201~', 'CAB-12 34');
		expect(submitted).toBeUndefined();
		app.stdin.write('\r');
		await turn();
		expect(submitted).toBe('CAB-12 34');
		app.unmount();
	});

	it('shows a hidden character already in the value escaped, and lets it be deleted', async () => {
		const app = render(<Field initial={'ok\u202e'} />);
		const frame = await until(app, text => text.includes('ok\\u202e'));
		expect(frame).not.toContain('\u202e');
		await typed(app, '\u007f', 'ok');
		app.unmount();
	});
});
