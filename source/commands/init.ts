import path from 'node:path';
import {CancelledError, ConfigError, InputError, UsageError, describeFsError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {initialChoices, type InitFlags} from '../core/init/choices.js';
import {renderInitConfig, type InitChoices} from '../core/init/render.js';
import {hasHiddenCharacters, visible} from '../core/text/sanitize.js';
import {atomicWriteFile, TargetExistsError} from '../io/atomic-write.js';
import {detectMachine, type Detection} from '../io/init-detect.js';
import {inspectTarget, OverwriteRefusedError} from '../io/plan-writer.js';
import {withReplaceLock} from '../io/replace-lock.js';
import {canDrawScreens, isInteractive, outputWidth} from '../io/terminal.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';

/**
 * `init`: write a commented `.cavrarc.yaml` for this machine. In a terminal it asks (line by line,
 * @inquirer/prompts, or bare question and answer lines under TERM=dumb; Ink never loads); with --yes, --json, in CI or without a terminal it never
 * asks and takes the flags plus what was detected. Never replaces a file without --force (or a
 * "yes" in the terminal), never through a link, and never writes a config our loader would refuse.
 */

/** Commander's options: the core's flags, with the env files under --mode-file (Node 20 takes --env-file for itself). */
interface InitOptions extends Omit<InitFlags, 'envFile'> {
	out: string;
	force?: boolean;
	yes?: boolean;
	json?: boolean;
	dryRun?: boolean;
	modeFile: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const run: CommandRun = async context => {
	const command = createCommand('init', context)
		.description('Write a commented .cavrarc.yaml for this machine: env files that set CAVRA_GO_BACKEND_MODE, the systemd units that read them, pm2 processes, a kube context.')
		.option('-o, --out <file>', 'where to write it', '.cavrarc.yaml')
		.option('--force', 'replace an existing file (a backup is kept next to it)')
		.option('-y, --yes', 'ask nothing: take the flags and what was detected')
		.option('--dry-run', 'print the file instead of writing it')
		.option('--json', 'print what was detected and written as JSON (asks nothing)')
		.option('--no-detect', 'detect nothing; write only what the flags say')
		.option('--plan <file>', 'the rollback plan (default: $CAVRA_GO_ROLLBACK_PLAN or /etc/cavra/go-backend-rollback-plan.json when it exists)')
		// Not --env-file: Node 20 reads that flag itself anywhere on its command line, even after the script.
		.option('--mode-file <file>', 'an env file holding CAVRA_GO_BACKEND_MODE (repeatable; mode.envFiles)', collect, [])
		.option('--systemd <unit>', 'a systemd unit to restart (repeatable)', collect, [])
		.option('--pm2 <name>', 'a pm2 process to restart (repeatable)', collect, [])
		.option('--kube-deployment <name>', 'a kubernetes deployment to restart (context: the current one, or --kube-context)')
		.option('--kube-namespace <name>', "the deployment's namespace")
		.option('--kube-context <name>', 'the kube context (default: kubectl config current-context)')
		.option('--api-url <url>', "CAVRA's API, e.g. http://127.0.0.1:8000")
		.option('--token-env <name>', 'the NAME of the variable holding the API token (never the token)')
		.option('--evidence-dir <dir>', 'where rollback evidence bundles go')
		.addHelpText(
			'after',
			`
Detection reads files only: /etc/cavra/cavra.env, /etc/default/cavra, /etc/sysconfig/cavra,
$CAVRA_ENV_FILE, unit files in /etc/systemd/system and /lib/systemd/system (systemctl never runs),
the process names of a pm2 daemon that is already running, and kubectl config current-context.

Examples:
  cavra-rollback init                                  ask in the terminal
  cavra-rollback init --yes --api-url http://127.0.0.1:8000
  cavra-rollback init --no-detect --mode-file /etc/cavra/cavra.env --systemd cavra-api.service --dry-run
  cavra-rollback init --json --dry-run                 what would be written, for scripts`,
		);
	parseCommand(command, context);
	const options = command.opts<InitOptions>();
	checkFlagValues(options);

	const target = path.resolve(context.cwd, options.out);
	const targetState = await inspectTarget(target);
	if (targetState.kind === 'not-a-file') throw new InputError(`${visible(options.out)} is not a regular file (a folder, device or broken link)`, {file: target, hint: 'name a file with --out FILE'});
	const exists = targetState.kind === 'file';
	const ask = !options.yes && !options.json && isInteractive(context as {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}}, context.env);
	if (exists && !options.force && !options.dryRun && !ask) throw new OverwriteRefusedError(options.out);

	const detection: Detection = options.detect ? await detectMachine({env: context.env, cwd: context.cwd}) : {envFiles: [], systemdUnits: [], notes: []};
	let choices = initialChoices(detection, flagsOf(options));
	let overwrite = Boolean(options.force);
	if (ask) {
		// A terminal that cannot move a cursor (TERM=dumb) gets bare lines: @inquirer redraws with escapes.
		const lineMode = !canDrawScreens(context as {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}}, context.env);
		const [{askInitChoices}, {openPrompter}] = await Promise.all([import('../ui/screens/init-prompts.js'), import('../ui/prompts/prompter.js')]);
		const prompts = await openPrompter({input: context.stdin, output: context.stdout, lineMode, width: outputWidth(context.stdout, context.env)});
		const answer = await askInitChoices({detection, choices, target: options.out, exists: exists && !options.force && !options.dryRun, prompts, output: context.stdout});
		if (answer === undefined) throw new CancelledError('cancelled; nothing was written');
		choices = answer.choices;
		overwrite ||= answer.overwrite;
	}

	const text = renderInitConfig(choices, new Date());
	const config = await checkLoads(text, target);
	if (options.dryRun) {
		context.stdout.write(options.json ? `${JSON.stringify(jsonReport(target, false, detection, config), null, 2)}\n` : text);
		return ExitCode.ok;
	}
	if (exists && !overwrite) throw new OverwriteRefusedError(options.out);
	const result = await write(target, text, overwrite, options.out);
	if (options.json) {
		context.stdout.write(`${JSON.stringify({...jsonReport(target, true, detection, config), ...(result.backupPath !== undefined && {backup: result.backupPath})}, null, 2)}\n`);
		return ExitCode.ok;
	}
	say(context, summary(options.out, choices, result.backupPath));
	return ExitCode.ok;
};

