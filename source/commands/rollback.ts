import {ROLLBACK_NEVER_BLOCKED, ROLLBACK_STOPPED_BY} from '../core/rollback/what-blocks.js';
import path from 'node:path';
import {InvalidArgumentError} from 'commander';
import {UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import type {RollbackState} from '../core/rollback/machine.js';
import {previewLines, type RollbackPreview} from '../core/rollback/preview.js';
import {progressLines, resumeArgv, summaryLines} from '../core/rollback/progress-lines.js';
import {shellCommand} from '../core/text/shell-command.js';
import {visible} from '../core/text/sanitize.js';
import {isRunId} from '../core/evidence/bundle.js';
import {redactJson, redactText, runSecretValues, screenRedactor} from '../core/evidence/redact.js';
import {loadConfig} from '../io/config.js';
import {wrapLine, wrapLines} from '../core/text/wrap.js';
import {canDrawScreens, discardTypedAhead, fitToWidth, loadWithNotice, outputWidth} from '../io/terminal.js';
import {chooseRunToResume} from '../core/rollback/resume-choice.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';

interface Options {
	dryRun?: boolean;
	yes?: boolean;
	rehearse?: boolean;
	/** `true`: the flag without a run id (the latest run of this kind). */
	resume?: string | true;
	service?: string[];
	plain?: boolean;
	json?: boolean;
}

const HELP_AFTER = `
The flow: preflight (config, plan, readiness before, current mode) → preview and confirm → set
CAVRA_GO_BACKEND_MODE=disabled in every mode.envFiles file (atomic, backup, re-read) → restart the
services (config order; a shared "group" restarts in parallel) → verify each verify.url answers
mode: disabled, against the plan's max_recovery_minutes → capture readiness after → evidence.

Confirmation: in a terminal, type "disable". Otherwise --yes is required (exit 2 without it).
Esc (or Ctrl-C) at the question cancels: exit 130, nothing changed, and no evidence is kept
(nor by a --dry-run): nothing to list, nothing to resume. The run folder is created only once
you confirm, so a process killed at the question leaves none either.

${wrapLine(`${ROLLBACK_NEVER_BLOCKED} ${ROLLBACK_STOPPED_BY}`, 100, {hanging: 0}).join('\n')}

Ctrl-C once: stop after the current step (recorded as cancelled). Twice: abort now; the journal
and evidence are still written. Continue later with --resume RUN_ID (same config), or --resume
alone for the latest run: each step's live state is re-probed (mode already disabled? service
already answering disabled?).

Rehearsal: --rehearse runs the same flow against a rehearsal config (its own env files and
services, e.g. a staging or demo stand-in), and also writes CAVRA's rehearsal evidence to
"rehearsalEvidence" and appends a drill to "drillHistory":
  cavra-rollback rollback --rehearse --config rehearsal.cavrarc.yaml

Evidence: <evidence.dir>/<run-id>/ with journal.ndjson (hash-chained, fsynced), evidence.json,
reports/. Check it offline: cavra-rollback evidence verify <evidence.dir>/<run-id>

Exit codes: 0 recovered (or a dry run previewed), 1 not verified or partial, 2 usage/config,
3 an adapter (restart, env-file write) failed, 130 cancelled.`;

export interface RollbackCommandResult {
	exitCode: number;
	/** False when the change never began (declined at the confirmation, or stopped before it): nothing changed. */
	changeBegan: boolean;
}

export const run: CommandRun = async context => (await rollbackCommand(context)).exitCode;

/** The command, also for the dashboard's `b`: it returns to the dashboard when the change never began. */
export async function rollbackCommand(context: CommandContext): Promise<RollbackCommandResult> {
	const command = createCommand('rollback', context)
		.description('Guided rollback of CAVRA to Python-only mode: set CAVRA_GO_BACKEND_MODE=disabled, restart, verify, keep evidence.')
		.option('--dry-run', 'show every env-file change and command, change nothing (exit 0 when the preview could be built)')
		.option('-y, --yes', 'go ahead without the typed confirmation (required when not interactive)')
		.option('--rehearse', "rehearsal: the same flow against a rehearsal config; also writes CAVRA's rehearsal evidence and a drill")
		.option('--resume [run-id]', 'continue an interrupted run, by default the latest one (re-probes live state; skips or redoes each step)', value => {
			if (!isRunId(value)) throw new InvalidArgumentError(`--resume takes a run id like rb-20260101T120000Z-a1b2c3, got "${value}"`);
			return value;
		})
		.option('--service <name>', 'limit the run to this service (repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
		.option('--plain', 'plain progress lines instead of the full-screen view')
		.option('--json', 'print the final evidence.json on stdout (progress on stderr); needs --yes or --dry-run')
		.addHelpText('after', HELP_AFTER);
	parseCommand(command, context);
	const options = command.opts<Options>();
	const serviceFilter = options.service ?? [];

	if (options.dryRun && options.resume) throw new UsageError('--dry-run and --resume cannot be combined', 'a dry run changes nothing, so there is nothing to resume');
	if (options.resume && serviceFilter.length > 0) throw new UsageError('--resume keeps the services of the run it continues; --service cannot change them');

	const {config, filepath} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const streams = {stdin: context.stdin as {isTTY?: boolean}, stdout: context.stdout};
	// The full-screen view is for the one interactive case, the typed confirmation in a terminal:
	// `--yes` and `--dry-run` ask nothing and print lines, like a pipe, `--plain` or TERM=dumb.
	const fullScreen = canDrawScreens(streams, context.env) && !options.plain && !options.json && !options.yes && !options.dryRun;
	const canPrompt = Boolean(streams.stdin.isTTY) && Boolean(context.stderr.isTTY || context.stdout.isTTY) && !context.env['CI'] && !options.json;
	if (!options.dryRun && !options.yes && !canPrompt) {
		throw new UsageError(
			options.json ? '--json prints machine output only, so it cannot ask for the typed confirmation: add --yes' : 'not interactive: a rollback needs --yes to go ahead (nothing prompts without a terminal)',
			'preview first with --dry-run, then run it with --yes',
		);
	}

	const evidenceDir = config.evidence?.dir ?? path.resolve(context.cwd, 'cavra-evidence');
	const resumeRunId = options.resume === true ? await latestRunToResume(evidenceDir, options.rehearse ? 'rehearsal' : 'rollback', context) : options.resume;
	// What reaches stdout and stderr is redacted once more here, with the token under whatever name api.tokenEnv gives it.
	const secretValues = runSecretValues({env: context.env, tokenEnv: config.api?.tokenEnv});
	// Plain lines fit the terminal they go to (commands and paths stay whole: see core/text/wrap.ts);
	// a pipe has no width and takes them as they are. Redacted before wrapping, so a secret is never
	// split across two lines and missed.
	const fit = (stream: NodeJS.WritableStream & {isTTY?: boolean; columns?: number}, lines: string[]) => {
		const redacted = lines.map(line => redactText(line, secretValues));
		const width = outputWidth(stream, context.env);
		return (Number.isFinite(width) ? wrapLines(redacted, width) : redacted).join('\n');
	};
	const {runRollback, RunControl, createDefaultEffects} = await import('../io/rollback-runner.js');
	const control = new RunControl();
	// A run already busy in this folder is continued with this invocation's --config, so the lock's hint works pasted too.
	const resumeCommand = (runId: string) => shellCommand(resumeArgv({runId, kind: 'rollback'}, {configPath: filepath}));
	const effects = createDefaultEffects({config, env: context.env, evidenceDir, resumeCommand});
	const kind = options.dryRun ? 'dry-run' : options.rehearse ? 'rehearsal' : 'rollback';

	// Signals: Ctrl-C in a cooked terminal or `kill -INT` (raw mode delivers Ctrl-C as a key instead).
	const onSigint = () => {
		const what = control.requestStop();
		if (!fullScreen && what === 'abort') context.stderr.write('\n');
	};
	// SIGTERM, and SIGHUP (the terminal or the SSH link is gone), abort like a second Ctrl-C: the
	// journal and evidence are still written, and the screen is left through the normal way out.
	const onSigterm = () => control.abort();
	// A stop (SIGTERM, a signal's Ctrl-C) while the question is open is a "no": the run ends as
	// cancelled instead of waiting for an answer no one will give.
	const stopped = new Promise<boolean>(resolve => control.onStop(() => resolve(false)));
	const unlessStopped =
		(ask: (preview: RollbackPreview) => Promise<boolean>) =>
		(preview: RollbackPreview): Promise<boolean> =>
			Promise.race([ask(preview), stopped]);
	process.on('SIGINT', onSigint);
	process.on('SIGTERM', onSigterm);
	process.on('SIGHUP', onSigterm);

	// The printed --resume command carries what this run was started with, so it works pasted verbatim.
	const flags = {configPath: filepath, yes: Boolean(options.yes)};
	const base = {
		kind,
		config,
		configPath: filepath ?? null,
		env: context.env,
		serviceFilter,
		evidenceDir,
		control,
		confirmMethod: options.yes ? '--yes' : 'typed',
		...(resumeRunId && {resumeRunId}),
	} as const;

	try {
		let outcome: Awaited<ReturnType<typeof runRollback>>;
		if (fullScreen) {
			const {renderRollback} = await loadWithNotice(context.stdout, 'starting the rollback screen', () => import('../ui/render-rollback.js'));
			outcome = await renderRollback({
				flags,
				stdout: context.stdout as NodeJS.WriteStream,
				stdin: context.stdin as NodeJS.ReadStream,
				stderr: context.stderr as NodeJS.WriteStream,
				color: context.globals.color,
				onStop: () => control.requestStop(),
				// The screen masks what it draws with the same secret values as the plain lines.
				redact: screenRedactor(secretValues),
				// The record left in the scrollback, redacted and fitted like every plain line.
				printTranscript: lines => void context.stdout.write(`${fit(context.stdout, lines)}\n`),
				start: hooks =>
					runRollback(
						{
							...base,
							onState: hooks.onState,
							onPreview: hooks.onPreview,
							confirm: options.yes ? async () => true : unlessStopped(hooks.confirm),
						},
						effects,
					),
			});
		} else {
			let previous: RollbackState | undefined;
			const progress = (line: string) => void context.stderr.write(`${fit(context.stderr, [line])}\n`);
			outcome = await runRollback(
				{
					...base,
					onState: state => {
						for (const line of progressLines(previous, state)) progress(line);
						previous = state;
					},
					onPreview: preview => {
						// A dry run's preview is its result (stdout); otherwise it is context (stderr).
						const out = options.dryRun && !options.json ? context.stdout : context.stderr;
						out.write(`\n${fit(out, previewLines(preview))}\n\n`);
					},
					onOutput: (_stepId, lines) => {
						for (const line of lines) progress(`    │ ${visible(line)}`);
					},
					confirm: options.yes ? async () => true : unlessStopped(context.env['TERM'] === 'dumb' ? () => lineConfirm(context.stdin, context.stderr, control.cancelSignal) : preview => plainConfirm(preview, context.stdin, context.stderr, control.cancelSignal)),
				},
				effects,
			);
		}

		const state = outcome.state;
		if (options.json) {
			if (outcome.evidence) context.stdout.write(`${JSON.stringify(redactJson(outcome.evidence, secretValues), null, 2)}\n`);
			context.stderr.write(`${fit(context.stderr, summaryLines(state, {...outcome, flags}))}\n`);
		} else if (!fullScreen) {
			context.stdout.write(`${fit(context.stdout, summaryLines(state, {...outcome, flags}))}\n`);
		}
		return {exitCode: state.exitCode ?? ExitCode.findings, changeBegan: state.kind === 'dry-run' || state.clockStartedAtMs !== undefined || state.result !== 'cancelled'};
	} finally {
		process.off('SIGINT', onSigint);
		process.off('SIGTERM', onSigterm);
		process.off('SIGHUP', onSigterm);
	}
}

/** `--resume` without an id: the latest run of this kind, said on stderr so the operator sees which. */
async function latestRunToResume(evidenceDir: string, kind: 'rollback' | 'rehearsal', context: CommandContext): Promise<string> {
	const {listEvidenceRuns} = await import('../io/evidence-list.js');
	const runId = chooseRunToResume(await listEvidenceRuns(evidenceDir), kind, evidenceDir);
	context.stderr.write(await fitToWidth(`continuing the latest ${kind} run: ${visible(runId)} (${visible(evidenceDir)})\n`, context.stderr, context.env));
	return runId;
}

/** `--plain` in a terminal: type-to-confirm, line by line. Ctrl-C or anything but the word declines; what was typed before the question is dropped. */
async function plainConfirm(preview: RollbackPreview, stdin: NodeJS.ReadableStream, stderr: NodeJS.WritableStream, signal: AbortSignal): Promise<boolean> {
	const {input} = await import('@inquirer/prompts');
	void preview;
	await discardTypedAhead(stdin as NodeJS.ReadStream);
	try {
		const answer = await input(
			{message: 'Type "disable" to set the mode and restart the services listed above (anything else cancels):'},
			// A stop (SIGTERM) closes the prompt, so it lets go of the terminal.
			{input: stdin as NodeJS.ReadStream, output: stderr as NodeJS.WriteStream, signal},
		);
		return answer.trim() === 'disable';
	} catch {
		return false;
	}
}

/**
 * TERM=dumb: the same question as one plain line read in the terminal's own line mode (no cursor
 * movement, no raw mode). Ctrl-C is then a signal: it declines here, and the run stops as cancelled.
 */
async function lineConfirm(stdin: NodeJS.ReadableStream, stderr: NodeJS.WritableStream, signal: AbortSignal): Promise<boolean> {
	const {createInterface} = await import('node:readline');
	// A line typed ahead of the question is no answer.
	await discardTypedAhead(stdin as NodeJS.ReadStream);
	const lines = createInterface({input: stdin, output: stderr, terminal: false});
	stderr.write('Type "disable" and press Enter to set the mode and restart the services listed above (anything else cancels): ');
	return new Promise<boolean>(resolve => {
		let answered = false;
		const finish = (answer: boolean) => {
			if (answered) return;
			// First the answer: closing the interface emits 'close' at once, which must not decline.
			answered = true;
			resolve(answer);
			process.off('SIGINT', onSigint);
			lines.close();
		};
		const onSigint = () => finish(false);
		process.once('SIGINT', onSigint);
		lines.once('line', line => finish(line.trim() === 'disable'));
		lines.once('close', () => finish(false));
		signal.addEventListener('abort', () => finish(false), {once: true});
	});
}
