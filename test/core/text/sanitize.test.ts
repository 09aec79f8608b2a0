import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {describeCharacter, escapeHiddenInJson, hasHiddenCharacters, hiddenCharacters, stripHidden, visible, visibleLines} from '../../../source/core/text/sanitize.js';

/** What must never reach a terminal raw, as a test oracle written independently of the module. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f\ufeff\ufe00-\ufe0f]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('visible: one line of display text', () => {
	it('leaves ordinary text, accents, dashes, CJK and emoji alone', () => {
		for (const text of ['Zürich — 日本', 'restart cavra-api.service (2 min)', 'ñandú · “quotes” · ✔ ✖ ⚠ …', 'emoji 🚀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'Ελληνικά, русский, עברית, العربية']) {
			expect(visible(text)).toBe(text);
		}
	});

	it('shows C0 controls, ESC, DEL, C1 controls, tab and newline as \\x escapes', () => {
		expect(visible('a\u0000b\u0007c\u001bd\u007fe\u0085f')).toBe('a\\x00b\\x07c\\x1bd\\x7fe\\x85f');
		expect(visible('tab\there\nnext')).toBe('tab\\x09here\\x0anext');
	});

	it('shows a whole CSI colour sequence as text, so the screen is not recoloured', () => {
		expect(visible('\u001b[31mAPPROVED\u001b[0m')).toBe('\\x1b[31mAPPROVED\\x1b[0m');
	});

	it('defuses an OSC 52 clipboard write (BEL and ST terminated)', () => {
		expect(visible('apr_1\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007')).toBe('apr_1\\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\x07');
		expect(visible('\u001b]52;c;eA==\u001b\\')).toBe('\\x1b]52;c;eA==\\x1b\\');
	});

	it('shows the 8-bit CSI (U+009B) and 8-bit OSC (U+009D)', () => {
		expect(visible('\u009b2J\u009d0;title\u009c')).toBe('\\x9b2J\\x9d0;title\\x9c');
	});

	it('shows a lone CR and a CRLF, so a later part cannot overwrite the start of a line', () => {
		expect(visible('rm -rf /\rsystemctl restart cavra-api')).toBe('rm -rf /\\x0dsystemctl restart cavra-api');
		expect(visible('line\r\n')).toBe('line\\x0d\\x0a');
	});

	it('shows cursor movement and erase sequences', () => {
		expect(visible('safe\u001b[2K\u001b[1Aevil')).toBe('safe\\x1b[2K\\x1b[1Aevil');
	});

	it('shows bidi overrides, embeddings, isolates and marks', () => {
		expect(visible('a\u202eb\u202ac\u2066d\u2069e\u200ef\u061cg')).toBe('a\\u202eb\\u202ac\\u2066d\\u2069e\\u200ef\\u061cg');
	});

	it('shows zero-width characters, BOM, soft hyphen and line/paragraph separators', () => {
		expect(visible('a\u200bb\u200cc\u200dd\u2060e\ufefff\u00adg\u2028h\u2029i')).toBe('a\\u200bb\\u200cc\\u200dd\\u2060e\\ufefff\\xadg\\u2028h\\u2029i');
	});

	it('shows astral tag characters and variation selectors with their full code point', () => {
		expect(visible('ok\u{e0041}\u{e0002}\u{e007f}')).toBe('ok\\u{e0041}\\u{e0002}\\u{e007f}');
		expect(visible('x\u{e0100}y\ufe0fz')).toBe('x\\u{e0100}y\\ufe0fz');
	});

	it('shows lone surrogates but keeps proper pairs', () => {
		expect(visible('a\ud800b')).toBe('a\\ud800b');
		expect(visible('a\udc00b')).toBe('a\\udc00b');
		expect(visible('\ud83d\ude80')).toBe('🚀');
	});

	it('is idempotent, and nothing raw survives any input', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 80}), text => {
				const once = visible(text);
				expect(RAW.test(once)).toBe(false);
				expect(once).not.toMatch(/[\t\n\r]/);
				expect(visible(once)).toBe(once);
			}),
			{numRuns: 400},
		);
	});
});

describe('visibleLines: multi-line display text', () => {
	it('keeps newlines, reads CRLF as one newline, and shows a lone CR', () => {
		expect(visibleLines('one\r\ntwo\nthree\rX')).toBe('one\ntwo\nthree\\x0dX');
	});

	it('turns tabs into spaces and escapes everything else', () => {
		expect(visibleLines('a\tb\n\u001b[31mc\u202e')).toBe('a    b\n\\x1b[31mc\\u202e');
	});

	it('never lets a raw control through', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 80}), text => {
				const shown = visibleLines(text);
				expect(RAW.test(shown)).toBe(false);
				expect(shown).not.toMatch(/[\t\r]/);
			}),
			{numRuns: 400},
		);
	});
});

describe('hasHiddenCharacters / hiddenCharacters', () => {
	it('ignore tab and newline, find the rest with offsets, escapes and names', () => {
		expect(hasHiddenCharacters('a\tb\nc Zürich — 日本')).toBe(false);
		expect(hasHiddenCharacters('a\rb')).toBe(true);
		expect(hiddenCharacters('step\t1 \u202eevil\u{e0041}')).toEqual([
			{index: 7, codePoint: 0x202e, shown: '\\u202e', description: 'U+202E (right-to-left override)'},
			{index: 12, codePoint: 0xe0041, shown: '\\u{e0041}', description: 'U+E0041 (invisible tag character)'},
		]);
	});

	it('agrees with visible: whatever it finds is exactly what visible escapes (besides tab and newline)', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 60}), text => {
				const plain = text.replace(/[\t\n]/g, ' ');
				expect(hiddenCharacters(plain).length > 0).toBe(visible(plain) !== plain);
			}),
			{numRuns: 300},
		);
	});

	it('names characters in words', () => {
		expect(describeCharacter(0x1b)).toBe('U+001B (escape)');
		expect(describeCharacter(0x9b)).toBe('U+009B (control sequence introducer)');
		expect(describeCharacter(0x200b)).toBe('U+200B (zero-width space)');
		expect(describeCharacter(0x0e)).toBe('U+000E (control character)');
	});
});

describe('stripHidden: typed or pasted input', () => {
	it('drops whole escape sequences, not just the ESC byte', () => {
		expect(stripHidden('CAB-\u001b[31m12\u001b[0m34')).toBe('CAB-1234');
		expect(stripHidden('id\u001b]52;c;ZXZpbA==\u0007-1')).toBe('id-1');
		expect(stripHidden('a\u009b1;2Hb')).toBe('ab');
		expect(stripHidden('x\u001bOAy')).toBe('xy');
	});

	it('applies DEL and BS bytes as the Backspace key they came from', () => {
		expect(stripHidden('apr_12\u007f\u007f34')).toBe('apr_34');
		expect(stripHidden('\u007f\u007fok')).toBe('ok');
		expect(stripHidden('ab\bc')).toBe('ac');
	});

	it('drops newlines, tabs, CR, bidi and zero-width characters, keeps ordinary unicode', () => {
		expect(stripHidden('Zürich — 日本\r\n\t\u202e\u200b🚀')).toBe('Zürich — 日本🚀');
	});

	it('leaves nothing hidden, whatever arrives', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 80}), text => {
				expect(visible(stripHidden(text))).toBe(stripHidden(text));
			}),
			{numRuns: 400},
		);
	});
});

describe('escapeHiddenInJson: JSON output', () => {
	it('writes hidden characters as \\u escapes: the same JSON value, nothing raw, whitespace between tokens kept', () => {
		expect(escapeHiddenInJson(JSON.stringify({p: 'a\u202eb\u{e0041}'}, null, 2))).toBe('{\n  "p": "a\\u202eb\\udb40\\udc41"\n}');
		fc.assert(
			fc.property(fc.string({unit: 'binary', maxLength: 60}), text => {
				const json = escapeHiddenInJson(JSON.stringify({text, list: [text]}, null, 2));
				expect(RAW.test(json.replace(/\n/g, ' '))).toBe(false);
				expect(JSON.parse(json)).toEqual({text, list: [text]});
			}),
			{numRuns: 300},
		);
	});
});