function say(context: CommandContext, lines: string[]): void {
	context.stdout.write(lines.map(line => `${visible(line)}\n`).join(''));
}

function summary(shownTarget: string, choices: InitChoices, backupPath: string | undefined): string[] {
	const lines = [`wrote ${shownTarget}`];
	if (backupPath !== undefined) lines.push(`  previous version kept at ${backupPath}`);
	lines.push(`  plan: ${choices.plan ?? 'not set (commented example)'}`);
	lines.push(`  env files: ${choices.envFiles.length === 0 ? 'none (commented example)' : choices.envFiles.join(', ')}`);
	lines.push(`  services: ${choices.services.length === 0 ? 'none (commented example)' : choices.services.map(service => `${service.name} (${service.kind})`).join(', ')}`);
	lines.push(`  api: ${choices.api?.url ?? 'not set (commented example)'}`);
	for (const note of choices.notes) lines.push(`  found: ${note}`);
	lines.push(`next: cavra-rollback readiness --config ${shownTarget}`);
	return lines;
}

function flagsOf(options: InitOptions): InitFlags {
	const {plan, kubeDeployment, kubeNamespace, kubeContext, apiUrl, tokenEnv, evidenceDir} = options;
	return {
		envFile: options.modeFile,
		systemd: options.systemd,
		pm2: options.pm2,
		detect: options.detect,
		...(plan !== undefined && {plan}),
		...(kubeDeployment !== undefined && {kubeDeployment}),
		...(kubeNamespace !== undefined && {kubeNamespace}),
		...(kubeContext !== undefined && {kubeContext}),
		...(apiUrl !== undefined && {apiUrl}),
		...(tokenEnv !== undefined && {tokenEnv}),
		...(evidenceDir !== undefined && {evidenceDir}),
	};
}

