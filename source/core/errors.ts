import {ExitCode, type ExitCodeValue} from './exit-codes.js';
import {visible} from './text/sanitize.js';

/**
 * The one error taxonomy. Every expected failure is a CavraError carrying its exit code and a
 * hint that tells the user what to do; cli.ts prints `message` (+ `hint`) and never a stack.
 * Anything that is not a CavraError is a bug and is reported as such (still without a stack,
 * unless CAVRA_ROLLBACK_DEBUG is set).
 */
export class CavraError extends Error {
	readonly exitCode: ExitCodeValue;
	readonly hint: string | undefined;

	constructor(message: string, exitCode: ExitCodeValue, hint?: string) {
		super(message);
		this.name = new.target.name;
		this.exitCode = exitCode;
		this.hint = hint;
	}
}

/** Bad flags or arguments. */
export class UsageError extends CavraError {
	constructor(message: string, hint?: string) {
		super(message, ExitCode.usage, hint);
	}
}

/** A configuration file that cannot be loaded or does not validate. */
export class ConfigError extends CavraError {
	readonly file: string | undefined;
	readonly keyPath: string | undefined;

	constructor(message: string, options: {file?: string; keyPath?: string; hint?: string} = {}) {
		super(message, ExitCode.usage, options.hint);
		this.file = options.file;
		this.keyPath = options.keyPath;
	}
}

/** An input file that cannot be read (missing, a directory, permission denied). */
export class InputError extends CavraError {
	readonly file: string | undefined;

	constructor(message: string, options: {file?: string; hint?: string} = {}) {
		super(message, ExitCode.usage, options.hint);
		this.file = options.file;
	}
}

/** An external step failed: a service manager command, a required API. */
export class ExternalError extends CavraError {
	readonly command: readonly string[] | undefined;

	constructor(message: string, options: {command?: readonly string[]; hint?: string} = {}) {
		super(message, ExitCode.external, options.hint);
		this.command = options.command;
	}
}

/** The operator cancelled (Ctrl-C, or declined a confirmation). */
export class CancelledError extends CavraError {
	constructor(message = 'cancelled') {
		super(message, ExitCode.cancelled);
	}
}

/** The outcome was already reported on stdout/stderr; only the exit code remains to set. */
export class SilentExit extends CavraError {
	constructor(exitCode: ExitCodeValue) {
		super('', exitCode);
	}
}

export function isCavraError(error: unknown): error is CavraError {
	return error instanceof CavraError;
}

/**
 * How an error reads on stderr: `cavra-rollback: message`, then the hint. Messages quote file
 * names, config values and API answers, so both go through the terminal sanitizer (one line each:
 * no message of ours spans lines, so a newline in a quoted value cannot forge one).
 */
export function errorText(error: {message: string; hint?: string | undefined}): string {
	const message = error.message ? `cavra-rollback: ${visible(error.message)}\n` : '';
	return `${message}${error.hint ? `  ${visible(error.hint)}\n` : ''}`;
}

/** Node's fs error codes turned into a sentence a user can act on. */
export function describeFsError(error: unknown, file: string): InputError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'ENOENT':
			return new InputError(`${file}: no such file`, {file, hint: 'check the path, or create the file from a template: cavra-rollback templates'});
		case 'EISDIR':
			return new InputError(`${file}: is a directory, not a file`, {file, hint: 'name the JSON file inside it'});
		case 'EACCES':
		case 'EPERM':
			return new InputError(`${file}: permission denied`, {file, hint: 'run as a user who can read it'});
		default:
			return new InputError(`${file}: cannot be read (${code ?? 'unknown error'})`, {file});
	}
}
