import fc from 'fast-check';
import type {Node} from 'jsonc-parser';
import {describe, expect, it} from 'vitest';
import {MAX_NESTING_DEPTH, parseJsonDocument, type JsonDocument} from '../../../source/core/json/document.js';
import {appendPointer, cutKey} from '../../../source/core/json/pointer.js';
import {parseJsonDocument as parseWithTree} from './tree-reference.js';

/**
 * The document no longer keeps jsonc-parser's tree (one object per value) to find problems,
 * strings and keys (peak memory, issue 13). Everything a user sees must stay as it was: every
 * problem (rule, message, pointer, offset), the value, every string and key with its pointer and
 * offset, and the offset `offsetOf` gives for every pointer. `tree-reference.ts` is the parser as
 * it was, kept to compare against.
 */

const plain = (list: ReadonlyArray<{pointer: string; value: string; offset: number}>) => list.map(({pointer, value, offset}) => ({pointer, value, offset}));

/** Every pointer the old tree had a node for, plus some it had not (their ancestors answer). */
function pointersOf(root: Node | undefined): string[] {
	const pointers: string[] = [];
	const visit = (node: Node, pointer: string): void => {
		pointers.push(pointer, appendPointer(pointer, 'missing'), appendPointer(pointer, 99_999));
		if (node.type === 'array') node.children?.forEach((child, i) => visit(child, appendPointer(pointer, i)));
		if (node.type === 'object') {
			for (const property of node.children ?? []) {
				const [key, value] = property.children ?? [];
				if (key && value && typeof key.value === 'string') visit(value, appendPointer(pointer, key.value));
			}
		}
	};
	if (root) visit(root, '');
	return pointers;
}

function expectSame(input: string | Uint8Array, label: string): void {
	const quoteKey = (key: string) => (key.length > 3 ? cutKey(key) : key);
	const compact: JsonDocument = parseJsonDocument(input, {quoteKey});
	const tree = parseWithTree(input, {quoteKey});
	expect(compact.text, label).toBe(tree.text);
	expect(compact.problems, label).toEqual(tree.problems);
	// Key order and "__proto__" members included.
	expect(JSON.stringify(compact.value), label).toBe(JSON.stringify(tree.value));
	expect(compact.value, label).toEqual(tree.value);
	expect(plain(compact.strings()), label).toEqual(plain(tree.strings()));
	expect(plain(compact.keys()), label).toEqual(plain(tree.keys()));
	for (const pointer of ['', '/', '/nothing/at/all', ...pointersOf(tree.root)]) {
		expect(compact.offsetOf(pointer), `${label}: offsetOf(${pointer})`).toBe(tree.offsetOf(pointer));
		expect(compact.nodeAt(pointer)?.offset, `${label}: nodeAt(${pointer})`).toBe(tree.nodeAt(pointer)?.offset);
	}
	expect(compact.root?.type, label).toBe(tree.root?.type);
	expect(compact.root?.length, label).toBe(tree.root?.length);
}

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap(part => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

const HOSTILE: Array<[string, string | Uint8Array]> = [
	['duplicate keys, the earlier one a container', '{"a": {"b": [1, {"c": "x"}]}, "b": 1, "a": "y", "a": [2]}'],
	['a key repeated many times', `{${Array.from({length: 2000}, (_, i) => `"k": ${i}`).join(', ')}}`],
	['nested duplicates', '{"o": {"k": 1, "k": {"k": 2, "k": 3}}, "o": {"k": 4}}'],
	['keys needing pointer escapes', '{"a/b": {"~0": ["x"]}, "": {"": ""}, "~": 1, "/": 2}'],
	['a __proto__ key', '{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}'],
	['nesting at the limit', `{"a": ${'['.repeat(MAX_NESTING_DEPTH - 1)}"deep"${']'.repeat(MAX_NESTING_DEPTH - 1)}}`],
	['nesting over the limit', `{"a": ${'['.repeat(MAX_NESTING_DEPTH)}${']'.repeat(MAX_NESTING_DEPTH)}}`],
	['a huge string', `{"big": "${'x'.repeat(1 << 20)}", "after": "y"}`],
	['a huge string of escapes', `{"big": "${'\\u202e\\n'.repeat(50_000)}"}`],
	['escapes, hidden characters in values and keys', '{"k\\u202ey": "a\\u0000b", "z\\u200b": ["\\ud83d\\ude00\\u001b[31m", "\\"quoted\\" \\\\ \\/"]}'],
	['raw hidden characters', '{"k\u202ey": "a\u200bb\u2066c", "x": "\u001b[2J"}'],
	['lone surrogates', '{"a": "\\ud800", "b": "\\udc00x"}'],
	['CRLF line ends', '{\r\n  "a": "b",\r\n  "a": "c",\r\n  "s": [\r\n"x\u202e"]\r\n}\r\n'],
	['CR line ends', '{\r"a": 1,\r"a": 2\r}'],
	['a BOM in a string', '\uFEFF{"a": "b"}'],
	['a BOM in bytes', bytes([0xef, 0xbb, 0xbf], '{"a": "b", "a": 1}')],
	['two BOMs', bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], '{"a": "b"}')],
	['invalid UTF-8', bytes('{\n "a": "', [0xff, 0xfe], '", "a\u202e": 1}')],
	['non-finite numbers', '{"m": NaN, "n": -Infinity, "o": 1e999, "p": [-1e999, 2]}'],
	['a top-level non-finite number', '1e999'],
	['top-level scalars and lists', '"plan\u202e"'],
	['a top-level list', '[{"a": 1}, "b", [], {}]'],
	['empty', ''],
	['blank', ' \r\n\t '],
	['a missing colon', '{"a": 1, "b" 2, "c": "x"}'],
	['a missing value', '{"a": , "b": "x"}'],
	['a missing value at the end', '{"a": 1, "b": }'],
	['a missing comma', '{"a": "x" "b": "y"}'],
	['a trailing comma', '{"a": [1,], "b": 2,}'],
	['an empty slot in a list', '[1,,2, "x"]'],
	['unterminated string', '{"a": "xyz'],
	['unterminated object', '{"a": {"b": ["x", "y"'],
	['content after the end', '{"a": 1} {"b": "x"}'],
	['comments', '{"a": 1, // c\n "b": /* c */ "x"}'],
	['a raw control character', '{"a": "x\u0001y", "b": "z"}'],
	['bad escapes', '{"a": "\\q", "\\x": "\\u12", "b": "ok"}'],
	['a key that is not a string', '{a: 1, "b": "x", 3: 4}'],
	['literals', '{"t": true, "f": false, "n": null, "num": -0.5e-3}'],
	['brackets mismatched', '{"a": [1, 2}, "b": "x"]'],
	['a value where a key belongs', '{"a": 1, [2], "c": "x"}'],
];

