import {describe, expect, it} from 'vitest';
import {KeypressSplitter, PASTE_LIMIT, splitKeypresses, UNBRACKETED_PASTE} from '../../../source/core/keys/keypress.js';

const names = (chunk: string) => splitKeypresses(chunk).map(key => key.name ?? (key.ctrl ? `ctrl+${key.input}` : key.meta ? `alt+${key.input}` : key.input));

describe('splitting one read into keypresses', () => {
	it('three Down keys in one read are three keys', () => {
		expect(names('\u001b[B\u001b[B\u001b[B')).toEqual(['down', 'down', 'down']);
	});

	it('typed letters, a held Backspace (two DEL bytes) and Enter are one key each', () => {
		expect(names('jj\u007f\u007f\r')).toEqual(['j', 'j', 'backspace', 'backspace', 'return']);
	});

	it('keeps escape sequences whole between characters', () => {
		expect(names('a\u001b[Cb\u001b[3~\u001bOH\u001b[F\u001b[5~\u001b[6~\u001b[Z')).toEqual(['a', 'right', 'b', 'delete', 'home', 'end', 'pageup', 'pagedown', 'tab']);
		expect(splitKeypresses('\u001b[Z')[0]).toMatchObject({name: 'tab', shift: true});
	});

	it('reads modifiers: Shift+Up, Ctrl+Left, Alt+Up sent as ESC ESC [ A', () => {
		expect(splitKeypresses('\u001b[1;2A')[0]).toMatchObject({name: 'up', shift: true, ctrl: false});
		expect(splitKeypresses('\u001b[1;5D')[0]).toMatchObject({name: 'left', ctrl: true});
		expect(splitKeypresses('\u001b\u001b[A')[0]).toMatchObject({name: 'up', meta: true});
	});

	it('Ctrl and Alt chords carry their letter', () => {
		expect(names('\u0001\u0005\u0015\u0017\u000b\u0003')).toEqual(['ctrl+a', 'ctrl+e', 'ctrl+u', 'ctrl+w', 'ctrl+k', 'ctrl+c']);
		expect(names('\u001bb\u001bf')).toEqual(['alt+b', 'alt+f']);
		expect(names('\t\u001b')).toEqual(['tab', 'escape']);
	});

	it('kitty keyboard keys (CSI code ; modifiers u) are keys too', () => {
		expect(splitKeypresses('\u001b[97;5u')[0]).toMatchObject({input: 'a', ctrl: true});
		expect(splitKeypresses('\u001b[13u')[0]).toMatchObject({name: 'return'});
	});

	it('keeps characters outside the BMP whole', () => {
		expect(names('a😀b')).toEqual(['a', '😀', 'b']);
	});

	it('a bracketed paste is one key holding its text, newlines and all', () => {
		const keys = splitKeypresses('x\u001b[200~line one\rline two\u001b[201~\r');
		expect(keys.map(key => key.paste)).toEqual([false, true, false]);
		expect(keys[1]).toMatchObject({input: 'line one\rline two', name: undefined});
		expect(keys[2]).toMatchObject({name: 'return', paste: false});
	});

	it('a paste split over several reads arrives once, when it ends; keys inside it are not keys', () => {
		const splitter = new KeypressSplitter();
		expect(splitter.push('\u001b[200~disa')).toEqual([]);
		expect(splitter.inPaste).toBe(true);
		expect(splitter.push('ble\u001b[B\u0003')).toEqual([]);
		const [paste] = splitter.push('\r\u001b[201~');
		expect(paste).toMatchObject({paste: true, input: 'disable\u0003\r'});
		expect(splitter.inPaste).toBe(false);
		expect(splitter.push('q').map(key => key.input)).toEqual(['q']);
	});

	it('a huge or never-ending paste stays bounded', () => {
		const splitter = new KeypressSplitter();
		for (let i = 0; i < 20; i++) splitter.push(i === 0 ? `\u001b[200~${'x'.repeat(10_000)}` : 'x'.repeat(10_000));
		const [paste] = splitter.push('\u001b[201~');
		expect(paste!.input.length).toBe(PASTE_LIMIT);
	});

	it('a long run of text in one read is a paste the terminal did not bracket; a few letters stay keys', () => {
		expect(names('jjj')).toEqual(['j', 'j', 'j']);
		const keys = splitKeypresses(`${'x'.repeat(UNBRACKETED_PASTE)}\r`);
		expect(keys.map(key => [key.paste, key.name])).toEqual([
			[true, undefined],
			[false, 'return'],
		]);
		expect(keys[0]!.input).toHaveLength(UNBRACKETED_PASTE);
		// Inside a bracketed paste, a long run is just more of the paste.
		const [paste, ...rest] = splitKeypresses(`\u001b[200~${'y'.repeat(40)}\r${'z'.repeat(40)}\u001b[201~q`);
		expect(paste).toMatchObject({paste: true, input: `${'y'.repeat(40)}\r${'z'.repeat(40)}`});
		expect(rest.map(key => key.input)).toEqual(['q']);
	});

	it('an unknown CSI sequence is dropped, not typed', () => {
		expect(names('a\u001b[99Xb')).toEqual(['a', 'b']);
	});
});
