import {Command, CommanderError, InvalidArgumentError} from 'commander';
import {UsageError, SilentExit} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {outputWidth} from '../io/terminal.js';
import type {CommandContext} from './context.js';
import {fitHelp} from './help-wrap.js';

/**
 * A commander Command wired to the context's streams, that throws instead of exiting, so cli.ts
 * owns the one mapping from failures to exit codes.
 */
export function createCommand(name: string, context: CommandContext): Command {
	const command = new Command(`cavra-rollback ${name}`);
	createdCommandObserver?.(command);
	command
		.exitOverride()
		.helpOption('-h, --help', 'show this help')
		.configureOutput({
			writeOut: text => void context.stdout.write(fitHelp(text)),
			// The option table fits the terminal (or an exported COLUMNS); a pipe gets commander's 80.
			getOutHelpWidth: () => {
				const width = outputWidth(context.stdout, context.env);
				return Number.isFinite(width) ? width : 80;
			},
			writeErr: text => void context.stderr.write(text),
			// Commander prints "error: ..." itself; we print our own line with a hint instead.
			outputError: () => undefined,
		})
		.allowExcessArguments(false);
	return command;
}

let createdCommandObserver: ((command: Command) => void) | undefined;

/**
 * Shell completion reads each command's flags from its own commander definition: it runs the
 * command with `--help` into a sink and looks at the Command it built (commands/completion.ts).
 */
export function observeCreatedCommands(observer: ((command: Command) => void) | undefined): void {
	createdCommandObserver = observer;
}

/** Parse `context.argv`; help/version exit 0, anything else commander rejects is a UsageError. */
export function parseCommand(command: Command, context: CommandContext): void {
	try {
		command.parse(context.argv, {from: 'user'});
	} catch (error) {
		if (error instanceof CommanderError) {
			if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
				throw new SilentExit(ExitCode.ok);
			}
			// Commander puts its "(Did you mean --json?)" on a second line; ours are one line each.
			const message = error.message.replace(/^error: /, '').replace(/\s*\n\(Did you mean (.+)\?\)\s*$/, '; did you mean $1?');
			throw new UsageError(message, `see: ${command.name()} --help`);
		}
		throw error;
	}
}

/** Option parser for a finite number, with an error naming the flag. */
export function parseNumberOption(flag: string): (value: string) => number {
	return value => {
		const number = Number(value.trim());
		if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`${flag} takes a number, got "${value}"`);
		return number;
	};
}

/** Option parser for one of a fixed set of words. */
export function parseChoiceOption<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
	return value => {
		if (!(choices as readonly string[]).includes(value)) {
			throw new InvalidArgumentError(`${flag} takes one of ${choices.join(', ')}; got "${value}"`);
		}
		return value as T;
	};
}
