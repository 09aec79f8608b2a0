import type {Detector, RawMatch} from './detector.js';
import {keyedFormats, type KeyedFormat} from './formats/keyed.js';
import {hasUnbrokenRun, LiteralSet} from './gates.js';
import {maskSecret} from './mask.js';
import {ruleId} from './rules.js';
import {entropy, isPlaceholderSecret} from './values.js';

/**
 * Keyword-anchored detection, one generic reader for every vendor in formats/keyed.ts: the
 * vendor's keyword anywhere in a setting name, at most 20 more name characters, an assignment
 * in any common syntax (`=`, `:`, `:=`, `::=`, `:::=`, `?=`, `=>`, `||`, `,` of a call), then a
 * value of one of the vendor's shapes. Work per keyword occurrence is bounded by a short window.
 */

const NAME_TAIL = 20;
const keywords = new LiteralSet(keyedFormats.flatMap(f => f.keywords));
const MAX_VALUE = 512;

function isNameChar(c: number): boolean {
	// letters, digits, _ . - space tab
	return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45 || c === 32 || c === 9;
}

function isQuoteOrSpace(c: number): boolean {
	return c === 34 || c === 39 || c === 96 || c === 32 || c === 9 || c === 10 || c === 13;
}

function endsValue(c: number): boolean {
	// whitespace/control, quotes, backtick, ; , ( ) < > [ ] { } \ &
	return c <= 32 || c === 34 || c === 39 || c === 96 || c === 59 || c === 44 || c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 123 || c === 125 || c === 92 || c === 38;
}

const OPERATORS = [':::=', '::=', ':=', '=>', '?=', '||', '=', ':', '>', ','];

/** Where the value starts after the keyword ending at `from`, or -1 when no assignment follows. */
export function assignedValueStart(text: string, from: number): number {
	let i = from;
	const nameEnd = Math.min(text.length, from + NAME_TAIL);
	while (i < nameEnd && isNameChar(text.charCodeAt(i))) i++;
	for (let k = 0; k < 3 && i < text.length && isQuoteOrSpace(text.charCodeAt(i)); k++) i++;
	const operator = OPERATORS.find(op => text.startsWith(op, i));
	if (!operator) return -1;
	i += operator.length;
	for (let k = 0; k < 5 && i < text.length && (isQuoteOrSpace(text.charCodeAt(i)) || text[i] === '='); k++) i++;
	return i;
}

export function readBareValue(text: string, start: number): string {
	let end = start;
	const limit = Math.min(text.length, start + MAX_VALUE);
	while (end < limit && !endsValue(text.charCodeAt(end))) end++;
	return text.slice(start, end);
}

/** Generated, not typed: letters with digits, or long and varied. Digit-only shapes only need not to be filler. */
function plausible(value: string): boolean {
	if (isPlaceholderSecret(value)) return false;
	if (/^\d+$/.test(value)) return true;
	const digit = /\d/.test(value);
	const letter = /[A-Za-z]/.test(value);
	return (digit && letter) || (value.length >= 16 && entropy(value) >= 3.5);
}

function scanKeyword(format: KeyedFormat, keyword: string, value: string, lower: string, out: RawMatch[]): void {
	for (let at = lower.indexOf(keyword); at !== -1; at = lower.indexOf(keyword, at + keyword.length)) {
		const start = assignedValueStart(value, at + keyword.length);
		if (start < 0) continue;
		const candidate = readBareValue(value, start);
		if (candidate.length < 8 || !format.shapes.some(shape => shape.test(candidate)) || !plausible(candidate)) continue;
		const rule = ruleId(format.rule ?? 'vendor-secret');
		out.push({rule, start, end: start + candidate.length, value: candidate, preview: maskSecret(candidate), what: format.what});
	}
}

export const vendorKeyedSecret: Detector = {
	id: ruleId('vendor-secret'),
	scan(value) {
		const out: RawMatch[] = [];
		// The shortest vendor shape is 14 characters long: text with no such run holds none.
		if (value.length < 14 || !hasUnbrokenRun(value, 14)) return out;
		const lower = value.toLowerCase();
		const found = keywords.present(lower);
		if (found.size === 0) return out;
		for (const format of keyedFormats) {
			for (const keyword of format.keywords) if (found.has(keyword)) scanKeyword(format, keyword, value, lower, out);
		}
		return out;
	},
};
