import {createRequire} from 'node:module';
import type {Node, ParseError, parseTree as ParseTree} from 'jsonc-parser';
import {describeCharacter, hiddenCharacters} from '../../../source/core/text/sanitize.js';
import {appendPointer, printableKey} from '../../../source/core/json/pointer.js';
import {firstInvalidUtf8Byte, hasUtf8Bom} from '../../../source/core/json/utf8.js';

// Only the parser: jsonc-parser's main entry also loads its formatter and editor through Node's
// ESM-to-CJS bridge (its ESM build has no file extensions and cannot be imported), a tenth of
// `lint`'s cold start. The file has been at this path through every 3.x release (pinned ^3).
const {parseTree} = createRequire(import.meta.url)('jsonc-parser/lib/umd/impl/parser.js') as {parseTree: typeof ParseTree};

/**
 * A JSON file parsed with positions, for the linter and the wizard. Stricter than JSON.parse in
 * the ways that matter for a rollback plan: duplicate keys, a BOM, invalid UTF-8 and the
 * Python-only tokens NaN/Infinity are reported as problems instead of being silently accepted.
 * The parser is error-tolerant: a partial tree is still returned so that other checks (secrets!)
 * can run on a broken file.
 */

export type SyntaxRule =
	| 'syntax/invalid-json'
	| 'syntax/empty-file'
	| 'syntax/not-an-object'
	| 'syntax/duplicate-key'
	| 'syntax/utf8-bom'
	| 'syntax/invalid-utf8'
	| 'syntax/non-finite-number'
	| 'syntax/too-deep'
	| 'syntax/hidden-characters';

export interface SyntaxProblem {
	rule: SyntaxRule;
	message: string;
	pointer: string;
	/** Offset in `text`. */
	offset: number;
}

export interface SourcePosition {
	/** 1-based. */
	line: number;
	/** 1-based, in UTF-16 code units (SARIF's default column kind). */
	column: number;
}

export interface StringValue {
	pointer: string;
	value: string;
	/** Offset of the string token in `text`. */
	offset: number;
}

export interface JsonDocument {
	/** Decoded text, BOM removed, invalid bytes replaced by U+FFFD. */
	readonly text: string;
	/** The root node, when anything could be parsed. */
	readonly root: Node | undefined;
	/** The parsed value (last duplicate key wins, as in CAVRA); undefined when unparseable. */
	readonly value: unknown;
	readonly problems: readonly SyntaxProblem[];
	positionAt(offset: number): SourcePosition;
	/** The node holding the value at a pointer (last duplicate wins), if any. */
	nodeAt(pointer: string): Node | undefined;
	/** Offset of the value at a pointer, else of its nearest existing ancestor. */
	offsetOf(pointer: string): number;
	/** Every string value in the document (not keys), in document order. */
	strings(): StringValue[];
	/**
	 * Every object key, each occurrence (duplicates too), in document order: `pointer` is the
	 * member the key names, `offset` that of the key's string token.
	 */
	keys(): StringValue[];
}

export interface ParseOptions {
	/**
	 * How a message quotes a key (keys are user data and can be a pasted secret); the linter
	 * passes one that also cuts keys its detectors flag. Default: printableKey.
	 */
	quoteKey?: (key: string) => string;
}

/** Deeper than this and CAVRA's own parser (Python's json) would hit its recursion limit. */
export const MAX_NESTING_DEPTH = 512;

