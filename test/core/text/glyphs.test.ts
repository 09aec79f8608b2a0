import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {toneSymbols} from '../../../source/core/dashboard/format.js';
import {statusSymbols} from '../../../source/core/rollback/machine.js';
import {GLYPHS} from '../../../source/core/text/glyphs.js';

/*
 * CJK terminals draw East Asian "Ambiguous" characters two columns wide: a status glyph such as
 * ◐ then shifts its row and pushes frame lines past the edge. Every glyph of the table must be
 * one column both ways, and the status tables must take their glyphs from it.
 */

/** One column whether ambiguous characters are narrow (most terminals) or wide (CJK locales). */
const oneColumnEverywhere = (glyph: string) => stringWidth(glyph) === 1 && stringWidth(glyph, {ambiguousIsNarrow: false}) === 1;

describe('the glyph table', () => {
	it('holds only glyphs that are one column wide in every terminal (none East Asian Ambiguous or Wide)', () => {
		const wrong = Object.entries(GLYPHS).filter(([, glyph]) => !oneColumnEverywhere(glyph));
		expect(wrong).toEqual([]);
		// The ones this table replaced, for the record: each is ambiguous.
		for (const old of ['◐', '○', '●', '■', '▶', '·', '–', '…', '▏', '█']) expect(oneColumnEverywhere(old), old).toBe(false);
	});

	it('is where the rollback steps and the dashboard tones take their symbols from', () => {
		const table = new Set<string>(Object.values(GLYPHS));
		expect(Object.values(statusSymbols).filter(glyph => !table.has(glyph))).toEqual([]);
		expect(Object.values(toneSymbols).filter(glyph => !table.has(glyph))).toEqual([]);
		expect(statusSymbols.interrupted).toBe('◔');
	});

	it('no source file prints an ambiguous-width symbol outside the running-text punctuation listed here', () => {
		// Punctuation inside sentences and hints (not a column anyone aligns on); a new entry needs a reason.
		const prose = new Set([...'…·—–→↑↓×≥∞•│']);
		const root = path.resolve(import.meta.dirname, '../../../source');
		const found = new Map<string, string>();
		const walk = (dir: string): void => {
			for (const entry of readdirSync(dir, {withFileTypes: true})) {
				const file = path.join(dir, entry.name);
				if (entry.isDirectory()) walk(file);
				else if (/\.tsx?$/.test(entry.name) && !file.includes(`${path.sep}bench${path.sep}`)) {
					for (const line of readFileSync(file, 'utf8').split('\n')) {
						if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue; // comments print nothing
						for (const char of line.replace(/\/\/.*$/, '')) {
							if (char.codePointAt(0)! > 0x7f && !prose.has(char) && /\p{S}|\p{P}/u.test(char) && !oneColumnEverywhere(char)) found.set(char, path.relative(root, file));
						}
					}
				}
			}
		};
		walk(root);
		expect(Object.fromEntries(found)).toEqual({});
	});
});
