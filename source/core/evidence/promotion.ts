import {EVIDENCE_REF_PATTERN} from '../plan/constants.js';

/**
 * What `evidence attach` adds to CAVRA's promotion evidence (`cavra.go-backend-promotion-evidence.v1`,
 * contract §15): refs in CAVRA's own `evidence_refs` (so CAVRA's promotion report lists them) and
 * one block CAVRA ignores, for the auditor. Pure. Everything here is public-safe by construction:
 * digests, run ids and refs, never paths, host names or environment values.
 */

export const PROMOTION_SCHEMA_VERSION = 'cavra.go-backend-promotion-evidence.v1';
/** The block's key in the promotion evidence. CAVRA reads no key of this name. */
export const ATTACHMENT_KEY = 'rollback_attachment';
export const ATTACHMENT_SCHEMA_VERSION = 'cavra-rollback.promotion-attachment.v1';

/** Ref schemes that belong to cavra-rollback: a ref in one of them is replaced on every attach. */
export const OWN_REF_SCHEMES = ['go-rollback-plan', 'go-rollback-approval', 'go-rollback-rehearsal', 'go-rollback-evidence'] as const;

export interface PlanFacts {
	sha256: string;
	approvalId: string;
	approved: boolean;
	maxRecoveryMinutes: number | null;
	evidenceRefs: readonly string[];
	/** CAVRA's rollback readiness status for the plan (`ready`, `needs_attention`). */
	cavraStatus: string;
}

export interface RehearsalFacts {
	rehearsalId: string | null;
	executedAt: string | null;
	status: string;
	recoveryMinutes: number | null;
	maxRecoveryMinutes: number | null;
	withinTarget: boolean;
	/** CAVRA's rehearsal readiness status. */
	cavraStatus: string;
}

export interface BundleFacts {
	runId: string;
	kind: string;
	result: string;
	/** sha256 of the bundle's evidence.json, as read. */
	evidenceSha256: string;
	verified: boolean;
	/** The signer an SSH signature verified for, else null (unsigned or not verifiable). */
	signedBy: string | null;
	recoverySeconds: number | null;
	withinTarget: boolean | null;
}

export interface AttachmentFacts {
	/** `cavra-rollback 0.1.0`. */
	tool: string;
	/** ISO 8601 UTC: when this attachment was made (kept when a re-run attaches the same facts). */
	now: string;
	plan: PlanFacts;
	rehearsal: RehearsalFacts | null;
	evidence: BundleFacts | null;
	/** Why the attachment would have been refused; non-empty only under --force. */
	forceReasons: readonly string[];
}

/** A path segment of a ref: unreserved characters kept, everything else percent-encoded (UTF-8). */
export function refSegment(value: string): string {
	return Array.from(new TextEncoder().encode(value), byte => {
		const ch = String.fromCharCode(byte);
		return /[A-Za-z0-9._~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
	}).join('');
}

export function isOwnRef(ref: string): boolean {
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//.exec(ref)?.[1];
	return scheme !== undefined && (OWN_REF_SCHEMES as readonly string[]).includes(scheme);
}

/** Our refs first (plan digest, approval, rehearsal, bundle), then the plan's own refs of the scheme://path form. */
export function attachmentRefs(facts: Omit<AttachmentFacts, 'now' | 'tool' | 'forceReasons'>): string[] {
	const refs = [`go-rollback-plan://sha256/${facts.plan.sha256}`];
	if (facts.plan.approvalId) refs.push(`go-rollback-approval://${refSegment(facts.plan.approvalId)}`);
	if (facts.rehearsal?.rehearsalId) refs.push(`go-rollback-rehearsal://${refSegment(facts.rehearsal.rehearsalId)}`);
	if (facts.evidence) refs.push(`go-rollback-evidence://${refSegment(facts.evidence.runId)}/sha256/${facts.evidence.evidenceSha256}`);
	for (const ref of facts.plan.evidenceRefs) if (EVIDENCE_REF_PATTERN.test(ref) && !refs.includes(ref)) refs.push(ref);
	return refs;
}

/** The block, in a fixed key order (what the auditor reads; documented in docs/evidence.md). */
export function buildAttachmentBlock(facts: AttachmentFacts, refs: readonly string[]): Record<string, unknown> {
	const {plan, rehearsal, evidence} = facts;
	return {
		schema_version: ATTACHMENT_SCHEMA_VERSION,
		attached_at: facts.now,
		attached_by: facts.tool,
		forced: facts.forceReasons.length > 0,
		force_reasons: [...facts.forceReasons],
		plan: {
			sha256: plan.sha256,
			approval_id: plan.approvalId,
			approved: plan.approved,
			max_recovery_minutes: plan.maxRecoveryMinutes,
			evidence_refs: plan.evidenceRefs.filter(ref => EVIDENCE_REF_PATTERN.test(ref)),
			cavra_status: plan.cavraStatus,
		},
		rehearsal: rehearsal && {
			rehearsal_id: rehearsal.rehearsalId,
			executed_at: rehearsal.executedAt,
			status: rehearsal.status,
			recovery_minutes: rehearsal.recoveryMinutes,
			max_recovery_minutes: rehearsal.maxRecoveryMinutes,
			within_target: rehearsal.withinTarget,
			cavra_status: rehearsal.cavraStatus,
		},
		evidence: evidence && {
			run_id: evidence.runId,
			kind: evidence.kind,
			result: evidence.result,
			evidence_sha256: evidence.evidenceSha256,
			verified: evidence.verified,
			signed_by: evidence.signedBy,
			recovery_seconds: evidence.recoverySeconds,
			within_target: evidence.withinTarget,
		},
		/** The refs this attachment added to evidence_refs (a re-run takes exactly these out again). */
		added_refs: [...refs],
	};
}

/** Whether a promotion evidence file carries the current plan (the dashboard's Plan panel). */
export type PromotionLink =
	| {kind: 'not-configured'}
	| {kind: 'missing' | 'unreadable' | 'invalid'; message: string}
	| {kind: 'not-attached'}
	| {kind: 'attached'; carriesPlan: boolean; attachedAt: string | null; forced: boolean};

export function promotionLink(text: string, planSha256: string | null): PromotionLink {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return {kind: 'invalid', message: 'not valid JSON'};
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as Record<string, unknown>)['schema_version'] !== PROMOTION_SCHEMA_VERSION) {
		return {kind: 'invalid', message: `not ${PROMOTION_SCHEMA_VERSION}`};
	}
	const block = (value as Record<string, unknown>)[ATTACHMENT_KEY];
	if (typeof block !== 'object' || block === null || Array.isArray(block)) return {kind: 'not-attached'};
	const {plan, attached_at: attachedAt, forced} = block as Record<string, unknown>;
	const sha = typeof plan === 'object' && plan !== null ? (plan as Record<string, unknown>)['sha256'] : undefined;
	return {kind: 'attached', carriesPlan: planSha256 !== null && sha === planSha256, attachedAt: typeof attachedAt === 'string' ? attachedAt : null, forced: forced === true};
}
