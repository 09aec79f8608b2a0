import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {InputError, UsageError} from '../../../source/core/errors.js';
import {getEnvValue, listAssignments} from '../../../source/core/env-file/parse.js';
import {assignmentLines, formatValue, setEnvValue} from '../../../source/core/env-file/patch.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/env-files/${name}`, import.meta.url), 'utf8');
const MODE = 'CAVRA_GO_BACKEND_MODE';

describe('setEnvValue on the fixtures', () => {
	it('comments: replaces the value, keeps the inline comment and every other line', () => {
		const result = setEnvValue(fixture('comments.env'), MODE, 'disabled');
		expect(result.action).toBe('replaced');
		expect(result.replacedLines).toEqual([5]);
		expect(result.text).toBe(fixture('comments.env').replace('CAVRA_GO_BACKEND_MODE=promoted # since', 'CAVRA_GO_BACKEND_MODE=disabled # since'));
	});

	it('export prefix kept', () => {
		const result = setEnvValue(fixture('export.env'), MODE, 'disabled');
		expect(result.text).toBe(fixture('export.env').replace('export CAVRA_GO_BACKEND_MODE=enforce', 'export CAVRA_GO_BACKEND_MODE=disabled'));
	});

	it('quote style kept', () => {
		const result = setEnvValue(fixture('quotes.env'), MODE, 'disabled');
		expect(result.text).toBe(fixture('quotes.env').replace('CAVRA_GO_BACKEND_MODE="promoted"', 'CAVRA_GO_BACKEND_MODE="disabled"'));
		expect(setEnvValue("K='a'\n", 'K', 'b').text).toBe("K='b'\n");
	});

	it('CRLF kept, including on an appended line', () => {
		const replaced = setEnvValue(fixture('crlf.env'), MODE, 'disabled');
		expect(replaced.text).toBe('CAVRA_API_URL=http://127.0.0.1:8000\r\n# comment\r\nCAVRA_GO_BACKEND_MODE=disabled\r\nCAVRA_LOG_LEVEL=debug\r\n');
		const added = setEnvValue('A=1\r\nB=2', MODE, 'disabled');
		expect(added.text).toBe('A=1\r\nB=2\r\nCAVRA_GO_BACKEND_MODE=disabled\r\n');
	});

	it('no trailing newline: the replaced line stays without one', () => {
		const result = setEnvValue(fixture('no-trailing-newline.env'), MODE, 'disabled');
		expect(result.text).toBe('CAVRA_LOG_LEVEL=info\nCAVRA_GO_BACKEND_MODE=disabled');
	});

	it('key missing: appended, with a newline first when the file lacked one', () => {
		const result = setEnvValue(fixture('missing-key.env'), MODE, 'disabled');
		expect(result.action).toBe('added');
		expect(result.addedLine).toBe(3);
		expect(result.text).toBe('CAVRA_API_URL=http://127.0.0.1:8000\nCAVRA_LOG_LEVEL=info\nCAVRA_GO_BACKEND_MODE=disabled\n');
		expect(setEnvValue('', MODE, 'disabled')).toMatchObject({text: 'CAVRA_GO_BACKEND_MODE=disabled\n', addedLine: 1});
		expect(setEnvValue('A=1\n', MODE, 'disabled')).toMatchObject({text: 'A=1\nCAVRA_GO_BACKEND_MODE=disabled\n', addedLine: 2});
	});

	it('key present twice: both assignments rewritten, spacing around = kept', () => {
		const result = setEnvValue(fixture('twice.env'), MODE, 'disabled');
		expect(result.replacedLines).toEqual([1, 4]);
		expect(result.text).toBe('CAVRA_GO_BACKEND_MODE=disabled\nCAVRA_LOG_LEVEL=info\n# a later line wins when the file is sourced\nCAVRA_GO_BACKEND_MODE = disabled\n');
	});

	it('already set: unchanged, byte for byte; only differing assignments are touched', () => {
		const text = 'CAVRA_GO_BACKEND_MODE="disabled"\n';
		expect(setEnvValue(text, MODE, 'disabled')).toMatchObject({text, changed: false, action: 'unchanged', replacedLines: []});
		const mixed = 'CAVRA_GO_BACKEND_MODE=dis\\abled\nCAVRA_GO_BACKEND_MODE=promoted\n';
		expect(setEnvValue(mixed, MODE, 'disabled').text).toBe('CAVRA_GO_BACKEND_MODE=dis\\abled\nCAVRA_GO_BACKEND_MODE=disabled\n');
	});

	it('empty values and comment-only values get the value right after =', () => {
		expect(setEnvValue('K=\n', 'K', 'v').text).toBe('K=v\n');
		expect(setEnvValue('K= # note\n', 'K', 'v').text).toBe('K=v # note\n');
		expect(setEnvValue('K =  \n', 'K', 'v').text).toBe('K =v  \n');
	});

	it('a multi-line value of the key collapses to one line; other lines stay', () => {
		expect(setEnvValue('A=1\nK="x\ny"\nB=2\n', 'K', 'v').text).toBe('A=1\nK="v"\nB=2\n');
	});

	it('refuses a file whose unclosed quote would swallow the new line', () => {
		expect(() => setEnvValue('A="open', 'K', 'needs quoting')).toThrow(InputError);
		expect(() => setEnvValue('A=x\\', 'K', 'v')).toThrow(/line continuation/);
	});

	it('rejects bad keys and multi-line values with a usage error', () => {
		expect(() => setEnvValue('', '1BAD', 'x')).toThrow(UsageError);
		expect(() => setEnvValue('', 'K', 'a\nb')).toThrow(UsageError);
	});
});