describe('the compact document answers as the position-keeping tree did', () => {
	for (const [label, input] of HOSTILE) {
		it(label, () => expectSame(input, label));
	}

	it('on generated JSON-like text, broken or not', () => {
		const token = fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '\n', '\r\n', '"a"', '"a"', '"b\\u202e"', '"~/"', '"__proto__"', '1', '1e999', 'NaN', 'true', 'null', '"x\\n"', '"\u200b"', '"', '\\', '"\\ud800"');
		fc.assert(
			fc.property(fc.array(token, {maxLength: 60}), tokens => {
				expectSame(tokens.join(''), tokens.join(''));
			}),
			{numRuns: 400, seed: 13},
		);
	});

	it('on generated plans with keys repeated and nested', () => {
		const json = fc.letrec<{value: unknown}>(tie => ({
			value: fc.oneof(
				{depthSize: 'small'},
				fc.string(),
				fc.integer(),
				fc.constant(null),
				fc.array(tie('value'), {maxLength: 4}),
				fc.array(fc.tuple(fc.constantFrom('a', 'b', '', '~', 'a/b', '__proto__'), tie('value')), {maxLength: 4}),
			),
		}));
		const text = (value: unknown): string => {
			if (Array.isArray(value) && value.every(item => Array.isArray(item) && item.length === 2 && typeof item[0] === 'string')) {
				return `{${(value as Array<[string, unknown]>).map(([key, item]) => `${JSON.stringify(key)}:${text(item)}`).join(',\r\n')}}`;
			}
			return Array.isArray(value) ? `[${value.map(text).join(', ')}]` : JSON.stringify(value);
		};
		fc.assert(
			fc.property(json.value, value => {
				expectSame(text(value), text(value));
			}),
			{numRuns: 300, seed: 13},
		);
	});
});
