import type {FileReport} from '../core/lint/finding.js';
import {escapeHiddenInJson} from '../core/text/sanitize.js';
import {summarize} from './lint-text.js';

export const LINT_REPORT_SCHEMA_VERSION = 'cavra-rollback.lint-report.v1';

/** `cavra-rollback.lint-report.v1`: a stable shape scripts can rely on. */
export function formatLintJson(reports: readonly FileReport[]): string {
	const document = {
		schema_version: LINT_REPORT_SCHEMA_VERSION,
		ok: reports.every(report => report.ok),
		files: reports.map(report => ({
			path: report.path,
			ok: report.ok,
			findings: report.findings.map(finding => ({
				rule: finding.rule,
				category: finding.category,
				severity: finding.severity,
				message: finding.message,
				pointer: finding.pointer,
				line: finding.line,
				column: finding.column,
				...(finding.preview !== undefined && {preview: finding.preview}),
				...(finding.fingerprint !== undefined && {fingerprint: finding.fingerprint}),
			})),
			suppressed: report.suppressed,
		})),
		summary: summarize(reports),
	};
	return `${escapeHiddenInJson(JSON.stringify(document, null, 2))}\n`;
}
