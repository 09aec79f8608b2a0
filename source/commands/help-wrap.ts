/**
 * `--help` text fitted to the terminal. Commander wraps its option table to the width it is given,
 * but the text we add after it (examples, notes) it prints as written. main.ts loads the word
 * wrapper only when a help is about to be printed to something with a width, and sets it here;
 * every command's output then passes through it (lint's --json runs never load it).
 */
let wrap: ((text: string) => string) | undefined;

export function setHelpWrap(fit: ((text: string) => string) | undefined): void {
	wrap = fit;
}

export function fitHelp(text: string): string {
	return wrap ? wrap(text) : text;
}

/** True when these arguments ask a command for its help. */
export function asksForHelp(args: readonly string[]): boolean {
	return args.includes('--help') || args.includes('-h');
}
