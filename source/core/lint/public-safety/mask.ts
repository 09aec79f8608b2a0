import {createRequire} from 'node:module';

/**
 * Masking and fingerprints: the only forms in which a matched value leaves this module tree.
 * A preview shows at most the first 4 characters of a secret (usually its public prefix, such
 * as `ghp_`) plus its length: enough to find it in the file, never enough to use it.
 */

type Crypto = typeof import('node:crypto');
let crypto: Crypto | undefined;

/** First 16 hex chars of sha256(rule NUL value): stable across runs, so `lint.allow` can name it. */
export function fingerprintOf(rule: string, value: string): string {
	// node:crypto costs a few milliseconds of Node internals to load, and a plan without findings
	// hashes nothing: loaded on the first fingerprint instead of with the linter (cold start, issue 13).
	crypto ??= createRequire(import.meta.url)('node:crypto') as Crypto;
	return crypto.createHash('sha256').update(`${rule}\0${value}`, 'utf8').digest('hex').slice(0, 16);
}

/** `ghp_…(40 chars)`. Short values show fewer characters: 4 of 8 would be half a password. */
export function maskSecret(value: string): string {
	const length = value.length;
	const shown = length >= 16 ? 4 : length >= 8 ? 2 : 0;
	return `${printable(value.slice(0, shown))}…(${length} chars)`;
}

/**
 * Replaces what must not reach a terminal or a report verbatim: control characters (ANSI
 * escapes), bidirectional overrides and lone surrogates (invalid in UTF-8 output).
 */
export function printable(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				out += text[i]! + text[i + 1]!;
				i++;
				continue;
			}
		}
		const unsafe =
			c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
		out += unsafe ? '?' : text[i]!;
	}
	return out;
}

/** Keeps a preview short even when the visible part is long (a domain, a suffix). */
export function clip(text: string, max = 48): string {
	const safe = printable(text);
	return safe.length <= max ? safe : `${safe.slice(0, max - 1)}…`;
}

/**
 * `d***.c***.i***` for `db01.corp.internal`, `j***.local` for `jenkins-02.local`: every label
 * shows its first character only, except a short last label (`.com`, `.local`, `.lan`), which
 * says what kind of name it is and is too short to be an 8-character piece of the host. The
 * organisation's own labels (a customer, an internal team) never show.
 */
export function maskHost(host: string): string {
	const labels = host.split('.');
	const last = labels.length > 1 ? labels.pop()! : undefined;
	const masked = labels.map(label => (label.length === 0 ? '' : `${label[0]}***`));
	if (last !== undefined) masked.push(last.length <= MAX_SHOWN_LABEL && /^[A-Za-z]+$/.test(last) ? last : `${last[0] ?? ''}***`);
	return clip(masked.join('.'));
}

const MAX_SHOWN_LABEL = 6;

/** `j***@a***.com`: neither the person nor the organisation (a customer, an internal host) shows. */
export function maskEmail(local: string, domain: string): string {
	return clip(`${local[0] ?? ''}***@${maskHost(domain)}`);
}

/** `…(10 digits)`, with the country code kept for international numbers (`+44…(12 digits)`). */
export function maskDigits(text: string, keepLeading: number): string {
	let digits = '';
	for (const c of text) if (c >= '0' && c <= '9') digits += c;
	const plus = text.startsWith('+') ? '+' : '';
	return `${plus}${digits.slice(0, keepLeading)}…(${digits.length} digits)`;
}

/** Shortest run of a flagged value that counts as leaked: no output may hold 8 characters of it. */
export const LEAK_RUN = 8;

/**
 * True when `text` holds a run of LEAK_RUN characters of `value`. Linear in `value` per window
 * of `text`; `text` is a preview or message (short), so the check stays cheap on large values.
 */
export function leaksRunOf(text: string, value: string): boolean {
	for (let i = 0; i + LEAK_RUN <= text.length; i++) {
		if (value.includes(text.slice(i, i + LEAK_RUN))) return true;
	}
	return false;
}

/**
 * The last line of defence for every preview, whatever detector built it: a preview that holds
 * 8 characters of the value it masks is replaced by the generic mask (at most 4 characters).
 */
export function guardPreview(preview: string, value: string): string {
	return leaksRunOf(preview, value) ? maskSecret(value) : preview;
}
