import {agree} from '../text/quantities.js';
import {shellCommand} from '../text/shell-command.js';
import type {FileReport, Finding} from '../lint/finding.js';
import {countFindings, findingText, plural} from './findings.js';

/**
 * The one rule for saving: a plan with error findings is never written as `status: "ready"`.
 * It may be written as a draft, and the user is told what remains.
 */

export interface SaveDecision {
	/** True when no error finding remains, so "ready" may be recorded. */
	readyAllowed: boolean;
	errors: Finding[];
	warnings: Finding[];
	/** One line per remaining error, safe to print (messages never hold secrets). */
	remaining: string[];
}

export function decideSave(report: FileReport): SaveDecision {
	const errors = report.findings.filter(finding => finding.severity === 'error');
	const warnings = report.findings.filter(finding => finding.severity === 'warning');
	return {readyAllowed: errors.length === 0, errors, warnings, remaining: errors.map(remainingLine)};
}

/** Lint messages name their field already ("rollback step 2: …", "max_recovery_minutes is missing"). */
function remainingLine(finding: Finding): string {
	return findingText(finding);
}

/** What the save screen and the non-interactive mode say about a draft. */
export function draftSummary(decision: SaveDecision): string {
	const counts = countFindings([...decision.errors, ...decision.warnings]);
	return `${plural(counts.errors, 'error')} ${agree(counts.errors, 'remains', 'remain')}, so the plan can only be saved as a draft (status "draft"); CAVRA reports needs_attention until they are fixed and it is saved as ready`;
}

/**
 * What to run after a save: lint and CAVRA's readiness of the file just written (not the plan
 * the config names, which may be another file), in promoted mode where CAVRA reads the plan.
 * One command per line, quoted for the shell, so each can be copied whole.
 */
export function nextStepLines(path: string): string[] {
	return [
		'next, check the file just written:',
		`  ${shellCommand(['cavra-rollback', 'lint', path])}`,
		`  ${shellCommand(['cavra-rollback', 'readiness', '--mode', 'promoted', '--rollback-plan-path', path])}`,
	];
}
