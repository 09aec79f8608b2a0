import type {Node} from 'jsonc-parser';

/**
 * How a JSON file is laid out, read from the file itself, so that a value we add looks like the
 * values already there: line ending, indent unit, the text around a colon and between compact
 * items, and whether the file keeps to ASCII (`\u00e9`, as Python's json.dumps writes by default).
 * Pure; works on a jsonc-parser tree with offsets (core/json/document.ts).
 */

export interface JsonStyle {
	eol: '\n' | '\r\n';
	/** One level of indentation ('  ', '    ', '\t'); '' for a one-line file. */
	indent: string;
	/** The text between a key and its value, as the file writes it (': ', ':'). */
	colon: string;
	/** Between items of a one-line object or list (', ' or ','). */
	comma: string;
	/** True when the file holds no raw non-ASCII character: then we add none either. */
	ascii: boolean;
}

export function detectJsonStyle(text: string, root: Node): JsonStyle {
	const eol = /\r\n/.test(text) ? '\r\n' : '\n';
	const properties = root.children ?? [];
	const first = properties[0];
	const inside = text.slice(root.offset, root.offset + root.length);
	let indent = '';
	if (/\n/.test(inside)) {
		const lead = first ? text.slice(root.offset + 1, first.offset) : '';
		const afterNewline = lead.includes('\n') ? lead.slice(lead.lastIndexOf('\n') + 1) : '';
		indent = /^[ \t]+$/.test(afterNewline) ? afterNewline : '  ';
	}
	const [key, value] = first?.children ?? [];
	const colon = key && value ? text.slice(key.offset + key.length, value.offset) : ': ';
	const second = properties[1];
	const between = first && second ? text.slice(first.offset + first.length, second.offset).replace(',', '') : ' ';
	return {
		eol,
		indent,
		colon: /^\s*:\s*$/.test(colon) && !/[\r\n]/.test(colon) ? colon : ': ',
		comma: indent === '' && /^[ \t]*$/.test(between) ? `,${between}` : ', ',
		ascii: !/[^\x00-\x7f]/.test(text),
	};
}

/** The JSON text of a string, with non-ASCII escaped when the file keeps to ASCII. */
export function stringLiteral(value: string, style: Pick<JsonStyle, 'ascii'>): string {
	const literal = JSON.stringify(value);
	return style.ascii ? literal.replace(/[\u0080-\uffff]/g, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : literal;
}

/** A plain JSON value (objects, lists, strings, finite numbers, booleans, null) written in the file's style at `depth`. */
export function serializeWithStyle(value: unknown, style: JsonStyle, depth: number): string {
	if (value === null || typeof value === 'boolean') return String(value);
	if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
	if (typeof value === 'string') return stringLiteral(value, style);
	const entries: string[] = Array.isArray(value)
		? value.map(item => serializeWithStyle(item, style, depth + 1))
		: Object.entries(value as Record<string, unknown>).map(([key, item]) => `${stringLiteral(key, style)}${style.colon}${serializeWithStyle(item, style, depth + 1)}`);
	const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
	if (entries.length === 0) return `${open}${close}`;
	if (style.indent === '') return `${open}${entries.join(style.comma)}${close}`;
	const inner = style.eol + style.indent.repeat(depth + 1);
	return `${open}${inner}${entries.join(`,${inner}`)}${style.eol}${style.indent.repeat(depth)}${close}`;
}

/** A text edit on the original text; applied right to left so offsets stay valid. */
export interface TextEdit {
	offset: number;
	length: number;
	text: string;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
	let out = text;
	for (const edit of [...edits].sort((a, b) => b.offset - a.offset || b.length - a.length)) {
		out = out.slice(0, edit.offset) + edit.text + out.slice(edit.offset + edit.length);
	}
	return out;
}
