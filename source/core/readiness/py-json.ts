import {PyDict, type PyValue} from './py-value.js';

/**
 * `json.loads` as CPython 3.11 runs it (the C scanner), for the metadata files CAVRA reads:
 * the same values (ints stay ints, floats stay floats, duplicate keys: last value wins at the
 * first position) and, for a file it rejects, the same `JSONDecodeError` text with its
 * line, column and character position counted in code points.
 *
 * `NaN`, `Infinity`, `-Infinity` and numbers too large for a double are read as Python reads
 * them (floats nan and ±inf), so reports answer exactly as CAVRA's do; `lint` still reports
 * them. Deliberate differences, where CAVRA would crash: integers with more than 4300 digits
 * (Python raises ValueError) are rejected once the rest of the document parses; nesting deeper
 * than 1000 levels (Python raises RecursionError at about that depth) is rejected where it happens.
 */

export type PyJsonResult = {ok: true; value: PyValue} | {ok: false; message: string};

/** Python's int-to-str conversion limit (sys.get_int_max_str_digits() default). */
const MAX_INT_DIGITS = 4300;
const MAX_DEPTH = 1000;

class DecodeError {
	constructor(
		readonly message: string,
		readonly index: number,
	) {}
}

class StopIteration {
	constructor(readonly index: number) {}
}

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
const isDigit = (code: number | undefined) => code !== undefined && code >= 0x30 && code <= 0x39;

const ESCAPES: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'};

function hexValue(code: number): number {
	if (code >= 0x30 && code <= 0x39) return code - 0x30;
	if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
	if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
	return -1;
}

/** `s` is the text Python would decode (after UTF-8 decoding and newline translation). */
export function parsePythonJson(s: string): PyJsonResult {
	const parser = new Parser(s);
	try {
		if (s.charCodeAt(0) === 0xfeff) throw new DecodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
		let value: PyValue;
		let end: number;
		try {
			[value, end] = parser.scan(parser.skip(0), 0);
		} catch (error) {
			if (error instanceof StopIteration) throw new DecodeError('Expecting value', error.index);
			throw error;
		}
		end = parser.skip(end);
		if (end !== s.length) throw new DecodeError('Extra data', end);
		if (parser.deferred) throw parser.deferred;
		return {ok: true, value};
	} catch (error) {
		if (error instanceof DecodeError) return {ok: false, message: decodeErrorText(s, error)};
		throw error;
	}
}

/** `JSONDecodeError.__str__`: `msg: line L column C (char N)`, positions in code points. */
function decodeErrorText(s: string, error: DecodeError): string {
	const before = s.slice(0, error.index);
	const pos = codePointLength(before);
	const lastNewline = before.lastIndexOf('\n');
	const line = before.split('\n').length;
	const column = lastNewline === -1 ? pos + 1 : pos - codePointLength(s.slice(0, lastNewline));
	return `${error.message}: line ${line} column ${column} (char ${pos})`;
}

function codePointLength(text: string): number {
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		count++;
	}
	return count;
}

class Parser {
	/** The first value Python would crash on but we report (huge ints, deep nesting). */
	deferred: DecodeError | undefined;

	constructor(private readonly s: string) {}

	skip(index: number): number {
		while (index < this.s.length && isWhitespace(this.s.charCodeAt(index))) index++;
		return index;
	}

	private defer(message: string, index: number): void {
		this.deferred ??= new DecodeError(message, index);
	}

	/** scan_once_unicode: a value at `index`, or StopIteration(index) when none starts there. */
	scan(index: number, depth: number): [PyValue, number] {
		const s = this.s;
		if (index >= s.length) throw new StopIteration(index);
		switch (s[index]) {
			case '"':
				return this.string(index + 1);
			case '{':
				return this.object(index + 1, depth + 1);
			case '[':
				return this.array(index + 1, depth + 1);
			case 'n':
				if (s.startsWith('null', index)) return [null, index + 4];
				break;
			case 't':
				if (s.startsWith('true', index)) return [true, index + 4];
				break;
			case 'f':
				if (s.startsWith('false', index)) return [false, index + 5];
				break;
			case 'N':
				if (s.startsWith('NaN', index)) {
					return [Number.NaN, index + 3];
				}
				break;
			case 'I':
				if (s.startsWith('Infinity', index)) {
					return [Infinity, index + 8];
				}
				break;
			case '-':
				if (s.startsWith('-Infinity', index)) {
					return [-Infinity, index + 9];
				}
				break;
		}
		return this.number(index);
	}

