import {describe, expect, it} from 'vitest';
import {MAX_NESTING_DEPTH, parseJsonDocument} from '../../../source/core/json/document.js';

const rules = (input: string | Uint8Array) => parseJsonDocument(input).problems.map(problem => problem.rule);

describe('parseJsonDocument', () => {
	it('parses a plan and locates values by pointer with 1-based line and column', () => {
		const text = '{\n  "a": 1,\n  "steps": ["x", "y"]\n}\n';
		const document = parseJsonDocument(text);
		expect(document.problems).toEqual([]);
		expect(document.value).toEqual({a: 1, steps: ['x', 'y']});
		expect(document.positionAt(document.offsetOf('/steps/1'))).toEqual({line: 3, column: 18});
		expect(document.positionAt(document.offsetOf('/a'))).toEqual({line: 2, column: 8});
	});

	it('falls back to the nearest existing ancestor for a missing pointer', () => {
		const document = parseJsonDocument('{"a": {"b": 1}}');
		expect(document.offsetOf('/a/missing')).toBe(document.offsetOf('/a'));
		expect(document.offsetOf('/nothing')).toBe(0);
	});

	it('reports a duplicate key and keeps the last value, as CAVRA does', () => {
		const text = '{\n  "approved": false,\n  "approved": true\n}';
		const document = parseJsonDocument(text);
		expect(document.problems).toHaveLength(1);
		expect(document.problems[0]).toMatchObject({rule: 'syntax/duplicate-key', pointer: '/approved'});
		expect(document.problems[0]!.message).toContain('first at line 2');
		expect(document.positionAt(document.problems[0]!.offset)).toEqual({line: 3, column: 3});
		expect(document.value).toEqual({approved: true});
	});

	it('reports a UTF-8 BOM and still parses the rest', () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a": "b"}')]);
		const document = parseJsonDocument(bytes);
		expect(rules(bytes)).toEqual(['syntax/utf8-bom']);
		expect(document.value).toEqual({a: 'b'});
	});

	it('reports invalid UTF-8 with the position of the bad byte instead of crashing', () => {
		const bytes = new Uint8Array([...new TextEncoder().encode('{\n "a": "'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
		const document = parseJsonDocument(bytes);
		expect(rules(bytes)).toContain('syntax/invalid-utf8');
		const problem = document.problems.find(p => p.rule === 'syntax/invalid-utf8')!;
		expect(document.positionAt(problem.offset)).toEqual({line: 2, column: 8});
	});

	it('reports NaN, Infinity and overflowing numbers as non-finite', () => {
		expect(rules('{"m": NaN}')).toContain('syntax/non-finite-number');
		expect(rules('{"m": Infinity}')).toContain('syntax/non-finite-number');
		expect(rules('{"m": -Infinity}')).toContain('syntax/non-finite-number');
		expect(rules('{"m": 1e999}')).toEqual(['syntax/non-finite-number']);
	});

	it('reports malformed JSON once, with its position', () => {
		const document = parseJsonDocument('{\n  "a": 1,\n  "b" 2\n}');
		expect(document.problems).toHaveLength(1);
		expect(document.problems[0]!.rule).toBe('syntax/invalid-json');
		expect(document.problems[0]!.message).toContain("expected ':'");
		expect(document.positionAt(document.problems[0]!.offset).line).toBe(3);
	});

	it('distinguishes an empty file and a top level that is not an object', () => {
		expect(rules('')).toEqual(['syntax/empty-file']);
		expect(rules('  \n ')).toEqual(['syntax/empty-file']);
		expect(rules('[1, 2]')).toEqual(['syntax/not-an-object']);
		expect(rules('"plan"')).toEqual(['syntax/not-an-object']);
	});

	it('rejects comments and trailing commas, which CAVRA rejects too', () => {
		expect(rules('{"a": 1, // note\n}')).toContain('syntax/invalid-json');
		expect(rules('{"a": [1,],}')).toContain('syntax/invalid-json');
	});

	it('refuses pathological nesting without recursing into it', () => {
		const deep = '['.repeat(200_000) + ']'.repeat(200_000);
		expect(rules(deep)).toEqual(['syntax/too-deep']);
		const ok = `{"a": ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}}`;
		expect(rules(ok)).toEqual([]);
	});

	it('counts CRLF and CR line breaks', () => {
		const document = parseJsonDocument('{\r\n"a":\r\n"b"}');
		expect(document.positionAt(document.offsetOf('/a'))).toEqual({line: 3, column: 1});
	});

	it('lists every string value with its pointer, keys escaped per RFC 6901', () => {
		const document = parseJsonDocument('{"a/b": "x", "c~d": ["y", {"e": "z"}], "n": 1}');
		expect(document.strings().map(s => [s.pointer, s.value])).toEqual([
			['/a~1b', 'x'],
			['/c~0d/0', 'y'],
			['/c~0d/1/e', 'z'],
		]);
	});

	it('treats a "__proto__" key as data', () => {
		const document = parseJsonDocument('{"__proto__": {"polluted": true}}');
		expect(Object.getPrototypeOf(document.value)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
		expect(Object.keys(document.value as object)).toEqual(['__proto__']);
	});

	it('never echoes a long key in a duplicate-key message', () => {
		const key = `ghp_${'A'.repeat(36)}`;
		const document = parseJsonDocument(`{"${key}": 1, "${key}": 2}`);
		expect(document.problems[0]!.message).not.toContain(key);
	});

	it('reports raw control characters inside strings', () => {
		expect(rules('{"a": "x\u0001y"}')).toContain('syntax/invalid-json');
	});
});
