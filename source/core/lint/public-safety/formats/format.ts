import type {RuleName} from '../rules.js';

/**
 * One credential format recognised by its shape: a literal prefix the vendor documents, then a
 * body of one character class. Built into a regex that only starts where the prefix is not
 * glued to a longer word, and only ends where the body is not followed by more body
 * characters, so a look-alike of the wrong length is not a match and every run is read once.
 */
export interface TokenFormat {
	/** Completes "this value holds what looks like …": constant text naming the vendor and kind. */
	what: string;
	rule: RuleName;
	regex: RegExp;
	/** Case-sensitive substrings one of which must be present (cheap gate before the regex). */
	gate: readonly string[];
	/** Characters at the start of the secret span that are a public prefix (placeholder checks skip them). */
	prefixLength: number;
	/** Capture group holding the secret when it is part of a larger match (a URL, a pair). */
	group?: number;
	/** Extra acceptance test on the secret span (mixed case, checksum…). */
	accept?: (secret: string) => boolean;
	/** The gate is compared with the lower-cased text (case-insensitive prefixes). */
	lowerGate?: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

interface Options {
	rule?: RuleName;
	/** Characters that may not precede the prefix; default: letters and digits. */
	before?: string;
	/** Characters that may not follow the body; default: letters, digits and `_`. */
	after?: string;
	accept?: (secret: string) => boolean;
	flags?: string;
}

/** `prefix` literally, then `body` (a regex source with bounded quantifiers). */
export function format(what: string, prefixes: string | readonly string[], body: string, options: Options = {}): TokenFormat {
	const list = typeof prefixes === 'string' ? [prefixes] : prefixes;
	const before = options.before ?? 'A-Za-z0-9';
	const after = options.after ?? 'A-Za-z0-9_';
	const alternatives = list.map(escape).join('|');
	return {
		what,
		rule: options.rule ?? 'provider-token',
		regex: new RegExp(`(?<![${before}])(?:${alternatives})${body}(?![${after}])`, `g${options.flags ?? ''}`),
		gate: list.map(p => (options.flags?.includes('i') ? p.toLowerCase() : p)),
		prefixLength: Math.min(...list.map(p => p.length)),
		accept: options.accept,
		lowerGate: options.flags?.includes('i') === true,
	};
}

/** A format whose secret is capture group 1 of `regex` (a webhook URL's path, a pair's second half). */
export function custom(what: string, regex: RegExp, gate: readonly string[], options: {rule?: RuleName; accept?: (secret: string) => boolean; lowerGate?: boolean} = {}): TokenFormat {
	return {what, rule: options.rule ?? 'provider-token', regex, gate, prefixLength: 0, group: 1, accept: options.accept, lowerGate: options.lowerGate};
}

export const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s);
export const hasDigitAndLetter = (s: string) => /[0-9]/.test(s) && /[A-Za-z]/.test(s);
