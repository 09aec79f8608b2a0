import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {clip, maskDigits, maskEmail, maskSecret} from './mask.js';
import {ruleId} from './rules.js';
import {isFiller, isPlaceholder, isPlaceholderSecret} from './values.js';

/**
 * Customer and personal data: email addresses, phone numbers, payment cards, bank accounts and
 * tenant/customer ids in URLs. Numbers are only reported in shapes that rule out dates,
 * versions, durations, addresses and plain counts; cards and IBANs must pass their checksums.
 */

function isDigit(c: number): boolean {
	return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
	return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// ---------------------------------------------------------------- email

function isLocalChar(c: number): boolean {
	// A-Z a-z 0-9 . _ % + -
	return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainChar(c: number): boolean {
	return isAlnum(c) || c === 46 || c === 45;
}

/** RFC 2606 / 6761 names reserved for documentation and tests. */
export function isDocumentationDomain(domain: string): boolean {
	const d = domain.toLowerCase();
	for (const base of ['example.com', 'example.org', 'example.net']) if (d === base || d.endsWith(`.${base}`)) return true;
	const tld = d.slice(d.lastIndexOf('.') + 1);
	return tld === 'test' || tld === 'example' || tld === 'invalid' || tld === 'localhost';
}

/**
 * Expands around each `@` by hand: the left scan stops at the previous `@` and the right scan at
 * the next one, so each character is visited at most twice (no regex over `a@a@a@…`).
 */
export const email: Detector = {
	id: ruleId('email'),
	scan(value) {
		const out: RawMatch[] = [];
		for (let at = value.indexOf('@'); at !== -1; at = value.indexOf('@', at + 1)) {
			let start = at;
			while (start > 0 && isLocalChar(value.charCodeAt(start - 1))) start--;
			while (start < at && value[start] === '.') start++;
			let end = at + 1;
			while (end < value.length && isDomainChar(value.charCodeAt(end))) end++;
			while (end > at + 1 && (value[end - 1] === '.' || value[end - 1] === '-')) end--;
			const local = value.slice(start, at);
			const domain = value.slice(at + 1, end);
			if (local.length === 0 || local.length > 64 || !isEmailDomain(domain) || isDocumentationDomain(domain)) continue;
			// `git@github.com:org/repo.git` is an SSH remote, not a person.
			if (local === 'git' && value[end] === ':') continue;
			// `scheme://user:password@host`: the "local part" is userinfo (credentials-in-url's job).
			if (isUrlUserinfo(value, start)) continue;
			out.push({rule: ruleId('email'), start, end, value: `${local}@${domain.toLowerCase()}`, preview: maskEmail(local, domain.toLowerCase())});
		}
		return out;
	},
};

/**
 * Looks back (a bounded distance) from `start` for the `://` of an authority, across nothing that
 * cannot be in userinfo (space, `/`, `?`, `#`). A raw `@` can: pasted passwords contain it.
 */
function isUrlUserinfo(value: string, start: number): boolean {
	const limit = Math.max(0, start - 256);
	for (let k = start - 1; k >= limit; k--) {
		const c = value.charCodeAt(k);
		if (c === 47) return k >= 2 && value[k - 1] === '/' && value[k - 2] === ':';
		if (c <= 32 || c === 63 || c === 35) return false;
	}
	return false;
}

function isEmailDomain(domain: string): boolean {
	if (domain.length < 4 || domain.length > 253) return false;
	const labels = domain.split('.');
	if (labels.length < 2 || labels.some(l => l.length === 0 || l.length > 63 || l.startsWith('-'))) return false;
	// `image@sha256:…` and `pkg@1.2.3` have no alphabetic top-level domain.
	return /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]!);
}

// ---------------------------------------------------------------- number runs (phones, cards)

function isRunChar(c: number): boolean {
	// digits, space, - . ( )
	return isDigit(c) || c === 32 || c === 45 || c === 46 || c === 40 || c === 41;
}

function isBoundaryBefore(value: string, i: number): boolean {
	if (i === 0) return true;
	const c = value.charCodeAt(i - 1);
	// Not after a word, a dot, a dash, a slash, `+`, `#`, `@`, `$`, `%`: those make the digits part
	// of something else (a version, an id, an issue ref, an amount, a path).
	return !(isAlnum(c) || c === 95 || c === 46 || c === 45 || c === 47 || c === 92 || c === 43 || c === 35 || c === 64 || c === 36 || c === 37);
}

