import {appendPointer} from '../json/pointer.js';
import {EVIDENCE_REF_PATTERN} from '../plan/constants.js';
import {PROMOTION_SCHEMA_VERSION} from '../evidence/promotion.js';
import type {RuleMeta, Severity} from './finding.js';
import {typeName, type SchemaProblem} from './schema-rules.js';

/**
 * CAVRA's promotion evidence (`cavra.go-backend-promotion-evidence.v1`, contract §15): the rules
 * CAVRA's promotion gate applies, quoting CAVRA's own messages. Recognised by its schema_version
 * (any version of the name, so a wrong version is reported as such, not as a broken plan).
 */

export const PROMOTION_MESSAGES = {
	schemaVersion: 'promotion evidence has an invalid schema_version',
	parity: 'promotion evidence must record parity_status=pass',
	deployment: 'promotion evidence must record deployment_status=ready',
	evidenceRefs: 'promotion evidence_refs must be a list of strings',
	approval: 'promotion evidence must be approved',
} as const;

export function isPromotionEvidence(value: Record<string, unknown>): boolean {
	const version = value['schema_version'];
	return typeof version === 'string' && version.startsWith('cavra.go-backend-promotion-evidence.');
}

export const promotionRules: RuleMeta[] = [
	rule('schema/promotion-schema-version', 'error', `schema_version is not ${PROMOTION_SCHEMA_VERSION}`, `Set "schema_version": "${PROMOTION_SCHEMA_VERSION}".`),
	rule('schema/promotion-parity', 'error', 'parity is not recorded as pass', 'Record the audited parity result: "parity_status": "pass" (or "parity": {"status": "pass"}).'),
	rule('schema/promotion-deployment', 'error', 'deployment is not recorded as ready', 'Record deployment readiness: "deployment_status": "ready" (or "deployment": {"status": "ready"}).'),
	rule('schema/promotion-approval', 'warning', 'the promotion is not approved', 'Record the decision: "approved": true with an "approval_id", or "approval": {"status": "approved", "approval_id": "..."}.'),
	rule('schema/promotion-evidence-refs', 'error', 'evidence_refs is not a list of strings', 'Make evidence_refs a list of scheme://path strings (it may be empty).'),
];

function rule(id: string, defaultSeverity: Severity, title: string, help: string): RuleMeta {
	return {id, category: 'schema', defaultSeverity, title, help};
}

type Evidence = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `field_status`, else `field.status` (contract §15): the pointer of the value CAVRA reads, and the value. */
function statusOf(evidence: Evidence, field: 'parity' | 'deployment'): {pointer: string; value: unknown} {
	const flat = `${field}_status`;
	if (Object.hasOwn(evidence, flat) && evidence[flat]) return {pointer: `/${flat}`, value: evidence[flat]};
	const nested = evidence[field];
	if (isObject(nested) && Object.hasOwn(nested, 'status')) return {pointer: `/${field}/status`, value: nested['status']};
	return {pointer: Object.hasOwn(evidence, flat) ? `/${flat}` : '', value: evidence[flat]};
}

export function checkPromotionSchema(evidence: Evidence): SchemaProblem[] {
	const problems: SchemaProblem[] = [];
	const add = (ruleId: string, severity: Severity, message: string, pointer: string) => problems.push({rule: ruleId, severity, message, pointer});

	if (evidence['schema_version'] !== PROMOTION_SCHEMA_VERSION) {
		add('schema/promotion-schema-version', 'error', `schema_version must be exactly "${PROMOTION_SCHEMA_VERSION}" (CAVRA: "${PROMOTION_MESSAGES.schemaVersion}")`, '/schema_version');
	}
	for (const [field, expected, message] of [
		['parity', 'pass', PROMOTION_MESSAGES.parity],
		['deployment', 'ready', PROMOTION_MESSAGES.deployment],
	] as const) {
		const {pointer, value} = statusOf(evidence, field);
		if (value === expected) continue;
		const what = value === undefined ? 'is missing' : typeof value === 'string' ? `is not "${expected}"` : `is ${typeName(value)}, not the string "${expected}"`;
		add(`schema/promotion-${field}`, 'error', `${field}_status ${what}; CAVRA reports "${message}"`, pointer);
	}

	const approved = evidence['approved'];
	if (approved !== undefined && typeof approved !== 'boolean') {
		add('schema/approved-type', 'error', `approved is ${typeName(approved)}; use true or false (CAVRA does not count "true", 1 or "yes" as approval)`, '/approved');
	}
	const approval = evidence['approval'];
	if (approved !== true && !(isObject(approval) && approval['status'] === 'approved')) {
		add('schema/promotion-approval', 'warning', `the promotion is not approved; CAVRA reports "${PROMOTION_MESSAGES.approval}" until "approved": true or "approval": {"status": "approved"}`, Object.hasOwn(evidence, 'approved') ? '/approved' : '');
	}

	const refs = evidence['evidence_refs'];
	if (refs !== undefined && !(Array.isArray(refs) && refs.every(ref => typeof ref === 'string'))) {
		add('schema/promotion-evidence-refs', 'error', `evidence_refs is ${typeName(refs)}${Array.isArray(refs) ? ' with items that are not strings' : ''}; CAVRA reports "${PROMOTION_MESSAGES.evidenceRefs}"`, '/evidence_refs');
	} else if (Array.isArray(refs)) {
		refs.forEach((ref, index) => {
			if (!EVIDENCE_REF_PATTERN.test(ref as string)) {
				add('schema/evidence-ref-syntax', 'error', `evidence ref ${index + 1} is not of the form scheme://path (lower-case scheme, no spaces), e.g. go-runtime-parity://ci/run-id`, appendPointer('/evidence_refs', index));
			}
		});
	}
	return problems;
}
