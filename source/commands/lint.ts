import {errorText, isCavraError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import type {FileReport} from '../core/lint/finding.js';
import {lintPlan} from '../core/lint/lint-plan.js';
import {redactText, runSecretValues} from '../core/evidence/redact.js';
import {escapeHiddenInJson} from '../core/text/sanitize.js';
import {UsageError} from '../core/errors.js';
import {loadConfig} from '../io/config.js';
import {readInput} from '../io/read-input.js';
import {fitToWidth} from '../io/terminal.js';
import {createCommand, parseChoiceOption, parseCommand} from './command-kit.js';
import type {CommandRun} from './context.js';
import type {FixSummary} from './lint-fix.js';

const formats = ['text', 'json', 'sarif'] as const;
type Format = (typeof formats)[number];

export const run: CommandRun = async context => {
	const command = createCommand('lint', context)
		.description('Lint rollback plans for CAVRA schema errors and for anything unsafe to publish (secrets, private endpoints, customer data).')
		.argument('[files...]', 'plan files to lint; "-" reads standard input; default: the configured plan')
		.option('-f, --format <format>', 'output format: text, json or sarif', parseChoiceOption('--format', formats), 'text')
		.option('--fix', 'replace each flagged value in place with a placeholder (${GITHUB_TOKEN}, <private host>, <on-call contact>), then lint again')
		.option('--dry-run', 'with --fix: print the masked diff and what would remain, change nothing (exit as lint on the unchanged files)')
		.addHelpText(
			'after',
			`
Exit codes: 0 no error findings, 1 error findings, 2 a file cannot be read or bad usage.
Without FILE: "plan" from the config file, else $CAVRA_GO_ROLLBACK_PLAN.
Reviewed exceptions: lint.allow in the config, by rule and fingerprint (never the raw value).
--fix writes atomically, keeps no backup and no temporary file (no copy of a removed secret
next to the plan), refuses symbolic links, and exits as lint does on the fixed file: findings
that need a person (schema) remain and exit 1. --fix --dry-run writes nothing, so it exits as
lint on the files as they are (1 while one still holds an error finding). See docs/lint.md.`,
		);
	parseCommand(command, context);
	const {format, fix, dryRun} = command.opts<{format: Format; fix?: boolean; dryRun?: boolean}>();
	if (dryRun && !fix) throw new UsageError('--dry-run goes with --fix', 'cavra-rollback lint --fix --dry-run plan.json');
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	// A live secret pasted into the plan is flagged even when no pattern knows its shape.
	const knownSecrets = runSecretValues({env: context.env, tokenEnv: config.api?.tokenEnv});

	let files = command.args;
	if (files.length === 0) {
		const configured = config.plan ?? context.env['CAVRA_GO_ROLLBACK_PLAN'];
		if (!configured) {
			throw new UsageError('no plan to lint', 'name one (cavra-rollback lint plan.json, or - for stdin), set "plan" in .cavrarc, or export CAVRA_GO_ROLLBACK_PLAN');
		}
		files = [configured];
	}
	if (files.filter(file => file === '-').length > 1) throw new UsageError('"-" (standard input) can be named only once');
	if (fix && files.includes('-')) throw new UsageError('--fix changes files in place and cannot fix standard input', 'name the plan file: cavra-rollback lint --fix plan.json');
	const fixes = new Map<string, FixSummary>();

	const reports: FileReport[] = [];
	// A dry run's reports are of the would-be result; these are of the files as they stay on disk (the exit code's).
	const onDisk: FileReport[] = [];
	const unreadable: Array<{path: string; error: string}> = [];
	for (const file of files) {
		try {
			let bytes = await readInput(file, context.stdin);
			if (fix) {
				const {fixFile} = await import('./lint-fix.js');
				const fixed = await fixFile(file, bytes, {allow: config.lint?.allow, dryRun: dryRun === true});
				fixes.set(file, fixed.summary);
				if (dryRun) onDisk.push(await lintPlan({path: file, bytes}, {allow: config.lint?.allow, knownSecrets}));
				bytes = fixed.bytes;
			}
			reports.push(await lintPlan({path: file, bytes}, {allow: config.lint?.allow, knownSecrets}));
		} catch (error) {
			if (!isCavraError(error)) throw error;
			unreadable.push({path: file, error: error.message});
			// An error may quote a file name or what a reader said: masked like the rest of the output.
			context.stderr.write(redactText(errorText(error), knownSecrets));
		}
	}

	if (format === 'json') {
		const {formatLintJson} = await import('../format/lint-json.js');
		const text = formatLintJson(reports);
		if (unreadable.length === 0 && !fix) context.stdout.write(text);
		else {
			const document = JSON.parse(text) as {ok: boolean; unreadable?: unknown; dry_run?: boolean; ok_on_disk?: boolean; files: Array<{path: string; fixed?: unknown; fix_refused?: string}>};
			// A dry run: `ok` and `files` describe the would-be result; `ok_on_disk` the unchanged files (the exit code).
			if (dryRun) document.ok_on_disk = onDisk.every(report => report.ok);
			if (unreadable.length > 0) {
				document.ok = false;
				document.unreadable = unreadable;
			}
			if (fix) {
				document.dry_run = dryRun === true;
				for (const entry of document.files) {
					const summary = fixes.get(entry.path);
					entry.fixed = summary?.fixed ?? [];
					if (summary?.refusal) entry.fix_refused = summary.refusal;
				}
			}
			context.stdout.write(`${escapeHiddenInJson(JSON.stringify(document, null, 2))}\n`);
		}
	} else if (format === 'sarif') {
		const [{formatLintSarif}, {allRules}, {packageVersion}] = await Promise.all([
			import('../format/lint-sarif.js'),
			import('../core/lint/catalog.js'),
			import('../io/package-info.js'),
		]);
		context.stdout.write(formatLintSarif(reports, {rules: allRules, version: packageVersion(), cwd: context.cwd, unreadable}));
	} else {
		const {formatLintText} = await import('../format/lint-text.js');
		if (fix) {
			const {formatFixText} = await import('./lint-fix.js');
			for (const summary of fixes.values()) context.stdout.write(await fitToWidth(formatFixText(summary, dryRun === true), context.stdout, context.env));
		}
		if (reports.length > 0) context.stdout.write(await fitToWidth(formatLintText(reports, {color: context.globals.color, afterDryRunFix: dryRun === true}), context.stdout, context.env));
		const stillThere = onDisk.filter(report => !report.ok);
		if (stillThere.length > 0) {
			const {stillOnDiskText} = await import('./lint-fix.js');
			context.stdout.write(await fitToWidth(stillOnDiskText(stillThere, context.globals.color), context.stdout, context.env));
		}
	}

	if (unreadable.length > 0) return ExitCode.usage;
	// A dry run writes nothing: it exits as lint does on the files as they are.
	return (dryRun ? onDisk : reports).every(report => report.ok) ? ExitCode.ok : ExitCode.findings;
};
