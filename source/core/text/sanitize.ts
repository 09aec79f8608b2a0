/**
 * The one sanitizer between an outside string (plan, env file, config, API answer, file name,
 * argument) and a terminal. Pure.
 *
 * A public plan or a hostile API must not be able to move the cursor, recolour the screen, write
 * the clipboard (OSC 52), hide text behind a carriage return or reorder it with bidi marks. Such
 * characters are shown, visibly and unambiguously, as escapes (`\x1b`, `\u202e`), never removed:
 * an operator must see that something was there. Applying a function twice changes nothing (its
 * output holds no hidden character), so a screen may sanitize a line its view model already did.
 * JSON and SARIF outputs keep JSON escaping and do not go through here.
 */

/**
 * Characters that never reach a terminal raw (tab and newline are handled by the caller's choice
 * of function):
 * - `\p{Cc}`: C0 controls (ESC, CR, BEL, BS…), DEL and C1 controls (8-bit CSI U+009B, OSC U+009D…);
 * - `\p{Cf}`: format characters: bidi embeddings, overrides, isolates and marks, zero-width space
 *   and joiners, word joiner, BOM, soft hyphen, interlinear annotations, Unicode tag characters;
 * - `\p{Cs}`: lone surrogates (not text, and invalid in UTF-8 output);
 * - `\p{Zl}`, `\p{Zp}`: line and paragraph separators (a line break to some terminals and editors);
 * - blank-looking letters and marks: combining grapheme joiner, Hangul and Khmer fillers, and the
 *   variation selectors (which also carry bytes in "invisible text" steganography), and the whole
 *   tag block (U+E0000–U+E007F), assigned or not.
 */
const HIDDEN_CLASS = String.raw`[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0\ufe00-\ufe0f\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]`;
const HIDDEN = new RegExp(HIDDEN_CLASS, 'gu');
const HIDDEN_EXCEPT_TAB_NEWLINE = new RegExp(`(?![\\t\\n])${HIDDEN_CLASS}`, 'gu');
const HIDDEN_TEST = new RegExp(`(?![\\t\\n])${HIDDEN_CLASS}`, 'u');
/** JSON's own whitespace between tokens (tab, newline, CR) stays: inside strings JSON.stringify escapes it already. */
const HIDDEN_IN_JSON = new RegExp(`(?![\\t\\n\\r])${HIDDEN_CLASS}`, 'gu');

/**
 * Whole terminal control sequences, for input (where the escape is dropped, not shown): CSI
 * (`ESC [` or 8-bit U+009B, parameters, final byte), OSC / DCS / SOS / PM / APC strings up to
 * their terminator (BEL or ST), SS2/SS3 keys (`ESC O A`) and two-byte `ESC x` sequences.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_SEQUENCE = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[NO][\u0020-\u007e]?|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

function escapeOne(ch: string): string {
	const code = ch.codePointAt(0)!;
	if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
	if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
	return `\\u{${code.toString(16)}}`;
}

/** One line of display text: every hidden or control character (tab and newline too) shown as an escape. */
export function visible(text: string): string {
	return text.replace(HIDDEN, escapeOne);
}

/**
 * Multi-line display text (a diff, an output tail): newlines kept (CRLF read as one newline), a
 * tab shown as spaces, every other hidden or control character (a lone `\r` too) shown as an escape.
 */
export function visibleLines(text: string): string {
	return text.replace(/\r\n/g, '\n').replace(HIDDEN_EXCEPT_TAB_NEWLINE, escapeOne).replace(/\t/g, '    ');
}

/**
 * JSON text (from JSON.stringify) with every hidden character written as a `\uXXXX` escape:
 * the same JSON value, but a terminal showing the output shows no raw bidi override or C1
 * control. JSON.stringify already escapes C0 controls and lone surrogates; this does the rest.
 * Only valid for JSON text: such characters can only occur inside its strings.
 */
export function escapeHiddenInJson(json: string): string {
	return json.replace(HIDDEN_IN_JSON, ch => {
		let out = '';
		for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
		return out;
	});
}

