/**
 * The command line, minus process start-up: global flags, dispatch by lazy import, and the one
 * mapping from errors to exit codes. `lint`, `readiness`, `schema`, `templates`, `--help` and
 * `--version` must never load ink or react (they cost ~0.3 s; CI pipelines call us on every push).
 */
import {errorText, isCavraError, UsageError} from './core/errors.js';
import {visible, visibleLines} from './core/text/sanitize.js';
import {ExitCode} from './core/exit-codes.js';
import type {CommandContext, GlobalOptions} from './commands/context.js';
import {canDrawScreens, colorEnabled, fitToWidth, outputWidth} from './io/terminal.js';
import {asksForHelp, fitHelp, setHelpWrap} from './commands/help-wrap.js';
import {packageVersion} from './io/package-info.js';
import {ignoreClosedPipe} from './io/closed-pipe.js';
import {commands, findCommand, loadHome} from './commands/registry.js';
import {didYouMean} from './core/text/did-you-mean.js';

function helpText(): string {
	const width = Math.max(...Object.keys(commands).map(name => name.length));
	const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
	return `Author, lint, check and execute CAVRA's rollback from the Go backend to Python-only mode (cavra-rollback ${packageVersion()}).

Usage: cavra-rollback [global options] <command> [options]
       cavra-rollback               home menu when interactive; this help otherwise

Commands:
${lines.join('\n')}

Global options:
  --config FILE   use this config file instead of searching for .cavrarc / package.json "cavra"
  --no-color      no colour (also: NO_COLOR, TERM=dumb; FORCE_COLOR forces it on)
  -h, --help      show help (cavra-rollback <command> --help for a command's options)
  -V, --version   print the version

Exit codes: 0 ok/ready, 1 findings/needs_attention/not verified, 2 usage/config/unreadable input,
            3 an external step failed, 130 cancelled.
`;
}

interface ParsedGlobals {
	globals: GlobalOptions;
	commandName: string | undefined;
	rest: string[];
	help: boolean;
	version: boolean;
}

/** Global flags may precede the command name; everything after it belongs to the command. */
export function parseGlobals(argv: string[], env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): ParsedGlobals {
	let configPath: string | undefined;
	let noColor = false;
	let help = false;
	let version = false;
	let index = 0;
	for (; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--config') {
			const value = argv[++index];
			if (value === undefined || value === '') throw new UsageError('--config needs a file path', 'e.g. --config ./.cavrarc.yaml');
			configPath = value;
		} else if (arg.startsWith('--config=')) {
			configPath = arg.slice('--config='.length);
			if (configPath === '') throw new UsageError('--config needs a file path', 'e.g. --config ./.cavrarc.yaml');
		} else if (arg === '--no-color' || arg === '--no-colour') noColor = true;
		else if (arg === '-h' || arg === '--help') help = true;
		else if (arg === '-V' || arg === '--version') version = true;
		else if (arg.startsWith('-')) throw unknownGlobalOption(arg);
		else break;
	}
	const rest = argv.slice(index + 1);
	// Global flags are also accepted after the command (`lint --no-color x.json`).
	const commandArgs: string[] = [];
	for (let i = 0; i < rest.length; i++) {
		const arg = rest[i]!;
		if (arg === '--') {
			commandArgs.push(...rest.slice(i));
			break;
		}
		if (arg === '--no-color' || arg === '--no-colour') noColor = true;
		else if (arg === '--config' && i + 1 < rest.length) configPath = rest[++i];
		else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
		else commandArgs.push(arg);
	}
	return {
		globals: {configPath, color: colorEnabled({env, isTTY: stdoutIsTTY, noColorFlag: noColor})},
		commandName: argv[index],
		rest: commandArgs,
		help,
		version,
	};
}

