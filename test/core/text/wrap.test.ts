import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {displayWidth, wrapLine, wrapLines, wrapText} from '../../../source/core/text/wrap.js';

describe('wrapLine: at word boundaries, nothing wider than the width', () => {
	it('a line that fits is left alone, spaces and all', () => {
		expect(wrapLine('  a  b', 20)).toEqual(['  a  b']);
	});

	it('breaks between words, never inside one, and keeps the indent on continuation lines', () => {
		const line = '   api [command] restart the CAVRA API through its own restart-standin.js script now';
		const lines = wrapLine(line, 40);
		for (const part of lines) expect(displayWidth(part)).toBeLessThanOrEqual(40);
		expect(lines.join(' ').replace(/ +/g, ' ')).toBe(line.replace(/ +/g, ' '));
		expect(lines.some(part => part.endsWith('restart-standin.j'))).toBe(false);
		expect(lines.slice(1).every(part => part.startsWith('     '))).toBe(true);
	});

	it('never cuts a number: "2000 ms" stays whole', () => {
		const lines = wrapLine('verify polls every 2000 ms until the service reports mode disabled', 22);
		expect(lines.join('\n')).toContain('2000');
		expect(lines.every(line => !/\b200$/.test(line))).toBe(true);
	});

	it('a path longer than the room gets its own line, unbroken', () => {
		const path = '/var/lib/cavra/evidence/rb-20260101T120000Z-a1b2c3/evidence.json';
		const lines = wrapLine(`evidence: ${path}`, 40);
		expect(lines).toEqual(['evidence:', `  ${path}`]);
	});

	it('a command line is never broken; a labelled command moves to its own line', () => {
		const command = '       $ /usr/bin/node /opt/cavra/restart-standin.js http://127.0.0.1:8000  (timeout 60 s)';
		expect(wrapLine(command, 40)).toEqual([command]);
		const hint = 'continue it (same config): cavra-rollback rollback --resume rb-20260101T120000Z-a1b2c3';
		expect(wrapLine(hint, 60)).toEqual(['continue it (same config):', '  cavra-rollback rollback --resume rb-20260101T120000Z-a1b2c3']);
		expect(wrapLine(hint, 100)).toEqual([hint]);
	});

	it('continuation lines align under the text of a numbered or marked item', () => {
		expect(wrapLine('  12. restart every service and wait until it answers', 31)).toEqual(['  12. restart every service and', '      wait until it answers']);
		expect(wrapLine('✖ Restart api (command): exit 1 after three attempts', 30)).toEqual(['✖ Restart api (command): exit', '  1 after three attempts']);
	});

	it('a hanging indent can be given (a table column)', () => {
		expect(wrapLine('standard      the plan most deployments start from', 36, {hanging: 14})).toEqual(['standard      the plan most', '              deployments start from']);
	});

	it('measures display columns: wide characters count two, colour codes none', () => {
		expect(displayWidth('計画')).toBe(4);
		expect(displayWidth('\u001B[31mred\u001B[39m')).toBe(3);
		for (const line of wrapLine('計画 計画 計画 計画 計画 計画 計画 計画 計画 計画 計画', 20)) expect(displayWidth(line)).toBeLessThanOrEqual(20);
		const coloured = wrapLine(`\u001B[31m✖ error\u001B[39m ${'word '.repeat(10)}`, 20);
		for (const line of coloured) expect(displayWidth(line)).toBeLessThanOrEqual(20);
	});

	it('in a fixed frame (breakLongWords) a word longer than the line is split, nothing cut', () => {
		expect(wrapLine('see https://example.com/a/very/long/path', 12, {breakLongWords: true})).toEqual(['see', '  https://ex', 'ample.com/a/', 'very/long/pa', 'th']);
		expect(wrapLine('aaaa bbbb cccc dddd', 10, {hanging: 2, breakLongWords: true})).toEqual(['aaaa bbbb', '  cccc', '  dddd']);
	});

	it('in a fixed frame a command wider than the line is folded at the edge, every character kept in order', () => {
		const command = '       $ /usr/bin/node /opt/restart.mjs http://127.0.0.1:8000';
		const folded = wrapLine(command, 20, {breakLongWords: true});
		expect(folded.join('')).toBe(command);
		for (const part of folded) expect(displayWidth(part)).toBeLessThanOrEqual(20);
		// Outside a frame it stays whole, for the terminal to fold (a soft fold copies back as one line).
		expect(wrapLine(command, 20)).toEqual([command]);
		expect(wrapLine('continue it: cavra-rollback rollback --resume rb-1', 20, {breakLongWords: true})).toEqual(['continue it:', '  cavra-rollback rol', 'lback --resume rb-1']);
	});

	it('property: every line fits unless it is a single word, and no word is lost or split', () => {
		const word = fc.stringMatching(/^[a-z0-9/.:-]{1,30}$/);
		fc.assert(
			fc.property(fc.array(word, {minLength: 1, maxLength: 30}), fc.integer({min: 20, max: 120}), (words, width) => {
				const line = words.join(' ');
				const lines = wrapLine(line, width);
				for (const part of lines) {
					if (displayWidth(part) > width) expect(part.trim().includes(' ')).toBe(false);
				}
				expect(lines.flatMap(part => part.trim().split(/ +/))).toEqual(words);
			}),
		);
	});
});

describe('wrapText and wrapLines', () => {
	it('wrap every line of a block and keep the trailing newline', () => {
		expect(wrapText('short\nthis line is far too long for twenty columns\n', 20)).toBe('short\nthis line is far too\n  long for twenty\n  columns\n');
		expect(wrapLines(['a', 'b c'], 20)).toEqual(['a', 'b c']);
	});
});

it('an unbounded width (a pipe) leaves every line whole', () => {
	const line = 'x '.repeat(200);
	expect(wrapLine(line, Number.POSITIVE_INFINITY)).toEqual([line]);
});
