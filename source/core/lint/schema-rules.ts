import {appendPointer, printableKey} from '../json/pointer.js';
import {
	CAVRA_MESSAGES,
	CONTROL_DESCRIPTIONS,
	EVIDENCE_REF_PATTERN,
	KNOWN_PLAN_KEYS,
	PLAN_SCHEMA_VERSION,
	REQUIRED_CONTROLS,
} from '../plan/constants.js';
import type {RuleMeta, Severity} from './finding.js';

/**
 * The `schema` category: every rule CAVRA applies to a plan (with CAVRA's wording quoted), plus
 * what CAVRA should check and does not. Messages never echo a value from the plan (it may be a
 * secret); they name the field, the expected shape, and the fix.
 */

export interface SchemaProblem {
	rule: string;
	severity: Severity;
	message: string;
	pointer: string;
}

/** A day: a longer recovery target is usually hours or seconds typed as minutes. */
export const MAX_ADVISED_RECOVERY_MINUTES = 1440;

export const schemaRules: RuleMeta[] = [
	rule('schema/schema-version', 'error', 'schema_version is not cavra.go-backend-rollback-plan.v1', `Set "schema_version": "${PLAN_SCHEMA_VERSION}".`),
	rule('schema/status', 'warning', 'status is not "ready" (the plan is a draft)', 'Set "status": "ready" once the plan is complete and approved; CAVRA reports needs_attention until then.'),
	rule('schema/target-mode', 'error', 'target_mode is not "disabled"', 'Set "target_mode": "disabled" (lower case): rollback returns CAVRA to Python-only mode.'),
	rule('schema/approval', 'warning', 'the plan is not approved', 'Record the approval: "approved": true with an "approval_id", or "approval": {"status": "approved", "approval_id": "..."}.'),
	rule('schema/approved-type', 'error', 'approved is not a boolean', 'Use true or false; CAVRA does not count "true", 1 or "yes" as approval.'),
	rule('schema/approval-type', 'warning', 'approval is not an object', 'Use {"status": "approved", "approval_id": "..."}; CAVRA ignores any other value.'),
	rule('schema/approval-id-type', 'warning', 'approval_id is not a string', 'Write the approval id as a string; CAVRA converts other values with Python str().'),
	rule('schema/approval-id-missing', 'warning', 'approved without an approval_id', 'Add "approval_id" so auditors can trace the approval record.'),
	rule('schema/max-recovery-minutes', 'error', 'max_recovery_minutes is not a positive number', 'Set the recovery target in minutes as a number, e.g. "max_recovery_minutes": 15.'),
	rule('schema/controls-type', 'error', 'controls is not a list', 'Make controls a list of control names; CAVRA crashes on null or a number and misreads strings and objects.'),
	rule('schema/missing-control', 'error', 'a required control is missing', `Add every required control to "controls": ${REQUIRED_CONTROLS.join(', ')}.`),
	rule('schema/control-type', 'warning', 'a control is not a string', 'Controls are names (strings); CAVRA ignores anything else.'),
	rule('schema/duplicate-control', 'warning', 'a control is listed twice', 'List each control once.'),
	rule('schema/rollback-steps', 'error', 'rollback_steps is not a non-empty list of strings', 'List the runbook steps an operator follows, as strings, in order.'),
	rule('schema/empty-step', 'warning', 'a rollback step is empty', 'Remove the empty step or write what the operator does.'),
	rule('schema/evidence-refs', 'error', 'evidence_refs is not a list of strings', 'Make evidence_refs a list of strings (it may be empty).'),
	rule('schema/no-evidence-refs', 'warning', 'the plan names no evidence (evidence_refs missing or empty)', 'List where the rehearsal and readiness evidence lives, e.g. "evidence_refs": ["go-rollback-readiness://ci/ready"]; CAVRA accepts a plan without it, auditors do not.'),
	rule('schema/long-recovery', 'warning', 'max_recovery_minutes is longer than a day', `Check the unit: the target is in minutes (${MAX_ADVISED_RECOVERY_MINUTES} is a day); a rollback that may take longer than a day is rarely what was meant.`),
	rule('schema/evidence-ref-syntax', 'error', 'an evidence ref is not of the form scheme://path', 'Write evidence refs as scheme://path, e.g. go-rollback-readiness://ci/ready.'),
	rule('schema/unknown-key', 'warning', 'a top-level key CAVRA does not read', 'Remove the key or fix its spelling; CAVRA ignores it.'),
];

