import type {FileReport, Finding} from '../lint/finding.js';
import {appendPointer, parsePointer} from '../json/pointer.js';
import {plural} from '../text/quantities.js';

/**
 * Where a finding belongs in the wizard: which step shows it, and next to which list item.
 * Lint speaks in JSON pointers (`/rollback_steps/1`); the wizard speaks in fields.
 */

export type FieldKey = 'approval' | 'recovery' | 'controls' | 'steps' | 'evidence' | 'plan';

export interface PlacedFinding {
	finding: Finding;
	field: FieldKey;
	/** The list item it concerns (steps, evidence refs, controls), 0-based. */
	item?: number;
}

const FIELD_OF_KEY: Record<string, FieldKey> = {
	approved: 'approval',
	approval: 'approval',
	approval_id: 'approval',
	max_recovery_minutes: 'recovery',
	controls: 'controls',
	rollback_steps: 'steps',
	evidence_refs: 'evidence',
};

/** For findings on the whole document (a missing key), the rule says which field. */
const FIELD_OF_RULE: Array<[RegExp, FieldKey]> = [
	[/^schema\/(approval|approved|approval-type|approval-id)/, 'approval'],
	[/^schema\/max-recovery-minutes$/, 'recovery'],
	[/^schema\/(controls-type|missing-control|control-type|duplicate-control)$/, 'controls'],
	[/^schema\/(rollback-steps|empty-step)$/, 'steps'],
	[/^schema\/evidence-ref/, 'evidence'],
];

export function placeFinding(finding: Finding): PlacedFinding {
	let segments: string[] = [];
	try {
		segments = parsePointer(finding.pointer);
	} catch {
		segments = [];
	}
	const top = segments[0];
	const field = top !== undefined ? FIELD_OF_KEY[top] : undefined;
	if (field) {
		const index = segments[1] !== undefined && /^\d+$/.test(segments[1]) && field !== 'approval' ? Number(segments[1]) : undefined;
		return index === undefined ? {finding, field} : {finding, field, item: index};
	}
	for (const [pattern, byRule] of FIELD_OF_RULE) if (pattern.test(finding.rule)) return {finding, field: byRule};
	return {finding, field: 'plan'};
}

export function findingsFor(report: FileReport | undefined, field: FieldKey): PlacedFinding[] {
	if (!report) return [];
	return report.findings.map(placeFinding).filter(placed => placed.field === field);
}

export interface Counts {
	errors: number;
	warnings: number;
}

export function countFindings(findings: readonly Finding[]): Counts {
	let errors = 0;
	let warnings = 0;
	for (const finding of findings) {
		if (finding.severity === 'error') errors++;
		else warnings++;
	}
	return {errors, warnings};
}

/** "2 errors · 1 warning", or "no findings". */
export function describeCounts(counts: Counts): string {
	if (counts.errors === 0 && counts.warnings === 0) return 'no findings';
	return `${plural(counts.errors, 'error')} · ${plural(counts.warnings, 'warning')}`;
}

export {plural};

/** How a finding reads next to its field: the message, plus the masked preview for secrets. */
export function findingText(finding: Finding): string {
	return finding.preview ? `${finding.message} [${finding.preview}]` : finding.message;
}

/** Pointers of string values that a public-safety finding flagged (their text must not be shown). */
export function flaggedPointers(findings: readonly Finding[]): Map<string, string> {
	const flagged = new Map<string, string>();
	for (const finding of findings) {
		if (finding.category !== 'public-safety') continue;
		if (!flagged.has(finding.pointer)) flagged.set(finding.pointer, finding.preview ?? '••••');
	}
	return flagged;
}

/** The text shown for a flagged value: its masked preview, never the value. */
export function maskedText(preview: string): string {
	return `‹masked: ${preview}›`;
}

/**
 * A copy of the plan for display: every string a public-safety finding flagged is replaced by its
 * masked preview, so the review can be shown on a shared screen. Keys are user data too; a
 * flagged key is never a pointer target here (lint flags values), so keys are kept.
 */
export function maskPlan(plan: unknown, findings: readonly Finding[]): unknown {
	const flagged = flaggedPointers(findings);
	if (flagged.size === 0) return plan;
	const walk = (value: unknown, pointer: string): unknown => {
		if (typeof value === 'string') {
			const preview = flagged.get(pointer);
			return preview === undefined ? value : maskedText(preview);
		}
		if (Array.isArray(value)) return value.map((item, index) => walk(item, appendPointer(pointer, index)));
		if (typeof value === 'object' && value !== null) {
			const out: Record<string, unknown> = {};
			for (const [key, item] of Object.entries(value)) out[key] = walk(item, appendPointer(pointer, key));
			return out;
		}
		return value;
	};
	return walk(plan, '');
}

/** The text to show for one list item: masked when a public-safety finding flagged it. */
export function displayItem(text: string, pointer: string, findings: readonly Finding[]): string {
	const preview = flaggedPointers(findings).get(pointer);
	return preview === undefined ? text : maskedText(preview);
}