export function parseJsonDocument(input: Uint8Array | string, options: ParseOptions = {}): JsonDocument {
	const problems: SyntaxProblem[] = [];
	let text: string;
	if (typeof input === 'string') {
		text = input.startsWith('\uFEFF') ? input.slice(1) : input;
		if (text !== input) problems.push(bomProblem());
	} else {
		let bytes = input;
		if (hasUtf8Bom(bytes)) {
			problems.push(bomProblem());
			bytes = bytes.subarray(3);
		}
		const bad = firstInvalidUtf8Byte(bytes);
		text = new TextDecoder('utf-8', {fatal: false, ignoreBOM: true}).decode(bytes);
		if (bad >= 0) {
			const prefix = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
			problems.push({
				rule: 'syntax/invalid-utf8',
				message: `byte ${bad} (0x${bytes[bad]!.toString(16).padStart(2, '0')}) is not valid UTF-8; CAVRA crashes on such a file. Re-save it as UTF-8 text (binary or Latin-1 content does not belong in a plan)`,
				pointer: '',
				offset: prefix.length,
			});
		}
	}

	const lineStarts = computeLineStarts(text);
	const positionAt = (offset: number): SourcePosition => {
		let lo = 0;
		let hi = lineStarts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (lineStarts[mid]! <= offset) lo = mid;
			else hi = mid - 1;
		}
		return {line: lo + 1, column: offset - lineStarts[lo]! + 1};
	};

	let root: Node | undefined;
	const tooDeepAt = nestingLimitOffset(text, MAX_NESTING_DEPTH);
	if (tooDeepAt >= 0) {
		problems.push({
			rule: 'syntax/too-deep',
			message: `nesting deeper than ${MAX_NESTING_DEPTH} levels; CAVRA's parser would fail on it. A rollback plan is a flat object of strings and lists`,
			pointer: '',
			offset: tooDeepAt,
		});
	} else if (text.trim() === '') {
		problems.push({
			rule: 'syntax/empty-file',
			message: 'the file is empty; CAVRA reports "metadata JSON is invalid: Expecting value". Start from a template: cavra-rollback templates standard',
			pointer: '',
			offset: 0,
		});
	} else {
		const errors: ParseError[] = [];
		root = parseTree(text, errors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false});
		reportParseErrors(text, errors, problems);
	}

	const walked: Walk = {text, strings: [], keys: [], problems, positionAt, quoteKey: options.quoteKey ?? printableKey};
	// Built on the first lookup: linting a 10 MB plan with no schema finding never needs one
	// entry per node (peak memory, issue 13).
	let index: Map<string, Node> | undefined;
	const lookup = (pointer: string) => (index ??= indexNodes(root)).get(pointer);
	let value: unknown;
	if (root) {
		value = walk(root, '', walked);
		if (root.type !== 'object') {
			problems.push({
				rule: 'syntax/not-an-object',
				message: `the top level is ${describeNodeType(root)}, not an object; CAVRA reports "metadata JSON must be an object". Wrap the plan in { ... }`,
				pointer: '',
				offset: root.offset,
			});
		}
	}

	problems.sort((a, b) => a.offset - b.offset);

	return {
		text,
		root,
		value,
		problems,
		positionAt,
		nodeAt: lookup,
		offsetOf(pointer) {
			let current = pointer;
			for (;;) {
				const node = lookup(current);
				if (node) return node.offset;
				if (current === '') return 0;
				current = current.slice(0, current.lastIndexOf('/'));
			}
		},
		strings: () => walked.strings,
		keys: () => walked.keys,
	};
}

function bomProblem(): SyntaxProblem {
	return {
		rule: 'syntax/utf8-bom',
		message: 'the file starts with a UTF-8 byte order mark; CAVRA rejects it ("Unexpected UTF-8 BOM"). Save the file as UTF-8 without BOM',
		pointer: '',
		offset: 0,
	};
}

function computeLineStarts(text: string): number[] {
	const starts = [0];
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) starts.push(i + 1);
		else if (c === 13) {
			if (text.charCodeAt(i + 1) === 10) i++;
			starts.push(i + 1);
		}
	}
	return starts;
}

/** Offset where bracket nesting first exceeds `limit` (strings skipped), or -1. Linear, no recursion. */
function nestingLimitOffset(text: string, limit: number): number {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++;
			else if (c === 34) inString = false;
			continue;
		}
		if (c === 34) inString = true;
		else if (c === 123 || c === 91) {
			if (++depth > limit) return i;
		} else if (c === 125 || c === 93) depth--;
	}
	return -1;
}

const NON_FINITE = /^(?:-?Infinity|NaN)/;

function reportParseErrors(text: string, errors: ParseError[], problems: SyntaxProblem[]): void {
	for (const error of errors) {
		if (error.error === 1 && NON_FINITE.test(text.slice(error.offset, error.offset + 9))) {
			problems.push({
				rule: 'syntax/non-finite-number',
				message: `${text.slice(error.offset, error.offset + error.length) || 'NaN/Infinity'} is not JSON; Python accepts it and CAVRA then prints invalid JSON. Use a finite number`,
				pointer: '',
				offset: error.offset,
			});
			continue;
		}
		problems.push({
			rule: 'syntax/invalid-json',
			message: `${describeParseError(error.error)}; fix the JSON at this position (a JSON-aware editor will show it)`,
			pointer: '',
			offset: error.offset,
		});
		// After the first real syntax error the rest are usually echoes of it.
		break;
	}
}

// jsonc-parser's ParseErrorCode is an ambient const enum, unusable under verbatimModuleSyntax.
function describeParseError(code: number): string {
	switch (code) {
		case 1:
			return 'unexpected symbol';
		case 2:
			return 'malformed number';
		case 3:
			return 'expected a property name in double quotes';
		case 4:
			return 'expected a value';
		case 5:
			return "expected ':' after the property name";
		case 6:
			return "expected ',' between items";
		case 7:
			return "expected '}' to close the object";
		case 8:
			return "expected ']' to close the list";
		case 9:
			return 'unexpected content after the end of the JSON value';
		case 10:
			return 'comments are not allowed in JSON';
		case 11:
			return 'comments are not allowed in JSON (unterminated comment)';
		case 12:
			return 'unterminated string';
		case 13:
			return 'unterminated number';
		case 14:
			return 'invalid \\u escape in a string';
		case 15:
			return 'invalid escape in a string';
		case 16:
			return 'control character inside a string (escape it, e.g. \\n or \\t)';
		default:
			return 'malformed JSON';
	}
}

