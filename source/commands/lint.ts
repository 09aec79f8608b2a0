import {isCavraError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import type {FileReport} from '../core/lint/finding.js';
import {lintPlan} from '../core/lint/lint-plan.js';
import {UsageError} from '../core/errors.js';
import {loadConfig} from '../io/config.js';
import {readInput} from '../io/read-input.js';
import {createCommand, parseChoiceOption, parseCommand} from './command-kit.js';
import type {CommandRun} from './context.js';

const formats = ['text', 'json', 'sarif'] as const;
type Format = (typeof formats)[number];

export const run: CommandRun = async context => {
	const command = createCommand('lint', context)
		.description('Lint rollback plans for CAVRA schema errors and for anything unsafe to publish (secrets, private endpoints, customer data).')
		.argument('[files...]', 'plan files to lint; "-" reads standard input; default: the configured plan')
		.option('-f, --format <format>', 'output format: text, json or sarif', parseChoiceOption('--format', formats), 'text')
		.addHelpText(
			'after',
			`
Exit codes: 0 no error findings, 1 error findings, 2 a file cannot be read or bad usage.
Without FILE: "plan" from the config file, else $CAVRA_GO_ROLLBACK_PLAN.
Reviewed exceptions: lint.allow in the config, by rule and fingerprint (never the raw value).`,
		);
	parseCommand(command, context);
	const format = command.opts<{format: Format}>().format;
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});

	let files = command.args;
	if (files.length === 0) {
		const configured = config.plan ?? context.env['CAVRA_GO_ROLLBACK_PLAN'];
		if (!configured) {
			throw new UsageError('no plan to lint', 'name one (cavra-rollback lint plan.json, or - for stdin), set "plan" in .cavrarc, or export CAVRA_GO_ROLLBACK_PLAN');
		}
		files = [configured];
	}
	if (files.filter(file => file === '-').length > 1) throw new UsageError('"-" (standard input) can be named only once');

	const reports: FileReport[] = [];
	const unreadable: Array<{path: string; error: string}> = [];
	for (const file of files) {
		try {
			const bytes = await readInput(file, context.stdin);
			reports.push(await lintPlan({path: file, bytes}, {allow: config.lint?.allow}));
		} catch (error) {
			if (!isCavraError(error)) throw error;
			unreadable.push({path: file, error: error.message});
			context.stderr.write(`cavra-rollback: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
		}
	}

	if (format === 'json') {
		const {formatLintJson} = await import('../format/lint-json.js');
		const text = formatLintJson(reports);
		if (unreadable.length === 0) context.stdout.write(text);
		else {
			const document = JSON.parse(text) as {ok: boolean; unreadable?: unknown};
			document.ok = false;
			document.unreadable = unreadable;
			context.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
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
		if (reports.length > 0) context.stdout.write(formatLintText(reports, {color: context.globals.color}));
	}

	if (unreadable.length > 0) return ExitCode.usage;
	return reports.every(report => report.ok) ? ExitCode.ok : ExitCode.findings;
};
