/**
 * The bundle's lazy-unicode patch (source/build/lazy-unicode.ts): the patched text libraries give
 * exactly the originals' answers, and loading them (and measuring everyday screen text) builds no
 * `Intl.Segmenter`. The libraries are bundled here with the same plugin as the shipped bundle.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {tokenize as originalTokenize} from '@alcalzone/ansi-tokenize';
import {build} from 'esbuild';
import originalSliceAnsi from 'slice-ansi';
import originalStringWidth from 'string-width';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lazyUnicode, lazyUnicodePatches, patchLibrary} from '../../source/build/lazy-unicode.js';
import {oneColumnAloneClass} from '../../source/core/text/graphemes.js';
import {repoRoot} from '../helpers/cli.js';

const wrapAnsiStringWidth = path.join(path.dirname(createRequire(import.meta.url).resolve('wrap-ansi')), 'node_modules/string-width/index.js');

interface Patched {
	stringWidth: typeof originalStringWidth;
	stringWidth7: typeof originalStringWidth;
	sliceAnsi: typeof originalSliceAnsi;
	tokenize: typeof originalTokenize;
}

let dir: string;
let patched: Patched;
let original7: typeof originalStringWidth;
let segmentersBuiltOnLoad = 0;
let segmentersBuilt = 0;
const realSegmenter = Intl.Segmenter;

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-lazy-unicode-'));
	const entry = path.join(dir, 'entry.js');
	writeFileSync(
		entry,
		`export {default as stringWidth} from 'string-width';
export {default as stringWidth7} from ${JSON.stringify(wrapAnsiStringWidth)};
export {default as sliceAnsi} from 'slice-ansi';
export {tokenize} from '@alcalzone/ansi-tokenize';
`,
	);
	const unicode = lazyUnicode();
	await build({
		absWorkingDir: repoRoot,
		entryPoints: [entry],
		outfile: path.join(dir, 'patched.js'),
		bundle: true,
		format: 'esm',
		platform: 'node',
		nodePaths: [path.join(repoRoot, 'node_modules')],
		logLevel: 'silent',
		plugins: [unicode.plugin],
	});
	expect(unicode.unpatched()).toEqual([]);
	original7 = ((await import(pathToFileURL(wrapAnsiStringWidth).href)) as {default: typeof originalStringWidth}).default;

	(Intl as {Segmenter: typeof Intl.Segmenter}).Segmenter = class extends realSegmenter {
		constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
			segmentersBuilt++;
			super(...args);
		}
	};
	patched = (await import(pathToFileURL(path.join(dir, 'patched.js')).href)) as Patched;
	segmentersBuiltOnLoad = segmentersBuilt;
});

afterAll(() => {
	(Intl as {Segmenter: typeof Intl.Segmenter}).Segmenter = realSegmenter;
	rmSync(dir, {recursive: true, force: true});
});

const members = (() => {
	const pattern = new RegExp(`[${oneColumnAloneClass}]`);
	let text = '';
	for (let codePoint = 0x80; codePoint <= 0xffff; codePoint++) if (pattern.test(String.fromCodePoint(codePoint))) text += String.fromCodePoint(codePoint);
	return text;
})();

const everyday = ['', 'cavra-rollback dashboard · 2026-12-05T00:00:00.000Z', '\u001B[1m╭── Plan ──╮\u001B[22m', '  ✔ ready   ⚠ stale   ✖ failing   ▶ selected', '↑↓ select · enter details · q quit…', 'Ünïcödé — “quotes” ‘x’ → ok ⏎'];
const hostile = ['👍🏽 thumbs', '👨‍👩‍👧 family', 'e\u0301 combining', 'CR\r\nLF', '中文 wide', '🇫🇷 flag', '✔\ufe0f presented', 'zero\u200bwidth', '한국어', '1\u20e3 keycap', '\u001B]8;;https://x\u0007link\u001B]8;;\u0007', 'soft\u00adhyphen', '\u202eevil'];
const corpus = [...everyday, ...hostile, members, `${members}👍`, everyday.join(hostile.join(''))];

describe('patched text libraries', () => {
	it('builds no Intl.Segmenter on load or for everyday screen text', () => {
		expect(segmentersBuiltOnLoad).toBe(0);
		for (const text of [...everyday, members]) {
			patched.stringWidth(text);
			patched.stringWidth7(text);
			patched.tokenize(text);
			patched.sliceAnsi(text, 1, 8);
		}
		expect(segmentersBuilt).toBe(0);
	});

	it('string-width gives the same widths (ambiguous narrow and wide, ANSI counted or not)', () => {
		for (const text of corpus) {
			expect(patched.stringWidth(text)).toBe(originalStringWidth(text));
			expect(patched.stringWidth(text, {ambiguousIsNarrow: false})).toBe(originalStringWidth(text, {ambiguousIsNarrow: false}));
			expect(patched.stringWidth(text, {countAnsiEscapeCodes: true})).toBe(originalStringWidth(text, {countAnsiEscapeCodes: true}));
			expect(patched.stringWidth7(text)).toBe(original7(text));
		}
		for (const character of members) expect(patched.stringWidth(character)).toBe(originalStringWidth(character));
	});

	it('ansi-tokenize and slice-ansi give the same tokens and slices', () => {
		for (const text of corpus) {
			expect(patched.tokenize(text)).toEqual(originalTokenize(text));
			for (const [start, end] of [[0, 3], [2, 9], [5, undefined]] as const) expect(patched.sliceAnsi(text, start, end)).toBe(originalSliceAnsi(text, start, end));
		}
	});

	it('a changed library fails the build instead of shipping unpatched', () => {
		const patch = lazyUnicodePatches[1]!;
		const source = readFileSync(path.join(repoRoot, 'node_modules/string-width/index.js'), 'utf8');
		expect(patchLibrary('string-width/index.js', source, patch)).toContain('__cavraGraphemeSegmenter()');
		expect(() => patchLibrary('string-width/index.js', source.replace('new Intl.Segmenter()', 'new Intl.Segmenter(undefined)'), patch)).toThrow(/string-width\/index\.js changed/);
	});
});
