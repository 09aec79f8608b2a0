import {parseJsonDocument, type JsonDocument, type StringValue} from '../json/document.js';
import {escapePointerSegment, parsePointer} from '../json/pointer.js';
import {
	DRILL_HISTORY_SCHEMA_VERSION,
	DRILL_SCHEDULE_SCHEMA_VERSION,
	REHEARSAL_SCHEMA_VERSION,
} from '../plan/constants.js';
import {compareFindings, type AllowEntry, type FileReport, type Finding} from './finding.js';
import {foldFindings} from './fold.js';
import {createKeyLabeler, type KeyLabeler} from './key-label.js';
import {checkPromotionSchema, isPromotionEvidence} from './promotion-rules.js';
import {scanPublicSafety, scanPublicSafetySync, type SafetyHit} from './public-safety/index.js';
import {checkPlanSchema} from './schema-rules.js';

/**
 * Lints one plan: syntax, CAVRA's schema, public safety. Pure: the caller reads the bytes.
 * CAVRA's other public metadata files (rehearsal evidence, drill history and schedule) are
 * recognised by their schema_version and get the syntax and public-safety checks only; promotion
 * evidence gets CAVRA's promotion rules (promotion-rules.ts) instead of the plan's.
 */

export interface LintInput {
	/** As given by the user ("-" for stdin); used in output only. */
	path: string;
	bytes: Uint8Array | string;
}

export interface LintOptions {
	allow?: readonly AllowEntry[];
	/** Secret values this machine holds (see public-safety KnownSecrets): flagged wherever they occur. */
	knownSecrets?: readonly string[];
}

const OTHER_CAVRA_SCHEMAS = new Set([REHEARSAL_SCHEMA_VERSION, DRILL_HISTORY_SCHEMA_VERSION, DRILL_SCHEDULE_SCHEMA_VERSION]);

export async function lintPlan(input: LintInput, options: LintOptions = {}): Promise<FileReport> {
	const keys = createKeyLabeler();
	let document = parseJsonDocument(input.bytes, {quoteKey: keys.label});
	const scanned = scannedStrings(document);
	const hits = await scanPublicSafety(scanned.values, options.knownSecrets);
	// A key only secretlint flags was quoted by the parse's messages: parse again with it cut.
	if (flagKeysWithHits(scanned, hits, keys)) document = parseJsonDocument(input.bytes, {quoteKey: keys.label});
	return assemble(input.path, document, scanned, hits, keys, options);
}

/** The same without secretlint's async pass: for the wizard, which lints on every keystroke. */
export function lintPlanSync(input: LintInput, options: LintOptions = {}): FileReport {
	const keys = createKeyLabeler();
	const document = parseJsonDocument(input.bytes, {quoteKey: keys.label});
	const scanned = scannedStrings(document);
	return assemble(input.path, document, scanned, scanPublicSafetySync(scanned.values, options.knownSecrets), keys, options);
}

/**
 * What public safety scans: every string value, then each distinct key once (a key repeated
 * 300 000 times is one string to scan). A hit on a key is reported at every occurrence. Values
 * only: a string is located (pointer, offset) when it has a hit (peak memory, issue 13).
 */
interface Scanned {
	values: string[];
	/** Index of the first key in `values`. */
	firstKey: number;
	/** Occurrences of each distinct key, by its index in `values`. */
	occurrences: Map<number, StringValue[]>;
	/** Where a string value is, by its index in `values` (below `firstKey`). */
	at: (index: number) => StringValue;
}

function scannedStrings(document: JsonDocument): Scanned {
	const values = document.stringValues().slice();
	const firstKey = values.length;
	const byKey = new Map<string, number>();
	const occurrences = new Map<number, StringValue[]>();
	for (const key of document.keys()) {
		let index = byKey.get(key.value);
		if (index === undefined) {
			index = values.push(key.value) - 1;
			byKey.set(key.value, index);
			occurrences.set(index, []);
		}
		occurrences.get(index)!.push(key);
	}
	return {values, firstKey, occurrences, at: index => document.stringAt(index)};
}