export interface NumberRun {
	start: number;
	end: number;
	text: string;
}

/**
 * Maximal runs of digits and separators, trimmed to end in a digit or `)`. Runs glued to a
 * letter (`15m`, `2h`, `4111…x`) are dropped: a unit or a word follows, not a number. One pass.
 */
export function numberRuns(value: string): NumberRun[] {
	const out: NumberRun[] = [];
	let i = 0;
	while (i < value.length) {
		const c = value.charCodeAt(i);
		const opens = isDigit(c) || ((c === 43 || c === 40) && isDigit(value.charCodeAt(i + 1)));
		if (!opens || !isBoundaryBefore(value, i)) {
			i++;
			continue;
		}
		let j = i + 1;
		while (j < value.length && isRunChar(value.charCodeAt(j))) j++;
		let end = j;
		while (end > i && !isDigit(value.charCodeAt(end - 1)) && value.charCodeAt(end - 1) !== 41) end--;
		const after = value.charCodeAt(end);
		const glued = end === j && (isAlnum(after) || after === 95 || after === 47 || after === 64);
		if (!glued && end > i) out.push({start: i, end, text: value.slice(i, end)});
		i = j;
	}
	return out;
}

function digitsOf(text: string): string {
	let digits = '';
	for (let i = 0; i < text.length; i++) if (isDigit(text.charCodeAt(i))) digits += text[i];
	return digits;
}

// ---------------------------------------------------------------- phone

const US_NATIONAL = /^(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[-. ])[2-9]\d{2}[-. ]\d{4}$/;
const TRUNK_NATIONAL = /^0\d{1,4}(?:[ -]\d{2,8}){1,4}$/;
const TRUNK_PARENTHESISED = /^\(0\d{1,4}\) ?\d{3,4}[ -]?\d{3,4}$/;
const INTERNATIONAL = /^\+[1-9][\d .()-]*$/;
const DATE_LIKE = /^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}(?!\d)/;
const PHONE_LABEL = /\b(?:tel|phone|mobile|cell|fax|call|sms|whatsapp|pager|hotline)\b[^A-Za-z0-9]{0,4}$/i;

export function isPhoneShaped(text: string, labelled: boolean): boolean {
	if (text.length > 40 || /[.-]{2}| {2}/.test(text)) return false;
	const digits = digitsOf(text).length;
	if (text[0] === '+') return INTERNATIONAL.test(text) && digits >= 8 && digits <= 15;
	if (DATE_LIKE.test(text)) return false;
	if (text.startsWith('00') && digits >= 10 && digits <= 17 && /[ -]/.test(text)) return /^00[1-9]/.test(text);
	if (US_NATIONAL.test(text)) return true;
	if ((TRUNK_NATIONAL.test(text) || TRUNK_PARENTHESISED.test(text)) && digits >= 10 && digits <= 12) return true;
	return labelled && digits >= 7 && digits <= 15 && !text.includes('.');
}

export const phoneNumber: Detector = {
	id: ruleId('phone-number'),
	scan(value) {
		const out: RawMatch[] = [];
		for (const run of numberRuns(value)) {
			const labelled = PHONE_LABEL.test(value.slice(Math.max(0, run.start - 24), run.start));
			if (!isPhoneShaped(run.text, labelled)) continue;
			const digits = digitsOf(run.text);
			out.push({rule: ruleId('phone-number'), start: run.start, end: run.end, value: digits, preview: maskDigits(run.text, run.text[0] === '+' ? 2 : 0)});
		}
		return out;
	},
};

// ---------------------------------------------------------------- payment card

export function luhnValid(digits: string): boolean {
	let sum = 0;
	let double = false;
	for (let i = digits.length - 1; i >= 0; i--) {
		let d = digits.charCodeAt(i) - 48;
		if (double) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
		double = !double;
	}
	return sum % 10 === 0;
}

