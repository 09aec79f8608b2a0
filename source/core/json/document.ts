import {createRequire} from 'node:module';
import type {Node, ParseError, parseTree as ParseTree, visit as Visit} from 'jsonc-parser';
import {describeCharacter, hasHiddenCharacters, hiddenCharacters} from '../text/sanitize.js';
import {appendPointer, printableKey} from './pointer.js';
import {decodeUtf8, firstInvalidUtf8Byte, hasUtf8Bom} from './utf8.js';

// Only the parser: jsonc-parser's main entry also loads its formatter and editor through Node's
// ESM-to-CJS bridge (its ESM build has no file extensions and cannot be imported), a tenth of
// `lint`'s cold start. The file has been at this path through every 3.x release (pinned ^3).
const {parseTree, visit} = createRequire(import.meta.url)('jsonc-parser/lib/umd/impl/parser.js') as {parseTree: typeof ParseTree; visit: typeof Visit};

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
	 * The same strings' values alone, and each one located on demand: what a scan of a 10 MB plan
	 * needs without an object per string (issue 13).
	 */
	stringValues(): readonly string[];
	stringAt(index: number): StringValue;
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
		text = decodeUtf8(bytes);
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
			if (lineStarts.get(mid) <= offset) lo = mid;
			else hi = mid - 1;
		}
		return {line: lo + 1, column: offset - lineStarts.get(lo) + 1};
	};

	const tooDeepAt = nestingLimitOffset(text, MAX_NESTING_DEPTH);
	let parsed = false;
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
	} else parsed = true;

	// One pass over the parser's events builds the value, the strings and keys and the problems;
	// no node object per value is kept (a 10 MB plan's tree was most of `lint`'s peak memory,
	// issue 13). The position-keeping tree is built on first use only (`root`, `nodeAt`).
	const walked: Walk = {text, strings: new StringTable(), keys: [], problems, positionAt, quoteKey: options.quoteKey ?? printableKey};
	const top = parsed ? buildValue(text, walked) : undefined;
	if (top && top.type !== 'object') {
		problems.push({
			rule: 'syntax/not-an-object',
			message: `the top level is ${describeNodeType(top)}, not an object; CAVRA reports "metadata JSON must be an object". Wrap the plan in { ... }`,
			pointer: '',
			offset: top.offset,
		});
	}

	problems.sort((a, b) => a.offset - b.offset);

	let tree: {root: Node | undefined} | undefined;
	const root = () => (tree ??= {root: parsed ? parseTree(text, [], PARSE_OPTIONS) : undefined}).root;
	let index: Map<string, Node> | undefined;
	let offsets: Map<string, number> | undefined;
	let strings: StringValue[] | undefined;

	return {
		text,
		get root() {
			return root();
		},
		value: top?.value,
		problems,
		positionAt,
		nodeAt: pointer => (index ??= indexNodes(root())).get(pointer),
		offsetOf(pointer) {
			// Pointer to offset only, from one more pass over the parser's events: a schema finding on a
			// 10 MB plan does not bring back the tree.
			offsets ??= parsed ? indexOffsets(text) : new Map();
			let current = pointer;
			for (;;) {
				const offset = offsets.get(current);
				if (offset !== undefined) return offset;
				if (current === '') return 0;
				current = current.slice(0, current.lastIndexOf('/'));
			}
		},
		strings: () => (strings ??= Array.from(walked.strings.values, (_, i) => walked.strings.at(i))),
		stringValues: () => walked.strings.values,
		stringAt: index => walked.strings.at(index),
		keys: () => walked.keys,
	};
}

const PARSE_OPTIONS = {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false};

function bomProblem(): SyntaxProblem {
	return {
		rule: 'syntax/utf8-bom',
		message: 'the file starts with a UTF-8 byte order mark; CAVRA rejects it ("Unexpected UTF-8 BOM"). Save the file as UTF-8 without BOM',
		pointer: '',
		offset: 0,
	};
}

