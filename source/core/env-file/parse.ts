/**
 * Reading KEY=VALUE env files the way their consumers read them: systemd `EnvironmentFile=`,
 * shell-sourced files (`. /etc/cavra/cavra.env`) and dotenv. Pure: text in, facts out.
 *
 * The parser keeps byte offsets of every assignment so `patch.ts` can change one value and leave
 * every other byte of the file as it was (comments, order, quoting, CRLF).
 *
 * Accepted, as those consumers accept it:
 * - `#` comment lines (and systemd's `;` lines), blank lines, lines that are not assignments;
 * - `export KEY=...` (shell), whitespace around `=` (systemd and dotenv tolerate it);
 * - single quotes (literal), double quotes (`\"`, `\\`, `\$`, `` \` `` and backslash-newline,
 *   as in sh and systemd), a quoted value may span lines; as in systemd and dotenv, a quote opens
 *   only at the start of a value (`it's` is a bare word);
 * - unquoted values: backslash escapes the next character, backslash-newline continues the line,
 *   ` # comment` (a `#` after whitespace) ends the value, surrounding whitespace is dropped;
 * - CRLF or LF line endings, a missing final newline, a UTF-8 byte-order mark.
 * The last assignment of a key wins, as when a shell sources the file.
 */

export type QuoteStyle = 'none' | 'single' | 'double';

export interface EnvAssignment {
	key: string;
	/** The value as the consumer sees it: quotes removed, escapes applied. */
	value: string;
	/** 1-based line of the assignment, and of its last line (a quoted value may span lines). */
	line: number;
	endLine: number;
	/** Offset of the start of the line, and of the end of the assignment's last line (before its line break). */
	start: number;
	end: number;
	/** `[valueStart, valueEnd)` is the value as written (quotes included); patching replaces exactly this. */
	valueStart: number;
	valueEnd: number;
	exported: boolean;
	/** How the written value opens: `"..."`, `'...'` or bare. */
	quote: QuoteStyle;
	/** The ` # comment` after the value, when there is one (as written, without the line break). */
	comment?: string;
}

