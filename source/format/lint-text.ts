import {plural} from '../core/text/quantities.js';
import type {FileReport} from '../core/lint/finding.js';
import {visible} from '../core/text/sanitize.js';
import {createStyle} from './style.js';

/** Compiler-style lines: `file:line:column  severity  rule  message`, then a summary. Paths and messages quote outside text: shown through `visible`. */
export function formatLintText(reports: readonly FileReport[], options: {color: boolean; afterDryRunFix?: boolean}): string {
	const style = createStyle(options.color);
	const lines: string[] = [];
	for (const report of reports) {
		for (const finding of report.findings) {
			const severity = finding.severity === 'error' ? style.red('error  ') : style.yellow('warning');
			const where = `${visible(report.path)}:${finding.line}:${finding.column}`;
			let line = `${where}  ${severity}  ${visible(finding.rule)}  ${visible(finding.message)}`;
			if (finding.fingerprint) line += style.dim(`  [${visible(finding.preview ?? '')} fingerprint ${visible(finding.fingerprint)}]`);
			lines.push(line);
		}
	}
	const summary = summarize(reports);
	const suppressed = summary.suppressed > 0 ? `, ${summary.suppressed} allowed by lint.allow` : '';
	const files = plural(summary.files, 'file');
	// A --fix --dry-run lints the would-be result: the words say so, since the files on disk are unchanged.
	const would = options.afterDryRunFix ? ' after --fix (nothing written)' : '';
	if (summary.errors === 0 && summary.warnings === 0) {
		const names = reports.length <= 3 ? `: ${reports.map(report => visible(report.path)).join(', ')}` : '';
		lines.push(style.green(options.afterDryRunFix ? `✔ ${files} would be clean${would}${suppressed}${names}` : `✔ ${files} clean${suppressed}${names}`));
	} else {
		const text = `${summary.errors === 0 ? '✔' : '✖'} ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} ${options.afterDryRunFix ? 'would remain ' : ''}in ${files}${would}${suppressed}`;
		lines.push(summary.errors === 0 ? style.yellow(text) : style.red(text));
	}
	return `${lines.join('\n')}\n`;
}

export interface LintSummary {
	files: number;
	errors: number;
	warnings: number;
	suppressed: number;
}

export function summarize(reports: readonly FileReport[]): LintSummary {
	let errors = 0;
	let warnings = 0;
	let suppressed = 0;
	for (const report of reports) {
		suppressed += report.suppressed;
		for (const finding of report.findings) {
			if (finding.severity === 'error') errors++;
			else warnings++;
		}
	}
	return {files: reports.length, errors, warnings, suppressed};
}