	/** _match_number_unicode. */
	private number(start: number): [PyValue, number] {
		const s = this.s;
		const code = (i: number) => s.charCodeAt(i);
		const endIndex = s.length - 1;
		let index = start;
		if (s[index] === '-') {
			index++;
			if (index > endIndex) throw new StopIteration(start);
		}
		if (code(index) >= 0x31 && code(index) <= 0x39) {
			index++;
			while (index <= endIndex && isDigit(code(index))) index++;
		} else if (s[index] === '0') {
			index++;
		} else {
			throw new StopIteration(start);
		}
		let isFloat = false;
		if (index < endIndex && s[index] === '.' && isDigit(code(index + 1))) {
			isFloat = true;
			index += 2;
			while (index <= endIndex && isDigit(code(index))) index++;
		}
		if (index < endIndex && (s[index] === 'e' || s[index] === 'E')) {
			const exponentStart = index;
			index++;
			if (index < endIndex && (s[index] === '-' || s[index] === '+')) index++;
			while (index <= endIndex && isDigit(code(index))) index++;
			if (isDigit(code(index - 1))) isFloat = true;
			else index = exponentStart;
		}
		const token = s.slice(start, index);
		if (isFloat) {
			const value = Number(token);
			return [value, index];
		}
		const digits = token.startsWith('-') ? token.length - 1 : token.length;
		if (digits > MAX_INT_DIGITS) {
			this.defer(`Integer with more than ${MAX_INT_DIGITS} digits (Python refuses to convert it)`, start);
			return [0n, index];
		}
		return [BigInt(token), index];
	}

	/** scanstring_unicode with strict=True; `end` is just after the opening quote. */
	private string(end: number): [string, number] {
		const s = this.s;
		const length = s.length;
		const begin = end - 1;
		let out = '';
		for (;;) {
			let next = end;
			let c = 0;
			for (; next < length; next++) {
				c = s.charCodeAt(next);
				if (c === 0x22 || c === 0x5c) break;
				if (c <= 0x1f) throw new DecodeError('Invalid control character at', next);
			}
			if (next >= length) throw new DecodeError('Unterminated string starting at', begin);
			out += s.slice(end, next);
			next++;
			if (c === 0x22) {
				end = next;
				break;
			}
			if (next === length) throw new DecodeError('Unterminated string starting at', begin);
			const escape = s[next]!;
			if (escape !== 'u') {
				end = next + 1;
				const mapped = ESCAPES[escape];
				if (mapped === undefined) throw new DecodeError('Invalid \\escape', end - 2);
				out += mapped;
				continue;
			}
			next++;
			end = next + 4;
			if (end >= length) throw new DecodeError('Invalid \\uXXXX escape', next - 1);
			let unit = 0;
			for (; next < end; next++) {
				const digit = hexValue(s.charCodeAt(next));
				if (digit < 0) throw new DecodeError('Invalid \\uXXXX escape', end - 5);
				unit = (unit << 4) | digit;
			}
			let text = String.fromCharCode(unit);
			if (unit >= 0xd800 && unit <= 0xdbff && end + 6 < length && s[next] === '\\' && s[next + 1] === 'u') {
				next += 2;
				end += 6;
				let low = 0;
				for (; next < end; next++) {
					const digit = hexValue(s.charCodeAt(next));
					if (digit < 0) throw new DecodeError('Invalid \\uXXXX escape', end - 5);
					low = (low << 4) | digit;
				}
				if (low >= 0xdc00 && low <= 0xdfff) text += String.fromCharCode(low);
				else end -= 6;
			}
			out += text;
		}
		return [out, end];
	}

	/** Python gives up (RecursionError) around here; so do we, with a message instead of a crash. */
	private checkDepth(index: number, depth: number): void {
		if (depth > MAX_DEPTH) throw new DecodeError(`Nesting deeper than ${MAX_DEPTH} levels`, index - 1);
	}

	/** _parse_object_unicode; `index` is just after `{`. */
	private object(index: number, depth: number): [PyValue, number] {
		const s = this.s;
		const dict = new PyDict();
		this.checkDepth(index, depth);
		index = this.skip(index);
		if (index >= s.length || s[index] !== '}') {
			for (;;) {
				if (index >= s.length || s[index] !== '"') throw new DecodeError('Expecting property name enclosed in double quotes', index);
				const [key, afterKey] = this.string(index + 1);
				index = this.skip(afterKey);
				if (index >= s.length || s[index] !== ':') throw new DecodeError("Expecting ':' delimiter", index);
				index = this.skip(index + 1);
				const [value, afterValue] = this.scan(index, depth);
				dict.map.set(key, value);
				index = this.skip(afterValue);
				if (index < s.length && s[index] === '}') break;
				if (index >= s.length || s[index] !== ',') throw new DecodeError("Expecting ',' delimiter", index);
				index = this.skip(index + 1);
			}
		}
		return [dict, index + 1];
	}

	/** _parse_array_unicode; `index` is just after `[`. */
	private array(index: number, depth: number): [PyValue, number] {
		const s = this.s;
		const list: PyValue[] = [];
		this.checkDepth(index, depth);
		index = this.skip(index);
		if (index >= s.length || s[index] !== ']') {
			for (;;) {
				const [value, afterValue] = this.scan(index, depth);
				list.push(value);
				index = this.skip(afterValue);
				if (index < s.length && s[index] === ']') break;
				if (index >= s.length || s[index] !== ',') throw new DecodeError("Expecting ',' delimiter", index);
				index = this.skip(index + 1);
			}
		}
		return [list, index + 1];
	}
}