function rule(id: string, defaultSeverity: Severity, title: string, help: string): RuleMeta {
	return {id, category: 'schema', defaultSeverity, title, help};
}

type Plan = Record<string, unknown>;

/** `quoteKey`: how a message quotes a plan's own key (see ParseOptions.quoteKey). */
export function checkPlanSchema(plan: Plan, quoteKey: (key: string) => string = printableKey): SchemaProblem[] {
	const problems: SchemaProblem[] = [];
	const add = (ruleId: string, severity: Severity, message: string, pointer: string) => {
		problems.push({rule: ruleId, severity, message, pointer});
	};
	const has = (key: string) => Object.hasOwn(plan, key);

	// schema_version
	if (!has('schema_version')) {
		add('schema/schema-version', 'error', `schema_version is missing; CAVRA reports "${CAVRA_MESSAGES.schemaVersion}". Add "schema_version": "${PLAN_SCHEMA_VERSION}"`, '');
	} else if (plan['schema_version'] !== PLAN_SCHEMA_VERSION) {
		add('schema/schema-version', 'error', `schema_version must be exactly "${PLAN_SCHEMA_VERSION}" (CAVRA: "${CAVRA_MESSAGES.schemaVersion}")`, '/schema_version');
	}

	// status: a draft is a normal state while authoring, so never worse than a warning.
	if (!has('status')) {
		add('schema/status', 'warning', `status is missing; CAVRA reports "${CAVRA_MESSAGES.status}". Set "status": "ready" once the plan is complete and approved`, '');
	} else if (plan['status'] !== 'ready') {
		const kind = typeof plan['status'] === 'string' ? 'is not "ready" (a draft)' : `is ${typeName(plan['status'])}, not the string "ready"`;
		add('schema/status', 'warning', `status ${kind}; CAVRA reports "${CAVRA_MESSAGES.status}" until it is "ready"`, '/status');
	}

	// target_mode
	if (!has('target_mode')) {
		add('schema/target-mode', 'error', `target_mode is missing; CAVRA reports "${CAVRA_MESSAGES.targetMode}". Add "target_mode": "disabled"`, '');
	} else if (plan['target_mode'] !== 'disabled') {
		const value = plan['target_mode'];
		const caseHint = typeof value === 'string' && value.trim().toLowerCase() === 'disabled' ? ' (the match is exact: lower case, no spaces)' : '';
		add('schema/target-mode', 'error', `target_mode must be "disabled"${caseHint}; CAVRA: "${CAVRA_MESSAGES.targetMode}"`, '/target_mode');
	}

	checkApproval(plan, add);

	// max_recovery_minutes
	const minutes = plan['max_recovery_minutes'];
	if (!has('max_recovery_minutes')) {
		add('schema/max-recovery-minutes', 'error', `max_recovery_minutes is missing; CAVRA reports "${CAVRA_MESSAGES.maxRecovery}". Add the recovery target in minutes, e.g. "max_recovery_minutes": 15`, '');
	} else if (typeof minutes !== 'number' || !(minutes > 0)) {
		const detail =
			typeof minutes === 'string' ? 'is a string; write the number without quotes'
			: typeof minutes === 'number' ? 'must be greater than 0'
			: `is ${typeName(minutes)}; it must be a number of minutes`;
		add('schema/max-recovery-minutes', 'error', `max_recovery_minutes ${detail} (CAVRA: "${CAVRA_MESSAGES.maxRecovery}")`, '/max_recovery_minutes');
	} else if (minutes > MAX_ADVISED_RECOVERY_MINUTES && Number.isFinite(minutes)) {
		add('schema/long-recovery', 'warning', `max_recovery_minutes is ${minutes}, longer than a day (${MAX_ADVISED_RECOVERY_MINUTES}); CAVRA accepts it, but check the unit is minutes`, '/max_recovery_minutes');
	}

	checkControls(plan, add);
	checkSteps(plan, add);
	checkEvidenceRefs(plan, add);

	for (const key of Object.keys(plan)) {
		if ((KNOWN_PLAN_KEYS as readonly string[]).includes(key)) continue;
		const suggestion = closestKnownKey(key);
		add(
			'schema/unknown-key',
			'warning',
			`unknown key "${quoteKey(key)}" is ignored by CAVRA; ${suggestion ? `did you mean "${suggestion}"?` : 'remove it or check its spelling'}`,
			appendPointer('', key),
		);
	}
	return problems;
}

