import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parsePythonJson} from '../../../source/core/readiness/py-json.js';
import {PyDict, pyRepr, type PyValue} from '../../../source/core/readiness/py-value.js';
import {toPlainJson} from '../../../source/core/readiness/index.js';
import {pythonJsonChunks, toPythonJson} from '../../../source/format/python-json.js';

describe('toPythonJson: json.dumps(value, indent=2)', () => {
	it('indents by two, keeps key order, prints empty containers inline', () => {
		const value = new PyDict([
			['b', [1n, 2.5, [], new PyDict()]],
			['10', null],
			['a', new PyDict([['x', true]])],
		]);
		expect(toPythonJson(value)).toBe('{\n  "b": [\n    1,\n    2.5,\n    [],\n    {}\n  ],\n  "10": null,\n  "a": {\n    "x": true\n  }\n}');
		expect(toPythonJson({z: 1n, a: 'x'}, {trailingNewline: true})).toBe('{\n  "z": 1,\n  "a": "x"\n}\n');
		expect(toPythonJson([])).toBe('[]');
		expect(toPythonJson(new PyDict())).toBe('{}');
		expect(toPythonJson('x', {trailingNewline: true})).toBe('"x"\n');
	});

	it('prints ints as ints and floats as Python floats', () => {
		expect(toPythonJson([15n, 15, 7.5, 90, -0, 1e16, 1e-5, 0.0001, 123456789012345678901234567890n, -3n])).toBe(
			'[\n  15,\n  15.0,\n  7.5,\n  90.0,\n  -0.0,\n  1e+16,\n  1e-05,\n  0.0001,\n  123456789012345678901234567890,\n  -3\n]',
		);
		// As Python prints them (not JSON; CAVRA's CLI does this for settings such as --rollback-drill-max-age-days nan).
		expect(toPythonJson([Number.NaN, Infinity, -Infinity])).toBe('[\n  NaN,\n  Infinity,\n  -Infinity\n]');
	});

	it('escapes like ensure_ascii: short escapes, lowercase \\uXXXX, astral characters as surrogate pairs', () => {
		expect(toPythonJson('"\\/\b\f\n\r\t\u0000\u001f\u007f é — 😀 \ud800')).toBe('"\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f \\u00e9 \\u2014 \\ud83d\\ude00 \\ud800"');
		expect(toPythonJson(new PyDict([['clé', 1n]]))).toBe('{\n  "cl\\u00e9": 1\n}');
	});

	it('refuses values that are not JSON-like instead of printing something else', () => {
		expect(() => toPythonJson(undefined)).toThrow(TypeError);
		expect(() => toPythonJson(() => 1)).toThrow(TypeError);
	});

	it('in pieces of about 64 KB, the same text: a 10 MB report is never one string', () => {
		const steps = Array.from({length: 20_000}, (_, i) => `Step ${i}: restart the API — "mode" \\ disabled`);
		const report = new PyDict([['rollback', new PyDict([['rollback_steps', steps], ['max_recovery_minutes', 15n]])]]);
		const chunks = [...pythonJsonChunks(report, {trailingNewline: true})];
		expect(chunks.join('')).toBe(toPythonJson(report, {trailingNewline: true}));
		expect(chunks.length).toBeGreaterThan(10);
		for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024 + 200);
		expect([...pythonJsonChunks([])]).toEqual(['[]']);
	});
});

/** Values as json.loads returns them: no non-finite floats, dict keys strings. */
const pyValue: fc.Arbitrary<PyValue> = fc.letrec<{value: PyValue}>(tie => ({
	value: fc.oneof(
		{depthSize: 'small', withCrossShrink: true},
		fc.constant(null),
		fc.boolean(),
		fc.string({unit: 'binary'}),
		fc.bigInt({min: -(10n ** 30n), max: 10n ** 30n}),
		fc.double({noNaN: true, noDefaultInfinity: true}),
		fc.array(tie('value'), {maxLength: 4}),
		fc.array(fc.tuple(fc.string({unit: 'binary'}), tie('value')), {maxLength: 4}).map(entries => new PyDict(entries)),
	),
})).value;

describe('toPythonJson and the Python-compatible parser agree', () => {
	it('parse(serialise(v)) is v, ints and floats kept apart (compared by repr)', () => {
		fc.assert(
			fc.property(pyValue, value => {
				const parsed = parsePythonJson(toPythonJson(value));
				expect(parsed.ok).toBe(true);
				if (parsed.ok) expect(pyRepr(parsed.value)).toBe(pyRepr(value));
			}),
			{numRuns: 300},
		);
	});

	it('the output is plain JSON (ASCII only) that JSON.parse reads as toPlainJson(v)', () => {
		fc.assert(
			fc.property(pyValue, value => {
				const text = toPythonJson(value);
				expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
				expect(JSON.parse(text)).toEqual(toPlainJson(value));
			}),
			{numRuns: 300},
		);
	});
});
