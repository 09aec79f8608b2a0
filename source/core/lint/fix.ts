import {parseJsonDocument, type JsonDocument, type StringValue} from '../json/document.js';
import {hasUtf8Bom} from '../json/utf8.js';
import type {AllowEntry} from './finding.js';
import {findSensitiveSpans} from './public-safety/detectors.js';
import {locatePublicSafety, publicSafetyRules, type LocatedHit} from './public-safety/index.js';
import {ruleClass, type RuleId} from './public-safety/rules.js';

/**
 * `lint --fix`: every flagged value (or key) is replaced by a placeholder that keeps the plan
 * readable. Pure: the caller reads and writes. Edits are computed on the parser's positions and
 * applied to the original bytes, so every other byte (CRLF, indentation, escapes, other
 * unicode) stays as it was; a flagged span written with JSON escapes is replaced whole.
 */

export interface FixEdit {
	rule: string;
	fingerprint: string;
	/** Member the value or key belongs to (raw; the caller labels it before printing). */
	pointer: string;
	/** Offsets in the document text (BOM removed), end exclusive. */
	start: number;
	end: number;
	placeholder: string;
	/** Masked form of what is replaced. */
	preview: string;
}

export interface FixPlan {
	document: JsonDocument;
	edits: FixEdit[];
	/** The file with the edits applied (the input itself when there are none). */
	bytes: Uint8Array;
	/** Why the file cannot be fixed automatically, if so. */
	refusal?: string;
}

export async function planFixes(input: Uint8Array, allow: readonly AllowEntry[] = []): Promise<FixPlan> {
	const document = parseJsonDocument(input);
	if (document.problems.some(p => p.rule === 'syntax/invalid-utf8')) {
		return {document, edits: [], bytes: input, refusal: 'the file is not valid UTF-8; re-save it as UTF-8 and run --fix again (the fix keeps every other byte, which it cannot do here)'};
	}
	const strings: StringValue[] = [...document.strings(), ...document.keys()];
	const hits = (await locatePublicSafety(strings)).filter(hit => !allow.some(entry => entry.rule === hit.rule && entry.fingerprint === hit.fingerprint));
	const edits = mergeOverlaps(hits.flatMap(hit => editsFor(document.text, strings[hit.index]!, hit)));
	return {document, edits, bytes: edits.length === 0 ? input : applyEdits(input, document.text, edits)};
}

/** Each occurrence of the flagged text in its string (the scan reports a repeated secret once). */
function editsFor(text: string, string: StringValue, hit: LocatedHit): FixEdit[] {
	const flagged = string.value.slice(hit.start, hit.end);
	if (flagged.length === 0) return [];
	const raw = rawOffsets(text, string.offset, string.value.length);
	const edits: FixEdit[] = [];
	for (let at = string.value.indexOf(flagged); at !== -1; at = string.value.indexOf(flagged, at + flagged.length)) {
		edits.push({
			rule: hit.rule,
			fingerprint: hit.fingerprint,
			pointer: string.pointer,
			start: raw[at]!,
			end: raw[at + flagged.length]!,
			placeholder: placeholderFor(hit.rule as RuleId, string.value.slice(0, at)),
			preview: hit.preview,
		});
	}
	return edits;
}

/**
 * Offset in `text` of each UTF-16 unit of the decoded string whose token starts at `offset`
 * (the opening quote), plus one for its end. Escapes (`\n`, `\"`, `\u0067`) take several raw
 * characters for one decoded unit.
 */
export function rawOffsets(text: string, offset: number, decodedLength: number): number[] {
	const raw: number[] = [];
	let i = offset + 1;
	while (raw.length < decodedLength) {
		raw.push(i);
		i += text[i] === '\\' ? (text[i + 1] === 'u' ? 6 : 2) : 1;
	}
	raw.push(i);
	return raw;
}

/** Overlapping spans (an email on an internal host) become one edit with the first one's placeholder. */
function mergeOverlaps(edits: FixEdit[]): FixEdit[] {
	edits.sort((a, b) => a.start - b.start || b.end - a.end);
	const out: FixEdit[] = [];
	for (const edit of edits) {
		const last = out.at(-1);
		if (last && edit.start < last.end) last.end = Math.max(last.end, edit.end);
		else out.push({...edit});
	}
	return out;
}

