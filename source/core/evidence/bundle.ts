/**
 * The evidence bundle of one run: `<evidence.dir>/<run-id>/` holding `journal.ndjson`, `reports/`
 * and `evidence.json` (this shape), which seals the journal's head and every file's sha256 so
 * `evidence verify` can re-check the lot offline. Pure: types, names, serialisation, validation.
 */
import {array, boolean, enums, integer, literal, min, nullable, number, object, record, string, type, optional, refine, type Infer} from '../superstruct.js';

export const EVIDENCE_SCHEMA_VERSION = 'cavra-rollback.evidence.v1';
export const EVIDENCE_FILE = 'evidence.json';
export const JOURNAL_FILE = 'journal.ndjson';
export const REPORTS_DIR = 'reports';
/** The SSH signature over evidence.json (`ssh-keygen -Y sign` writes it beside the file). */
export const SIGNATURE_FILE = 'evidence.json.sig';
/** Evidence folders and files are private to their owner whatever the umask (reports quote the environment). */
export const EVIDENCE_DIR_MODE = 0o700;
export const EVIDENCE_FILE_MODE = 0o600;

export type EvidenceKind = 'rollback' | 'rehearsal' | 'dry-run';
/** `previewed`: a dry run changes nothing, so it neither recovered nor failed. */
export type EvidenceResult = 'recovered' | 'partial' | 'failed' | 'cancelled' | 'previewed';

export interface EvidenceBundle {
	schema_version: typeof EVIDENCE_SCHEMA_VERSION;
	run_id: string;
	kind: EvidenceKind;
	started_at: string;
	ended_at: string;
	/** From the change starting (confirmation) to the last verify; null when nothing changed. */
	recovery_seconds: number | null;
	max_recovery_minutes: number | null;
	within_target: boolean | null;
	result: EvidenceResult;
	plan: {
		path: string | null;
		sha256: string | null;
		approval_id: string;
		valid: boolean;
		/** Loud lines about the plan (missing, invalid, not approved): the rollback ran anyway. */
		notices?: string[];
	};
	targets: Array<{target: string; mode_before: string | null; mode_after: string | null}>;
	services: Array<{name: string; kind: string; outcome: string; duration_ms: number | null; verified: boolean | null}>;
	/** File names under `reports/`. */
	reports: {before: string | null; after: string | null};
	journal: {path: string; head_sha256: string | null; records: number};
	/** Relative path (POSIX separators) → sha256, for every file of the bundle but evidence.json and the journal. */
	files: Record<string, string>;
}

const sha256 = refine(string(), 'sha256', value => /^[0-9a-f]{64}$/.test(value) || 'expected 64 lower-case hex digits');
const relativePath = refine(string(), 'relative path', value => isSafeRelativePath(value) || 'expected a relative path inside the bundle');

/**
 * What `evidence verify` relies on, checked strictly; the rest of the document is only
 * described (`type` lets later versions add fields).
 */
export const EvidenceSealStruct = type({
	schema_version: literal(EVIDENCE_SCHEMA_VERSION),
	run_id: string(),
	journal: object({path: relativePath, head_sha256: nullable(sha256), records: min(integer(), 0)}),
	files: record(relativePath, sha256),
});

export const EvidenceBundleStruct = type({
	schema_version: literal(EVIDENCE_SCHEMA_VERSION),
	run_id: string(),
	kind: enums(['rollback', 'rehearsal', 'dry-run']),
	started_at: string(),
	ended_at: string(),
	recovery_seconds: nullable(number()),
	max_recovery_minutes: nullable(number()),
	within_target: nullable(boolean()),
	result: enums(['recovered', 'partial', 'failed', 'cancelled', 'previewed']),
	plan: type({path: nullable(string()), sha256: nullable(sha256), approval_id: string(), valid: boolean(), notices: optional(array(string()))}),
	targets: array(type({target: string(), mode_before: nullable(string()), mode_after: nullable(string())})),
	services: array(type({name: string(), kind: string(), outcome: string(), duration_ms: nullable(number()), verified: nullable(boolean())})),
	reports: type({before: nullable(string()), after: nullable(string())}),
	journal: object({path: relativePath, head_sha256: nullable(sha256), records: min(integer(), 0)}),
	files: record(relativePath, sha256),
});

export type EvidenceSeal = Infer<typeof EvidenceSealStruct>;

/** `rb-YYYYMMDDTHHMMSSZ-<6 hex>`: sortable by time, unique enough per host. */
export const RUN_ID_PATTERN = /^rb-\d{8}T\d{6}Z-[0-9a-f]{6}$/;

export function formatRunId(at: Date, randomHex: string): string {
	if (!/^[0-9a-f]{6}$/.test(randomHex)) throw new RangeError('a run id takes 6 lower-case hex digits');
	return `rb-${at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}-${randomHex}`;
}

export function isRunId(value: string): boolean {
	return RUN_ID_PATTERN.test(value);
}

/** A relative POSIX path that stays inside the bundle: no absolute path, no `..`, no backslash. */
export function isSafeRelativePath(value: string): boolean {
	if (value === '' || value.startsWith('/') || value.includes('\\') || value.includes('\0') || /^[A-Za-z]:/.test(value)) return false;
	return value.split('/').every(part => part !== '' && part !== '.' && part !== '..');
}

/** evidence.json as written: fixed key order (the interface's), 2-space indent, final newline. */
export function serializeEvidence(bundle: EvidenceBundle): string {
	const ordered: EvidenceBundle = {
		schema_version: bundle.schema_version,
		run_id: bundle.run_id,
		kind: bundle.kind,
		started_at: bundle.started_at,
		ended_at: bundle.ended_at,
		recovery_seconds: bundle.recovery_seconds,
		max_recovery_minutes: bundle.max_recovery_minutes,
		within_target: bundle.within_target,
		result: bundle.result,
		plan: bundle.plan,
		targets: bundle.targets,
		services: bundle.services,
		reports: bundle.reports,
		journal: bundle.journal,
		files: Object.fromEntries(Object.entries(bundle.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
	};
	return `${JSON.stringify(ordered, null, 2)}\n`;
}
