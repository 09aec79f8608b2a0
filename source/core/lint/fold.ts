import {agree} from '../text/quantities.js';
import type {Finding} from './finding.js';

/**
 * Bounded output: a file with 300 000 duplicate keys must not become 300 MB of SARIF. Each
 * rule keeps its first findings in file order; the rest are folded into one summary finding of
 * the same rule and severity (so exit codes and SARIF rule metadata stay the same), placed at
 * the first folded finding.
 */

export const MAX_FINDINGS_PER_RULE = 100;

/** `findings` must be in file order; returns a new array, still in file order. */
export function foldFindings(findings: readonly Finding[], limit = MAX_FINDINGS_PER_RULE): Finding[] {
	const counts = new Map<string, number>();
	const firstFolded = new Map<string, Finding>();
	const kept: Finding[] = [];
	for (const finding of findings) {
		const count = (counts.get(finding.rule) ?? 0) + 1;
		counts.set(finding.rule, count);
		if (count <= limit) kept.push(finding);
		else if (count === limit + 1) firstFolded.set(finding.rule, finding);
	}
	for (const [rule, first] of firstFolded) {
		const folded = counts.get(rule)! - limit;
		kept.push({
			rule,
			category: first.category,
			severity: first.severity,
			message: `${folded} more ${rule} ${folded === 1 ? 'finding' : 'findings'} in this file, from here on, ${agree(folded, 'is', 'are')} folded into this one (the first ${limit} are listed); fix those and lint again to see the rest`,
			pointer: first.pointer,
			line: first.line,
			column: first.column,
		});
	}
	return kept;
}
