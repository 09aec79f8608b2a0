import {plural} from '../core/text/quantities.js';
import {readFile} from 'node:fs/promises';
import {getEnvValue} from '../core/env-file/parse.js';
import {UsageError} from '../core/errors.js';
import {ExitCode, type ExitCodeValue} from '../core/exit-codes.js';
import type {CavraConfig} from '../core/config/schema.js';
import type {FileReport, Finding} from '../core/lint/finding.js';
import {
	CAVRA_ENVIRONMENT,
	DEFAULT_DRILL_DUE_SOON_DAYS,
	DEFAULT_DRILL_MAX_AGE_DAYS,
	evaluateAllReports,
	parseCavraTimestamp,
	parsePyFloat,
	REPORT_NAMES,
	type AllReports,
	type ReadinessCheck,
	type ReadinessSettings,
	type ReportName,
} from '../core/readiness/index.js';
import {visible} from '../core/text/sanitize.js';
import {createStyle, type Style} from '../format/style.js';
import {pythonJsonChunks} from '../format/python-json.js';
import {loadConfig} from '../io/config.js';
import {readReadinessFiles} from '../io/readiness-files.js';
import {writeChunks} from '../io/write-chunks.js';
import {fitToWidth} from '../io/terminal.js';
import {createCommand, parseChoiceOption, parseCommand, parseNumberOption} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';

/**
 * `cavra-rollback readiness`: CAVRA's rollback readiness reports, computed here exactly as CAVRA
 * computes them (core/readiness), from flags, CAVRA's environment variables or the config file.
 * `--json` prints what `cavra runtime go-rollback-readiness --json` prints; the text form adds
 * the plan's public-safety lint, kept apart from CAVRA's verdict.
 */

const REPORT_CHOICES = [...REPORT_NAMES, 'all'] as const;
type ReportChoice = (typeof REPORT_CHOICES)[number];

const HEADERS: Record<ReportName, string> = {
	rollback: 'Go rollback readiness',
	rehearsal: 'Go rollback rehearsal',
	drills: 'Go rollback drills',
	'drill-schedule': 'Go rollback drill schedule',
};

interface Options {
	report: ReportChoice;
	mode?: string;
	rollbackPlanPath?: string;
	rollbackRehearsalPath?: string;
	rollbackDrillHistoryPath?: string;
	rollbackDrillMaxAgeDays?: number;
	rollbackDrillSchedulePath?: string;
	rollbackDrillDueSoonDays?: number;
	now?: string;
	json?: boolean;
}

