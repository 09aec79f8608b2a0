import {parseJsonDocument, type JsonDocument} from '../json/document.js';
import {escapePointerSegment, parsePointer, printableKey} from '../json/pointer.js';
import {
	DRILL_HISTORY_SCHEMA_VERSION,
	DRILL_SCHEDULE_SCHEMA_VERSION,
	REHEARSAL_SCHEMA_VERSION,
} from '../plan/constants.js';
import {compareFindings, type AllowEntry, type FileReport, type Finding} from './finding.js';
import {foldFindings} from './fold.js';
import {scanPublicSafety, scanPublicSafetySync, type SafetyHit} from './public-safety/index.js';
import {checkPlanSchema} from './schema-rules.js';

/**
 * Lints one plan: syntax, CAVRA's schema, public safety. Pure: the caller reads the bytes.
 * CAVRA's other public metadata files (rehearsal evidence, drill history and schedule) are
 * recognised by their schema_version and get the syntax and public-safety checks only.
 */

export interface LintInput {
	/** As given by the user ("-" for stdin); used in output only. */
	path: string;
	bytes: Uint8Array | string;
}

export interface LintOptions {
	allow?: readonly AllowEntry[];
}

const OTHER_CAVRA_SCHEMAS = new Set([REHEARSAL_SCHEMA_VERSION, DRILL_HISTORY_SCHEMA_VERSION, DRILL_SCHEDULE_SCHEMA_VERSION]);

export async function lintPlan(input: LintInput, options: LintOptions = {}): Promise<FileReport> {
	const document = parseJsonDocument(input.bytes);
	const hits = await scanPublicSafety(document.strings());
	return assemble(input.path, document, hits, options);
}

/** The same without secretlint's async pass: for the wizard, which lints on every keystroke. */
export function lintPlanSync(input: LintInput, options: LintOptions = {}): FileReport {
	const document = parseJsonDocument(input.bytes);
	return assemble(input.path, document, scanPublicSafetySync(document.strings()), options);
}

function assemble(path: string, document: JsonDocument, hits: SafetyHit[], options: LintOptions): FileReport {
	const findings: Finding[] = [];
	const at = (offset: number) => document.positionAt(offset);

	for (const problem of document.problems) {
		findings.push({rule: problem.rule, category: 'syntax', severity: 'error', message: problem.message, pointer: problem.pointer, ...at(problem.offset)});
	}

	// Schema findings on a half-parsed file would only echo the syntax error in other words.
	const parsedCleanly = !document.problems.some(p => p.rule === 'syntax/invalid-json' || p.rule === 'syntax/empty-file' || p.rule === 'syntax/too-deep');
	const value = document.value;
	if (parsedCleanly && isObject(value) && !OTHER_CAVRA_SCHEMAS.has(value['schema_version'] as string)) {
		for (const problem of checkPlanSchema(value)) {
			findings.push({...problem, category: 'schema', ...at(document.offsetOf(problem.pointer))});
		}
	}

	const strings = document.strings();
	for (const hit of hits) {
		const string = strings[hit.index];
		if (!string) continue;
		findings.push({
			rule: hit.rule,
			category: 'public-safety',
			severity: hit.severity,
			message: `${describeField(string.pointer)}: ${hit.message}`,
			pointer: string.pointer,
			...at(string.offset),
			preview: hit.preview,
			fingerprint: hit.fingerprint,
		});
	}

	const allow = options.allow ?? [];
	const kept = findings.filter(finding => !allow.some(entry => entry.rule === finding.rule && entry.fingerprint === finding.fingerprint));
	kept.sort(compareFindings);
	const shown = foldFindings(kept).sort(compareFindings);
	// Keys are user data: a pointer through a key that could be a pasted secret is cut like the key.
	for (const finding of shown) finding.pointer = safePointer(finding.pointer);
	return {path, ok: !kept.some(finding => finding.severity === 'error'), findings: shown, suppressed: findings.length - kept.length};
}

function safePointer(pointer: string): string {
	if (pointer === '') return pointer;
	return parsePointer(pointer)
		.map(segment => `/${escapePointerSegment(/^\d+$/.test(segment) ? segment : printableKey(segment))}`)
		.join('');
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