type Add = (rule: string, severity: Severity, message: string, pointer: string) => void;

function checkApproval(plan: Plan, add: Add): void {
	const approved = plan['approved'];
	const approval = plan['approval'];
	const approvalIsObject = typeof approval === 'object' && approval !== null && !Array.isArray(approval);
	if (Object.hasOwn(plan, 'approved') && typeof approved !== 'boolean') {
		add('schema/approved-type', 'error', `approved is ${typeName(approved)}; use true or false (CAVRA does not count "true", 1 or "yes" as approval)`, '/approved');
	}
	if (Object.hasOwn(plan, 'approval') && !approvalIsObject) {
		add('schema/approval-type', 'warning', `approval is ${typeName(approval)}; CAVRA ignores it unless it is an object such as {"status": "approved", "approval_id": "..."}`, '/approval');
	}
	const nestedApproved = approvalIsObject && (approval as Plan)['status'] === 'approved';
	const isApproved = approved === true || nestedApproved;
	if (!isApproved) {
		const pointer = Object.hasOwn(plan, 'approved') ? '/approved' : approvalIsObject ? '/approval' : '';
		add('schema/approval', 'warning', `the plan is not approved; CAVRA reports "${CAVRA_MESSAGES.approval}" and readiness stays needs_attention. Record it with "approved": true and an "approval_id"`, pointer);
	}
	const topId = plan['approval_id'];
	const nestedId = approvalIsObject ? (approval as Plan)['approval_id'] : undefined;
	if (Object.hasOwn(plan, 'approval_id') && topId !== null && typeof topId !== 'string') {
		add('schema/approval-id-type', 'warning', `approval_id is ${typeName(topId)}; write it as a string (CAVRA converts it with Python str())`, '/approval_id');
	} else if (nestedId !== undefined && nestedId !== null && typeof nestedId !== 'string') {
		add('schema/approval-id-type', 'warning', `approval.approval_id is ${typeName(nestedId)}; write it as a string`, '/approval/approval_id');
	}
	const hasId = (typeof topId === 'string' && topId.trim() !== '') || (typeof nestedId === 'string' && nestedId.trim() !== '') || (topId !== undefined && topId !== null && typeof topId !== 'string' && Boolean(topId));
	if (isApproved && !hasId) {
		add('schema/approval-id-missing', 'warning', 'the plan is approved but has no approval_id; add the approval reference so auditors can trace it', Object.hasOwn(plan, 'approval_id') ? '/approval_id' : '');
	}
}

function checkControls(plan: Plan, add: Add): void {
	if (!Object.hasOwn(plan, 'controls')) {
		add('schema/controls-type', 'error', `controls is missing; CAVRA reports "${CAVRA_MESSAGES.controlsMissing}${REQUIRED_CONTROLS.join(', ')}". Add the five required controls`, '');
		return;
	}
	const controls = plan['controls'];
	if (!Array.isArray(controls)) {
		const detail =
			controls === null || typeof controls === 'number' ? 'CAVRA crashes on it'
			: typeof controls === 'string' ? 'CAVRA reads it letter by letter'
			: typeof controls === 'object' ? 'CAVRA reads only its keys'
			: 'CAVRA cannot use it';
		add('schema/controls-type', 'error', `controls is ${typeName(controls)}, not a list of control names; ${detail}. Write ["${REQUIRED_CONTROLS.join('", "')}"]`, '/controls');
		return;
	}
	const seen = new Set<string>();
	controls.forEach((control, index) => {
		const pointer = appendPointer('/controls', index);
		if (typeof control !== 'string') {
			add('schema/control-type', 'warning', `control ${index + 1} is ${typeName(control)}; CAVRA ignores it. Controls are names (strings)`, pointer);
			return;
		}
		if (seen.has(control)) add('schema/duplicate-control', 'warning', `control ${index + 1} repeats an earlier control; list each control once`, pointer);
		seen.add(control);
	});
	for (const required of REQUIRED_CONTROLS) {
		if (!seen.has(required)) {
			add('schema/missing-control', 'error', `controls is missing "${required}" (${CONTROL_DESCRIPTIONS[required]}); CAVRA: "${CAVRA_MESSAGES.controlsMissing}…"`, '/controls');
		}
	}
}