export const run: CommandRun = async context => {
	const command = createCommand('readiness', context)
		.description("CAVRA's rollback readiness reports (plan, rehearsal evidence, drill history, drill schedule), computed locally exactly as CAVRA computes them.")
		.option('--report <name>', 'rollback, rehearsal, drills, drill-schedule or all', parseChoiceOption('--report', REPORT_CHOICES), 'rollback')
		.option('--mode <mode>', 'Go backend mode: disabled, shadow, enforce or promoted (else $CAVRA_GO_BACKEND_MODE, else the config\'s mode.envFiles, else disabled)')
		.option('--rollback-plan-path <path>', 'rollback plan (else $CAVRA_GO_ROLLBACK_PLAN, else "plan" in the config)')
		.option('--rollback-rehearsal-path <path>', 'rehearsal evidence (else $CAVRA_GO_ROLLBACK_REHEARSAL_EVIDENCE, else "rehearsalEvidence")')
		.option('--rollback-drill-history-path <path>', 'drill history (else $CAVRA_GO_ROLLBACK_DRILL_HISTORY, else "drillHistory")')
		.option('--rollback-drill-max-age-days <days>', `drill freshness window (else $CAVRA_GO_ROLLBACK_DRILL_MAX_AGE_DAYS, else "drillMaxAgeDays", else ${DEFAULT_DRILL_MAX_AGE_DAYS})`, parseNumberOption('--rollback-drill-max-age-days'))
		.option('--rollback-drill-schedule-path <path>', 'drill schedule (else $CAVRA_GO_ROLLBACK_DRILL_SCHEDULE, else "drillSchedule")')
		.option('--rollback-drill-due-soon-days <days>', `due-soon window (else $CAVRA_GO_ROLLBACK_DRILL_DUE_SOON_DAYS, else "drillDueSoonDays", else ${DEFAULT_DRILL_DUE_SOON_DAYS})`, parseNumberOption('--rollback-drill-due-soon-days'))
		.option('--now <iso-8601>', 'the clock for drill freshness and due dates, e.g. 2026-11-29T12:00:00Z (no offset means UTC)')
		.option('--json', "print the report exactly as CAVRA's CLI prints it (--report all: one object keyed by report name)")
		.addHelpText(
			'after',
			`
Each input: the flag, else CAVRA's environment variable, else the config file, else CAVRA's default.
With no CAVRA variables and no config, the flags give the report of
  cavra runtime go-rollback-readiness --mode M --rollback-plan-path P --json

Exit codes: 0 ready, due_soon or not_requested; 1 needs_attention (any report shown);
2 bad usage or config. (CAVRA's own CLI exits 0 whatever the status.)
The text form also shows the plan's public-safety lint; it never changes CAVRA's verdict or the exit code.`,
		);
	parseCommand(command, context);
	const options = command.opts<Options>();

	const now = parseNow(options.now);
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const settings: ReadinessSettings = {
		mode: options.mode ?? envValue(context, CAVRA_ENVIRONMENT.mode) ?? (await modeFromEnvFiles(config, context)) ?? 'disabled',
		rollbackPlanPath: options.rollbackPlanPath ?? envValue(context, CAVRA_ENVIRONMENT.rollbackPlanPath) ?? config.plan ?? '',
		rollbackRehearsalPath: options.rollbackRehearsalPath ?? envValue(context, CAVRA_ENVIRONMENT.rollbackRehearsalPath) ?? config.rehearsalEvidence ?? '',
		rollbackDrillHistoryPath: options.rollbackDrillHistoryPath ?? envValue(context, CAVRA_ENVIRONMENT.rollbackDrillHistoryPath) ?? config.drillHistory ?? '',
		rollbackDrillMaxAgeDays:
			options.rollbackDrillMaxAgeDays ?? envDays(context, CAVRA_ENVIRONMENT.rollbackDrillMaxAgeDays) ?? config.drillMaxAgeDays ?? DEFAULT_DRILL_MAX_AGE_DAYS,
		rollbackDrillSchedulePath: options.rollbackDrillSchedulePath ?? envValue(context, CAVRA_ENVIRONMENT.rollbackDrillSchedulePath) ?? config.drillSchedule ?? '',
		rollbackDrillDueSoonDays:
			options.rollbackDrillDueSoonDays ?? envDays(context, CAVRA_ENVIRONMENT.rollbackDrillDueSoonDays) ?? config.drillDueSoonDays ?? DEFAULT_DRILL_DUE_SOON_DAYS,
		...now,
	};

	const files = await readReadinessFiles(settings);
	const names: readonly ReportName[] = options.report === 'all' ? REPORT_NAMES : [options.report];
	const style = createStyle(context.globals.color);
	// The plan's public-safety lint runs before CAVRA's reports are computed and is kept as text
	// until they are printed (the output is the same): in this order the two parses of a 10 MB
	// plan leave V8's young generation at half its maximum size (peak ~120 -> ~107 MiB, issue 13).
	const planInvolved = names.includes('rollback') || names.includes('rehearsal');
	const lint = !options.json && planInvolved && files.plan.kind === 'bytes' ? await publicSafetySection(settings.rollbackPlanPath, files.plan.bytes, config, style) : undefined;
	const exitCode = await printReports(context, evaluateAllReports(settings, files), options, names, style);
	if (lint !== undefined) context.stdout.write(await fitToWidth(lint, context.stdout, context.env));
	return exitCode;
};

/** The reports as CAVRA's CLI prints them (--json) or as text; returns the exit code they give. */
async function printReports(context: CommandContext, all: AllReports, options: Options, names: readonly ReportName[], style: Style): Promise<ExitCodeValue> {
	if (options.json) {
		await writeChunks(context.stdout, pythonJsonChunks(options.report === 'all' ? all : all[options.report], {trailingNewline: true}));
	} else {
		context.stdout.write(await fitToWidth(formatReadinessText(all, names, {style, ascii: context.env['TERM'] === 'dumb'}), context.stdout, context.env));
	}
	return names.some(name => all[name].status === 'needs_attention') ? ExitCode.findings : ExitCode.ok;
}

/** `--now`: parsed as CAVRA parses timestamps (naive means UTC, `Z` accepted); to a Date plus the microseconds it cannot hold. */
export function parseNow(value: string | undefined): Pick<ReadinessSettings, 'now' | 'nowExtraMicroseconds'> {
	if (value === undefined) return {now: new Date()};
	const instant = parseCavraTimestamp(value);
	if (instant === undefined) {
		throw new UsageError(`--now takes an ISO-8601 timestamp, got "${value}"`, 'e.g. --now 2026-11-29T12:00:00Z (without an offset the time is UTC)');
	}
	const micros = ((instant % 1000n) + 1000n) % 1000n;
	return {now: new Date(Number((instant - micros) / 1000n)), nowExtraMicroseconds: Number(micros)};
}

