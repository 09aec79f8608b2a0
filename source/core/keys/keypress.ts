/**
 * Keypresses out of terminal input. A terminal read can hold many keys at once (a held key, a
 * paste, a laggy SSH link): `jjj`, three `ESC[B`, `disable⏎`, two DEL bytes. Ink hands such a run
 * to `useInput` as ONE keypress, so three Down keys moved a list one row. Here every chunk is
 * split into keys (escape sequences kept whole) and a bracketed paste (`ESC[200~ … ESC[201~`)
 * becomes one `paste` key carrying its text, so a pasted newline never submits a field.
 */

export type KeyName =
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'pageup'
	| 'pagedown'
	| 'insert'
	| 'delete'
	| 'backspace'
	| 'return'
	| 'tab'
	| 'escape'
	| 'space'
	| `f${number}`;

export interface Keypress {
	/** A named key, or undefined for a character (then `input` holds it). */
	name: KeyName | undefined;
	/** What the key types: a character, the letter of a Ctrl/Alt chord, or a paste's text; '' otherwise. */
	input: string;
	ctrl: boolean;
	/** Alt/Option (sent as ESC before the key). */
	meta: boolean;
	shift: boolean;
	/** A bracketed paste: `input` is the whole pasted text (control characters included, for the field to clean). */
	paste: boolean;
	/** The bytes that made this key, for tests and diagnostics. */
	sequence: string;
}

const PASTE_START = '\u001b[200~';
const PASTE_END = '\u001b[201~';
/** A paste larger than this keeps only its beginning: a field never needs more, and memory stays bounded. */
export const PASTE_LIMIT = 64 * 1024;
/**
 * This many printable characters in one read are no typing but a paste the terminal did not
 * bracket: they arrive as one paste (a field takes them at once; a list ignores them).
 */
export const UNBRACKETED_PASTE = 16;

function key(sequence: string, name: KeyName | undefined, input = '', modifiers: Partial<Pick<Keypress, 'ctrl' | 'meta' | 'shift'>> = {}): Keypress {
	return {name, input, ctrl: modifiers.ctrl ?? false, meta: modifiers.meta ?? false, shift: modifiers.shift ?? false, paste: false, sequence};
}

