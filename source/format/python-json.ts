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
	const parts: string[] = [];
	serialise(value, '', parts);
	if (options.trailingNewline) parts.push('\n');
	return parts.join('');
}

/**
 * The same text handed to `write` in pieces of about 64 KB, never as one string: what
 * `readiness --json` prints for a 10 MB plan is never held whole (peak memory, issue 13).
 */
export function writePythonJson(value: unknown, write: (chunk: string) => void, options: {trailingNewline?: boolean} = {}): void {
	const sink = new ChunkSink(write);
	serialise(value, '', sink);
	if (options.trailingNewline) sink.push('\n');
	sink.flush();
}

interface Out {
	push(piece: string): unknown;
}

class ChunkSink implements Out {
	private parts: string[] = [];
	private size = 0;
	constructor(private readonly write: (chunk: string) => void) {}

	push(piece: string): void {
		this.parts.push(piece);
		this.size += piece.length;
		if (this.size >= 64 * 1024) this.flush();
	}

	flush(): void {
		if (this.parts.length > 0) this.write(this.parts.join(''));
		this.parts = [];
		this.size = 0;
	}
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

function serialise(value: unknown, indent: string, out: Out): void {
	if (value === null) out.push('null');
	else if (value === true) out.push('true');
	else if (value === false) out.push('false');
	else if (typeof value === 'string') out.push(pythonJsonString(value));
	else if (typeof value === 'bigint') out.push(value.toString());
	else if (typeof value === 'number') out.push(pythonJsonFloat(value));
	else if (Array.isArray(value)) serialiseList(value, indent, out);
	else serialiseDict(value, indent, out);
}

function serialiseList(value: unknown[], indent: string, out: Out): void {
	if (value.length === 0) {
		out.push('[]');
		return;
	}
	const inner = `${indent}  `;
	out.push('[\n');
	value.forEach((item, index) => {
		out.push(index === 0 ? inner : `,\n${inner}`);
		serialise(item, inner, out);
	});
	out.push(`\n${indent}]`);
}

function serialiseDict(value: unknown, indent: string, out: Out): void {
	const entries = value instanceof PyDict ? [...value.entries()] : typeof value === 'object' ? Object.entries(value as object) : undefined;
	if (entries === undefined) throw new TypeError(`toPythonJson: cannot serialise ${typeof value}`);
	if (entries.length === 0) {
		out.push('{}');
		return;
	}
	const inner = `${indent}  `;
	out.push('{\n');
	entries.forEach(([key, item], index) => {
		out.push(`${index === 0 ? '' : ',\n'}${inner}${pythonJsonString(key)}: `);
		serialise(item, inner, out);
	});
	out.push(`\n${indent}}`);
}
