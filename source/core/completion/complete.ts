/**
 * What Tab offers after the words typed so far. Pure: the command table, each command's options
 * (read from its commander definition by the caller) and the dynamic lists (template names, run
 * ids) come in through `CompletionSources`.
 */

export interface CommandSpec {
	/** Every visible option: its names (`-o`, `--out`) and whether it takes a value. */
	options: ReadonlyArray<{names: readonly string[]; takesValue: boolean}>;
	subcommands: readonly string[];
	/** Positional argument names, in order (`name`, `path`, `file`). */
	arguments: readonly string[];
}

export interface CompletionSources {
	commands: readonly string[];
	/** The spec of `command` (after walking `subcommands`); undefined when it cannot be read. */
	spec(command: string, path: readonly string[]): Promise<CommandSpec | undefined>;
	templates(): Promise<string[]>;
	/** Run ids under the evidence folder of the config named by `configPath` (or found by search). */
	runIds(configPath: string | undefined): Promise<string[]>;
}

/** Global options (main.ts parseGlobals): the ones before a command, and those allowed after it. */
const GLOBAL_OPTIONS = [{names: ['--config'], takesValue: true}, {names: ['--no-color'], takesValue: false}, {names: ['-h', '--help'], takesValue: false}, {names: ['-V', '--version'], takesValue: false}];
const GLOBAL_AFTER_COMMAND = GLOBAL_OPTIONS.slice(0, 3);

/** Options whose value is a template name or a run id; any other value completes as a file name. */
const TEMPLATE_OPTIONS = new Set(['--template', '-t']);
const RUN_ID_OPTIONS = new Set(['--resume', '--run']);
/** Positional arguments by name: `templates [name]`, `evidence verify [path]`. */
const TEMPLATE_ARGUMENTS = new Set(['name', 'template']);
const RUN_ID_ARGUMENTS = new Set(['path', 'run', 'run-id']);

/** `words`: what follows the program name; the last is the word being completed ('' after a space). */
export async function completeWords(words: readonly string[], sources: CompletionSources): Promise<string[]> {
	if (words.length === 0) return [];
	const current = words.at(-1)!;
	const before = words.slice(0, -1);
	let configPath: string | undefined;
	let index = 0;
	// Global options before the command.
	for (; index < before.length && before[index]!.startsWith('-'); index++) {
		if (before[index] === '--config') configPath = before[++index];
		else if (before[index]!.startsWith('--config=')) configPath = before[index]!.slice('--config='.length);
	}
	if (index >= before.length) {
		if (before.at(-1) === '--config') return [];
		return filter(current.startsWith('-') ? optionNames(GLOBAL_OPTIONS) : [...sources.commands, 'help'], current);
	}
	const command = before[index]!;
	const rest = before.slice(index + 1);
	if (command === 'help') return rest.length === 0 ? filter(sources.commands, current) : [];
	if (!sources.commands.includes(command)) return [];

	// Walk the words after the command: subcommands, options (and their values), positionals.
	let spec = await sources.spec(command, []);
	if (!spec) return [];
	const path: string[] = [];
	const positionals: string[] = [];
	let expectsValueOf: string | undefined;
	for (const word of rest) {
		if (expectsValueOf !== undefined) {
			if (expectsValueOf === '--config') configPath = word;
			expectsValueOf = undefined;
			continue;
		}
		if (word === '--') break;
		if (word.startsWith('-')) {
			const option = [...spec.options, ...GLOBAL_AFTER_COMMAND].find(candidate => candidate.names.includes(word));
			if (option?.takesValue && !word.includes('=')) expectsValueOf = word;
			if (word.startsWith('--config=')) configPath = word.slice('--config='.length);
			continue;
		}
		if (positionals.length === 0 && spec.subcommands.includes(word)) {
			path.push(word);
			spec = (await sources.spec(command, path)) ?? spec;
			continue;
		}
		positionals.push(word);
	}
	if (expectsValueOf !== undefined) {
		if (TEMPLATE_OPTIONS.has(expectsValueOf)) return filter(await sources.templates(), current);
		if (RUN_ID_OPTIONS.has(expectsValueOf)) return filter(await sources.runIds(configPath), current);
		return [];
	}
	if (current.startsWith('-')) return filter(optionNames([...spec.options, ...GLOBAL_AFTER_COMMAND]), current);
	if (positionals.length === 0 && spec.subcommands.length > 0 && path.length === 0) return filter(spec.subcommands, current);
	const argument = spec.arguments[positionals.length];
	if (argument !== undefined && TEMPLATE_ARGUMENTS.has(argument)) return filter(await sources.templates(), current);
	if (argument !== undefined && RUN_ID_ARGUMENTS.has(argument)) return filter(await sources.runIds(configPath), current);
	return [];
}

function optionNames(options: CommandSpec['options']): string[] {
	// The long name is what a reader recognises; the short one is for those who know it.
	return options.flatMap(option => option.names.filter(name => name.startsWith('--')));
}

function filter(candidates: readonly string[], prefix: string): string[] {
	return [...new Set(candidates.filter(candidate => candidate.startsWith(prefix)))];
}
