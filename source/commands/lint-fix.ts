import {plural} from '../core/text/quantities.js';
import {maskedDiff} from '../core/lint/fix.js';
import type {AllowEntry, FileReport} from '../core/lint/finding.js';
import {createStyle} from '../format/style.js';
import {summarize} from '../format/lint-text.js';
import {createKeyLabeler} from '../core/lint/key-label.js';
import {safePointer} from '../core/lint/lint-plan.js';
import {visible, visibleLines} from '../core/text/sanitize.js';
import {fixPlanFile} from '../io/plan-fixer.js';

/** What `lint --fix` did (or would do) to one file, in the terms every output format uses. */
export interface FixSummary {
	path: string;
	fixed: Array<{rule: string; pointer: string; line: number; column: number; placeholder: string; fingerprint: string}>;
	/** The masked diff (dry run only). */
	diff?: string;
	refusal?: string;
}

/** Fixes one file (or plans it, for a dry run); returns the bytes to lint next. */
export async function fixFile(path: string, bytes: Uint8Array, options: {allow?: readonly AllowEntry[]; dryRun: boolean}): Promise<{bytes: Uint8Array; summary: FixSummary}> {
	const plan = await fixPlanFile(path, bytes, options);
	const keys = createKeyLabeler();
	const fixed = plan.edits.map(edit => ({
		rule: edit.rule,
		pointer: safePointer(edit.pointer, keys),
		...plan.document.positionAt(edit.start),
		placeholder: edit.placeholder,
		fingerprint: edit.fingerprint,
	}));
	const summary: FixSummary = {path, fixed, ...(options.dryRun && {diff: maskedDiff(path, plan)}), ...(plan.refusal !== undefined && {refusal: plan.refusal})};
	return {bytes: plan.bytes, summary};
}

/** Text output: the masked diff for a dry run, then one line per replaced value. */
export function formatFixText(summary: FixSummary, dryRun: boolean): string {
	const lines: string[] = [];
	if (summary.refusal) return `${visibleLines(summary.path)}: not fixed: ${summary.refusal}\n`;
	if (summary.diff) lines.push(visibleLines(summary.diff.trimEnd()));
	const verb = dryRun ? 'would replace' : 'replaced';
	for (const fix of summary.fixed) lines.push(`${visibleLines(summary.path)}:${fix.line}:${fix.column}  ${verb} ${fix.rule} with ${fix.placeholder}`);
	lines.push(`${visibleLines(summary.path)}: ${summary.fixed.length === 0 ? 'nothing to fix' : `${dryRun ? 'would fix' : 'fixed'} ${plural(summary.fixed.length, 'value')}${dryRun ? ' (dry run: file unchanged)' : ''}`}`);
	return `${lines.join('\n')}\n`;
}

/** After a dry run: the files that keep error findings on disk, since nothing was written (why the exit code is 1). */
export function stillOnDiskText(reports: readonly FileReport[], color: boolean): string {
	const style = createStyle(color);
	const lines = reports.map(report => {
		const {errors} = summarize([report]);
		return style.red(`✖ ${visible(report.path)} still has ${plural(errors, 'error finding')} on disk: run lint --fix without --dry-run to write the fix`);
	});
	return `${lines.join('\n')}\n`;
}