export function describeNodeType(node: Node): string {
	switch (node.type) {
		case 'array':
			return 'a list';
		case 'object':
			return 'an object';
		case 'string':
			return 'a string';
		case 'number':
			return 'a number';
		case 'boolean':
			return 'a boolean';
		default:
			return 'null';
	}
}

/** Every node by its pointer, as `walk` names them (a repeated key: the last one). */
function indexNodes(root: Node | undefined): Map<string, Node> {
	const index = new Map<string, Node>();
	const visit = (node: Node, pointer: string): void => {
		index.set(pointer, node);
		if (node.type === 'array') node.children?.forEach((child, i) => visit(child, appendPointer(pointer, i)));
		if (node.type !== 'object') return;
		for (const property of node.children ?? []) {
			const [keyNode, valueNode] = property.children ?? [];
			if (keyNode && typeof keyNode.value === 'string' && valueNode) visit(valueNode, appendPointer(pointer, keyNode.value));
		}
	};
	if (root) visit(root, '');
	return index;
}

/** What one walk over the tree collects, and how it quotes keys. */
interface Walk {
	text: string;
	strings: StringValue[];
	keys: StringValue[];
	problems: SyntaxProblem[];
	positionAt: (offset: number) => SourcePosition;
	quoteKey: (key: string) => string;
}

function walk(node: Node, pointer: string, state: Walk): unknown {
	const {strings, problems, positionAt} = state;
	switch (node.type) {
		case 'object': {
			const object: Record<string, unknown> = {};
			// Per key: its first node and, once repeated, the one message every repeat shares (a
			// file repeating one key 300 000 times holds one copy of the text, not 300 000).
			const seen = new Map<string, {first: Node; message?: string}>();
			for (const property of node.children ?? []) {
				const [keyNode, valueNode] = property.children ?? [];
				if (!keyNode || typeof keyNode.value !== 'string') continue;
				const key = keyNode.value;
				const childPointer = appendPointer(pointer, key);
				state.keys.push({pointer: childPointer, value: key, offset: keyNode.offset});
				checkHidden(keyNode, 'key', childPointer, state);
				const earlier = seen.get(key);
				if (earlier) {
					if (earlier.message === undefined) {
						const at = positionAt(earlier.first.offset);
						earlier.message = `duplicate key "${state.quoteKey(key)}" (first at line ${at.line}, column ${at.column}); CAVRA silently keeps the last one, which can hide the earlier value. Keep exactly one`;
					}
					problems.push({rule: 'syntax/duplicate-key', message: earlier.message, pointer: childPointer, offset: keyNode.offset});
				} else seen.set(key, {first: keyNode});
				if (!valueNode) continue;
				// Assign through defineProperty so a "__proto__" key is data, not a prototype switch.
				Object.defineProperty(object, key, {
					value: walk(valueNode, childPointer, state),
					enumerable: true,
					writable: true,
					configurable: true,
				});
			}
			return object;
		}
		case 'array':
			return (node.children ?? []).map((child, i) => walk(child, appendPointer(pointer, i), state));
		case 'string':
			strings.push({pointer, value: node.value as string, offset: node.offset});
			checkHidden(node, 'value', pointer, state);
			return node.value;
		case 'number': {
			const value = node.value as number;
			if (!Number.isFinite(value)) {
				problems.push({
					rule: 'syntax/non-finite-number',
					message: 'this number is too large to be finite; CAVRA would read it as Infinity and print invalid JSON. Use a finite number',
					pointer,
					offset: node.offset,
				});
			}
			return value;
		}
		default:
			return node.value;
	}
}


/**
 * A public plan must not hide text: a control character, escape sequence, bidi override or
 * zero-width character in a key or a string can recolour, reorder or hide what a reviewer reads.
 * One problem per string, at the first such character (its own line and column, escaped or raw).
 */
function checkHidden(node: Node, what: 'key' | 'value', pointer: string, context: Walk): void {
	const value = node.value as string;
	const found = hiddenCharacters(value);
	const first = found[0];
	if (!first) return;
	const at = [...value.slice(0, first.index)].length + 1;
	const more = found.length > 1 ? ` (and ${found.length - 1} more hidden character${found.length === 2 ? '' : 's'})` : '';
	const where = what === 'key' ? `the key "${context.quoteKey(value)}"` : 'this value';
	context.problems.push({
		rule: 'syntax/hidden-characters',
		message: `${where} contains ${first.description} at character ${at}${more}; a public plan must not hide text: it can reorder, hide or recolour what a reviewer sees. Delete it (cavra-rollback shows it as ${first.shown})`,
		pointer,
		offset: node.offset + rawIndex(context.text.slice(node.offset, node.offset + node.length), first.index),
	});
}

/** Offset in a string token (quotes included) of the character at `index` of its decoded value: an escape is one character of the value but 2 or 6 of the file. */
function rawIndex(token: string, index: number): number {
	let raw = 1;
	for (let decoded = 0; decoded < index && raw < token.length; decoded++) {
		if (token[raw] !== '\\') raw++;
		else raw += token[raw + 1] === 'u' ? 6 : 2;
	}
	return raw;
}
