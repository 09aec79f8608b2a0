/**
 * The start-up shortcut the bundle gives the terminal text libraries must answer exactly as they
 * would: every character of its class is checked against the real `Intl.Segmenter` and
 * string-width on the Node running the tests.
 */
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {graphemeSegmenter, lazyPattern, oneColumnAloneClass, oneColumnWidth} from '../../../source/core/text/graphemes.js';

const classMembers = (): string[] => {
	const pattern = new RegExp(`[${oneColumnAloneClass}]`);
	const members: string[] = [];
	for (let codePoint = 0x80; codePoint <= 0xffff; codePoint++) {
		const character = String.fromCodePoint(codePoint);
		if (pattern.test(character)) members.push(character);
	}
	return members;
};
const members = classMembers();
const real = new Intl.Segmenter();
const realSegments = (text: string) => [...real.segment(text)].map(({segment, index}) => ({segment, index}));
const ourSegments = (text: string) => [...graphemeSegmenter().segment(text)].map(({segment, index}) => ({segment, index}));

describe('the one-column class', () => {
	it('holds thousands of characters, among them what the screens draw', () => {
		expect(members.length).toBeGreaterThan(3000);
		for (const character of '─│╭╮╰╯█░▏·…—–•›←↑→↓−×§▶⚠✔✖❯⏎é') expect(members).toContain(character);
	});

	it('has no character that joins a neighbour into one cluster, or is not one column wide', () => {
		const joined: string[] = [];
		const notOneColumn: string[] = [];
		for (const character of members) {
			const probe = `a${character}${character}a\n${character}\u001B[1m${character}`;
			if (realSegments(probe).length !== probe.length) joined.push(character);
			if (stringWidth(character) !== 1 || /\p{Default_Ignorable_Code_Point}|\p{M}|\p{C}/u.test(character)) notOneColumn.push(character);
		}
		expect(joined).toEqual([]);
		expect(notOneColumn).toEqual([]);
	});

	it('leaves out what string-width counts as 0 or 2 columns', () => {
		for (const character of ['\u00ad', '\u200b', '\u200d', '\u2028', '\u0301', '\u26a1', '\u2705', '\u231a', '中', '\ufe0f']) expect(members).not.toContain(character);
	});
});

describe('graphemeSegmenter', () => {
	const simple = ['', 'plain ascii', '\u001B[1m╭──╮\u001B[22m ✔ ready · 3 s…', 'tab\tand\nnewline', 'Ünïcödé — “quotes” → ok', members.join('')];
	const hard = ['e\u0301', '👍🏽 ok', '👨‍👩‍👧', 'CR\r\nLF', '中文 text', '🇫🇷', '✔\ufe0f', 'a\u200db', '한국어', 'x\u20e3'];

	it('splits text of the class like Intl.Segmenter, one cluster per unit', () => {
		for (const text of simple) expect(ourSegments(text)).toEqual(realSegments(text));
	});

	it('hands anything else to a real segmenter', () => {
		for (const text of hard) expect(ourSegments(text)).toEqual(realSegments(text));
	});

	it('answers containing(index) like Intl.Segmenter, out of range too', () => {
		for (const text of [...simple.slice(0, 5), ...hard]) {
			const ours = graphemeSegmenter().segment(text);
			const theirs = real.segment(text);
			for (const index of [undefined, -1, 0, 1, 2, text.length - 1, text.length, Number.NaN, 1.7]) {
				const pick = (data: {segment: string; index: number; input: string} | undefined) => data && {segment: data.segment, index: data.index, input: data.input};
				expect(pick(ours.containing(index))).toEqual(pick(theirs.containing(index)));
			}
		}
	});

	it('creates no Intl.Segmenter until a text needs one', () => {
		const original = Intl.Segmenter;
		let created = 0;
		(Intl as {Segmenter: typeof Intl.Segmenter}).Segmenter = class extends original {
			constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
				created++;
				super(...args);
			}
		};
		try {
			const segmenter = graphemeSegmenter(undefined, {granularity: 'grapheme'});
			[...segmenter.segment('╭─ ready ✔ ─╮')];
			expect(created).toBe(0);
			[...segmenter.segment('👍🏽')];
			[...segmenter.segment('e\u0301')];
			expect(created).toBe(1);
		} finally {
			(Intl as {Segmenter: typeof Intl.Segmenter}).Segmenter = original;
		}
	});

	it('passes other granularities straight to Intl.Segmenter', () => {
		const words = [...graphemeSegmenter('en', {granularity: 'word'}).segment('two words')].map(data => data.segment);
		expect(words).toEqual(['two', ' ', 'words']);
	});
});

describe('oneColumnWidth', () => {
	it("is string-width's answer for printable ASCII and the class, and undefined otherwise", () => {
		for (const text of ['', 'abc', '╭──╮ ✔ ready · 3 s…', members.join('')]) expect(oneColumnWidth(text)).toBe(stringWidth(text));
		for (const text of ['tab\t', 'esc\u001B[1m', '中', '👍', 'e\u0301']) expect(oneColumnWidth(text)).toBeUndefined();
	});
});

describe('lazyPattern', () => {
	it('builds the pattern on its first test only', () => {
		let built = 0;
		const pattern = lazyPattern(() => {
			built++;
			return new RegExp('^\\p{RGI_Emoji}$', 'v');
		});
		expect(built).toBe(0);
		expect(pattern.test('👍🏽')).toBe(true);
		expect(pattern.test('a')).toBe(false);
		expect(built).toBe(1);
	});
});
