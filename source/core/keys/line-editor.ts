import {stripHidden} from '../text/sanitize.js';
import type {Keypress} from './keypress.js';

/**
 * A one-line field edited like readline: the pure half of the text input. `cursor` counts UTF-16
 * units but never stops inside a surrogate pair. What is typed or pasted is cleaned with
 * `stripHidden` (a pasted line break becomes a space, a trailing one is dropped), so no control
 * character is ever stored.
 */

export interface LineState {
	value: string;
	cursor: number;
}

export interface LineEdit extends LineState {
	/** Enter: the caller submits `value`. */
	submit?: true;
}

/** A field never needs more; a huge paste keeps its beginning. */
export const LINE_LIMIT = 4096;

const isLow = (text: string, index: number) => /[\udc00-\udfff]/.test(text[index] ?? '');
const before = (text: string, index: number) => (index > 0 && isLow(text, index - 1) && index > 1 ? index - 2 : Math.max(0, index - 1));
const after = (text: string, index: number) => (index < text.length && isLow(text, index + 1) ? index + 2 : Math.min(text.length, index + 1));

/** Start of the word before `index` (words are runs of letters and digits, as Alt+B in readline). */
function wordStart(text: string, index: number): number {
	let at = index;
	while (at > 0 && !/[\p{L}\p{N}]/u.test(text[at - 1]!)) at--;
	while (at > 0 && /[\p{L}\p{N}]/u.test(text[at - 1]!)) at--;
	return at;
}

function wordEnd(text: string, index: number): number {
	let at = index;
	while (at < text.length && !/[\p{L}\p{N}]/u.test(text[at]!)) at++;
	while (at < text.length && /[\p{L}\p{N}]/u.test(text[at]!)) at++;
	return at;
}

/** Ctrl+W: back over spaces, then over everything up to the previous space (unix-word-rubout). */
function spaceWordStart(text: string, index: number): number {
	let at = index;
	while (at > 0 && /\s/.test(text[at - 1]!)) at--;
	while (at > 0 && !/\s/.test(text[at - 1]!)) at--;
	return at;
}

function insert(state: LineState, raw: string): LineState {
	// A copied line often ends with its line break: dropped; one inside becomes a space.
	const text = stripHidden(raw.replace(/(?:\r\n|[\r\n])+$/, '').replace(/\r\n|[\r\n]/g, ' '));
	const room = LINE_LIMIT - state.value.length;
	if (text === '' || room <= 0) return state;
	let added = text.slice(0, room);
	if (isLow(text, added.length)) added = added.slice(0, -1);
	return {value: state.value.slice(0, state.cursor) + added + state.value.slice(state.cursor), cursor: state.cursor + added.length};
}

function cut(state: LineState, from: number, to: number): LineState {
	if (from === to) return state;
	return {value: state.value.slice(0, from) + state.value.slice(to), cursor: from};
}

/** What `key` does to the field; undefined when the key is not the field's (Tab, Esc, ↑/↓: the screen's). */
export function editLine(state: LineState, key: Keypress): LineEdit | undefined {
	const {value, cursor} = state;
	if (key.paste) return insert(state, key.input);
	const word = key.ctrl || key.meta;
	switch (key.name) {
		case 'return':
			return {...state, submit: true};
		case 'left':
			return {value, cursor: word ? wordStart(value, cursor) : before(value, cursor)};
		case 'right':
			return {value, cursor: word ? wordEnd(value, cursor) : after(value, cursor)};
		case 'home':
			return {value, cursor: 0};
		case 'end':
			return {value, cursor: value.length};
		case 'backspace':
			return key.meta || key.ctrl ? cut(state, wordStart(value, cursor), cursor) : cut(state, before(value, cursor), cursor);
		case 'delete':
			return cut(state, cursor, after(value, cursor));
		case 'space':
			return key.ctrl || key.meta ? undefined : insert(state, ' ');
		case undefined:
			break;
		default:
			return undefined;
	}
	if (key.ctrl) {
		switch (key.input) {
			case 'a':
				return {value, cursor: 0};
			case 'e':
				return {value, cursor: value.length};
			case 'b':
				return {value, cursor: before(value, cursor)};
			case 'f':
				return {value, cursor: after(value, cursor)};
			case 'd':
				return cut(state, cursor, after(value, cursor));
			case 'h':
				return cut(state, before(value, cursor), cursor);
			case 'u':
				return cut(state, 0, cursor);
			case 'k':
				return cut(state, cursor, value.length);
			case 'w':
				return cut(state, spaceWordStart(value, cursor), cursor);
			default:
				return undefined;
		}
	}
	if (key.meta) {
		switch (key.input) {
			case 'b':
				return {value, cursor: wordStart(value, cursor)};
			case 'f':
				return {value, cursor: wordEnd(value, cursor)};
			case 'd':
				return cut(state, cursor, wordEnd(value, cursor));
			default:
				return undefined;
		}
	}
	return insert(state, key.input);
}
