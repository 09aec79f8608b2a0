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
	const out = serialise(value, '');
	return options.trailingNewline ? `${out}\n` : out;
}

const ESCAPES: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'};

export function pythonJsonString(text: string): string {
	let out = '"';
	for (let i = 0; i < text.length; i++) {
		const char = text[i]!;
		const code = text.charCodeAt(i);
		if (code >= 0x20 && code <= 0x7e && char !== '"' && char !== '\\') out += char;
		else out += ESCAPES[char] ?? `\\u${code.toString(16).padStart(4, '0')}`;
	}
	return `${out}"`;
}

function pythonJsonFloat(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return 'Infinity';
	if (value === -Infinity) return '-Infinity';
	return floatRepr(value);
}

function serialise(value: unknown, indent: string): string {
	if (value === null) return 'null';
	if (value === true) return 'true';
	if (value === false) return 'false';
	if (typeof value === 'string') return pythonJsonString(value);
	if (typeof value === 'bigint') return value.toString();
	if (typeof value === 'number') return pythonJsonFloat(value);
	const inner = `${indent}  `;
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		return `[\n${value.map(item => inner + serialise(item, inner)).join(',\n')}\n${indent}]`;
	}
	const entries = value instanceof PyDict ? [...value.entries()] : typeof value === 'object' ? Object.entries(value) : undefined;
	if (entries === undefined) throw new TypeError(`toPythonJson: cannot serialise ${typeof value}`);
	if (entries.length === 0) return '{}';
	return `{\n${entries.map(([key, item]) => `${inner}${pythonJsonString(key)}: ${serialise(item, inner)}`).join(',\n')}\n${indent}}`;
}