/** Offsets where lines start, in a typed column (a 10 MB plan has 100 000 lines). */
function computeLineStarts(text: string): IntColumn {
	const starts = new IntColumn();
	starts.push(0);
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

export function describeNodeType(node: Pick<Node, 'type'>): string {
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

/** What one walk over the parser's events collects, and how it quotes keys. */
interface Walk {
	text: string;
	strings: StringTable;
	keys: StringValue[];
	problems: SyntaxProblem[];
	positionAt: (offset: number) => SourcePosition;
	quoteKey: (key: string) => string;
}

type ValueType = Node['type'];

/** Int32 column that grows by doubling: its memory is outside V8's heap and never scanned. */
class IntColumn {
	#data = new Int32Array(256);
	length = 0;
	push(value: number): void {
		if (this.length === this.#data.length) {
			const grown = new Int32Array(this.#data.length * 2);
			grown.set(this.#data);
			this.#data = grown;
		}
		this.#data[this.length++] = value;
	}

	get(index: number): number {
		return this.#data[index]!;
	}
}

/**
 * Every string value in document order, without an object per string: the values (shared with
 * the parsed value), and in columns where each is (issue 13: objects surviving the parse also
 * grow V8's young generation to its maximum, tens of MB of peak memory).
 */
class StringTable {
	readonly values: string[] = [];
	/** Pointer of every object and list, by the number `visitValues` gives it. */
	readonly containers: string[] = [];
	readonly #offsets = new IntColumn();
	readonly #containerOf = new IntColumn();
	/** The list index of each value, or -1 when its segment is a key (kept in `#keys`). */
	readonly #indexes = new IntColumn();
	readonly #keys = new Map<number, string>();

	push(placed: Placed): void {
		const index = this.values.push(placed.value as string) - 1;
		this.#offsets.push(placed.offset);
		this.#containerOf.push(placed.container);
		if (typeof placed.segment === 'string') {
			this.#indexes.push(-1);
			this.#keys.set(index, placed.segment);
		} else this.#indexes.push(placed.segment ?? -2);
	}

	at(index: number): StringValue {
		const container = this.#containerOf.get(index);
		const position = this.#indexes.get(index);
		const segment = position === -1 ? this.#keys.get(index) : position === -2 ? undefined : position;
		return new Located(this.values[index]!, this.#offsets.get(index), container < 0 ? '' : this.containers[container]!, segment);
	}
}

/**
 * A string value or key where it is: its pointer is made on demand from its container's and its
 * own key or index. One pointer string per value was a third of a 10 MB plan's parsed size, and
 * only a finding needs one (issue 13).
 */
class Located implements StringValue {
	readonly #parent: string;
	readonly #segment: string | number | undefined;
	constructor(
		readonly value: string,
		readonly offset: number,
		parent: string,
		segment: string | number | undefined,
	) {
		this.#parent = parent;
		this.#segment = segment;
	}

	get pointer(): string {
		return this.#segment === undefined ? this.#parent : appendPointer(this.#parent, this.#segment);
	}
}

/** A value as it starts: where it is, and what (containers are filled by later events). */
interface Placed {
	/** Its container's pointer and its key or index there (the top value: '' and none). */
	parent: string;
	segment: string | number | undefined;
	offset: number;
	type: ValueType;
	value: unknown;
	/** Containers only: their own pointer, which their values' pointers start with. */
	pointer?: string;
	/** Which container holds it, by `ContainerPointers` number (-1: the top value). */
	container: number;
}

const pointerOfPlaced = ({parent, segment, pointer}: Placed): string => pointer ?? (segment === undefined ? parent : appendPointer(parent, segment));

/** An open object or list while the parser is inside it. */
interface Frame {
	placed: Placed;
	/** Its number among containers (its pointer is `containers[id]`). */
	id: number;
	/** Values so far (lists): the next one's index. */
	count: number;
	/** The property whose value comes next (objects), until a value, a ',' or the end. */
	key?: string;
	/** Per key: where it was first seen and, once repeated, the message every repeat shares. */
	seen?: Map<string, {offset: number; message?: string}>;
	/** Inside a value the parser put nowhere (never expected): its events are ignored. */
	orphan?: boolean;
}

interface Events {
	/** A key, as the parser meets it (before its value); `frame` is the object's. */
	key?(key: Located, length: number, frame: Frame): void;
	/** A value; for an object or a list, `placed.value` is what later values are added to. */
	value(placed: Placed, length: number): void;
	error?(error: ParseError): void;
}

/**
 * The values of `text` with their pointers, from jsonc-parser's event visitor, placed exactly as
 * its parseTree places nodes (a property takes the next value until a ',' or the end of its
 * object; a repeated key names the same member, the last value wins). Returns the top value.
 */
function visitValues(text: string, events: Events, build: boolean, containers: string[] = []): Placed | undefined {
	const stack: Frame[] = [];
	let top: Placed | undefined;
	const place = (type: ValueType, offset: number, length: number, literal: unknown): Placed | undefined => {
		const frame = stack[stack.length - 1];
		if (frame?.orphan) return undefined;
		let parent = '';
		let segment: string | number | undefined;
		let container = -1;
		if (frame) {
			parent = frame.placed.pointer!;
			container = frame.id;
			if (frame.placed.type === 'array') segment = frame.count++;
			else if (frame.key === undefined) return undefined; // never: the parser reads a value in an object only after a key
			else segment = frame.key;
		} else if (top) return undefined; // never: one top value
		const value = !build ? undefined : type === 'object' ? {} : type === 'array' ? [] : literal;
		const placed: Placed = {parent, segment, offset, type, value, container};
		if (frame && build) {
			if (frame.placed.type === 'array') (frame.placed.value as unknown[]).push(value);
			// Assign through defineProperty so a "__proto__" key is data, not a prototype switch.
			else Object.defineProperty(frame.placed.value, frame.key!, {value, enumerable: true, writable: true, configurable: true});
		}
		if (frame) frame.key = undefined;
		else top = placed;
		if (type === 'object' || type === 'array') placed.pointer = pointerOfPlaced(placed);
		events.value(placed, length);
		return placed;
	};
	const open = (type: 'object' | 'array', offset: number) => {
		const placed = place(type, offset, 1, undefined);
		// A container the parser puts nowhere still gets a frame, so its own events are balanced.
		if (placed) stack.push({placed, count: 0, id: containers.push(placed.pointer!) - 1});
		else stack.push({placed: {parent: '', segment: undefined, pointer: '', offset, type, value: undefined, container: -1}, count: 0, id: -1, orphan: true});
	};
	visit(
		text,
		{
			onObjectBegin: offset => void open('object', offset),
			onArrayBegin: offset => void open('array', offset),
			onObjectEnd: () => void stack.pop(),
			onArrayEnd: () => void stack.pop(),
			onObjectProperty: (key, offset, length) => {
				const frame = stack[stack.length - 1];
				if (!frame || frame.orphan) return;
				frame.key = key;
				events.key?.(new Located(key, offset, frame.placed.pointer!, key), length, frame);
			},
			onLiteralValue: (value: unknown, offset, length) => void place(value === null ? 'null' : (typeof value as ValueType), offset, length, value),
			onSeparator: separator => {
				const frame = stack[stack.length - 1];
				if (separator === ',' && frame) frame.key = undefined;
			},
			onError: (error, offset, length) => events.error?.({error, offset, length}),
		},
		PARSE_OPTIONS,
	);
	return top;
}

/** The value, every string and key, and the problems they hold; returns the top value. */
function buildValue(text: string, state: Walk): Placed | undefined {
	const errors: ParseError[] = [];
	const found: SyntaxProblem[] = [];
	const walk: Walk = {...state, problems: found};
	const top = visitValues(
		text,
		{
			key(located, length, frame) {
				const {value: key, offset} = located;
				state.keys.push(located);
				checkHidden(located, length, 'key', walk);
				const seen = (frame.seen ??= new Map());
				const earlier = seen.get(key);
				if (!earlier) {
					seen.set(key, {offset});
					return;
				}
				if (earlier.message === undefined) {
					const at = state.positionAt(earlier.offset);
					earlier.message = `duplicate key "${state.quoteKey(key)}" (first at line ${at.line}, column ${at.column}); CAVRA silently keeps the last one, which can hide the earlier value. Keep exactly one`;
				}
				found.push({rule: 'syntax/duplicate-key', message: earlier.message, pointer: located.pointer, offset});
			},
			value(placed, length) {
				const {offset, type, value} = placed;
				if (type === 'string') {
					state.strings.push(placed);
					if (hasHiddenCharacters(value as string)) checkHidden(new Located(value as string, offset, placed.parent, placed.segment), length, 'value', walk);
				} else if (type === 'number' && !Number.isFinite(value)) {
					found.push({
						rule: 'syntax/non-finite-number',
						message: 'this number is too large to be finite; CAVRA would read it as Infinity and print invalid JSON. Use a finite number',
						pointer: pointerOfPlaced(placed),
						offset,
					});
				}
			},
			error: error => errors.push(error),
		},
		true,
		state.strings.containers,
	);
	// Parse errors first, then what the values hold, as the order of equal offsets has always been.
	reportParseErrors(text, errors, state.problems);
	for (const problem of found) state.problems.push(problem);
	return top;
}

/** Offset of the value at each pointer (a repeated key: the last one), as `nodeAt` finds them. */
function indexOffsets(text: string): Map<string, number> {
	const offsets = new Map<string, number>();
	visitValues(text, {value: placed => void offsets.set(pointerOfPlaced(placed), placed.offset)}, false);
	return offsets;
}

/**
 * A public plan must not hide text: a control character, escape sequence, bidi override or
 * zero-width character in a key or a string can recolour, reorder or hide what a reviewer reads.
 * One problem per string, at the first such character (its own line and column, escaped or raw).
 */
function checkHidden(string: StringValue, length: number, what: 'key' | 'value', context: Walk): void {
	const {value, offset} = string;
	// The cheap test first: most keys and values hold nothing hidden.
	if (!hasHiddenCharacters(value)) return;
	const found = hiddenCharacters(value);
	const first = found[0];
	if (!first) return;
	const at = [...value.slice(0, first.index)].length + 1;
	const more = found.length > 1 ? ` (and ${found.length - 1} more hidden character${found.length === 2 ? '' : 's'})` : '';
	const where = what === 'key' ? `the key "${context.quoteKey(value)}"` : 'this value';
	context.problems.push({
		rule: 'syntax/hidden-characters',
		message: `${where} contains ${first.description} at character ${at}${more}; a public plan must not hide text: it can reorder, hide or recolour what a reviewer sees. Delete it (cavra-rollback shows it as ${first.shown})`,
		pointer: string.pointer,
		offset: offset + rawIndex(context.text.slice(offset, offset + length), first.index),
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