/** An environment variable that is set and not empty (empty counts as unset, so the config applies). */
function envValue(context: CommandContext, name: string): string | undefined {
	const value = context.env[name];
	return value === undefined || value === '' ? undefined : value;
}

/** A day count from CAVRA's variable, read with Python's float() as CAVRA reads it; warns (without the value) when unusable. */
function envDays(context: CommandContext, name: string): number | undefined {
	const raw = envValue(context, name);
	if (raw === undefined) return undefined;
	const days = parsePyFloat(raw);
	if (days === undefined) context.stderr.write(`cavra-rollback: ignoring ${name}: not a number (CAVRA would use its default)\n`);
	return days;
}

/** The first env file named in the config that sets CAVRA_GO_BACKEND_MODE (where CAVRA's services read it). */
async function modeFromEnvFiles(config: CavraConfig, context: CommandContext): Promise<string | undefined> {
	for (const file of config.mode?.envFiles ?? []) {
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
			context.stderr.write(`cavra-rollback: cannot read env file ${visible(file)} (${visible(code)}); ignoring it for the mode\n`);
			continue;
		}
		const value = getEnvValue(text, CAVRA_ENVIRONMENT.mode);
		if (value !== undefined) return value;
	}
	return undefined;
}

const STATUS_COLOR: Record<string, keyof Style> = {ready: 'green', not_requested: 'dim', due_soon: 'yellow', needs_attention: 'red'};

/** One block per report: `Go rollback readiness: <status> (<mode>)`, then a line per check; marks never rely on colour. */
export function formatReadinessText(all: AllReports, names: readonly ReportName[], options: {style: Style; ascii: boolean}): string {
	const {style, ascii} = options;
	const mark = (check: ReadinessCheck) => {
		if (check.status === 'pass') return style.green(ascii ? '[pass]' : '✔ pass');
		return style.yellow(ascii ? '[warn]' : '⚠ warn');
	};
	const blocks = names.map(name => {
		const report = all[name];
		const status = style[STATUS_COLOR[report.status] ?? 'bold'](visible(report.status));
		// The mode comes from an env file and messages quote file contents: outside text, shown through `visible`.
		const lines = [`${style.bold(HEADERS[name])}: ${status} (${visible(report.mode)})`];
		for (const check of report.checks) lines.push(`  ${mark(check)} ${visible(check.id)}: ${visible(check.message)}`);
		return lines.join('\n');
	});
	return `${blocks.join('\n\n')}\n`;
}

/** The plan's public-safety findings from the linter, under a heading that says they are not CAVRA's. */
async function publicSafetySection(planPath: string, bytes: Uint8Array, config: CavraConfig, style: Style): Promise<string> {
	const heading = "Public-safety lint (cavra-rollback, not part of CAVRA's verdict)";
	let report: FileReport;
	try {
		const {lintPlan} = await import('../core/lint/lint-plan.js');
		report = await lintPlan({path: planPath, bytes}, {allow: config.lint?.allow ?? []});
	} catch (error) {
		return `\n${heading}: could not run (${visible(error instanceof Error ? error.message : String(error))})\n`;
	}
	return formatPublicSafety(report, heading, style);
}

export function formatPublicSafety(report: FileReport, heading: string, style: Style): string {
	const findings = report.findings.filter((finding: Finding) => finding.category === 'public-safety');
	const errors = findings.filter(finding => finding.severity === 'error').length;
	const warnings = findings.length - errors;
	const counts = [errors > 0 && plural(errors, 'error'), warnings > 0 && plural(warnings, 'warning')].filter(Boolean).join(', ');
	const summary = findings.length === 0 ? style.green('clean') : errors > 0 ? style.red(counts) : style.yellow(counts);
	const suppressed = report.suppressed > 0 ? ` (${report.suppressed} allowed by lint.allow)` : '';
	const lines = [`\n${heading}: ${summary}${suppressed}`];
	for (const finding of findings) {
		const severity = finding.severity === 'error' ? style.red('error') : style.yellow('warning');
		const fingerprint = finding.fingerprint ? style.dim(`  [fingerprint ${finding.fingerprint}]`) : '';
		lines.push(`  ${finding.line}:${finding.column} ${severity} ${visible(finding.rule)} ${visible(finding.message)}${fingerprint}`);
	}
	return `${lines.join('\n')}\n`;
}