function flagKeysWithHits(scanned: Scanned, hits: readonly SafetyHit[], keys: KeyLabeler): boolean {
	let changed = false;
	for (const hit of hits) if (hit.index >= scanned.firstKey && keys.flag(scanned.values[hit.index]!)) changed = true;
	return changed;
}

function assemble(path: string, document: JsonDocument, scanned: Scanned, hits: SafetyHit[], keys: KeyLabeler, options: LintOptions): FileReport {
	const findings: Finding[] = [];
	const at = (offset: number) => document.positionAt(offset);

	for (const problem of document.problems) {
		findings.push({rule: problem.rule, category: 'syntax', severity: 'error', message: problem.message, pointer: problem.pointer, ...at(problem.offset)});
	}

	// Schema findings on a half-parsed file would only echo the syntax error in other words.
	const parsedCleanly = !document.problems.some(p => p.rule === 'syntax/invalid-json' || p.rule === 'syntax/empty-file' || p.rule === 'syntax/too-deep');
	const value = document.value;
	if (parsedCleanly && isObject(value) && !OTHER_CAVRA_SCHEMAS.has(value['schema_version'] as string)) {
		for (const problem of isPromotionEvidence(value) ? checkPromotionSchema(value) : checkPlanSchema(value, keys.label)) {
			findings.push({...problem, category: 'schema', ...at(document.offsetOf(problem.pointer))});
		}
	}

	// Whether a public-safety finding is about a key or a value: its message names the field once
	// the finding survives folding (20 000 hits need 100 field names, not 20 000).
	const subjects = new Map<Finding, 'key' | 'value'>();
	for (const hit of hits) {
		if (!(hit.index >= 0 && hit.index < scanned.values.length)) continue;
		const isKey = hit.index >= scanned.firstKey;
		for (const occurrence of isKey ? scanned.occurrences.get(hit.index)! : [scanned.at(hit.index)]) {
			const finding: Finding = {
				rule: hit.rule,
				category: 'public-safety',
				severity: hit.severity,
				message: hit.message,
				pointer: occurrence.pointer,
				...at(occurrence.offset),
				preview: hit.preview,
				fingerprint: hit.fingerprint,
			};
			findings.push(finding);
			subjects.set(finding, isKey ? 'key' : 'value');
		}
	}

	const allow = options.allow ?? [];
	const kept = findings.filter(finding => !allow.some(entry => entry.rule === finding.rule && entry.fingerprint === finding.fingerprint));
	kept.sort(compareFindings);
	const shown = foldFindings(kept).sort(compareFindings);
	for (const finding of shown) {
		// Keys are user data: a pointer through a key that could be a pasted secret is cut like the key.
		finding.pointer = safePointer(finding.pointer, keys);
		const subject = subjects.get(finding);
		if (subject === 'key') finding.message = `a key in ${describeField(parentOf(finding.pointer))}: ${finding.message.replace(/^this value /, 'this key ')}`;
		else if (subject === 'value') finding.message = `${describeField(finding.pointer)}: ${finding.message}`;
	}
	return {path, ok: !kept.some(finding => finding.severity === 'error'), findings: shown, suppressed: findings.length - kept.length};
}

/** A list index; longer digit runs may be a key holding a card or phone number. */
const ARRAY_INDEX = /^\d{1,7}$/;

/** Keys are user data: every segment of a pointer is labelled like the key it is. */
export function safePointer(pointer: string, keys: KeyLabeler): string {
	if (pointer === '') return pointer;
	return parsePointer(pointer)
		.map(segment => `/${escapePointerSegment(ARRAY_INDEX.test(segment) ? segment : keys.label(segment))}`)
		.join('');
}

function parentOf(pointer: string): string {
	return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "/rollback_steps/1" → "rollback step 2": findings speak the plan's language, not pointers. */
export function describeField(pointer: string): string {
	const match = /^\/(rollback_steps|evidence_refs|controls)\/(\d+)$/.exec(pointer);
	if (match) {
		const noun = match[1] === 'rollback_steps' ? 'rollback step' : match[1] === 'evidence_refs' ? 'evidence ref' : 'control';
		return `${noun} ${Number(match[2]) + 1}`;
	}
	if (pointer === '') return 'the document';
	return pointer.slice(1).replaceAll('/', '.').replaceAll('~1', '/').replaceAll('~0', '~');
}
