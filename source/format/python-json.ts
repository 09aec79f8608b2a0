import {floatRepr, PyDict} from '../core/readiness/py-value.js';

/**
 * Python's `json.dumps(value, indent=2)` (ensure_ascii on, allow_nan on), byte for byte: what
 * CAVRA's CLI prints for `--json`. Keys keep their order; non-ASCII is escaped as `\uXXXX`
 * (astral characters as a surrogate pair, `\ud83d\ude00`); `bigint` prints as a Python int and
 * `number` as a Python float (`90.0`, `7.5`, `1e+16`; `NaN` and `Infinity` as Python prints
 * them, which is not JSON); empty containers print `[]` and `{}`.
 *
 * `trailingNewline` adds the newline the CLI's echo adds (default: none, like json.dumps).
 */
export function toPythonJson(value: unknown, options: {trailingNewline?: boolean} = {}): string {
	// Pieces collected in one array and joined once: a report quoting a 10 MB plan costs one
	// copy of the output, not a tree of nested joins and per-character concatenations.
	const parts = [...serialise(value, '')];
	if (options.trailingNewline) parts.push('\n');
	return parts.join('');
}

/**
 * The same text in pieces of about 64 KB, for a writer that waits for its reader: what
 * `readiness --json` prints for a 10 MB plan is never held whole (peak memory, issue 13).
 */
export function* pythonJsonChunks(value: unknown, options: {trailingNewline?: boolean} = {}): Generator<string> {
	let parts: string[] = [];
	let size = 0;
	for (const piece of serialise(value, '')) {
		parts.push(piece);
		size += piece.length;
		if (size < 64 * 1024) continue;
		yield parts.join('');
		parts = [];
		size = 0;
	}
	if (options.trailingNewline) parts.push('\n');
	if (parts.length > 0) yield parts.join('');
}

const ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};
/** Every UTF-16 unit outside printable ASCII, plus the quote and the backslash: what ensure_ascii escapes. */
const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

export function pythonJsonString(text: string): string {
	// replace() hands back the same string when nothing matches: no copy for plain ASCII.
	const escaped = text.replace(NEEDS_ESCAPE, char => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return `"${escaped}"`;
}

function pythonJsonFloat(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return 'Infinity';
	if (value === -Infinity) return '-Infinity';
	return floatRepr(value);
}

function* serialise(value: unknown, indent: string): Generator<string> {
	if (value === null) yield 'null';
	else if (value === true) yield 'true';
	else if (value === false) yield 'false';
	else if (typeof value === 'string') yield pythonJsonString(value);
	else if (typeof value === 'bigint') yield value.toString();
	else if (typeof value === 'number') yield pythonJsonFloat(value);
	else if (Array.isArray(value)) yield* serialiseList(value, indent);
	else yield* serialiseDict(value, indent);
}

function* serialiseList(value: unknown[], indent: string): Generator<string> {
	if (value.length === 0) {
		yield '[]';
		return;
	}
	const inner = `${indent}  `;
	yield '[\n';
	for (let index = 0; index < value.length; index++) {
		yield index === 0 ? inner : `,\n${inner}`;
		yield* serialise(value[index], inner);
	}
	yield `\n${indent}]`;
}

function* serialiseDict(value: unknown, indent: string): Generator<string> {
	const entries = value instanceof PyDict ? [...value.entries()] : typeof value === 'object' ? Object.entries(value as object) : undefined;
	if (entries === undefined) throw new TypeError(`toPythonJson: cannot serialise ${typeof value}`);
	if (entries.length === 0) {
		yield '{}';
		return;
	}
	const inner = `${indent}  `;
	yield '{\n';
	for (let index = 0; index < entries.length; index++) {
		const [key, item] = entries[index]!;
		yield `${index === 0 ? '' : ',\n'}${inner}${pythonJsonString(key)}: `;
		yield* serialise(item, inner);
	}
	yield `\n${indent}}`;
}
