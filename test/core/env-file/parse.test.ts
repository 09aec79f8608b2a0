import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {detectLineEnding, getEnvValue, listAssignments, parseEnv} from '../../../source/core/env-file/parse.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/env-files/${name}`, import.meta.url), 'utf8');
const MODE = 'CAVRA_GO_BACKEND_MODE';

describe('getEnvValue on the fixtures', () => {
	it.each([
		['comments.env', 'promoted'],
		['export.env', 'enforce'],
		['quotes.env', 'promoted'],
		['crlf.env', 'shadow'],
		['no-trailing-newline.env', 'enforce'],
		['missing-key.env', undefined],
		['twice.env', 'promoted'],
	])('%s → %s', (name, expected) => {
		expect(getEnvValue(fixture(name), MODE)).toBe(expected);
	});

	it('reads the other keys too, quotes and escapes applied', () => {
		const quotes = fixture('quotes.env');
		expect(getEnvValue(quotes, 'CAVRA_GREETING')).toBe('say "hi" # not a comment');
		expect(getEnvValue(quotes, 'CAVRA_LITERAL')).toBe('$HOME stays literal');
		expect(getEnvValue(fixture('export.env'), 'CAVRA_DB_PASSWORD')).toBe('s3cr3t value');
		expect(getEnvValue(fixture('crlf.env'), 'CAVRA_LOG_LEVEL')).toBe('debug');
	});
});

describe('parseEnv', () => {
	it('comments, blank lines and non-assignments are skipped', () => {
		const text = '# KEY=commented\n\n; systemd comment\nnot an assignment\n  KEY=1\n';
		expect(parseEnv(text).map(a => [a.key, a.value, a.line])).toEqual([['KEY', '1', 5]]);
	});

	it('inline comments end unquoted values only after whitespace', () => {
		expect(getEnvValue('KEY=value # note', 'KEY')).toBe('value');
		expect(getEnvValue('KEY=value\t# note', 'KEY')).toBe('value');
		expect(getEnvValue('KEY=a#b', 'KEY')).toBe('a#b');
		expect(getEnvValue('KEY=#x', 'KEY')).toBe('#x');
		expect(getEnvValue('KEY= # only a comment', 'KEY')).toBe('');
		expect(getEnvValue('KEY="a # b" # c', 'KEY')).toBe('a # b');
		expect(parseEnv('KEY=v  # note\n')[0]!.comment).toBe('# note');
	});

	it('whitespace around = and around the value is tolerated', () => {
		expect(getEnvValue('KEY = value  ', 'KEY')).toBe('value');
		expect(getEnvValue('\tKEY=\tvalue', 'KEY')).toBe('value');
		expect(getEnvValue('KEY=a b c', 'KEY')).toBe('a b c');
		expect(getEnvValue('KEY=', 'KEY')).toBe('');
	});

	it('double quotes take the sh escapes; single quotes are literal', () => {
		expect(getEnvValue(String.raw`KEY="a\"b\\c\$d\`e\n"`, 'KEY')).toBe('a"b\\c$d`e\\n');
		expect(getEnvValue(String.raw`KEY='a\"b'`, 'KEY')).toBe('a\\"b');
		expect(getEnvValue(String.raw`KEY=a\ b\#c`, 'KEY')).toBe('a b#c');
		expect(getEnvValue(`KEY="it's"`, 'KEY')).toBe("it's");
		expect(getEnvValue(`KEY='say "x"'`, 'KEY')).toBe('say "x"');
	});

	it('a quoted value may span lines; its inner lines are not assignments', () => {
		const text = 'CERT="line one\nCAVRA_GO_BACKEND_MODE=promoted\nline three"\nOTHER=1\n';
		const assignments = parseEnv(text);
		expect(assignments.map(a => [a.key, a.line, a.endLine])).toEqual([['CERT', 1, 3], ['OTHER', 4, 4]]);
		expect(getEnvValue(text, MODE)).toBeUndefined();
		expect(getEnvValue('A=one\\\ntwo\nB=2', 'A')).toBe('onetwo');
	});

	it('a quote inside a bare word is an ordinary character (systemd, dotenv): it swallows nothing', () => {
		const text = "MSG=it's fine\nCAVRA_GO_BACKEND_MODE=promoted\nOTHER='x'\nQ=a\"b\n";
		expect(getEnvValue(text, 'MSG')).toBe("it's fine");
		expect(getEnvValue(text, MODE)).toBe('promoted');
		expect(getEnvValue(text, 'OTHER')).toBe('x');
		expect(getEnvValue(text, 'Q')).toBe('a"b');
		expect(getEnvValue(`K='a'"b"`, 'K')).toBe('ab');
	});

	it('an unclosed quote keeps the rest of the line (as dotenv does)', () => {
		expect(getEnvValue('KEY="open\nNEXT=1', 'KEY')).toBe('"open');
		expect(getEnvValue('KEY="open\nNEXT=1', 'NEXT')).toBe('1');
	});

	it('CRLF: values never keep the \\r; offsets exclude the line break', () => {
		const text = 'A=1\r\nB="two"\r\nC=3 # c\r\n';
		const assignments = parseEnv(text);
		expect(assignments.map(a => a.value)).toEqual(['1', 'two', '3']);
		expect(assignments.map(a => text.slice(a.valueStart, a.valueEnd))).toEqual(['1', '"two"', '3']);
		expect(assignments[2]!.comment).toBe('# c');
		expect(text.slice(assignments[2]!.start, assignments[2]!.end)).toBe('C=3 # c');
	});

	it('a byte-order mark does not hide the first key', () => {
		expect(getEnvValue('\uFEFFCAVRA_GO_BACKEND_MODE=shadow\n', MODE)).toBe('shadow');
	});

	it('records export, quote style and value spans', () => {
		const text = 'export A="x"\nB=\'y\'\nC="x"y\nD=\n';
		expect(parseEnv(text).map(a => [a.key, a.exported, a.quote, text.slice(a.valueStart, a.valueEnd)])).toEqual([
			['A', true, 'double', '"x"'],
			['B', false, 'single', "'y'"],
			['C', false, 'none', '"x"y'],
			['D', false, 'none', ''],
		]);
	});

	it('listAssignments gives every assignment of the key with its line; the last one wins', () => {
		const text = fixture('twice.env');
		expect(listAssignments(text, MODE).map(a => [a.line, a.value])).toEqual([
			[1, 'shadow'],
			[4, 'promoted'],
		]);
		expect(listAssignments(text, 'NOPE')).toEqual([]);
	});

	it('key names are exact (no prefix matches)', () => {
		expect(getEnvValue('CAVRA_GO_BACKEND_MODE_OLD=x\n', MODE)).toBeUndefined();
		expect(getEnvValue('exportCAVRA_GO_BACKEND_MODE=x\n', MODE)).toBeUndefined();
	});
});

describe('detectLineEnding', () => {
	it('follows the majority of the file', () => {
		expect(detectLineEnding('a\r\nb\r\n')).toBe('\r\n');
		expect(detectLineEnding('a\nb\n')).toBe('\n');
		expect(detectLineEnding('a')).toBe('\n');
	});
});