const NAMED = /([A-Za-z_][A-Za-z0-9_]*)["']?\s*[:=]\s*["']?$/;
const PERSONAL: Record<string, string> = {
	'public-safety/email': '<on-call contact>',
	'public-safety/phone-number': '<on-call contact>',
	'public-safety/payment-card': '<account number>',
	'public-safety/bank-account': '<account number>',
	'public-safety/customer-id': '<customer id>',
};

/**
 * `${GITHUB_TOKEN}` after `GITHUB_TOKEN=` (the name the plan already uses), else the name the
 * rule's advice suggests (`${AWS_ACCESS_KEY_ID}`); `<private host>` for an endpoint;
 * `<on-call contact>` for a person's address or number. None of them is flagged again.
 */
export function placeholderFor(rule: RuleId, before: string): string {
	const klass = ruleClass(rule);
	if (klass === 'endpoint') return '<private host>';
	if (klass === 'personal') return PERSONAL[rule] ?? '<personal data>';
	const named = NAMED.exec(before.slice(-80));
	if (named) return `\${${named[1]!.toUpperCase()}}`;
	const advised = /\$\{([A-Z][A-Z0-9_]*)\}/.exec(publicSafetyRules.find(meta => meta.id === rule)?.help ?? '');
	return `\${${advised?.[1] ?? 'SECRET'}}`;
}

/** The original bytes with each edit's span replaced: text offsets become byte offsets piece by piece. */
function applyEdits(input: Uint8Array, text: string, edits: readonly FixEdit[]): Uint8Array {
	const encoder = new TextEncoder();
	const pieces: Uint8Array[] = [];
	let byte = hasUtf8Bom(input) ? 3 : 0;
	let textAt = 0;
	let copiedTo = 0;
	for (const edit of edits) {
		byte += encoder.encode(text.slice(textAt, edit.start)).length;
		pieces.push(input.subarray(copiedTo, byte), encoder.encode(edit.placeholder));
		const spanBytes = encoder.encode(text.slice(edit.start, edit.end)).length;
		byte += spanBytes;
		copiedTo = byte;
		textAt = edit.end;
	}
	pieces.push(input.subarray(copiedTo));
	const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
	let at = 0;
	for (const piece of pieces) {
		out.set(piece, at);
		at += piece.length;
	}
	return out;
}

/**
 * What `--fix --dry-run` prints: each changed line before and after, with the replaced spans
 * shown by their masked preview and anything else the engine flags on the line masked too (a
 * reviewed exception is still not printed). The caller sanitizes for the terminal.
 */
export function maskedDiff(path: string, plan: FixPlan): string {
	if (plan.edits.length === 0) return '';
	const text = plan.document.text;
	const lines: string[] = [`--- ${path}`, `+++ ${path} (fixed)`];
	let index = 0;
	while (index < plan.edits.length) {
		const lineStart = text.lastIndexOf('\n', plan.edits[index]!.start - 1) + 1;
		const lineEnd = endOfLine(text, plan.edits[index]!.start);
		let before = '';
		let after = '';
		let at = lineStart;
		for (; index < plan.edits.length && plan.edits[index]!.start < lineEnd; index++) {
			const edit = plan.edits[index]!;
			const kept = maskFlagged(text.slice(at, edit.start));
			before += `${kept}[${edit.preview}]`;
			after += `${kept}${edit.placeholder}`;
			at = edit.end;
		}
		const lineNumber = plan.document.positionAt(lineStart).line;
		before += maskFlagged(text.slice(at, lineEnd));
		after += maskFlagged(text.slice(at, lineEnd));
		lines.push(`@@ line ${lineNumber} @@`, `-${before}`, `+${after}`);
	}
	return `${lines.join('\n')}\n`;
}

function endOfLine(text: string, from: number): number {
	const end = text.indexOf('\n', from);
	const stop = end === -1 ? text.length : end;
	return text[stop - 1] === '\r' ? stop - 1 : stop;
}

function maskFlagged(line: string): string {
	let out = '';
	let at = 0;
	// What is left between the replaced spans: a reviewed exception (lint.allow) is still not printed.
	for (const span of findSensitiveSpans(line, ['secret', 'endpoint', 'personal'])) {
		if (span.start < at) continue;
		out += `${line.slice(at, span.start)}…`;
		at = span.end;
	}
	return out + line.slice(at);
}