/** Issuer prefixes of the card networks in use; ms/ns timestamps (leading 1) never pass. */
function plausibleIssuer(digits: string): boolean {
	const two = Number(digits.slice(0, 2));
	const four = Number(digits.slice(0, 4));
	switch (digits[0]) {
		case '2':
			return four >= 2221 && four <= 2720;
		case '3':
			return two === 30 || (two >= 34 && two <= 39);
		case '4':
		case '6':
			return true;
		case '5':
			return two >= 50;
		default:
			return false;
	}
}

const CARD_IN_PATH = /\/(\d{13,19})(?=[/?#\s"'.,;)]|$)/g;
const CARD_GROUPED = /^\d{3,6}(?:([ -])\d{1,6})(?:\1\d{1,6}){0,4}$/;

export const paymentCard: Detector = {
	id: ruleId('payment-card'),
	scan(value) {
		const out: RawMatch[] = [];
		for (const run of numberRuns(value)) {
			const t = run.text;
			if (t.length > 24 || !(/^\d{13,19}$/.test(t) || CARD_GROUPED.test(t))) continue;
			const digits = digitsOf(t);
			if (digits.length < 13 || digits.length > 19 || !plausibleIssuer(digits) || !luhnValid(digits)) continue;
			if (/^(\d)\1*$/.test(digits)) continue;
			out.push({rule: ruleId('payment-card'), start: run.start, end: run.end, value: digits, preview: maskDigits(t, 1)});
		}
		// A path segment (`/cards/4242…/charge`): number runs skip digits after `/` (paths, ids).
		if (value.includes('/')) {
			forEachMatch(CARD_IN_PATH, value, m => {
				const digits = m[1]!;
				if (!plausibleIssuer(digits) || !luhnValid(digits) || /^(\d)\1*$/.test(digits)) return;
				out.push({rule: ruleId('payment-card'), start: m.index + 1, end: m.index + 1 + digits.length, value: digits, preview: maskDigits(digits, 1)});
			});
		}
		return out;
	},
};

// ---------------------------------------------------------------- bank account

// Country code, check digits, then 4-character groups (spaces optional) — bounded repetition, and
// each group has a fixed width, so there is exactly one way to split a run.
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;
const IBAN_LENGTHS: Record<string, number> = {
	AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GR: 27, HR: 21,
	HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24,
	SI: 19, SK: 24, SM: 27, TR: 26, AE: 23, SA: 24, IL: 23, BR: 29, QA: 29,
};

export function ibanValid(compact: string): boolean {
	if (compact.length < 15 || compact.length > 34) return false;
	const expected = IBAN_LENGTHS[compact.slice(0, 2)];
	if (expected !== undefined && expected !== compact.length) return false;
	const rearranged = compact.slice(4) + compact.slice(0, 4);
	let remainder = 0;
	for (const ch of rearranged) {
		const code = ch.charCodeAt(0);
		const n = code >= 65 ? code - 55 : code - 48;
		remainder = n >= 10 ? (remainder * 100 + n) % 97 : (remainder * 10 + n) % 97;
	}
	return remainder === 1;
}

// US ABA routing numbers and account numbers only when labelled: bare 9-17 digit numbers are
// far more often ids, counts or timestamps.
const ROUTING = /(?<![A-Za-z0-9_])(?:routing|aba|rtn)(?:[ _-]?(?:number|no\.?|num|#))?["']?[ \t]*[:=#]?[ \t]*(\d{9})(?![0-9])/gi;
const ACCOUNT = /(?<![A-Za-z0-9_])(?:(?:bank|checking|savings)[ _-]?(?:account|acct)(?:[ _-]?(?:number|no\.?|num|#))?|(?:account|acct)[ _-]?(?:number|no\.?|num|#))["']?[ \t]*[:=#]?[ \t]*(\d[\d -]{4,20}\d)(?![0-9])/gi;

function routingValid(d: string): boolean {
	const n = (i: number) => d.charCodeAt(i) - 48;
	return (3 * (n(0) + n(3) + n(6)) + 7 * (n(1) + n(4) + n(7)) + (n(2) + n(5) + n(8))) % 10 === 0;
}

export const bankAccount: Detector = {
	id: ruleId('bank-account'),
	scan(value) {
		const out: RawMatch[] = [];
		forEachMatch(IBAN, value, m => {
			const compact = m[0].replace(/ /g, '');
			if (!ibanValid(compact)) return;
			out.push({rule: ruleId('bank-account'), start: m.index, end: m.index + m[0].length, value: compact, preview: `${compact.slice(0, 2)}…(${compact.length} chars)`, what: 'a bank account number (IBAN)'});
		});
		const lower = value.toLowerCase();
		if (!/rout|aba|rtn|acc|acct/.test(lower)) return out;
		forEachMatch(ROUTING, value, m => {
			if (!routingValid(m[1]!)) return;
			const start = m.index + m[0].length - m[1]!.length;
			out.push({rule: ruleId('bank-account'), start, end: start + 9, value: m[1]!, preview: maskDigits(m[1]!, 0), what: 'a bank routing number (labelled, ABA checksum valid)'});
		});
		forEachMatch(ACCOUNT, value, m => {
			let number = m[1]!;
			while (number.endsWith(' ') || number.endsWith('-')) number = number.slice(0, -1);
			const digits = digitsOf(number);
			if (digits.length < 6 || digits.length > 17) return;
			const start = m.index + m[0].length - m[1]!.length;
			out.push({rule: ruleId('bank-account'), start, end: start + number.length, value: digits, preview: maskDigits(number, 0), what: 'a bank account number (labelled)'});
		});
		return out;
	},
};

// ---------------------------------------------------------------- tenant / customer ids

const ID_PARAM = /(?<![A-Za-z0-9_])(tenant|customer|account|subscription|org|organization)[_-]?id["']?[ \t]*([=:])[ \t]*["']?([^\s&#?"'<>,;/]+)/gi;
const ID_PATH = /\/(tenants|customers|accounts|subscriptions|organizations|orgs)\/([^/?#\s"'<>`]+)/gi;
/** Path segments that name a page, not an entity. */
const GENERIC_SEGMENTS = new Set(['new', 'list', 'me', 'self', 'current', 'default', 'settings', 'overview', 'search', 'index', 'all', 'create', 'edit', 'mine', 'home', 'dashboard', 'billing', 'login', 'logout', 'signup', 'help', 'docs', 'api', 'v1', 'v2']);

function looksLikeIdValue(id: string): boolean {
	if (isPlaceholder(id) || /^[:{[<$*]/.test(id) || id.length < 2) return false;
	return !GENERIC_SEGMENTS.has(id.toLowerCase());
}

export const customerId: Detector = {
	id: ruleId('customer-id'),
	scan(value) {
		const out: RawMatch[] = [];
		const lower = value.toLowerCase();
		if (!/tenant|customer|account|subscription|org/.test(lower)) return out;
		forEachMatch(ID_PARAM, value, m => {
			const id = m[3]!;
			if (!looksLikeIdValue(id)) return;
			// `tenant_id: the affected tenant` is prose; after a colon an id must look generated.
			if (m[2] === ':' && !/[0-9_-]/.test(id)) return;
			const start = m.index + m[0].length - id.length;
			out.push({rule: ruleId('customer-id'), start, end: start + id.length, value: id, preview: clip(`${m[1]!.toLowerCase()}Id=${maskSecret(id)}`)});
		});
		// A console or ticket URL names a customer by any segment; elsewhere (a docs path such as
		// docs/customers/onboarding) only a segment with a digit is taken for an id.
		const firstUrl = value.indexOf('://');
		forEachMatch(ID_PATH, value, m => {
			const id = m[2]!;
			if (!looksLikeIdValue(id)) return;
			if (!(firstUrl !== -1 && firstUrl < m.index) && !/\d/.test(id)) return;
			const start = m.index + m[0].length - id.length;
			out.push({rule: ruleId('customer-id'), start, end: start + id.length, value: id, preview: clip(`/${m[1]!.toLowerCase()}/${maskSecret(id)}`)});
		});
		return out;
	},
};

// ---------------------------------------------------------------- customer and tenant names, account ids

const NAME_LABEL = /(?<![A-Za-z0-9_])(customer|tenant)(?:[ _-]?name)?["']?[ \t]*([=:])[ \t]*["']?/gi;
const BARE_TENANT = /(?<![A-Za-z0-9_])(?:customer|tenant)[ \t]+(?=[A-Z][a-z])/g;
const CAPITALISED_NAME = /^[A-Z][A-Za-z0-9&.'-]*(?: [A-Z][A-Za-z0-9&.'-]*){0,3}/;
const UNQUOTED_VALUE = /^[^\s&#?"'<>,;/()]+/;
/** Words that start prose or name a role after "Customer:" / "tenant", not an organisation. */
const NOT_A_NAME = new Set([
	'the', 'a', 'an', 'all', 'any', 'each', 'every', 'our', 'your', 'their', 'this', 'that', 'these', 'none', 'n/a', 'tbd', 'affected',
	'multiple', 'several', 'internal', 'external', 'production', 'staging', 'admin', 'admins', 'administrator', 'api', 'id', 'ids', 'name',
	'names', 'owner', 'owners', 'team', 'teams', 'config', 'configuration', 'settings', 'data', 'database', 'service', 'services',
	'isolation', 'level', 'scope', 'boundary', 'context', 'default', 'true', 'false', 'null', 'yes', 'no', 'impact', 'facing', 'support',
	'success', 'count', 'list', 'is', 'are', 'was', 'will', 'should', 'must', 'may', 'can', 'with', 'without', 'for', 'of', 'in', 'on',
]);

function organisationName(value: string, start: number, afterEquals: boolean): string | undefined {
	const rest = value.slice(start, start + 120);
	const name = afterEquals ? UNQUOTED_VALUE.exec(rest)?.[0] : CAPITALISED_NAME.exec(rest)?.[0];
	if (!name || name.length < 2) return undefined;
	const first = name.split(/[ -]/)[0]!.toLowerCase();
	if (NOT_A_NAME.has(first) || NOT_A_NAME.has(name.toLowerCase()) || !looksLikeIdValue(name)) return undefined;
	return name.replace(/[.'-]+$/, '');
}

// `AWS account 123456789012`, `aws_account_id: 1234-5678-9012`. AWS's documentation ids are examples.
const AWS_ACCOUNT = /(?<![A-Za-z0-9])aws[ _-]?account(?:[ _-]?(?:id|number|no\.?|#))?["']?[ \t]*[:=#]?[ \t]*["']?(\d{4}-?\d{4}-?\d{4})(?![\d-])/gi;
const AWS_EXAMPLE_ACCOUNTS = new Set(['123456789012', '111122223333', '444455556666', '777788889999', '210987654321', '000000000000']);
const STRIPE_ACCOUNT = /(?<![A-Za-z0-9_])acct_[A-Za-z0-9]{16}(?![A-Za-z0-9_])/g;

export const customerName: Detector = {
	id: `${ruleId('customer-id')}#name`,
	scan(value) {
		const out: RawMatch[] = [];
		const lower = value.toLowerCase();
		const push = (start: number, name: string, what: string, fingerprintValue = name) =>
			out.push({rule: ruleId('customer-id'), start, end: start + name.length, value: fingerprintValue, preview: clip(maskSecret(name)), what});
		if (lower.includes('customer') || lower.includes('tenant')) {
			forEachMatch(NAME_LABEL, value, m => {
				const start = m.index + m[0].length;
				const name = organisationName(value, start, m[2] === '=');
				if (name) push(start, name, 'a customer or tenant name');
			});
			forEachMatch(BARE_TENANT, value, m => {
				const start = m.index + m[0].length;
				const name = organisationName(value, start, false);
				if (name) push(start, name, 'a customer or tenant name');
			});
		}
		if (lower.includes('aws')) {
			forEachMatch(AWS_ACCOUNT, value, m => {
				const id = m[1]!;
				const digits = id.replace(/-/g, '');
				if (AWS_EXAMPLE_ACCOUNTS.has(digits) || isFiller(digits)) return;
				push(m.index + m[0].length - id.length, id, 'an AWS account id', digits);
			});
		}
		if (value.includes('acct_')) {
			forEachMatch(STRIPE_ACCOUNT, value, m => {
				if (isPlaceholderSecret(m[0].slice(5)) || !/\d/.test(m[0].slice(5))) return;
				push(m.index, m[0], 'a Stripe connected-account id');
			});
		}
		return out;
	},
};

export const personalDataDetectors: readonly Detector[] = [email, phoneNumber, paymentCard, bankAccount, customerId, customerName];
