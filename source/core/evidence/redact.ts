/**
 * Keeping secrets out of everything the tool writes or prints: command output tails, argv shown
 * to people, the journal, evidence, captured API answers, `--json` outputs and errors. Pure.
 *
 * What a secret is, is decided by the linter's engine (`findSensitiveSpans` and `secretKindOf`
 * in core/lint/public-safety): provider tokens, private keys, credentials in URLs, Authorization
 * values, secret assignments. On top of it this module adds only what the engine cannot know:
 * - the exact values of secrets we hold (the API token under whatever name `api.tokenEnv`
 *   gives it, secret-named environment variables, plan values the linter flagged), and
 * - shapes of command lines and headers (`-pPASS`, `-u user:pass`, `--password X`, whole
 *   `Authorization:` and `Cookie:` values), plus assignments to a key the engine calls secret
 *   whatever the strength of the value: the linter weighs values to avoid false alarms in plans,
 *   the redactor prefers hiding a harmless word to leaking a weak password.
 * Every function is idempotent: redacting redacted text changes nothing.
 */
import {secretKindOf} from '../lint/public-safety/credentials.js';
import {findSensitiveSpans} from '../lint/public-safety/detectors.js';
import type {RuleClass} from '../lint/public-safety/rules.js';
import {isSecretFileReference} from '../lint/public-safety/values.js';

export const REDACTED = '<redacted>';

/** Environment variable names that hold secrets by convention. */
const SECRET_NAME = /TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|KEY|CREDENTIAL|AUTH|BEARER|COOKIE|SESSION|PRIVATE|(?:^|_)(?:PW|PASS)(?:_|$)/i;
/** Values too common to hide everywhere they appear ("true", "none"). */
const TRIVIAL = new Set(['true', 'false', 'null', 'none', 'yes', 'no', 'on', 'off']);
/** Shorter known values are not hidden everywhere: "abc" would shred every word holding it. */
const MIN_KNOWN_LENGTH = 4;

/** Names that match a secret word but hold none: session bookkeeping, sockets, paths, kinds. */
const NOT_SECRET_NAME = /^(?:XDG_|DESKTOP_SESSION$)|_(?:SOCK|TYPE|CLASS|DESKTOP|PATH|DIR|MODE|ENV)$/i;

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

function addKnown(values: Set<string>, value: string | undefined): void {
	if (value === undefined) return;
	const trimmed = value.trim();
	if (trimmed.length < MIN_KNOWN_LENGTH || TRIVIAL.has(trimmed.toLowerCase()) || trimmed.includes(REDACTED)) return;
	values.add(value);
	values.add(trimmed);
}

