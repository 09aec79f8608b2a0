/**
 * The one line wrapper for everything the tool prints as text (plain output and Ink screens).
 * Pure. Lines are broken at spaces only, never inside a word: a path, a URL, a run id or a number
 * ("2000 ms") is never split or cut. Widths are display columns (string-width: a CJK character
 * is two, an SGR colour code none), measured on text that has already been through the sanitizer.
 *
 * Two kinds of text a user copies are kept whole:
 * - a word longer than the room left goes alone on its own line (past the edge if it must: the
 *   terminal soft-wraps it, and a soft wrap copies back as one line, a hard break would not);
 * - a command line (content starting with `$ ` or `cavra-rollback `) is never broken; a
 *   `label: cavra-rollback …` line that does not fit is split after the label, so the command
 *   gets a line of its own.
 */
import stringWidth from 'string-width';
import {GLYPHS} from './glyphs.js';

/** Display columns of one line (escape codes take none, wide characters two). */
export function displayWidth(text: string): number {
	// Plain ASCII (the common case) is one column per character; skip the full measure.
	return /^[\u0020-\u007e]*$/.test(text) ? text.length : stringWidth(text);
}

const COMMAND = /^(?:\$ |cavra-rollback )/;
const LABELLED_COMMAND = /^(.*?:) +(cavra-rollback .*)$/;
// A list marker the continuation lines align under: "1. ", "- ", "✔ ", "!! ", "│ ", and every status glyph.
const STATUS_GLYPHS = [GLYPHS.ok, GLYPHS.bad, GLYPHS.warn, GLYPHS.neutral, GLYPHS.waiting, GLYPHS.pending, GLYPHS.running, GLYPHS.skipped, GLYPHS.notRun, GLYPHS.interrupted].join('');
const MARKER = new RegExp(String.raw`^(?:\d+\.|[\-*•⊘!│${STATUS_GLYPHS}]+) `, 'u');

export interface WrapOptions {
	/** Columns continuation lines are indented by (default: under the text after a list marker, else the line's indent + 2). */
	hanging?: number;
	/**
	 * Inside a fixed frame (the dashboard's details, the rollback preview pane) a word longer than a
	 * whole line is split into line-long pieces instead of running past the edge: nothing is cut
	 * off, the frame holds. A command line is folded at the edge too, exactly where the terminal
	 * would fold it (a frame cannot leave the folding to the terminal: it must count its rows).
	 */
	breakLongWords?: boolean;
}

/** One line → one or more lines no wider than `width` (bar the copyable exceptions above). */
export function wrapLine(line: string, width: number, options: WrapOptions = {}): string[] {
	const limit = Math.max(1, Math.floor(width));
	if (displayWidth(line) <= limit) return [line];
	const indent = /^ */.exec(line)![0];
	const content = line.slice(indent.length);
	if (COMMAND.test(content)) return options.breakLongWords ? splitLongLine(line, limit) : [line];
	const labelled = LABELLED_COMMAND.exec(content);
	if (labelled) return [...wrapLine(`${indent}${labelled[1]}`, limit), ...wrapLine(`${indent}  ${labelled[2]}`, limit, {breakLongWords: options.breakLongWords})];
	const marker = MARKER.exec(content)?.[0] ?? '';
	const hanging = options.hanging !== undefined ? ' '.repeat(options.hanging) : indent + ' '.repeat(marker ? displayWidth(marker) : 2);
	const lines = fill(indent, content, hanging.length < limit / 2 ? hanging : indent, limit);
	return options.breakLongWords ? lines.flatMap(part => splitLongLine(part, limit)) : lines;
}

/** A line still wider than `limit` (one long word) in pieces of `limit` columns. */
function splitLongLine(line: string, limit: number): string[] {
	if (displayWidth(line) <= limit) return [line];
	const pieces: string[] = [];
	let piece = '';
	for (const char of line) {
		if (displayWidth(piece + char) > limit) {
			pieces.push(piece);
			piece = '';
		}
		piece += char;
	}
	pieces.push(piece);
	return pieces;
}

/** Words laid out greedily; runs of spaces between words on one line are kept as written. */
function fill(indent: string, content: string, hanging: string, limit: number): string[] {
	const lines: string[] = [];
	let current = indent;
	let currentWidth = displayWidth(indent);
	let empty = true;
	for (const [, gap, word] of content.matchAll(/( *)([^ ]+)/g) as Iterable<[string, string, string]>) {
		const wordWidth = displayWidth(word);
		if (empty) {
			current += word;
			currentWidth += wordWidth;
			empty = false;
		} else if (currentWidth + gap.length + wordWidth <= limit) {
			current += gap + word;
			currentWidth += gap.length + wordWidth;
		} else {
			lines.push(current);
			current = hanging + word;
			currentWidth = hanging.length + wordWidth;
		}
	}
	lines.push(current);
	return lines;
}