const CSI_LETTER: Record<string, KeyName> = {A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4'};
const CSI_TILDE: Record<string, KeyName> = {
	'1': 'home',
	'2': 'insert',
	'3': 'delete',
	'4': 'end',
	'5': 'pageup',
	'6': 'pagedown',
	'7': 'home',
	'8': 'end',
	'11': 'f1',
	'12': 'f2',
	'13': 'f3',
	'14': 'f4',
	'15': 'f5',
	'17': 'f6',
	'18': 'f7',
	'19': 'f8',
	'20': 'f9',
	'21': 'f10',
	'23': 'f11',
	'24': 'f12',
};

/** xterm's modifier parameter: 1 + (shift 1, alt 2, ctrl 4). */
function modifiersOf(parameter: string | undefined): Pick<Keypress, 'ctrl' | 'meta' | 'shift'> {
	const bits = Math.max(0, (Number.parseInt(parameter ?? '1', 10) || 1) - 1);
	return {shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

/** One C0 control or DEL as a key. */
function controlKey(char: string, meta: boolean): Keypress {
	const sequence = meta ? `\u001b${char}` : char;
	const code = char.charCodeAt(0);
	if (char === '\r' || char === '\n') return key(sequence, 'return', '', {meta});
	if (char === '\t') return key(sequence, 'tab', '', {meta});
	if (char === '\u007f' || char === '\b') return key(sequence, 'backspace', '', {meta});
	if (char === '\u001b') return key(sequence, 'escape', '', {meta});
	if (code === 0) return key(sequence, 'space', ' ', {ctrl: true, meta});
	if (code <= 0x1a) return key(sequence, undefined, String.fromCharCode(code + 0x60), {ctrl: true, meta});
	// Ctrl+\ ] ^ _
	return key(sequence, undefined, String.fromCharCode(code + 0x40), {ctrl: true, meta});
}

/** A character typed on its own (or after ESC, i.e. with Alt). */
function characterKey(char: string, meta: boolean): Keypress {
	const code = char.codePointAt(0)!;
	if (code < 0x20 || code === 0x7f) return controlKey(char, meta);
	const sequence = meta ? `\u001b${char}` : char;
	if (char === ' ') return key(sequence, 'space', ' ', {meta});
	return key(sequence, undefined, char, {meta, shift: char !== char.toLowerCase()});
}

/** A complete CSI or SS3 sequence as a key; undefined when it names no key we know. */
function sequenceKey(sequence: string, meta: boolean): Keypress | undefined {
	const full = meta ? `\u001b${sequence}` : sequence;
	const ss3 = /^\u001bO([A-DHFP-S])$/.exec(sequence);
	if (ss3) return key(full, CSI_LETTER[ss3[1]!], '', {meta});
	const letter = /^\u001b\[(?:1;(\d+))?([A-DHFP-SZ])$/.exec(sequence);
	if (letter) {
		const modifiers = modifiersOf(letter[1]);
		if (letter[2] === 'Z') return key(full, 'tab', '', {...modifiers, shift: true, meta: meta || modifiers.meta});
		return key(full, CSI_LETTER[letter[2]!], '', {...modifiers, meta: meta || modifiers.meta});
	}
	const tilde = /^\u001b\[(\d+)(?:;(\d+))?~$/.exec(sequence);
	if (tilde) {
		const name = CSI_TILDE[tilde[1]!];
		if (!name) return undefined;
		const modifiers = modifiersOf(tilde[2]);
		return key(full, name, '', {...modifiers, meta: meta || modifiers.meta});
	}
	// kitty's `CSI code ; modifiers u`
	const kitty = /^\u001b\[(\d+)(?::\d+)*(?:;(\d+))?u$/.exec(sequence);
	if (kitty) {
		const code = Number.parseInt(kitty[1]!, 10);
		const modifiers = modifiersOf(kitty[2]);
		if (code > 0x10ffff) return undefined;
		const char = String.fromCodePoint(code);
		const base = code < 0x20 || code === 0x7f ? controlKey(char, false) : characterKey(char, false);
		const ctrl = modifiers.ctrl || base.ctrl;
		return {...base, ctrl, meta: meta || modifiers.meta, shift: modifiers.shift || base.shift, input: ctrl && base.name === undefined ? base.input.toLowerCase() : base.input, sequence: full};
	}
	return undefined;
}

/** Where the escape sequence starting at `index` ends (exclusive), or undefined if it is a lone ESC + character. */
function sequenceEnd(text: string, index: number): number | undefined {
	const introducer = text[index + 1];
	if (introducer === '[') {
		let end = index + 2;
		while (end < text.length && /[\u0030-\u003f\u0020-\u002f]/.test(text[end]!)) end++;
		return end < text.length ? end + 1 : text.length;
	}
	if (introducer === 'O' && index + 2 < text.length) return index + 3;
	return undefined;
}

/** Tokens of one chunk: each escape sequence whole, every other character on its own. */
function tokens(text: string): string[] {
	const out: string[] = [];
	let index = 0;
	while (index < text.length) {
		if (text[index] === '\u001b') {
			let start = index;
			// ESC ESC [ A is Alt+Up: keep the doubled ESC with its sequence.
			if (text[index + 1] === '\u001b' && (text[index + 2] === '[' || text[index + 2] === 'O')) start = index + 1;
			const end = sequenceEnd(text, start);
			if (end !== undefined) {
				out.push(text.slice(index, end));
				index = end;
				continue;
			}
			// ESC + one character (Alt chord), or ESC alone.
			const next = text.codePointAt(index + 1);
			const width = next === undefined ? 0 : next > 0xffff ? 2 : 1;
			out.push(text.slice(index, index + 1 + width));
			index += 1 + width;
			continue;
		}
		const width = text.codePointAt(index)! > 0xffff ? 2 : 1;
		out.push(text.slice(index, index + width));
		index += width;
	}
	return out;
}

/** Long runs of printable characters joined into one token (at least UNBRACKETED_PASTE long, so never a single key's). */
function coalesced(list: string[]): string[] {
	const out: string[] = [];
	let run: string[] = [];
	const flush = () => {
		if (run.length >= UNBRACKETED_PASTE) out.push(run.join(''));
		else out.push(...run);
		run = [];
	};
	for (const token of list) {
		if (/^[^\u0000-\u001f\u007f]+$/u.test(token) && !token.startsWith('\u001b')) run.push(token);
		else {
			flush();
			out.push(token);
		}
	}
	flush();
	return out;
}

/** One token as a key; undefined for a sequence that is no key. */
export function keyOf(token: string): Keypress | undefined {
	if (!token.startsWith('\u001b') || token.length === 1) return characterKey(token, false);
	const rest = token.slice(1);
	if (rest.startsWith('\u001b[') || rest.startsWith('\u001bO')) return sequenceKey(rest, true);
	if (rest.startsWith('[') || rest.startsWith('O')) return sequenceKey(token, false) ?? (rest.length === 1 ? characterKey(rest, true) : undefined);
	return characterKey(rest, true);
}

/**
 * Splits input into keypresses, across chunks: a bracketed paste may arrive in several reads
 * and is handed on once, whole, when its end marker comes.
 */
export class KeypressSplitter {
	private pasted: string | undefined;

	push(chunk: string): Keypress[] {
		const keys: Keypress[] = [];
		for (const token of coalesced(tokens(chunk))) {
			if (this.pasted !== undefined) {
				if (token === PASTE_END) {
					keys.push({name: undefined, input: this.pasted, ctrl: false, meta: false, shift: false, paste: true, sequence: token});
					this.pasted = undefined;
				} else if (!token.startsWith('\u001b') && this.pasted.length < PASTE_LIMIT) {
					// Keys inside a paste are not keys: only the text is kept (the field strips what it must).
					this.pasted = (this.pasted + token).slice(0, PASTE_LIMIT);
				}
				continue;
			}
			if (token.length >= UNBRACKETED_PASTE && !token.startsWith('\u001b')) {
				keys.push({name: undefined, input: token.slice(0, PASTE_LIMIT), ctrl: false, meta: false, shift: false, paste: true, sequence: token.slice(0, 32)});
				continue;
			}
			if (token === PASTE_START) {
				this.pasted = '';
				continue;
			}
			if (token === PASTE_END) continue;
			const parsed = keyOf(token);
			if (parsed) keys.push(parsed);
		}
		return keys;
	}

	/** True while a paste has started and not ended. */
	get inPaste(): boolean {
		return this.pasted !== undefined;
	}
}

/** Every keypress of one chunk (no paste carried over). */
export function splitKeypresses(chunk: string): Keypress[] {
	return new KeypressSplitter().push(chunk);
}
