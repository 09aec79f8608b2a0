import type {StringValue} from '../../json/document.js';
import type {Severity} from '../finding.js';
import {findUrlPasswords} from './credentials.js';
import type {Detector, RawMatch} from './detector.js';
import {syncDetectors} from './detectors.js';
import {fingerprintOf, guardPreview, maskSecret} from './mask.js';
import {isSpecificRule, ruleClass, ruleMessage, ruleSeverity, type RuleClass, type RuleId} from './rules.js';
import {secretlintSpans} from './secretlint-adapter.js';
import {SpanIndex} from './spans.js';
import {isPlaceholderToken} from './values.js';

/**
 * Public-safety scanning of a plan's string values: secrets, private endpoints, personal data.
 * Pure: no I/O. `scanPublicSafetySync` runs our own detectors (the wizard calls it on every
 * keystroke); `scanPublicSafety` adds secretlint's recommended preset on top. A hit never holds
 * the matched value: only a masked preview and a fingerprint.
 */

export {publicSafetyRules} from './rules.js';
export {fingerprintOf, maskSecret} from './mask.js';
export {findSensitiveSpans, type SensitiveSpan} from './detectors.js';

export interface SafetyHit {
	/** Index into the input array of StringValue. */
	index: number;
	/** Stable id prefixed 'public-safety/'. */
	rule: string;
	severity: Severity;
	/** What and how to fix; never contains the matched value. */
	message: string;
	/** Masked preview (at most the first 4 characters of a secret). */
	preview: string;
	/** First 16 hex chars of sha256(rule + '\0' + matched value). */
	fingerprint: string;
}

const detectors: readonly Detector[] = syncDetectors;

/** Every synchronous detector by itself, so the benchmark can time each on adversarial input. */
export const publicSafetyDetectors: Array<{id: string; scan(value: string): unknown}> = [...detectors];

/**
 * The values of secrets this machine holds (the API token under api.tokenEnv's name, secret-named
 * variables): a plan string holding one is flagged whatever its shape, since no pattern may know
 * it. Shorter values are left to the patterns: "true" or a port number would flag innocent text.
 */
export type KnownSecrets = readonly string[];
const MIN_KNOWN_SECRET = 8;

function knownSecretMatches(value: string, known: KnownSecrets): RawMatch[] {
	const matches: RawMatch[] = [];
	for (const secret of known) {
		if (secret.length < MIN_KNOWN_SECRET) continue;
		for (let at = value.indexOf(secret); at >= 0; at = value.indexOf(secret, at + secret.length)) {
			matches.push({rule: 'public-safety/known-secret-value', start: at, end: at + secret.length, value: secret, preview: maskSecret(secret)});
		}
	}
	return matches;
}

/** Appends without spreading: a multi-megabyte string can yield more hits than fit in a call's arguments. */
function append<T>(target: T[], items: readonly T[]): void {
	for (const item of items) target.push(item);
}

/** A hit with its span in strings[index] (UTF-16 offsets, end exclusive): what `lint --fix` replaces. */
export interface LocatedHit extends SafetyHit {
	start: number;
	end: number;
}

function toHit(index: number, match: RawMatch): LocatedHit {
	return {
		index,
		rule: match.rule,
		severity: ruleSeverity(match.rule),
		message: ruleMessage(match.rule, match.what),
		preview: guardPreview(match.preview, match.value),
		fingerprint: fingerprintOf(match.rule, match.value),
		start: match.start,
		end: match.end,
	};
}

/**
 * One string through every detector. A detector that throws (a bug, never expected) loses its
 * own hits for this string, not the scan.
 */
function scanOne(value: string, index: number, known: KnownSecrets): LocatedHit[] {
	const matches: RawMatch[] = known.length > 0 ? knownSecretMatches(value, known) : [];
	for (const detector of detectors) {
		try {
			append(matches, detector.scan(value));
		} catch {
			// Keep scanning with the other detectors.
		}
	}
	// A specific rule wins over a generic one of the same class on an overlapping span
	// (`token=ghp_…` is a GitHub token, reported once; an IBAN's digit groups are not a phone).
	const specific = new Map<RuleClass, SpanIndex>();
	for (const klass of ['secret', 'personal'] as const) {
		specific.set(klass, new SpanIndex(matches.filter(m => ruleClass(m.rule) === klass && isSpecificRule(m.rule))));
	}
	const hits: LocatedHit[] = [];
	// The same value under the same rule would get the same fingerprint and be deduplicated
	// anyway; skipping it here saves hashing it once per repetition.
	const seen = new Set<string>();
	for (const match of matches) {
		if (!isSpecificRule(match.rule) && specific.get(ruleClass(match.rule))?.overlaps(match)) continue;
		const key = `${match.rule}\0${match.value}`;
		if (seen.has(key)) continue;
		seen.add(key);
		hits.push(toHit(index, match));
	}
	return hits;
}