describe('formatValue', () => {
	it('bare when safe, else double quotes with sh escapes; single quotes kept when possible', () => {
		expect(formatValue('disabled', 'none')).toBe('disabled');
		expect(formatValue('a b', 'none')).toBe('"a b"');
		expect(formatValue('$x"\\`', 'none')).toBe('"\\$x\\"\\\\\\`"');
		expect(formatValue("it's", 'single')).toBe(`"it's"`);
		expect(formatValue('x', 'double')).toBe('"x"');
	});
});

// ---- property: for arbitrary env-ish files, the key reads back and nothing else moves ----

const otherKey = fc.constantFrom('CAVRA_API_URL', 'CAVRA_LOG_LEVEL', 'DB_PASSWORD', 'PATH', 'CAVRA_GO_BACKEND_MODE_OLD', 'X');
const anyValue = fc.string({maxLength: 12}).filter(value => !/[\r\n\0]/.test(value));
const noBreaks = (maxLength: number) => fc.string({maxLength}).filter(value => !/[\r\n]/.test(value));
const writtenValue = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9_.:/-]{0,10}$/),
	anyValue.map(value => formatValue(value, 'double')),
	anyValue.filter(value => !value.includes("'")).map(value => `'${value}'`),
);
const assignment = (key: fc.Arbitrary<string>) =>
	fc
		.record({
			key,
			exported: fc.boolean(),
			spaces: fc.constantFrom('=', ' = ', '= ', ' ='),
			value: writtenValue,
			comment: fc.option(noBreaks(8).map(text => ` # ${text}`), {nil: ''}),
		})
		.map(({key, exported, spaces, value, comment}) => `${exported ? 'export ' : ''}${key}${spaces}${value}${comment}`);
const line = fc.oneof(
	{weight: 3, arbitrary: assignment(otherKey)},
	{weight: 2, arbitrary: assignment(fc.constant(MODE))},
	{weight: 2, arbitrary: noBreaks(20).map(text => `# ${text}`)},
	{weight: 1, arbitrary: fc.constantFrom('', '   ', '\t')},
	{weight: 1, arbitrary: noBreaks(20)},
	// Already-broken lines: an unclosed quote, a trailing backslash.
	{weight: 1, arbitrary: fc.constantFrom('BROKEN="open', "BROKEN='open", 'BROKEN=trailing\\')},
);
const envFile = fc.record({lines: fc.array(line, {maxLength: 12}), eol: fc.constantFrom('\n', '\r\n'), trailing: fc.boolean()}).map(({lines, eol, trailing}) => lines.join(eol) + (trailing && lines.length > 0 ? eol : ''));

/** The physical lines of a text that do not belong to an assignment of the key. */
function otherLines(text: string, key: string): string[] {
	const skip = assignmentLines(listAssignments(text, key));
	const lines = text.split('\n').map(part => part.replace(/\r$/, ''));
	if (text.endsWith('\n') || text === '') lines.pop();
	return lines.filter((_, index) => !skip.has(index + 1));
}

let refused = 0;
describe('setEnvValue properties', () => {
	it('the key reads back as the value and every line not assigning it is unchanged', () => {
		fc.assert(
			fc.property(envFile, anyValue, (text, value) => {
				let result;
				try {
					result = setEnvValue(text, MODE, value);
				} catch (error) {
					refused += 1;
					// Only a file with an unclosed quote / trailing backslash may be refused.
					expect(error).toBeInstanceOf(InputError);
					return;
				}
				expect(getEnvValue(result.text, MODE)).toBe(value);
				expect(otherLines(result.text, MODE)).toEqual(otherLines(text, MODE));
				expect(result.changed).toBe(result.text !== text);
				if (result.action === 'added') expect(result.text.startsWith(text)).toBe(true);
				// Setting it again changes nothing.
				expect(setEnvValue(result.text, MODE, value).changed).toBe(false);
			}),
			{numRuns: 1000},
		);
		// Broken lines are generated, so the refusal path is exercised, but most files are patched.
		expect(refused).toBeGreaterThan(0);
		expect(refused).toBeLessThan(300);
	});

	it('files the generator builds without garbage lines are never refused', () => {
		const clean = fc
			.record({lines: fc.array(fc.oneof(assignment(otherKey), assignment(fc.constant(MODE)), fc.constant('# note'), fc.constant(''))), eol: fc.constantFrom('\n', '\r\n')})
			.map(({lines, eol}) => lines.join(eol));
		fc.assert(
			fc.property(clean, anyValue, (text, value) => {
				expect(getEnvValue(setEnvValue(text, MODE, value).text, MODE)).toBe(value);
			}),
			{numRuns: 500},
		);
	});
});
