import path from 'node:path';
import {Writable} from 'node:stream';
import type {Command} from 'commander';
import {UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {completeWords, type CommandSpec, type CompletionSources} from '../core/completion/complete.js';
import {completionScript, shells, type Shell} from '../core/completion/scripts.js';
import {hasHiddenCharacters} from '../core/text/sanitize.js';
import {createCommand, observeCreatedCommands, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';
import {commands, findCommand} from './registry.js';

/**
 * `completion bash|zsh|fish` prints a script; the script calls the hidden `__complete WORDS…` on
 * each Tab, answered here from the command table and each command's own commander definition.
 */
export const run: CommandRun = async context => {
	const command = createCommand('completion', context)
		.description('Print a shell completion script: commands, flags, template names and run ids complete on Tab.')
		.argument('<shell>', `one of ${shells.join(', ')}`)
		.addHelpText(
			'after',
			`
Load it:
  bash, in ~/.bashrc:
    eval "$(cavra-rollback completion bash)"
  zsh, in ~/.zshrc after compinit:
    eval "$(cavra-rollback completion zsh)"
  fish, in ~/.config/fish/config.fish:
    cavra-rollback completion fish | source`,
		);
	parseCommand(command, context);
	const shell = command.args[0]!;
	if (!(shells as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell "${shell}"`, `choose one of ${shells.join(', ')}, e.g. cavra-rollback completion bash`);
	context.stdout.write(completionScript(shell as Shell));
	return ExitCode.ok;
};

/** `__complete WORDS…`: candidates one a line. Never fails loudly: a Tab must not print errors. */
export async function complete(words: readonly string[], context: Pick<CommandContext, 'stdout' | 'env' | 'cwd'>): Promise<number> {
	try {
		const candidates = await completeWords(words, sources(context));
		// A candidate is one shell word of ours: nothing with blanks or hidden characters (a run folder's name is outside input).
		const safe = candidates.filter(candidate => !/\s/.test(candidate) && !hasHiddenCharacters(candidate));
		if (safe.length > 0) context.stdout.write(`${safe.join('\n')}\n`);
	} catch {
		// Nothing to offer; the shell falls back to file names.
	}
	return ExitCode.ok;
}

function sources(context: Pick<CommandContext, 'env' | 'cwd'>): CompletionSources {
	return {
		commands: Object.keys(commands),
		spec: (name, subcommands) => readSpec(name, subcommands, context),
		async templates() {
			const {listTemplates} = await import('../io/templates.js');
			return (await listTemplates()).map(template => template.name);
		},
		async runIds(configPath) {
			const [{loadConfig}, {listEvidenceRuns}] = await Promise.all([import('../io/config.js'), import('../io/evidence-list.js')]);
			const {config} = await loadConfig({configPath, cwd: context.cwd, env: context.env});
			const runs = await listEvidenceRuns(config.evidence?.dir ?? path.resolve(context.cwd, 'cavra-evidence'));
			return runs.map(runInfo => runInfo.id);
		},
	};
}

/**
 * A command's options as its own commander definition declares them: run it with `--help` into a
 * sink and look at the Command it built (so there is no second list of flags to keep in step).
 */
async function readSpec(name: string, subcommands: readonly string[], context: Pick<CommandContext, 'env' | 'cwd'>): Promise<CommandSpec | undefined> {
	const entry = findCommand(name);
	if (!entry) return undefined;
	let built: Command | undefined;
	observeCreatedCommands(command => {
		built = command;
	});
	try {
		const {run: runCommand} = await entry.load();
		const sink = new Writable({write: (_chunk, _encoding, callback) => callback()});
		await runCommand({argv: [...subcommands, '--help'], globals: {color: false}, stdin: process.stdin, stdout: sink, stderr: sink, env: context.env, cwd: context.cwd}).catch(() => undefined);
	} finally {
		observeCreatedCommands(undefined);
	}
	if (!built) return undefined;
	let command: Command = built;
	for (const sub of subcommands) command = command.commands.find(candidate => candidate.name() === sub) ?? command;
	return {
		options: command.options.filter(option => !option.hidden).map(option => ({names: [option.short, option.long].filter((flag): flag is string => flag !== undefined), takesValue: option.required || option.optional})),
		subcommands: command.commands.map(candidate => candidate.name()).filter(sub => sub !== 'help'),
		arguments: command.registeredArguments.map(argument => argument.name()),
	};
}