function isWellFormedInput(s: StringValue | undefined): s is StringValue {
	return typeof s === 'object' && s !== null && typeof s.value === 'string';
}

/**
 * What a scan takes: the strings, or their values alone (a 10 MB plan's scan holds no object per
 * string, issue 13). Hit indexes are into this list.
 */
export type Scannable = readonly StringValue[] | readonly string[];

/** Each value to scan; anything malformed scans as '' (no hits). */
function valuesOf(strings: Scannable): readonly string[] {
	if ((strings as readonly unknown[]).every(s => typeof s === 'string')) return strings as readonly string[];
	return (strings as readonly StringValue[]).map(s => (isWellFormedInput(s) ? s.value : ''));
}

function finish(hits: LocatedHit[]): SafetyHit[] {
	hits.sort((a, b) => a.index - b.index || a.start - b.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
	const seen = new Set<string>();
	const out: SafetyHit[] = [];
	for (const {start: _start, end: _end, ...hit} of hits) {
		const key = `${hit.index}\0${hit.rule}\0${hit.fingerprint}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(hit);
	}
	return out;
}

function scanOwn(values: readonly string[], known: KnownSecrets): LocatedHit[] {
	const hits: LocatedHit[] = [];
	for (let i = 0; i < values.length; i++) append(hits, scanOne(values[i]!, i, known));
	return hits;
}

export function scanPublicSafetySync(strings: Scannable, known: KnownSecrets = []): SafetyHit[] {
	return finish(scanOwn(valuesOf(strings), known));
}

/**
 * Our detectors plus secretlint. Where both find the same secret, ours is kept: its fingerprint
 * is then the same as the wizard's (sync) scan, so one `lint.allow` entry covers both.
 */
export async function scanPublicSafety(strings: Scannable, known: KnownSecrets = []): Promise<SafetyHit[]> {
	return finish(await locatePublicSafety(strings, known));
}

/** Every hit of the full scan with its span, repeats included (one per occurrence). */
export async function locatePublicSafety(strings: Scannable, known: KnownSecrets = []): Promise<LocatedHit[]> {
	const values = valuesOf(strings);
	const own = scanOwn(values, known);
	const spans = await secretlintSpans(values);
	const secretsByIndex = new Map<number, LocatedHit[]>();
	for (const hit of own) {
		if (ruleClass(hit.rule as RuleId) !== 'secret') continue;
		const list = secretsByIndex.get(hit.index) ?? [];
		list.push(hit);
		secretsByIndex.set(hit.index, list);
	}
	const ownSecrets = new Map<number, SpanIndex>();
	for (const [index, list] of secretsByIndex) ownSecrets.set(index, new SpanIndex(list));
	const hits = own.slice();
	for (const span of spans) {
		if (span.end <= span.start) continue;
		if (ownSecrets.get(span.index)?.overlaps(span)) continue;
		const matched = values[span.index]!.slice(span.start, span.end);
		if (isPlaceholderSpan(matched)) continue;
		hits.push(toHit(span.index, {rule: span.rule, start: span.start, end: span.end, value: matched, preview: maskSecret(matched)}));
	}
	return hits;
}

/**
 * Our placeholder decisions hold for secretlint's matches too (`https://user:${PASS}@host`,
 * `<REDACTED>`), otherwise the async scan would report what the wizard deliberately accepts.
 */
function isPlaceholderSpan(text: string): boolean {
	if (text.includes('://') && text.includes('@')) return findUrlPasswords(text).length === 0;
	const lower = text.toLowerCase();
	return text.includes('${') || text.includes('{{') || lower.includes('redacted') || lower.includes('xxxx') || text.includes('****') || isPlaceholderToken(text);
}
