/**
 * Setting one key in an env file with the smallest possible edit: only the written values of
 * that key's assignments change; every other byte (comments, order, other keys, blank lines,
 * CRLF, a missing final newline) stays as it was. Pure.
 */
import {InputError, UsageError} from '../errors.js';
import {detectLineEnding, parseEnv, type EnvAssignment, type QuoteStyle} from './parse.js';

export {unifiedDiff} from './diff.js';

export type SetAction = 'replaced' | 'added' | 'unchanged';

export interface SetEnvResult {
	text: string;
	changed: boolean;
	/** `replaced`: at least one assignment was rewritten; `added`: the key was missing and a line was appended. */
	action: SetAction;
	/** 1-based lines of the assignments that were rewritten (in the original text). */
	replacedLines: number[];
	/** 1-based line of the appended assignment (in the new text). */
	addedLine?: number;
	/** How many assignments of the key the original text had. */
	assignmentsBefore: number;
	/** The key's value in the original text as a consumer reads it (the last assignment), if any. */
	valueBefore?: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Bare words every consumer reads the same way; anything else is quoted. */
const BARE = /^[A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Set `key` to `value`: rewrite every assignment of the key whose value differs (so the result
 * is the same whichever assignment a consumer honours), keeping its `export`, quote style and
 * comment; or append `KEY=value` when the key is missing.
 */
export function setEnvValue(text: string, key: string, value: string): SetEnvResult {
	if (!KEY.test(key)) throw new UsageError(`"${key}" is not an environment variable name`, 'use letters, digits and underscores, not starting with a digit');
	if (/[\r\n\0]/.test(value)) throw new UsageError(`the value for ${key} must be one line without NUL characters`);
	const parsed = parseEnv(text);
	const assignments = parsed.filter(assignment => assignment.key === key);
	if (assignments.length === 0) return append(text, key, value, parsed);
	let out = '';
	let last = 0;
	const replacedLines: number[] = [];
	for (const assignment of assignments) {
		if (assignment.value === value) continue;
		out += text.slice(last, assignment.valueStart) + formatValue(value, assignment.quote);
		last = assignment.valueEnd;
		replacedLines.push(assignment.line);
	}
	out += text.slice(last);
	const changed = replacedLines.length > 0;
	const valueBefore = assignments.at(-1)!.value;
	return checked({text: out, changed, action: changed ? 'replaced' : 'unchanged', replacedLines, assignmentsBefore: assignments.length, valueBefore}, key, value, text, parsed);
}

function append(text: string, key: string, value: string, parsed: readonly EnvAssignment[]): SetEnvResult {
	const eol = detectLineEnding(text);
	const separator = text === '' || text.endsWith('\n') ? '' : eol;
	const prefix = text + separator;
	const addedLine = prefix === '' ? 1 : prefix.split('\n').length;
	return checked({text: `${prefix}${key}=${formatValue(value, 'none')}${eol}`, changed: true, action: 'added', replacedLines: [], addedLine, assignmentsBefore: 0}, key, value, text, parsed);
}

/**
 * Read the result back as a consumer would: the key has the value, and every other assignment
 * has the value it had. That only fails when the file was already broken in a way that our edit
 * would change the meaning of: an unclosed quote that our own quote closes, or a trailing
 * backslash that swallows our line. Refuse then, naming the line, rather than write a file that
 * does not say what we meant.
 */
function checked(result: SetEnvResult, key: string, value: string, original: string, parsedOriginal: readonly EnvAssignment[]): SetEnvResult {
	// Two parses in all (the original's is the caller's): a 1 MB file stays well under 100 ms.
	const after = parseEnv(result.text);
	const others = (assignments: readonly EnvAssignment[]) => assignments.filter(assignment => assignment.key !== key).map(assignment => `${assignment.key}=${assignment.value}`);
	const ours = after.filter(assignment => assignment.key === key);
	const sameOthers = others(after).join('\0') === others(parsedOriginal).join('\0');
	if (ours.at(-1)?.value === value && sameOthers && ours.length === Math.max(1, result.assignmentsBefore)) return result;
	const suspect = parsedOriginal.find(assignment => assignment.endLine > assignment.line || /^["']/.test(original.slice(assignment.valueStart, assignment.valueEnd)) && assignment.quote === 'none');
	const where = suspect ? ` (check the quotes of ${suspect.key} on line ${suspect.line})` : '';
	throw new InputError(`cannot set ${key} safely: the file has an unclosed quote or a line continuation that would swallow the change${where}`, {
		hint: 'close the quote or remove the trailing backslash, then run the rollback again',
	});
}

/** The value written in the style it replaces; bare only when every consumer reads it back unchanged. */
export function formatValue(value: string, quote: QuoteStyle): string {
	if (quote === 'single' && !value.includes("'")) return `'${value}'`;
	if (quote === 'none' && BARE.test(value)) return value;
	return `"${value.replace(/["\\$`]/g, match => `\\${match}`)}"`;
}

/** The lines of `text` that hold an assignment of `key` (1-based, a multi-line value counts all its lines). */
export function assignmentLines(assignments: readonly EnvAssignment[]): Set<number> {
	const lines = new Set<number>();
	for (const assignment of assignments) for (let line = assignment.line; line <= assignment.endLine; line++) lines.add(line);
	return lines;
}
