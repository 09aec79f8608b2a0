import {Text} from './text.js';
import {countFindings, describeCounts} from '../../core/author/findings.js';
import type {FileReport} from '../../core/lint/finding.js';

/** One line under every step: how many errors and warnings the plan has right now. */
export function AuthorStatusLine({report}: {report: FileReport}) {
	const counts = countFindings(report.findings);
	const color = counts.errors > 0 ? 'red' : counts.warnings > 0 ? 'yellow' : 'green';
	const mark = counts.errors > 0 ? '✖' : counts.warnings > 0 ? '⚠' : '✔';
	return (
		<Text color={color}>
			{mark} lint: {describeCounts(counts)}
			{counts.errors > 0 ? ' — errors keep the plan from being saved as ready' : ''}
		</Text>
	);
}