export async function main(argv: string[]): Promise<number> {
	const {stdout, stderr} = process;
	ignoreClosedPipe(stdout);
	ignoreClosedPipe(stderr);
	// The completion scripts' hidden helper: the words as typed, untouched by global-flag parsing.
	if (argv[0] === '__complete') return (await import('./commands/completion.js')).complete(argv.slice(1), {stdout, env: process.env, cwd: process.cwd()});
	try {
		const parsed = parseGlobals(argv, process.env, Boolean(stdout.isTTY));
		if (parsed.version) {
			stdout.write(`${packageVersion()}\n`);
			return ExitCode.ok;
		}
		let {commandName} = parsed;
		let rest = parsed.rest;
		if (parsed.help && commandName) rest = ['--help', ...rest];
		if (commandName === 'help') {
			commandName = rest.find(arg => !arg.startsWith('-'));
			rest = ['--help'];
		}
		if (commandName === undefined) {
			// The home menu is an Ink screen: TERM=dumb gets the help, like a pipe.
			const interactive = canDrawScreens({stdin: process.stdin, stdout}, process.env) && !parsed.help;
			if (interactive) {
				const {run} = await loadHome();
				return await run(context([], parsed.globals));
			}
			await loadHelpWrap(stdout);
			stdout.write(fitHelp(helpText()));
			return ExitCode.ok;
		}
		if (asksForHelp(rest)) await loadHelpWrap(stdout);
		const entry = findCommand(commandName);
		if (!entry) throw unknownCommand(commandName);
		const {run} = await entry.load();
		return await run(context(rest, parsed.globals));
	} catch (error) {
		return await reportError(error, stderr);
	}
}

/** `--confg` → did you mean --config? (A command's own options come after the command.) */
function unknownGlobalOption(arg: string): UsageError {
	const suggestion = didYouMean(arg.split('=')[0]!, ['--config', '--no-color', '--help', '--version']);
	return new UsageError(`unknown global option ${arg}${suggestion ? `; did you mean ${suggestion}?` : ''}`, "see: cavra-rollback --help (a command's own options go after its name)");
}

/** `lnt` → did you mean `lint`? The suggestion is a command of ours, never the typed text run back. */
function unknownCommand(name: string): UsageError {
	const names = Object.keys(commands);
	const suggestion = didYouMean(name, names);
	if (suggestion) return new UsageError(`unknown command "${name}"; did you mean "${suggestion}"?`, `commands: ${names.join(', ')}; its options: cavra-rollback ${suggestion} --help`);
	return new UsageError(`unknown command "${name}"`, `commands: ${names.join(', ')}; see: cavra-rollback --help`);
}

function context(argv: string[], globals: GlobalOptions): CommandContext {
	return {argv, globals, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd()};
}

/**
 * Errors are redacted like any other output (an error may quote what a server or a command
 * said). The redactor is loaded only here, on the error path, so it costs a healthy start nothing.
 */
export async function reportError(error: unknown, stderr: NodeJS.WritableStream): Promise<number> {
	const {redactText, secretValuesFrom} = await import('./core/evidence/redact.js');
	const secrets = secretValuesFrom(process.env);
	// Redacted before wrapping (a secret split over two lines would be missed), then fitted to the
	// terminal at words, so the terminal never folds a hint mid-word.
	const say = async (text: string) => void stderr.write(await fitToWidth(redactText(text, secrets), stderr as {isTTY?: boolean; columns?: number}, process.env));
	if (isCavraError(error)) {
		await say(errorText(error));
		return error.exitCode;
	}
	// A bug, not bad input: say so plainly; the stack only on request (unwrapped: it is for a bug report).
	const message = error instanceof Error ? error.message : String(error);
	await say(`cavra-rollback: internal error: ${visible(message)}\n  this is a bug; re-run with CAVRA_ROLLBACK_DEBUG=1 for details and report it\n`);
	if (process.env['CAVRA_ROLLBACK_DEBUG'] && error instanceof Error && error.stack) stderr.write(redactText(`${visibleLines(error.stack)}\n`, secrets));
	return ExitCode.usage;
}

/** Help is about to be printed: load the word wrapper when the output has a width (a pipe has none). */
async function loadHelpWrap(stdout: NodeJS.WriteStream): Promise<void> {
	const width = outputWidth(stdout, process.env);
	if (!Number.isFinite(width)) return;
	const {wrapHelp} = await import('./core/text/wrap.js');
	setHelpWrap(text => wrapHelp(text, width));
}