/** `export`? KEY, `=`: the head of an assignment line. Keys as dotenv accepts them (a superset of sh). */
const HEAD = /^[ \t]*(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;
/** HEAD matched in place at a line start (no class of it crosses a line break), without slicing the line out. */
const HEAD_AT = new RegExp(HEAD.source.slice(1), 'y');
const BOM = '\uFEFF';
/** What makes a value more than its text: quotes, escapes, blanks (trimming, comments), `#`. */
const PLAIN_BREAKERS = /[\\'" \t#]/;

/** Every assignment in the file, in order. Lines that are not assignments are skipped, as consumers skip them. */
export function parseEnv(text: string): EnvAssignment[] {
	const assignments: EnvAssignment[] = [];
	let pos = text.startsWith(BOM) ? BOM.length : 0;
	let lineNumber = 1;
	while (pos < text.length) {
		const physicalEnd = lineEndAt(text, pos);
		HEAD_AT.lastIndex = pos;
		const head = HEAD_AT.exec(text);
		if (!head) {
			pos = skipBreak(text, physicalEnd);
			lineNumber += 1;
			continue;
		}
		const afterEquals = pos + head[0].length;
		const scanned = scanValue(text, afterEquals);
		const end = lineEndAt(text, scanned.stop);
		const endLine = lineNumber + countBreaks(text, pos, end);
		// An empty value is patched in right after `=`, so `KEY= # note` becomes `KEY=x # note`.
		const empty = scanned.valueEnd === afterEquals;
		const equals = pos + head[0].lastIndexOf('=');
		const assignment: EnvAssignment = {
			key: head[2]!,
			value: scanned.value,
			line: lineNumber,
			endLine,
			start: pos,
			end,
			valueStart: empty ? equals + 1 : afterEquals,
			valueEnd: empty ? equals + 1 : scanned.valueEnd,
			exported: head[1] !== undefined,
			quote: quoteStyle(text, afterEquals, scanned.valueEnd),
		};
		if (scanned.commentStart !== undefined) assignment.comment = text.slice(scanned.commentStart, end);
		assignments.push(assignment);
		pos = skipBreak(text, end);
		lineNumber = endLine + 1;
	}
	return assignments;
}

/** The value the key ends up with (the last assignment wins), or undefined when the file never sets it. */
export function getEnvValue(text: string, key: string): string | undefined {
	let value: string | undefined;
	for (const assignment of parseEnv(text)) if (assignment.key === key) value = assignment.value;
	return value;
}

/** Every assignment of `key`, in file order, with line numbers and offsets. */
export function listAssignments(text: string, key: string): EnvAssignment[] {
	return parseEnv(text).filter(assignment => assignment.key === key);
}

/** The line break the file mostly uses (CRLF when most of its breaks are CRLF). */
export function detectLineEnding(text: string): '\n' | '\r\n' {
	let crlf = 0;
	let lf = 0;
	for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
		if (index > 0 && text[index - 1] === '\r') crlf += 1;
		else lf += 1;
	}
	return crlf > lf ? '\r\n' : '\n';
}

interface ScannedValue {
	value: string;
	/** Where the written value ends (trailing blanks and the comment excluded). */
	valueEnd: number;
	/** Where scanning stopped: on the line that ends the assignment. */
	stop: number;
	commentStart?: number;
}

/** Scan one value starting at `start` (just after `=` and its blanks). */
function scanValue(text: string, start: number): ScannedValue {
	let value = '';
	let pos = start;
	// `#` right after the blanks following `=` starts a comment (`KEY= # note`); `KEY=#x` is the value `#x`.
	if (text[pos] === '#' && isBlank(text[pos - 1])) return {value: '', valueEnd: start, stop: pos, commentStart: pos};
	// Fast path (most lines, and what keeps a 1 MB file fast): a bare word with nothing to interpret.
	const lineEnd = lineEndAt(text, pos);
	const rest = text.slice(pos, lineEnd);
	if (!PLAIN_BREAKERS.test(rest)) return {value: rest, valueEnd: lineEnd, stop: lineEnd};
	// As systemd and dotenv read it, a quote only opens at the start of the value (or right after a
	// closing quote: `'a'"b"`); inside a bare word it is an ordinary character (`it's` is "it's").
	let quoteOpens = true;
	while (!atBreak(text, pos)) {
		const char = text[pos]!;
		if ((char === "'" || char === '"') && quoteOpens) {
			const closed = char === "'" ? scanSingle(text, pos) : scanDouble(text, pos);
			if (closed === undefined) {
				// An unclosed quote: sh fails, systemd reads on to the end of the file, dotenv keeps the text.
				// Keeping the rest of the line (as dotenv) confines the damage to this assignment.
				const lineEnd = lineEndAt(text, pos);
				value += text.slice(pos, lineEnd);
				pos = lineEnd;
				break;
			}
			value += closed.value;
			pos = closed.next;
			continue;
		}
		quoteOpens = false;
		if (char === '\\') {
			const continuation = breakLength(text, pos + 1);
			if (continuation > 0) {
				pos += 1 + continuation;
				continue;
			}
			if (pos + 1 < text.length) value += text[pos + 1];
			pos += 2;
			continue;
		}
		if (isBlank(char)) {
			let after = pos;
			while (isBlank(text[after])) after += 1;
			if (atBreak(text, after)) return {value, valueEnd: pos, stop: after};
			if (text[after] === '#') return {value, valueEnd: pos, stop: after, commentStart: after};
			// Inner blanks belong to the value (systemd and dotenv read `KEY=a b` as "a b").
			value += text.slice(pos, after);
			pos = after;
			continue;
		}
		value += char;
		pos += 1;
	}
	return {value, valueEnd: Math.min(pos, text.length), stop: Math.min(pos, text.length)};
}

/** The written value keeps its quote style on patch only when it is one quoted word: `"a"` or `'a'`, not `"a"b`. */
function quoteStyle(text: string, start: number, end: number): QuoteStyle {
	const open = text[start];
	if (open !== "'" && open !== '"') return 'none';
	const closed = open === "'" ? scanSingle(text, start) : scanDouble(text, start);
	if (closed?.next !== end) return 'none';
	return open === "'" ? 'single' : 'double';
}

/** `'...'`: literal up to the next `'` (which may be on a later line). */
function scanSingle(text: string, open: number): {value: string; next: number} | undefined {
	const close = text.indexOf("'", open + 1);
	if (close === -1) return undefined;
	return {value: normaliseBreaks(text.slice(open + 1, close)), next: close + 1};
}

/** `"..."`: backslash escapes `"`, `\`, `$`, `` ` `` and the line break (continuation), as in sh and systemd. */
function scanDouble(text: string, open: number): {value: string; next: number} | undefined {
	let value = '';
	let pos = open + 1;
	while (pos < text.length) {
		const char = text[pos]!;
		if (char === '"') return {value, next: pos + 1};
		if (char === '\\') {
			const next = text[pos + 1];
			if (next === '"' || next === '\\' || next === '$' || next === '`') {
				value += next;
				pos += 2;
				continue;
			}
			if (next === '\n') {
				pos += 2;
				continue;
			}
			if (next === '\r' && text[pos + 2] === '\n') {
				pos += 3;
				continue;
			}
			value += char;
			pos += 1;
			continue;
		}
		if (char === '\r' && text[pos + 1] === '\n') {
			value += '\n';
			pos += 2;
			continue;
		}
		value += char;
		pos += 1;
	}
	return undefined;
}

function normaliseBreaks(value: string): string {
	return value.replace(/\r\n/g, '\n');
}

function isBlank(char: string | undefined): boolean {
	return char === ' ' || char === '\t';
}

/** Length of the line break at `pos` (1 for LF, 2 for CRLF), or 0. */
function breakLength(text: string, pos: number): number {
	if (text[pos] === '\n') return 1;
	if (text[pos] === '\r' && text[pos + 1] === '\n') return 2;
	return 0;
}

function atBreak(text: string, pos: number): boolean {
	return pos >= text.length || breakLength(text, pos) > 0;
}

/** Offset of the line break (or end of text) of the physical line containing `pos`; a CRLF's `\r` is part of the break. */
function lineEndAt(text: string, pos: number): number {
	const newline = text.indexOf('\n', pos);
	if (newline === -1) return text.length;
	return newline - 1 >= pos && text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** Offset just after the line break at `pos`, or `pos` at the end of the text. */
function skipBreak(text: string, pos: number): number {
	return pos + breakLength(text, pos);
}

function countBreaks(text: string, from: number, to: number): number {
	let count = 0;
	for (let index = text.indexOf('\n', from); index !== -1 && index < to; index = text.indexOf('\n', index + 1)) count += 1;
	return count;
}