/** Every line of a block wrapped; newlines inside the block are kept, a trailing one too. */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string {
	const trailing = text.endsWith('\n');
	const body = trailing ? text.slice(0, -1) : text;
	const wrapped = body.split('\n').flatMap(line => wrapLine(line, width, options)).join('\n');
	return trailing ? `${wrapped}\n` : wrapped;
}

/** A list of lines wrapped into a longer list. */
export function wrapLines(lines: readonly string[], width: number, options: WrapOptions = {}): string[] {
	return lines.flatMap(line => wrapLine(line, width, options));
}

/** A two-column help item: "  term  description" (the columns split by two or more spaces). */
const HELP_ITEM = /^( {2,})(\S(?:.*?\S)?)( {2,})(\S.*)$/;
/** Fewer columns than this left for a description: it goes under its term instead of beside it. */
const MIN_DESCRIPTION_COLUMNS = 24;

/**
 * `--help` text (commander's tables and the notes we add after them) fitted to `width`, as gh and
 * git lay it out: an item's description wraps at words and its continuation lines hang under the
 * description column, never under the term. Lines already hanging at that column are the same
 * description, so they are joined and filled again. When the description column leaves too little
 * room, the description goes on the lines under its term, indented four columns. Other lines
 * wrap as wrapLine does.
 */
export function wrapHelp(text: string, width: number): string {
	const lines = text.split('\n');
	const out: string[] = [];
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index]!;
		// The rest of a command continued with a backslash is copied whole.
		if (lines[index - 1]?.endsWith('\\')) {
			out.push(line);
			continue;
		}
		const paragraph = paragraphAt(index);
		if (paragraph) {
			const hanging = paragraph.hanging.length < width / 2 ? paragraph.hanging : '';
			out.push(...fill('', paragraph.lines.map(part => part.trim()).join(' '), hanging, width));
			index += paragraph.lines.length - 1;
			continue;
		}
		const item = HELP_ITEM.exec(line);
		const column = item ? item[1]!.length + displayWidth(item[2]!) + item[3]!.length : 0;
		// An item that fits, with nothing hanging under it and room beside it, is left as written.
		if (item && displayWidth(line) <= width && !isHangingAt(lines[index + 1], column) && width - column >= MIN_DESCRIPTION_COLUMNS) {
			out.push(line);
			continue;
		}
		if (!item) {
			out.push(...wrapLine(line, width));
			continue;
		}
		const [, indent, term, gap, first] = item as unknown as [string, string, string, string, string];
		const parts = [first];
		while (isHangingAt(lines[index + 1], column)) parts.push(lines[++index]!.trim());
		const description = parts.join(' ');
		if (width - column >= MIN_DESCRIPTION_COLUMNS) {
			const [head = '', ...rest] = fill('', description, '', width - column);
			out.push(`${indent}${term}${gap}${head}`, ...rest.map(part => `${' '.repeat(column)}${part}`));
		} else {
			const under = `${indent}    `;
			out.push(`${indent}${term}`, ...fill(under, description, under, width));
		}
	}
	return out.join('\n');

	/**
	 * Prose starting at the left edge, filled again as one paragraph when a line of it is too wide
	 * (gh-style: no hanging indent, or the indent the author gave every line after the first, e.g.
	 * under "Exit codes: "). It ends after a line ending in ':' (a list or a command follows), and
	 * at a blank line, a command or a help item.
	 */
	function paragraphAt(start: number): {lines: string[]; hanging: string} | undefined {
		const first = lines[start]!;
		const isProse = (candidate: string | undefined) => candidate !== undefined && candidate.trim() !== '' && !COMMAND.test(candidate.trim()) && !LABELLED_COMMAND.test(candidate.trim()) && !HELP_ITEM.test(candidate);
		if (!/^\S/.test(first) || !isProse(first) || (first.endsWith(':') && displayWidth(first) <= width)) return undefined;
		const group = [first];
		while (!/[:\\]$/.test(group.at(-1)!) && isProse(lines[start + group.length])) group.push(lines[start + group.length]!);
		if (!group.some(part => displayWidth(part) > width)) return undefined;
		const indents = new Set(group.slice(1).map(part => /^ */.exec(part)![0]));
		return {lines: group, hanging: indents.size === 1 ? [...indents][0]! : ''};
	}

	/** A line that continues the description starting at `column`. */
	function isHangingAt(next: string | undefined, column: number): boolean {
		return next !== undefined && /^ +\S/.test(next) && next.length - next.trimStart().length === column;
	}
}
