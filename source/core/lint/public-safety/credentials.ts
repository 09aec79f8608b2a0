import {Buffer} from 'node:buffer';
import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {maskSecret} from './mask.js';
import {ruleId, type RuleName} from './rules.js';
import {isPlaceholder, isSecretFileReference, looksLikePassword, looksLikeToken, stripQuotes} from './values.js';

/**
 * Credentials recognised by their context rather than their shape: Authorization headers, URL
 * userinfo, query parameters and keyword assignments. This is the only place where "high
 * entropy" matters, and only for the value after a secret keyword.
 */

function hit(name: RuleName, start: number, raw: string): RawMatch {
	const value = stripQuotes(raw);
	const offset = raw.indexOf(value);
	return {rule: ruleId(name), start: start + Math.max(0, offset), end: start + Math.max(0, offset) + value.length, value, preview: maskSecret(value)};
}

// ---------------------------------------------------------------- Authorization / Bearer / Basic

const AUTH_HEADER = /(?<![A-Za-z0-9_-])(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(bearer|basic|token|digest|apikey|api-key|negotiate)[ \t]+)?([^\s"'`,;]+)/gi;
const BARE_BEARER = /(?<![A-Za-z0-9_-])bearer[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/gi;
const BARE_BASIC = /(?<![A-Za-z0-9_-])basic[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi;

/** `Basic dXNlcjpwYXNz` is a credential only if it decodes to printable `user:password`. */
function isBasicCredential(encoded: string): boolean {
	if (encoded.length % 4 !== 0) return false;
	const decoded = Buffer.from(encoded, 'base64').toString('latin1');
	const colon = decoded.indexOf(':');
	if (colon < 0 || !/^[\x20-\x7e]+$/.test(decoded)) return false;
	return !isPlaceholder(decoded.slice(colon + 1));
}

export const authorizationHeader: Detector = {
	id: ruleId('authorization-header'),
	scan(value) {
		const out: RawMatch[] = [];
		const lower = value.toLowerCase();
		if (!lower.includes('authorization') && !lower.includes('bearer') && !lower.includes('basic')) return out;
		// The bare forms below also match inside "Authorization: Bearer …"; report each credential once.
		const taken = new Set<number>();
		forEachMatch(AUTH_HEADER, value, m => {
			const scheme = m[1]?.toLowerCase();
			const credential = m[2]!;
			const ok = scheme === 'basic' ? isBasicCredential(credential) || looksLikeToken(credential) : looksLikeToken(credential);
			if (!ok) return;
			const found = hit('authorization-header', m.index + m[0].length - credential.length, credential);
			taken.add(found.start);
			out.push(found);
		});
		forEachMatch(BARE_BEARER, value, m => {
			const start = m.index + m[0].length - m[1]!.length;
			if (!taken.has(start) && looksLikeToken(m[1]!)) out.push(hit('authorization-header', start, m[1]!));
		});
		forEachMatch(BARE_BASIC, value, m => {
			const start = m.index + m[0].length - m[1]!.length;
			if (!taken.has(start) && isBasicCredential(m[1]!)) out.push(hit('authorization-header', start, m[1]!));
		});
		return out;
	},
};

// ---------------------------------------------------------------- scheme://user:password@host

function isUrlDelimiter(c: number): boolean {
	// / ? # whitespace quotes < > ` and control characters end the authority.
	return c === 47 || c === 63 || c === 35 || c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 96;
}

function isSchemeChar(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/** Parses the authority after each `://` by hand: each stops at the next `/`, so the scans never overlap. */
export function findUrlPasswords(value: string): Array<{start: number; end: number; user: string; password: string}> {
	const out: Array<{start: number; end: number; user: string; password: string}> = [];
	for (let i = value.indexOf('://'); i !== -1; i = value.indexOf('://', i + 3)) {
		if (i === 0 || !isSchemeChar(value.charCodeAt(i - 1))) continue;
		let at = -1;
		let j = i + 3;
		for (; j < value.length; j++) {
			const c = value.charCodeAt(j);
			if (isUrlDelimiter(c)) break;
			// The last @ before the path separates userinfo; raw @ in passwords is common in pasted URLs.
			if (c === 64) at = j;
		}
		if (at < 0) continue;
		const userinfo = value.slice(i + 3, at);
		const colon = userinfo.indexOf(':');
		if (colon < 0) continue;
		const password = userinfo.slice(colon + 1);
		if (isPlaceholder(password) || isPlaceholder(decodeSafely(password))) continue;
		out.push({start: i + 3 + colon + 1, end: at, user: userinfo.slice(0, colon), password});
	}
	return out;
}

function decodeSafely(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

export const credentialsInUrl: Detector = {
	id: ruleId('credentials-in-url'),
	scan(value) {
		if (!value.includes('://')) return [];
		return findUrlPasswords(value).map(found => ({
			rule: ruleId('credentials-in-url'),
			start: found.start,
			end: found.end,
			value: `${found.user}:${found.password}`,
			preview: maskSecret(found.password),
		}));
	},
};

// ---------------------------------------------------------------- ?token=…&sig=…

const PASSWORD_PARAMS = new Set(['password', 'passwd', 'pwd', 'pass']);
const TOKEN_PARAMS = new Set([
	'token',
	'access_token',
	'refresh_token',
	'id_token',
	'auth_token',
	'api_token',
	'sig',
	'signature',
	'key',
	'api_key',
	'api-key',
	'apikey',
	'secret',
	'client_secret',
	'x-amz-signature',
	'x-amz-security-token',
	'x-goog-signature',
]);
// The value class excludes `?` so a scan started at one `?` never runs past the next one.
const QUERY_PARAM = /[?&]([A-Za-z0-9_.-]{1,40})=([^&#?\s"'<>`]*)/g;

export const secretInQuery: Detector = {
	id: ruleId('secret-in-query'),
	scan(value) {
		const out: RawMatch[] = [];
		if (!value.includes('=') || (!value.includes('?') && !value.includes('&'))) return out;
		forEachMatch(QUERY_PARAM, value, m => {
			const name = m[1]!.toLowerCase();
			const raw = m[2]!;
			const decoded = decodeSafely(raw);
			const ok = PASSWORD_PARAMS.has(name) ? looksLikePassword(decoded) : TOKEN_PARAMS.has(name) && looksLikeToken(decoded);
			if (ok) out.push(hit('secret-in-query', m.index + m[0].length - raw.length, raw));
		});
		return out;
	},
};

// ---------------------------------------------------------------- password=…, secret: …, --token …

type SecretKind = 'password' | 'token' | 'aws-secret' | 'basic-auth';

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass']);
const TOKEN_WORDS = new Set(['secret', 'token', 'apikey', 'credential', 'credentials', 'creds', 'auth']);
const SECRET_WORD_HINT = /pass|pwd|secret|token|key|cred|auth/i;
const KEY_QUALIFIERS = new Set([
	'api', 'secret', 'private', 'access', 'auth', 'signing', 'master', 'encryption', 'account', 'client', 'app', 'license', 'webhook',
	'hmac', 'jwt', 'session', 'cookie', 'crypto', 'aes', 'shared', 'ssh', 'gpg', 'pgp', 'deploy', 'service', 'root', 'admin', 'sign',
	'storage', 'sas', 'subscription', 'bot', 'consumer', 'merchant', 'ingest', 'write', 'server', 'integration', 'decryption', 'cipher',
]);
/**
 * Words that make a secret-ish name public or bookkeeping wherever they appear: `publicToken`,
 * `csrf_token`, `nextPageToken`. A value under such a name is not a credential.
 */
const PUBLIC_WORDS = new Set(['public', 'publishable', 'pub', 'csrf', 'xsrf', 'page', 'next', 'continuation', 'cursor', 'pagination', 'sync', 'verification', 'verify', 'idempotency', 'request', 'correlation', 'cache', 'max', 'min', 'num']);
/**
 * Words that, after the secret word, turn the name into something about the secret rather than
 * the secret itself: `SECRET_NAME`, `token_url`, `password_rotation_days`, `auth_type`.
 */
const ABOUT_WORDS = new Set([
	'name', 'names', 'id', 'ids', 'length', 'len', 'size', 'file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'urls', 'endpoint',
	'rotation', 'policy', 'ref', 'reference', 'arn', 'type', 'kind', 'count', 'ttl', 'expiry', 'expires', 'expiration', 'age', 'days',
	'hours', 'minutes', 'seconds', 'version', 'header', 'prefix', 'field', 'env', 'var', 'variable', 'location', 'store', 'manager',
	'provider', 'format', 'mode', 'enabled', 'disabled', 'required', 'hint', 'label', 'description', 'source', 'template', 'hash', 'salt',
	'method', 'methods', 'scheme', 'strategy', 'backend', 'service', 'server', 'domain', 'realm', 'scope', 'scopes', 'flow', 'level',
	'plugin', 'chars', 'charset', 'alphabet', 'regex', 'pattern', 'rule', 'rules', 'min', 'max', 'limit', 'timeout', 'retries', 'policy',
	'change', 'changed', 'reset', 'reminder', 'prompt', 'input', 'error', 'message', 'valid', 'validator', 'strength', 'complexity',
	'storage', 'mount', 'volume', 'key', 'keys', 'vault', 'ring', 'store', 'event', 'index', 'column', 'table', 'sha', 'md5', 'hint',
]);
/** `PGPASSWORD`, `dbpass`: a password word glued to what it unlocks. */
const GLUED_PASSWORD = /^[a-z]{1,12}(?:password|passwd|passphrase)$/;
const GLUED_TOKEN = /^(?:pg|db|mysql|root|admin|user|app|api|auth|access|refresh|bearer|session|github|gitlab|npm|slack|bot|client|master|service|deploy|vault|oauth|jwt|secret)(?:secret|token|key)$/;

function secretWordKind(word: string, previous: string | undefined): SecretKind | undefined {
	if (PASSWORD_WORDS.has(word) || GLUED_PASSWORD.test(word)) return 'password';
	if (TOKEN_WORDS.has(word) || GLUED_TOKEN.test(word)) return 'token';
	if (word === 'key' && previous !== undefined && (KEY_QUALIFIERS.has(previous) || GLUED_TOKEN.test(`${previous}key`))) return 'token';
	return undefined;
}

/**
 * The kind of secret a setting name announces: `DB_PASSWORD`, `clientSecret`, `api-key`,
 * `PGPASSWORD`, `mySecretString`, `some_api_token_123`. The last secret word decides; words
 * after it may only be filler (`string`, `value`, `123`, `do_not_commit`), not what makes the
 * name about the secret (`KEY_FILE`, `SECRET_NAME`, `token_url`, `password_rotation`).
 * `max_tokens`, `publicToken`, `csrf_token` are not secrets.
 */
export function secretKindOf(key: string): SecretKind | undefined {
	if (!SECRET_WORD_HINT.test(key)) return undefined;
	const words = key
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
	if (words.some(w => PUBLIC_WORDS.has(w))) return undefined;
	for (let i = words.length - 1; i >= 0 && i >= words.length - 5; i--) {
		const kind = secretWordKind(words[i]!, words[i - 1]);
		if (!kind) continue;
		const after = words.slice(i + 1);
		if (after.some(w => ABOUT_WORDS.has(w))) return undefined;
		if (kind === 'token' && words[i] === 'key' && words[i - 1] === 'access' && words.includes('secret')) return 'aws-secret';
		// Docker's config.json `"auth": "<base64 user:password>"` and other bare `auth` settings.
		if (words[i] === 'auth' && words.length === 1) return 'basic-auth';
		return kind;
	}
	return undefined;
}

// Each pattern matches a key and its separator only; the value is read by hand (below) and only
// for secret keys, so a non-secret `db:` cannot swallow a following `password=…`. Starts only
// where an identifier run starts; `?`/`&` are excluded so query parameters stay with
// secretInQuery, `-` so `--flag` forms stay with CLI_FLAG. Operators: `=`, `:`, `:=`, `::=`,
// `:::=`, `?=`, `.=`, `+=`, `=>`, `||=`; an optional type between name and operator covers
// `var x string = …` and `const x: string = …`.
const TYPE_WORD = '(?:[ \\t]*:?[ \\t]*(?:string|String|str|bytes|SecretStr|SecureString)(?![A-Za-z0-9_]))?';
const ASSIGNMENT = new RegExp(`(?<![A-Za-z0-9_.?&/-])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,79})["']?${TYPE_WORD}[ \\t]*(?::{1,3}=|[?.+]=|\\|\\|=|=>|=|:)[ \\t]*(?<q>["'\`]?)`, 'g');
const CLI_FLAG = /(?<![A-Za-z0-9_-])--?(?<key>[A-Za-z][A-Za-z0-9_-]{0,59})(?:=|[ \t]+)(?<q>["'`]?)/g;
// setProperty("DB_PASSWORD", "…"), os.environ.setdefault('API_TOKEN', '…'), put("token", "…").
const SETTER = /(?<open>["'])(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,79})\k<open>[ \t]*,[ \t]*(?<q>["'`])/g;
// <add key="Password" value="…"/>, <setting name="ApiToken" value="…">.
const XML_KEY_VALUE = /(?<![A-Za-z0-9_-])(?:key|name)[ \t]*=[ \t]*(?<open>["'])(?<key>[A-Za-z_][A-Za-z0-9_.:-]{0,79})\k<open>[ \t]+value[ \t]*=[ \t]*(?<q>["'])/gi;
// <password>…</password>: the element's text runs to the next `<`.
const XML_ELEMENT = /<(?<key>[A-Za-z_][A-Za-z0-9_.:-]{0,79})>(?<q>)/g;

function endsUnquotedValue(c: number): boolean {
	// whitespace, control characters, quotes, backtick, comma, semicolon
	return c <= 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59;
}

/** Longer than any credential; keeps per-value work bounded on a 100 KB run without whitespace. */
const MAX_VALUE = 4096;

/**
 * Reads the value after each secret key. A quoted value may hold spaces; its closing quote is
 * looked for only a short way ahead. An unquoted value runs to the next whitespace, quote, comma
 * or semicolon.
 */
function readValue(value: string, start: number, quote: string): string {
	if (quote) {
		const limit = Math.min(value.length, start + 256);
		for (let k = start; k < limit; k++) if (value[k] === quote) return value.slice(start, k);
	}
	let end = start;
	const limit = Math.min(value.length, start + MAX_VALUE);
	// A literal `\n` / `\r` / `\t` (an escaped newline inside a JSON or shell string) also ends it.
	while (end < limit && !endsUnquotedValue(value.charCodeAt(end)) && !(value.charCodeAt(end) === 92 && /[nrt]/.test(value[end + 1] ?? ''))) end++;
	return value.slice(start, end);
}

function acceptable(kind: SecretKind, candidate: string): boolean {
	if (kind === 'password') return looksLikePassword(candidate);
	if (kind === 'basic-auth') return isBasicCredential(candidate);
	return looksLikeToken(candidate);
}

function scanAssignments(regex: RegExp, value: string, out: RawMatch[], closing?: string): void {
	// Keys repeat (in adversarial input, and in env-file-like steps); classify each name once.
	const kinds = new Map<string, SecretKind | undefined>();
	forEachMatch(regex, value, m => {
		const key = m.groups!['key']!;
		let kind = kinds.get(key);
		if (kind === undefined && !kinds.has(key)) kinds.set(key, (kind = secretKindOf(key)));
		if (!kind) return;
		const valueStart = m.index + m[0].length;
		const candidate = readValue(value, valueStart, closing ?? m.groups!['q']!);
		// A value is judged once: keys inside it (`password=password=…`) are not re-read, which
		// keeps the scan linear.
		regex.lastIndex = Math.max(regex.lastIndex, valueStart + candidate.length);
		if (candidate.length === 0 || isSecretFileReference(candidate)) return;
		// An element's text counts only when the element closes: `user:<password>@host` is not XML.
		if (closing === '<' && !value.startsWith(`</${key}>`, valueStart + candidate.length)) return;
		if (acceptable(kind, candidate)) out.push(hit(kind === 'aws-secret' ? 'aws-secret-key' : 'secret-assignment', valueStart, candidate));
	});
}

// ---------------------------------------------------------------- passwords on command lines

// `curl -u user:pass`, `--user=user:pass`; `sshpass -p pass`; `mysql -ppass` (glued: `-p pass`
// makes "pass" the database name).
const CURL_USER = /(?<![A-Za-z0-9_-])(?:-u|--user)(?:=|[ \t]+)(?<q>["']?)[^\s:"'$]{0,64}:(?=[^\s"'])/g;
const SSHPASS = /(?<![A-Za-z0-9_-])sshpass[ \t]+-p[ \t]*(?<q>["']?)(?=[^\s"'])/g;
const MYSQL_GLUED = /(?<![A-Za-z0-9_-])(?:mysql|mysqldump|mysqladmin|mariadb)(?:[ \t]+(?!-p)[^\s|;&]{1,80}){0,8}[ \t]+-p(?<q>["']?)(?=[^\s"'])/g;

function scanCommandPasswords(regex: RegExp, value: string, out: RawMatch[]): void {
	forEachMatch(regex, value, m => {
		const start = m.index + m[0].length;
		const candidate = readValue(value, start, m.groups!['q']!);
		regex.lastIndex = Math.max(regex.lastIndex, start + candidate.length);
		if (looksLikePassword(candidate) && !isSecretFileReference(candidate)) out.push(hit('secret-assignment', start, candidate));
	});
}

export const secretAssignment: Detector = {
	id: ruleId('secret-assignment'),
	scan(value) {
		const out: RawMatch[] = [];
		const lower = value.toLowerCase();
		if (!/pass|pwd|secret|token|key|cred|auth|-u/.test(lower)) return out;
		if (value.includes('=') || value.includes(':')) scanAssignments(ASSIGNMENT, value, out);
		if (value.includes('-')) scanAssignments(CLI_FLAG, value, out);
		if (value.includes(',')) scanAssignments(SETTER, value, out);
		if (value.includes('<')) {
			scanAssignments(XML_KEY_VALUE, value, out);
			scanAssignments(XML_ELEMENT, value, out, '<');
		}
		if (value.includes('-u') || value.includes('--user')) scanCommandPasswords(CURL_USER, value, out);
		if (lower.includes('sshpass')) scanCommandPasswords(SSHPASS, value, out);
		if (lower.includes('mysql') || lower.includes('mariadb')) scanCommandPasswords(MYSQL_GLUED, value, out);
		return out;
	},
};

export const credentialDetectors: readonly Detector[] = [authorizationHeader, credentialsInUrl, secretInQuery, secretAssignment];
