import {agree, plural} from '../core/text/quantities.js';
import path from 'node:path';
import {readFile} from 'node:fs/promises';
import {SilentExit, UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {formFromPlan, formToPlan, serialisePlan, type PlanForm} from '../core/author/form.js';
import {decideSave, nextStepLines} from '../core/author/save-decision.js';
import {parseSetOption, SETTABLE_FIELDS, type FieldAssignment} from '../core/author/set-field.js';
import {parseObject, type ExistingPlan, type TemplateChoice} from '../core/author/sources.js';
import {promotedSettings, summariseReport, type Verdict} from '../core/author/verdict.js';
import type {AllowEntry, FileReport} from '../core/lint/finding.js';
import {lintPlan, type LintOptions} from '../core/lint/lint-plan.js';
import {runSecretValues} from '../core/evidence/redact.js';
import {loadConfig} from '../io/config.js';
import {readExistingPlan, targetExists, writePlan, type WritePlanResult} from '../io/plan-writer.js';
import {canDrawScreens, isInteractive, loadWithNotice, outputWidth} from '../io/terminal.js';
import {visible} from '../core/text/sanitize.js';
import {listTemplates, readTemplate} from '../io/templates.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';
import type {Prompter} from '../ui/prompts/prompter.js';

/**
 * `author`: write a plan CAVRA accepts and that is safe to publish.
 *   - in a terminal: the Ink wizard (lazy-loaded; nothing else reads the keyboard meanwhile);
 *   - `--plain`: the same steps as line-by-line prompts (@inquirer/prompts; Ink never loads);
 *   - TERM=dumb: those steps as bare question and answer lines (no escape byte at all);
 *   - `--template NAME --out FILE [...]`: no prompts at all, for scripts and CI.
 * One rule everywhere: a plan with error findings is never written as `status: "ready"`.
 */

interface AuthorOptions {
	template?: string;
	out?: string;
	plain?: boolean;
	set: string[];
	addStep: string[];
	addEvidenceRef: string[];
	draft?: boolean;
	force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const DEFAULT_PLAN_FILE = 'go-backend-rollback-plan.json';

export const run: CommandRun = async context => {
	const command = createCommand('author', context)
		.description('Write a rollback plan CAVRA accepts and that is safe to publish: a guided wizard, line-by-line prompts, or flags.')
		.argument('[file]', 'where to save the plan; default: "plan" from the config, else $CAVRA_GO_ROLLBACK_PLAN, else ./' + DEFAULT_PLAN_FILE)
		.option('-t, --template <name>', 'start from this template (see: cavra-rollback templates)')
		.option('--plain', 'ask line by line instead of the full-screen wizard (screen readers, simple terminals)')
		.option('-o, --out <file>', 'non-interactive: write the plan here without asking anything (needs --template)')
		.option('--set <field=value>', `non-interactive: set a field (repeatable); fields: ${SETTABLE_FIELDS.join(', ')}`, collect, [])
		.option('--add-step <text>', 'non-interactive: append a rollback step (repeatable)', collect, [])
		.option('--add-evidence-ref <ref>', 'non-interactive: append an evidence ref, scheme://path (repeatable)', collect, [])
		.option('--draft', 'non-interactive: record status "draft" (allowed with error findings)')
		.option('--force', 'non-interactive: overwrite an existing file (a backup is kept)')
		.addHelpText(
			'after',
			`
Modes:
  in a terminal               the wizard: template, approval, recovery time, controls, steps,
                              evidence refs, review, save (esc back, tab next, ctrl+c quit)
  --plain                     the same steps as line-by-line prompts (still needs a terminal)
  --template NAME --out FILE  no prompts: [--set FIELD=VALUE]... [--add-step TEXT]...
                              [--add-evidence-ref REF]... [--draft] [--force]

Saving: atomic (temporary file + rename), keeps the file's permissions, asks before
overwriting (non-interactive: --force) and keeps the old file as FILE.cavra-rollback.<time>.bak.
A plan with error findings is never saved as "ready": it can be saved as a draft.

Exit codes: 0 written as asked (ready, or draft when asked or accepted), 1 not written because
error findings remain and --draft was not given, 2 usage (missing flags without a terminal, file
exists without --force, unreadable input), 130 cancelled.

Example: cavra-rollback author --template standard --out plan.json \\
           --set approval_id=CAB-1234 --set max_recovery_minutes=20`,
		);
	parseCommand(command, context);
	const options = command.opts<AuthorOptions>();
	const [fileArgument] = command.args;

	const scripted =
		options.out !== undefined || options.set.length > 0 || options.addStep.length > 0 || options.addEvidenceRef.length > 0 || Boolean(options.draft) || Boolean(options.force);
	if (scripted) {
		if (options.plain) throw new UsageError('--plain asks questions; it cannot be combined with --out, --set, --add-step, --add-evidence-ref, --draft or --force');
		return nonInteractive(context, options, fileArgument);
	}

	const interactive = isInteractive({stdin: context.stdin as {isTTY?: boolean}, stdout: context.stdout}, context.env);
	if (!interactive) {
		throw new UsageError(
			options.plain ? '--plain asks questions, so it needs a terminal (stdin and stdout a TTY, CI unset)' : 'author asks questions, so it needs a terminal (stdin and stdout a TTY, CI unset)',
			'without one, pass --template NAME --out FILE (and --set FIELD=VALUE, --add-step TEXT, --add-evidence-ref REF, --draft, --force as needed)',
		);
	}

	// A terminal that cannot move a cursor (TERM=dumb) gets the questions as bare lines (--plain's
	// prompts redraw with escape sequences, which such a terminal prints as garbage).
	const lineMode = !canDrawScreens({stdin: context.stdin as {isTTY?: boolean}, stdout: context.stdout}, context.env);
	if (lineMode) options.plain = true;
	// Ink takes most of the start-up time: start loading it while the config and files are read.
	const wizardModule = options.plain ? undefined : import('../ui/render-author.js');
	wizardModule?.catch(() => undefined);
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const target = resolveTarget(context, fileArgument ?? config.plan ?? nonEmpty(context.env['CAVRA_GO_ROLLBACK_PLAN']) ?? DEFAULT_PLAN_FILE);
	const allow = config.lint?.allow;
	const knownSecrets = runSecretValues({env: context.env, tokenEnv: config.api?.tokenEnv});
	if (options.template !== undefined) await readTemplate(options.template); // a wrong name is a usage error before any screen
	const [templates, existingText, readiness] = await Promise.all([loadTemplates(), readExistingPlan(target), loadReadiness(target)]);
	const existing: ExistingPlan | undefined = existingText === undefined ? undefined : {path: target, text: existingText};
	const deps = {
		targetExists: () => targetExists(target),
		save: (text: string, saveOptions: {overwrite: boolean}) => saveChecked(target, text, saveOptions.overwrite, {...(allow && {allow}), knownSecrets}),
		...(readiness && {readiness}),
	};

	if (options.plain) {
		const [{runPlainAuthor}, prompts] = await Promise.all([import('../ui/screens/author/plain.js'), plainPrompter(context, lineMode)]);
		const outcome = await runPlainAuthor({target, templates, existing, initialTemplate: options.template, deps, allow, knownSecrets, prompts, output: context.stdout});
		return finishInteractive(context, outcome);
	}
	const {runAuthorWizard} = await loadWithNotice(context.stdout, 'starting the wizard', () => wizardModule!);
	const outcome = await runAuthorWizard(
		{target, templates, ...(existing && {existing}), ...(options.template !== undefined && {initialTemplate: options.template}), deps, ...(allow && {allow}), knownSecrets},
		{stdin: context.stdin as NodeJS.ReadStream, stdout: context.stdout as NodeJS.WriteStream, color: context.globals.color},
	);
	// The wizard drew on the alternate screen, now gone: what was saved stays in the scrollback.
	if (outcome.kind === 'saved') context.stdout.write(`saved ${visible(outcome.path)} (status ${outcome.status})${outcome.backupPath ? `; previous version kept at ${visible(outcome.backupPath)}` : ''}\n`);
	return finishInteractive(context, outcome);
};

async function plainPrompter(context: CommandContext, lineMode: boolean): Promise<Prompter> {
	const {openPrompter} = await import('../ui/prompts/prompter.js');
	return openPrompter({input: context.stdin, output: context.stdout, lineMode, width: outputWidth(context.stdout, context.env)});
}

type Outcome = {kind: 'saved'; status: 'ready' | 'draft'; path: string; backupPath?: string} | {kind: 'cancelled'};

function finishInteractive(context: CommandContext, outcome: Outcome): number {
	if (outcome.kind === 'cancelled') {
		context.stderr.write('cavra-rollback: cancelled; nothing was saved\n');
		return ExitCode.cancelled;
	}
	return ExitCode.ok;
}

async function nonInteractive(context: CommandContext, options: AuthorOptions, fileArgument: string | undefined): Promise<number> {
	if (options.out !== undefined && fileArgument !== undefined && path.resolve(context.cwd, options.out) !== path.resolve(context.cwd, fileArgument)) {
		throw new UsageError('name the output file once: either FILE or --out FILE');
	}
	const out = options.out ?? fileArgument;
	if (options.template === undefined || out === undefined) {
		const missing = [options.template === undefined && '--template NAME', out === undefined && '--out FILE'].filter(Boolean).join(' and ');
		throw new UsageError(`writing a plan without prompts needs ${missing}`, 'e.g. cavra-rollback author --template standard --out plan.json --set approval_id=CAB-1234');
	}
	// Every flag is checked before anything is read or written.
	const assignments: FieldAssignment[] = options.set.map(parseSetOption);
	const target = resolveTarget(context, out);
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const {text} = await readTemplate(options.template);
	const parsed = parseObject(text);
	if (!parsed) throw new UsageError(`template "${options.template}" is not a JSON object`, 'see: cavra-rollback templates');

	let form: PlanForm = formFromPlan(parsed, {dropComment: true}).form;
	for (const assignment of assignments) form = assignment.apply(form);
	form = {...form, steps: [...form.steps, ...options.addStep], evidenceRefs: [...form.evidenceRefs, ...options.addEvidenceRef]};
	const status = options.draft ? 'draft' : form.status;

	const knownSecrets = runSecretValues({env: context.env, tokenEnv: config.api?.tokenEnv});
	const report = await lintPlan({path: out, bytes: serialisePlan(formToPlan(form, 'ready'))}, {...(config.lint?.allow && {allow: config.lint.allow}), knownSecrets});
	const decision = decideSave(report);
	if (status === 'ready' && !decision.readyAllowed) {
		context.stderr.write(await findingsText(report, context));
		context.stderr.write(
			`cavra-rollback: not written: ${plural(decision.errors.length, 'error finding')} ${agree(decision.errors.length, 'remains', 'remain')}, and a plan with errors is never recorded as ready\n` +
				'  fix them (--set, --add-step, --add-evidence-ref), or pass --draft to save it as a draft\n',
		);
		throw new SilentExit(ExitCode.findings);
	}

	const result = await writePlan(target, serialisePlan(formToPlan(form, status)), {overwrite: Boolean(options.force)});
	if (report.findings.length > 0) context.stderr.write(await findingsText(report, context));
	context.stdout.write(`wrote ${out} (status "${status}")\n`);
	if (result.backupPath) context.stderr.write(`previous version kept at ${result.backupPath}\n`);
	if (status !== 'ready') context.stderr.write('note: CAVRA reports needs_attention for this plan until it is saved with status "ready"\n');
	context.stderr.write(`${nextStepLines(out).join('\n')}\n`);
	return ExitCode.ok;
}

async function findingsText(report: FileReport, context: CommandContext): Promise<string> {
	const {formatLintText} = await import('../format/lint-text.js');
	return formatLintText([report], {color: context.globals.color && Boolean(context.stderr.isTTY)});
}

/**
 * The wizard's save: before recording "ready", the full lint (with secretlint's rules) runs once
 * more; anything the per-keystroke lint could not see stops the ready save with its findings.
 */
async function saveChecked(target: string, text: string, overwrite: boolean, lintOptions: LintOptions): Promise<WritePlanResult> {
	const plan = parseObject(text);
	if (plan?.['status'] === 'ready') {
		const report = await lintPlan({path: target, bytes: text}, lintOptions);
		const decision = decideSave(report);
		if (!decision.readyAllowed) throw new Error(`the full lint found errors, so it cannot be recorded as ready: ${decision.remaining.join('; ')}`);
	}
	return writePlan(target, text, {overwrite});
}

async function loadTemplates(): Promise<TemplateChoice[]> {
	const infos = await listTemplates();
	return Promise.all(infos.map(async info => ({name: info.name, description: info.description, text: await readFile(info.path, 'utf8')})));
}

/** The verdict CAVRA would give the plan in promoted mode, with nothing else configured. */
async function loadReadiness(target: string): Promise<((bytes: Uint8Array) => Verdict) | undefined> {
	try {
		const {rollbackReadinessReport} = await import('../core/readiness/index.js');
		return bytes =>
			summariseReport(
				rollbackReadinessReport(promotedSettings(target, new Date()), {
					plan: {kind: 'bytes', bytes},
					rehearsal: {kind: 'unconfigured'},
					drillHistory: {kind: 'unconfigured'},
					drillSchedule: {kind: 'unconfigured'},
				}),
			);
	} catch {
		return undefined;
	}
}

function resolveTarget(context: CommandContext, file: string): string {
	return path.resolve(context.cwd, file);
}

function nonEmpty(value: string | undefined): string | undefined {
	return value === undefined || value === '' ? undefined : value;
}