function checkSteps(plan: Plan, add: Add): void {
	const steps = plan['rollback_steps'];
	const quote = `CAVRA: "${CAVRA_MESSAGES.steps}"`;
	if (!Object.hasOwn(plan, 'rollback_steps')) {
		add('schema/rollback-steps', 'error', `rollback_steps is missing; list the runbook steps an operator follows (${quote})`, '');
		return;
	}
	if (!Array.isArray(steps)) {
		add('schema/rollback-steps', 'error', `rollback_steps is ${typeName(steps)}; it must be a non-empty list of strings (${quote})`, '/rollback_steps');
		return;
	}
	if (steps.length === 0) {
		add('schema/rollback-steps', 'error', `rollback_steps is empty; list the runbook steps an operator follows (${quote})`, '/rollback_steps');
		return;
	}
	steps.forEach((step, index) => {
		const pointer = appendPointer('/rollback_steps', index);
		if (typeof step !== 'string') {
			add('schema/rollback-steps', 'error', `rollback step ${index + 1} is ${typeName(step)}; every step must be a string (${quote})`, pointer);
		} else if (step.trim() === '') {
			add('schema/empty-step', 'warning', `rollback step ${index + 1} is empty; remove it or write what the operator does`, pointer);
		}
	});
}

function checkEvidenceRefs(plan: Plan, add: Add): void {
	const advice = 'the plan names no evidence; CAVRA accepts that, but auditors attach evidence to it. List where the rehearsal and readiness evidence lives, e.g. "evidence_refs": ["go-rollback-readiness://ci/ready"]';
	if (!Object.hasOwn(plan, 'evidence_refs')) {
		add('schema/no-evidence-refs', 'warning', `evidence_refs is missing: ${advice}`, '');
		return;
	}
	const refs = plan['evidence_refs'];
	if (Array.isArray(refs) && refs.length === 0) add('schema/no-evidence-refs', 'warning', `evidence_refs is empty: ${advice}`, '/evidence_refs');
	const quote = `CAVRA: "${CAVRA_MESSAGES.evidenceRefs}"`;
	if (!Array.isArray(refs)) {
		add('schema/evidence-refs', 'error', `evidence_refs is ${typeName(refs)}; it must be a list of strings, e.g. ["go-rollback-readiness://ci/ready"] (${quote})`, '/evidence_refs');
		return;
	}
	refs.forEach((ref, index) => {
		const pointer = appendPointer('/evidence_refs', index);
		if (typeof ref !== 'string') {
			add('schema/evidence-refs', 'error', `evidence ref ${index + 1} is ${typeName(ref)}; every ref must be a string (${quote})`, pointer);
		} else if (!EVIDENCE_REF_PATTERN.test(ref)) {
			add('schema/evidence-ref-syntax', 'error', `evidence ref ${index + 1} is not of the form scheme://path (lower-case scheme, no spaces), e.g. go-rollback-readiness://ci/ready`, pointer);
		}
	});
}

export function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	switch (typeof value) {
		case 'string':
			return 'a string';
		case 'number':
			return 'a number';
		case 'boolean':
			return 'a boolean';
		case 'object':
			return 'an object';
		default:
			return typeof value;
	}
}


function closestKnownKey(key: string): string | undefined {
	if (key.length > 64) return undefined;
	let best: string | undefined;
	let bestDistance = 3;
	for (const known of KNOWN_PLAN_KEYS) {
		const distance = editDistance(key.toLowerCase(), known);
		if (distance < bestDistance) {
			bestDistance = distance;
			best = known;
		}
	}
	return best;
}

function editDistance(a: string, b: string): number {
	const row = Array.from({length: b.length + 1}, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let previous = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const current = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
			previous = current;
		}
	}
	return row[b.length]!;
}
