/**
 * Lines a rollback must not edit, because the file's consumers (systemd `EnvironmentFile=`, a
 * shell that sources it, dotenv) would read the result differently, so no edit can be shown to
 * mean `disabled` to all of them:
 * - a bare carriage return (CR-only or mixed line endings): the parser, systemd and sh disagree on
 *   where lines end;
 * - an assignment of the key whose bare value ends in `\` (it continues onto the next line, which
 *   sh and systemd join and dotenv does not);
 * - an assignment of the key whose value holds shell syntax (`promoted;echo`, `$(...)`, `` `x` ``,
 *   `a|b`): sourced by sh it runs a command or reads another value than systemd does.
 * Pure and linear in the file's size.
 */
import {listAssignments} from './parse.js';

export interface EditRefusal {
	/** 1-based line. */
	line: number;
	reason: string;
}

/** Unquoted: sh reads these as syntax; systemd and dotenv keep them as text. */
const BARE_SHELL_SYNTAX = /[;&|`<>()$]/;
/** Inside double quotes sh still expands these. */
const DOUBLE_QUOTED_SHELL_SYNTAX = /[`$]/;

export function editRefusal(text: string, key: string): EditRefusal | undefined {
	const loneCr = /\r(?!\n)/.exec(text);
	if (loneCr) {
		return {line: lineOf(text, loneCr.index), reason: 'has a bare carriage return (CR-only or mixed line endings): systemd, sh and this tool would not agree where its lines end'};
	}
	for (const assignment of listAssignments(text, key)) {
		const written = text.slice(assignment.valueStart, assignment.valueEnd);
		if (assignment.quote === 'none' && /\\(?:\r?\n|$)/.test(written)) {
			return {line: assignment.line, reason: `the value of ${key} ends in "\\", so it continues onto the next line (sh and systemd join the lines, dotenv does not)`};
		}
		const syntax = assignment.quote === 'single' ? undefined : (assignment.quote === 'double' ? DOUBLE_QUOTED_SHELL_SYNTAX : BARE_SHELL_SYNTAX).exec(written);
		if (syntax) {
			return {line: assignment.line, reason: `the value of ${key} holds shell syntax ("${syntax[0]}"): a shell that sources the file runs or reads something else than systemd does`};
		}
	}
	return undefined;
}

function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
	return line;
}
