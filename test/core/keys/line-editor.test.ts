import {describe, expect, it} from 'vitest';
import {splitKeypresses} from '../../../source/core/keys/keypress.js';
import {editLine, LINE_LIMIT, type LineState} from '../../../source/core/keys/line-editor.js';

/** Apply every key of `input` to the field; `|` in `start` marks the cursor. */
function type(start: string, input: string): {text: string; submitted: boolean} {
	let state: LineState = {value: start.replace('|', ''), cursor: start.indexOf('|') < 0 ? start.length : start.indexOf('|')};
	let submitted = false;
	for (const key of splitKeypresses(input)) {
		const edit = editLine(state, key);
		if (!edit) continue;
		state = {value: edit.value, cursor: edit.cursor};
		if (edit.submit) submitted = true;
	}
	return {text: `${state.value.slice(0, state.cursor)}|${state.value.slice(state.cursor)}`, submitted};
}

const LEFT = '\u001b[D';
const RIGHT = '\u001b[C';

describe('a text field edits like readline', () => {
	it('inserts at the cursor after ←/→', () => {
		expect(type('', `ac${LEFT}b`).text).toBe('ab|c');
		expect(type('abc|', `${LEFT}${LEFT}${RIGHT}X`).text).toBe('abX|c');
	});

	it('Home/End and Ctrl+A/Ctrl+E jump to the ends', () => {
		expect(type('abc|', '\u001b[H>').text).toBe('>|abc');
		expect(type('|abc', '\u001b[F<').text).toBe('abc<|');
		expect(type('abc|', '\u0001>').text).toBe('>|abc');
		expect(type('|abc', '\u0005<').text).toBe('abc<|');
	});

	it('Backspace deletes before the cursor, Delete (and Ctrl+D) at it', () => {
		expect(type('ab|cd', '\u007f').text).toBe('a|cd');
		expect(type('ab|cd', '\u001b[3~').text).toBe('ab|d');
		expect(type('ab|cd', '\u0004').text).toBe('ab|d');
		expect(type('|ab', '\u007f').text).toBe('|ab');
		expect(type('ab|', '\u001b[3~').text).toBe('ab|');
	});

	it('a held Backspace (two DEL bytes in one read) deletes two characters', () => {
		expect(type('30x|', '\u007f\u007f').text).toBe('3|');
	});

	it('Ctrl+U cuts to the start, Ctrl+K to the end, Ctrl+W the word before the cursor', () => {
		expect(type('one two|three', '\u0015').text).toBe('|three');
		expect(type('one two|three', '\u000b').text).toBe('one two|');
		expect(type('set MODE=disabled  |', '\u0017').text).toBe('set |');
	});

	it('Ctrl+←/→ and Alt+B/F move by words; Alt+Backspace deletes one', () => {
		expect(type('restart cavra-api|', '\u001b[1;5D').text).toBe('restart cavra-|api');
		expect(type('|restart cavra', '\u001bf').text).toBe('restart| cavra');
		expect(type('restart cavra|', '\u001b\u007f').text).toBe('restart |');
	});

	it('a paste of several characters goes in at once, line breaks as spaces, no control characters', () => {
		expect(type('a|z', '\u001b[200~bc\r\nd\u001b[31me\u0007\u001b[201~').text).toBe('abc de|z');
		expect(type('|', 'plain paste').text).toBe('plain paste|');
		expect(type('|', '\u001b[200~CAB-99\r\n\u001b[201~').text).toBe('CAB-99|');
	});

	it('never stores a control or hidden character typed on its own', () => {
		expect(type('|', 'a\u0000\u001c\u200bb').text).toBe('ab|');
	});

	it('Enter submits and leaves Tab, Esc and ↑/↓ to the screen', () => {
		expect(type('15|', '\r')).toEqual({text: '15|', submitted: true});
		for (const key of ['\t', '\u001b', '\u001b[A', '\u001b[B']) expect(editLine({value: 'x', cursor: 1}, splitKeypresses(key)[0]!)).toBeUndefined();
	});

	it('moves over a character outside the BMP in one step', () => {
		expect(type('a😀|', `${LEFT}\u007f`).text).toBe('|😀');
	});

	it('a field stays bounded whatever is pasted into it', () => {
		expect(type('|', `\u001b[200~${'x'.repeat(LINE_LIMIT * 2)}\u001b[201~`).text.length).toBe(LINE_LIMIT + 1);
	});
});