function longestFirst(values: Iterable<string>): string[] {
	return [...new Set(values)].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

/** The values of secret-looking variables, longest first (so a value containing another is hidden whole). */
export function secretValuesFrom(...envs: ReadonlyArray<Readonly<Record<string, string | undefined>> | undefined>): string[] {
	const values = new Set<string>();
	for (const env of envs) {
		if (!env) continue;
		for (const [name, value] of Object.entries(env)) if (isSecretName(name)) addKnown(values, value);
	}
	return longestFirst(values);
}

/**
 * Every secret value a run holds: the API token under the name `api.tokenEnv` gives it (any name:
 * `CAVRA_API_BEARER`, `X`), the secret-named variables of the environment, and any extra values
 * (plan values the linter flagged).
 */
export function runSecretValues(options: {env?: Readonly<Record<string, string | undefined>>; tokenEnv?: string | undefined; extra?: readonly string[]}): string[] {
	const values = new Set(secretValuesFrom(options.env));
	if (options.tokenEnv) addKnown(values, options.env?.[options.tokenEnv]);
	for (const value of options.extra ?? []) addKnown(values, value);
	return longestFirst(values);
}

/** A value as it may appear in text: itself, URL-encoded, JSON-escaped. */
function variantsOf(value: string): string[] {
	const variants = [value];
	const json = JSON.stringify(value).slice(1, -1);
	if (json !== value) variants.push(json);
	try {
		const encoded = encodeURIComponent(value);
		if (encoded !== value) variants.push(encoded);
	} catch {
		// A lone surrogate cannot be encoded; the plain form is still hidden.
	}
	return variants;
}

function hideKnown(text: string, secretValues: readonly string[]): string {
	let out = text;
	for (const value of longestFirst(secretValues.flatMap(variantsOf))) {
		if (value.length >= MIN_KNOWN_LENGTH && out.includes(value)) out = out.split(value).join(REDACTED);
	}
	return out;
}

// ---------------------------------------------------------------- header shapes

const AUTH_SCHEMES = /^(?:bearer|basic|token|digest|apikey|api-key|negotiate|ntlm|dpop|hoba|mutual|aws4-hmac-sha256|sharedkey|otp)$/i;
const AUTHORIZATION = /(?<![A-Za-z0-9_-])(?:[A-Za-z0-9]+-)*authorization["']?[ \t]*[:=][ \t]*(["'`]?)/gi;
const COOKIE = /(?<![A-Za-z0-9_-])(?:set-)?cookie["']?[ \t]*[:=][ \t]*(["'`]?)/gi;

function isQuote(c: string | undefined): c is string {
	return c === '"' || c === "'" || c === '`';
}

/**
 * Hides the value after each header name. Quoted (`-H "Authorization: …"`, `"authorization":
 * "…"`), it ends at the closing quote; bare (an HTTP dump), at the end of the line, so Digest's
 * `response="…"` goes too. A known scheme word (`Bearer`, `Basic`) stays readable.
 */
function hideHeaderValues(text: string, head: RegExp, keepScheme: boolean): string {
	let out = '';
	let copied = 0;
	head.lastIndex = 0;
	for (let m = head.exec(text); m; m = head.exec(text)) {
		const start = m.index + m[0].length;
		const quote = m[1] || (isQuote(text[m.index - 1]) ? text[m.index - 1] : '');
		let end = start;
		while (end < text.length && text[end] !== '\n' && text[end] !== '\r' && text[end] !== quote) end++;
		let valueEnd = end;
		while (valueEnd > start && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
		if (valueEnd === start) continue;
		const scheme = keepScheme ? /^([A-Za-z0-9-]+)[ \t]+\S/.exec(text.slice(start, Math.min(valueEnd, start + 40))) : null;
		const kept = scheme && AUTH_SCHEMES.test(scheme[1]!) ? text.slice(start, start + scheme[0].length - 1) : '';
		out += text.slice(copied, start) + kept + REDACTED;
		copied = valueEnd;
		head.lastIndex = Math.max(end, start + 1);
	}
	return copied === 0 ? text : out + text.slice(copied);
}

function hideHeaders(text: string): string {
	const lower = text.toLowerCase();
	let out = text;
	if (lower.includes('authorization')) out = hideHeaderValues(out, AUTHORIZATION, true);
	if (lower.includes('cookie')) out = hideHeaderValues(out, COOKIE, false);
	return out;
}

// ---------------------------------------------------------------- command-line shapes

/** `ssh -p 2222`: a short number after `-p` is a port, not a password. */
const PORT = /^\d{1,5}$/;
const WORD = `("[^"\\r\\n]*"|'[^'\\r\\n]*'|[^\\s"']+)`;
/** `-pPASS` (mysql) and `-p PASS`. */
const DASH_P = new RegExp(`(?<![^\\s"'=])(-p)([ \\t]+)?${WORD}`, 'g');
/** `-u user:pass`, `-uuser:pass`, `--user user:pass`, `--user=user:pass` (curl and friends). */
const DASH_U = /(?<![^\s"'=])(-u[ \t]*|--user[= \t][ \t]*)([^\s:"']+):([^\s"']+)/g;
/** `--password X`, `--pass=X`, `-token X`, `--api-key X`: the flag's last word says secret. */
const SECRET_FLAG = new RegExp(`(?<![^\\s"'=])(--?[A-Za-z0-9-]*?(?:password|passwd|passphrase|pass|pwd|token|secret|api-?key|credentials?))([= \\t][ \\t]*)${WORD}`, 'gi');

/** `-p` is a password (mysql), a port (ssh) or a bare switch before a path (mkdir -p /x): only the first is hidden. */
function keepAfterDashP(value: string): boolean {
	return PORT.test(value) || value.startsWith('-') || value.includes(REDACTED) || isSecretFileReference(value);
}

function quotedRedaction(value: string): string {
	const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
	return `${quote}${REDACTED}${quote}`;
}

function hideCommandLine(text: string): string {
	let out = text;
	if (out.includes('-p')) {
		out = out.replace(DASH_P, (all, flag: string, space: string | undefined, value: string) => (keepAfterDashP(value) ? all : `${flag}${space ?? ''}${quotedRedaction(value)}`));
	}
	if (out.includes('-u')) out = out.replace(DASH_U, `$1$2:${REDACTED}`);
	if (out.includes('-')) out = out.replace(SECRET_FLAG, (all, flag: string, separator: string, value: string) => (value.startsWith('-') ? all : `${flag}${separator}${quotedRedaction(value)}`));
	return out;
}

// ---------------------------------------------------------------- assignments to secret keys

// `password=…`, `DB_PASSWORD: …`, `"api_key": "…"`: the engine's secretKindOf judges the key.
const ASSIGNMENT = new RegExp(`(?<![A-Za-z0-9_.$-])([A-Za-z_][A-Za-z0-9_.-]{0,79})(["']?[ \\t]*(?::=|=|:)[ \\t]*)("[^"\\r\\n]*"|'[^'\\r\\n]*'|[^\\s"',;&]+)`, 'g');

/** True when a key (env name, JSON key, flag word) announces a secret value. */
export function isSecretKey(key: string): boolean {
	return secretKindOf(key) !== undefined || HEADER_KEYS.has(key.toLowerCase());
}

const HEADER_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token', 'private-token']);

/** Values under a secret key that are kept: empty, already redacted, a path to where the secret lives. */
function keepUnderSecretKey(key: string, value: string): boolean {
	const bare = value.replace(/^["']|["']$/g, '');
	if (bare.trim() === '' || bare.includes(REDACTED) || bare === '…' || bare === '...') return true;
	return secretKindOf(key) !== 'password' && isSecretFileReference(bare);
}

function hideAssignments(text: string): string {
	if (!/pass|pwd|secret|token|key|credential/i.test(text)) return text;
	return text.replace(ASSIGNMENT, (all, key: string, separator: string, value: string) =>
		secretKindOf(key) === undefined || keepUnderSecretKey(key, value) ? all : `${key}${separator}${quotedRedaction(value)}`,
	);
}

// ---------------------------------------------------------------- the engine

/** Spans the linter's engine flags (secrets by default), each replaced by `<redacted>`. */
export function hideSpans(text: string, classes: readonly RuleClass[] = ['secret']): string {
	const spans = findSensitiveSpans(text, classes);
	if (spans.length === 0) return text;
	let out = '';
	let at = 0;
	for (const span of spans) {
		if (span.end <= at) continue;
		out += text.slice(at, Math.max(at, span.start));
		if (span.start >= at || !out.endsWith(REDACTED)) out += REDACTED;
		at = span.end;
	}
	return out + text.slice(at);
}

// ---------------------------------------------------------------- entry points

/** `text` with known secret values, header, command-line and assignment shapes, and every engine-flagged secret replaced by `<redacted>`. */
export function redactText(text: string, secretValues: readonly string[] = []): string {
	if (text.length === 0) return text;
	return hideSpans(hideAssignments(hideCommandLine(hideHeaders(hideKnown(text, secretValues)))));
}

/** At most this many redacted strings are remembered by a screen's redactor. */
const SCREEN_CACHE_LIMIT = 4096;

/**
 * `redactText` with the run's secret values, remembering its answers: a screen redacts the same
 * strings again on every state it receives (each tick, each poll), and the engine is not free.
 */
export function screenRedactor(secretValues: readonly string[]): (text: string) => string {
	const cache = new Map<string, string>();
	return text => {
		let masked = cache.get(text);
		if (masked === undefined) {
			masked = redactText(text, secretValues);
			if (cache.size >= SCREEN_CACHE_LIMIT) cache.clear();
			cache.set(text, masked);
		}
		return masked;
	};
}

/**
 * Plain data (a screen's state, an event) with every string in it, keys included, through
 * `redact`; same shape, numbers and booleans untouched. Unlike `redactJson`, no value is hidden
 * for its key's name: the data is the tool's own, only its strings come from outside.
 */
export function redactStrings<T>(value: T, redact: (text: string) => string): T {
	if (typeof value === 'string') return redact(value) as T;
	if (Array.isArray(value)) return value.map(item => redactStrings(item, redact)) as T;
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [name, item] of Object.entries(value)) out[redact(name)] = redactStrings(item, redact);
		return out as T;
	}
	return value;
}

/**
 * A value from the public plan as the tool may repeat it (preview, journal, evidence, rehearsal
 * files): everything `redactText` hides, and private endpoints and personal data too: whatever
 * the linter flags in a plan is masked, so the files we write lint clean.
 */
export function redactPlanText(text: string, secretValues: readonly string[] = []): string {
	return hideSpans(redactText(text, secretValues), ['endpoint', 'personal']);
}

/** argv for display and evidence: each word through `redactText`, and the word after a secret flag (`--token X`, `-p X`, `-u user:pass`). */
export function redactArgv(argv: readonly string[], secretValues: readonly string[] = []): string[] {
	const out: string[] = [];
	let hideNext: 'all' | 'dash-p' | 'password-part' | undefined;
	for (const arg of argv) {
		if (hideNext) {
			const colon = arg.indexOf(':');
			if (hideNext === 'all' || (hideNext === 'dash-p' && !keepAfterDashP(arg))) out.push(REDACTED);
			else if (hideNext === 'password-part' && colon > 0) out.push(`${redactText(arg.slice(0, colon), secretValues)}:${REDACTED}`);
			else out.push(redactText(arg, secretValues));
			hideNext = undefined;
			continue;
		}
		if (arg === '-p') hideNext = 'dash-p';
		else if (arg === '-u' || arg === '--user') hideNext = 'password-part';
		const flag = /^(--?[A-Za-z0-9-]+)(=.*)?$/.exec(arg);
		if (flag && (isSecretName(flag[1]!.replace(/-/g, '_')) || isSecretKey(flag[1]!.replace(/^-+/, '')))) {
			if (flag[2] === undefined) hideNext = 'all';
			out.push(flag[2] === undefined ? arg : `${flag[1]}=${REDACTED}`);
			continue;
		}
		const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(arg);
		if (assignment && (isSecretName(assignment[1]!) || isSecretKey(assignment[1]!)) && assignment[2] !== '') {
			out.push(`${assignment[1]}=${REDACTED}`);
			continue;
		}
		out.push(redactText(arg, secretValues));
	}
	return out;
}

/**
 * A JSON value with every string redacted, and every value under a secret key (`password`,
 * `authorization`, `api_key`, …) hidden whatever it is; keys go through `redactText` too. The
 * result is still plain JSON of the same shape, so a captured report stays valid.
 */
export function redactJson<T>(value: T, secretValues: readonly string[] = []): T {
	return redactJsonValue(value, text => redactText(text, secretValues), undefined) as T;
}

/** `redactJson` with plan rules: private endpoints and personal data masked too (see redactPlanText). */
export function redactPlanJson<T>(value: T, secretValues: readonly string[] = []): T {
	return redactJsonValue(value, text => redactPlanText(text, secretValues), undefined) as T;
}

function redactJsonValue(value: unknown, redact: (text: string) => string, key: string | undefined): unknown {
	if (key !== undefined && isSecretKey(key)) {
		if (typeof value === 'string') return keepUnderSecretKey(key, value) ? redact(value) : hideUnderKey(key, value);
		if (typeof value === 'number' || typeof value === 'bigint') return REDACTED;
	}
	if (typeof value === 'string') return redact(value);
	if (Array.isArray(value)) return value.map(item => redactJsonValue(item, redact, undefined));
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [name, item] of Object.entries(value)) {
			const redactedName = redact(name);
			let safeName = redactedName;
			// Two keys redacted to the same text must not overwrite each other.
			for (let n = 2; Object.hasOwn(out, safeName); n++) safeName = `${redactedName}#${n}`;
			out[safeName] = redactJsonValue(item, redact, name);
		}
		return out;
	}
	return value;
}

/** `Bearer abc` under `authorization` keeps its scheme word; any other secret value goes whole. */
function hideUnderKey(key: string, value: string): string {
	const lower = key.toLowerCase();
	if (lower === 'authorization' || lower === 'proxy-authorization') {
		const space = value.trim().indexOf(' ');
		const scheme = space > 0 ? value.trim().slice(0, space) : '';
		if (AUTH_SCHEMES.test(scheme)) return `${scheme} ${REDACTED}`;
	}
	return REDACTED;
}