/** True when `text` holds a character that `visible` would escape (tab and newline excluded). */
/** A fresh global pattern of the characters `visible` escapes (tab and newline excluded), for callers that map offsets. */
export function hiddenCharacterPattern(): RegExp {
	return new RegExp(HIDDEN_EXCEPT_TAB_NEWLINE.source, 'gu');
}

export function hasHiddenCharacters(text: string): boolean {
	return HIDDEN_TEST.test(text);
}

export interface HiddenCharacter {
	/** Offset in `text`, in UTF-16 code units. */
	index: number;
	codePoint: number;
	/** The escape `visible` shows, e.g. `\u202e`. */
	shown: string;
	/** `U+202E (right-to-left override)`. */
	description: string;
}

/** Each hidden character (tab and newline excluded), for lint findings that point at it. */
export function hiddenCharacters(text: string): HiddenCharacter[] {
	const out: HiddenCharacter[] = [];
	for (const match of text.matchAll(HIDDEN_EXCEPT_TAB_NEWLINE)) {
		const codePoint = match[0].codePointAt(0)!;
		out.push({index: match.index, codePoint, shown: escapeOne(match[0]), description: describeCharacter(codePoint)});
	}
	return out;
}

/**
 * Input typed or pasted into a field: whole escape sequences and every hidden character (tab,
 * newline and CR too) dropped. Backspace bytes (DEL, BS) that arrive inside a chunk of text, as a
 * held Backspace key does, erase the character before them, as the key would have.
 */
export function stripHidden(text: string): string {
	const kept: string[] = [];
	for (const ch of text.replace(CONTROL_SEQUENCE, '')) {
		if (ch === '\u007f' || ch === '\b') kept.pop();
		else kept.push(ch);
	}
	return kept.join('').replace(HIDDEN, '');
}

const NAMES: Record<number, string> = {
	0x00: 'null',
	0x07: 'bell',
	0x08: 'backspace',
	0x09: 'tab',
	0x0a: 'line feed',
	0x0b: 'vertical tab',
	0x0c: 'form feed',
	0x0d: 'carriage return',
	0x1b: 'escape',
	0x7f: 'delete',
	0x85: 'next line',
	0x9b: 'control sequence introducer',
	0x9d: 'operating system command',
	0xad: 'soft hyphen',
	0x034f: 'combining grapheme joiner',
	0x061c: 'Arabic letter mark',
	0x180e: 'Mongolian vowel separator',
	0x200b: 'zero-width space',
	0x200c: 'zero-width non-joiner',
	0x200d: 'zero-width joiner',
	0x200e: 'left-to-right mark',
	0x200f: 'right-to-left mark',
	0x2028: 'line separator',
	0x2029: 'paragraph separator',
	0x202a: 'left-to-right embedding',
	0x202b: 'right-to-left embedding',
	0x202c: 'pop directional formatting',
	0x202d: 'left-to-right override',
	0x202e: 'right-to-left override',
	0x2060: 'word joiner',
	0x2066: 'left-to-right isolate',
	0x2067: 'right-to-left isolate',
	0x2068: 'first strong isolate',
	0x2069: 'pop directional isolate',
	0xfeff: 'zero-width no-break space',
};

/** `U+202E (right-to-left override)`: the code point, and what it is in words. */
export function describeCharacter(codePoint: number): string {
	const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
	return `U+${hex} (${NAMES[codePoint] ?? categoryName(codePoint)})`;
}

function categoryName(codePoint: number): string {
	if (codePoint < 0x20) return 'control character';
	if (codePoint >= 0x80 && codePoint <= 0x9f) return 'C1 control character';
	if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'invisible tag character';
	if ((codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef)) return 'variation selector';
	if (codePoint >= 0xd800 && codePoint <= 0xdfff) return 'lone surrogate';
	if (codePoint >= 0xfff9 && codePoint <= 0xfffb) return 'interlinear annotation';
	return 'invisible character';
}
