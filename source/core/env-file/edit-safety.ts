/**
 * Lines a rollback must not edit, because the file's consumers (systemd `EnvironmentFile=`, a
 * shell that sources it, dotenv) would read the result differently, so no edit can be shown to
 * mean `disabled` to all of them:
 * - a bare carriage return (CR-only or mixed line endings): the parser, systemd and sh disagree on
 *   where lines end;
 * - an assignment of the key whose bare value ends in `\` (it continues onto the next line, which
 *   sh and systemd join and dotenv does not);
 * - an assignment of the key whose value holds shell syntax (`promoted;echo`, `$(...)`, `` `x` ``,
 *   `a|b`, `promoted echo`): sourced by sh it runs a command or reads another value than systemd does;
 * - a line assigning the key that the previous line swallows (its trailing `\` or open quote):
 *   dotenv reads the mode there, sh and systemd read it as part of another value.
 * Pure and linear in the file's size.
 */
import {parseEnv, type EnvAssignment} from './parse.js';

export interface EditRefusal {
	/** 1-based line. */
	line: number;
	reason: string;
}

/** Unquoted: sh reads these as syntax (a blank ends the assignment: `K=promoted echo` runs echo); systemd and dotenv keep them as text. */
const BARE_SHELL_SYNTAX = /[;&|`<>()$ \t]/;
/** Inside double quotes sh still expands these. */
const DOUBLE_QUOTED_SHELL_SYNTAX = /[`$]/;

export function editRefusal(text: string, key: string): EditRefusal | undefined {
	const loneCr = /\r(?!\n)/.exec(text);
	if (loneCr) {
		return {line: lineOf(text, loneCr.index), reason: 'has a bare carriage return (CR-only or mixed line endings): systemd, sh and this tool would not agree where its lines end'};
	}
	const parsed = parseEnv(text);
	const assignments = parsed.filter(assignment => assignment.key === key);
	for (const assignment of assignments) {
		const written = text.slice(assignment.valueStart, assignment.valueEnd);
		if (assignment.quote === 'none' && /\\(?:\r?\n|$)/.test(written)) {
			return {line: assignment.line, reason: `the value of ${key} ends in "\\", so it continues onto the next line (sh and systemd join the lines, dotenv does not)`};
		}
		const syntax = assignment.quote === 'single' ? undefined : (assignment.quote === 'double' ? DOUBLE_QUOTED_SHELL_SYNTAX : BARE_SHELL_SYNTAX).exec(written);
		if (syntax) {
			return {line: assignment.line, reason: `the value of ${key} holds shell syntax (${JSON.stringify(syntax[0])}): a shell that sources the file runs or reads something else than systemd does`};
		}
	}
	return swallowedAssignment(text, key, parsed, assignments);
}

/** A physical line that reads as `KEY=` but is not where an assignment of the key starts: the line before swallowed it. */
function swallowedAssignment(text: string, key: string, parsed: readonly EnvAssignment[], assignments: readonly EnvAssignment[]): EditRefusal | undefined {
	const starts = new Set(assignments.map(assignment => assignment.line));
	const head = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${key}[ \\t]*=`);
	let line = 1;
	for (let start = 0; ; line += 1) {
		const newline = text.indexOf('\n', start);
		const end = newline === -1 ? text.length : newline;
		if (!starts.has(line) && head.test(text.slice(start, Math.min(end, start + key.length + 64)))) {
			const holder = parsed.find(assignment => assignment.line < line && assignment.endLine >= line);
			const what = holder ? `the value of ${holder.key} on line ${holder.line}` : 'the line before it';
			return {line, reason: `this ${key} line is read as part of ${what} (a trailing "\\" or an open quote): dotenv reads the mode here, sh and systemd do not`};
		}
		if (newline === -1) return undefined;
		start = newline + 1;
	}
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
	return line;
}