/** A flag value with a hidden character would hide in the file too: refused, shown escaped. */
function checkFlagValues(options: InitOptions): void {
	const values: Array<[string, string | undefined]> = [
		['--out', options.out],
		['--plan', options.plan],
		...options.modeFile.map(value => ['--mode-file', value] as [string, string]),
		...options.systemd.map(value => ['--systemd', value] as [string, string]),
		...options.pm2.map(value => ['--pm2', value] as [string, string]),
		['--kube-deployment', options.kubeDeployment],
		['--kube-namespace', options.kubeNamespace],
		['--kube-context', options.kubeContext],
		['--api-url', options.apiUrl],
		['--token-env', options.tokenEnv],
		['--evidence-dir', options.evidenceDir],
	];
	for (const [flag, value] of values) {
		if (value === undefined) continue;
		if (value === '' || hasHiddenCharacters(value)) throw new UsageError(`${flag} "${visible(value)}": ${value === '' ? 'empty' : 'contains hidden characters'}`, 'type the value again by hand');
	}
	if (options.tokenEnv !== undefined && options.apiUrl === undefined) throw new UsageError('--token-env needs --api-url', 'e.g. --api-url http://127.0.0.1:8000 --token-env CAVRA_API_TOKEN');
	if ((options.kubeNamespace !== undefined || options.kubeContext !== undefined) && options.kubeDeployment === undefined) {
		throw new UsageError('--kube-namespace and --kube-context need --kube-deployment', 'e.g. --kube-deployment cavra-api --kube-namespace cavra');
	}
}

/** The text goes through the same parser and validator as every config load; a refusal names the key. */
async function checkLoads(text: string, target: string): Promise<unknown> {
	const [{parseYamlConfig}, {validateConfig}] = await Promise.all([import('../core/config/parse-yaml.js'), import('../core/config/validate.js')]);
	try {
		const parsed = parseYamlConfig(text, target);
		// A file of comments only is an empty config, as io/config.ts loads it.
		if (parsed.value === undefined || parsed.value === null) return {};
		validateConfig(parsed.value, target, parsed.positionOf);
		return parsed.value;
	} catch (error) {
		if (error instanceof ConfigError) throw new UsageError(`not written: ${error.message}`, error.hint ?? 'check the flag values');
		throw error;
	}
}

/**
 * Two runs at the same instant: without permission to overwrite, the file is only created (one
 * wins, the other is refused); with it, replacers take turns under a lock, so each one backs up
 * the file it replaces, the other run's included.
 */
async function write(target: string, text: string, overwrite: boolean, shownTarget: string) {
	try {
		if (!overwrite) return await atomicWriteFile(target, text, {createOnly: true});
		return await withReplaceLock(target, async () => {
			try {
				return await atomicWriteFile(target, text, {createOnly: true});
			} catch (error) {
				if (!(error instanceof TargetExistsError)) throw error;
				return atomicWriteFile(target, text, {backup: true});
			}
		});
	} catch (error) {
		if (error instanceof TargetExistsError) throw new OverwriteRefusedError(shownTarget, 'another run created it meanwhile');
		if (error instanceof InputError || error instanceof UsageError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new InputError(`the folder ${visible(path.dirname(target))} does not exist`, {file: target, hint: 'create it first, or pass another --out FILE'});
		if (code === 'EACCES' || code === 'EPERM') throw new InputError(`${visible(target)}: permission denied; nothing was written`, {file: target, hint: 'run as a user who can write to that folder, or pass another --out FILE'});
		throw describeFsError(error, target);
	}
}

function jsonReport(target: string, written: boolean, detection: Detection, config: unknown) {
	return {path: target, written, detected: detection, config};
}
