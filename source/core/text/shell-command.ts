/**
 * Commands we print for an operator to copy (the `--resume` hint, the author's next step) must
 * work when pasted verbatim into a POSIX shell: every argument that is not plainly safe is
 * single-quoted, so a path with spaces, `$`, backticks or `;` is one argument and nothing in it
 * runs. Outside text with control, bidi or zero-width characters is shown escaped by `visible`
 * (the hint then names what is there instead of hiding it). Pure.
 */
import {visible} from './sanitize.js';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument for a POSIX shell: as is when plainly safe, else in single quotes (`'` as `'\''`). */
export function shellQuote(argument: string): string {
	if (argument !== '' && PLAIN.test(argument)) return argument;
	return `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** A whole command line to print: each argument quoted, the result safe for a terminal. */
export function shellCommand(argv: readonly string[]): string {
	return visible(argv.map(shellQuote).join(' '));
}
