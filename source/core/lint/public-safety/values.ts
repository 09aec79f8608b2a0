/**
 * Judging a candidate value: is it a placeholder or a reference (not a finding), and does it look
 * like a real secret? Entropy is only ever consulted for values that follow a secret keyword, so
 * digests, UUIDs and long words elsewhere are never flagged on their own.
 */

/** Whole values that name a secret rather than hold one. */
const PLACEHOLDER_WORDS = new Set([
	'changeme',
	'change_me',
	'change-me',
	'changeit',
	'password',
	'passwd',
	'pass',
	'secret',
	'token',
	'apikey',
	'api_key',
	'redacted',
	'removed',
	'hidden',
	'masked',
	'placeholder',
	'example',
	'dummy',
	'sample',
	'fake',
	'test',
	'none',
	'null',
	'nil',
	'undefined',
	'true',
	'false',
	'yes',
	'no',
	'empty',
	'todo',
	'tbd',
	'fixme',
	'required',
	'optional',
	'unset',
	'notset',
	'default',
	'disabled',
	'enabled',
	'env',
	'secrets',
	'vault',
	'...',
	'…',
]);

/** Substrings that mark a value as illustrative whatever surrounds them. */
const PLACEHOLDER_MARKERS = ['redacted', 'placeholder', 'example', 'changeme', 'change_me', 'your_', 'your-', 'xxxx', '****', '••••', '{{', '}}'];

export function stripQuotes(value: string): string {
	let v = value.trim();
	while (v.length > 0 && (v[0] === '"' || v[0] === "'" || v[0] === '`')) v = v.slice(1);
	while (v.length > 0 && /["'`.,;)\]]/.test(v[v.length - 1]!)) v = v.slice(0, -1);
	return v;
}

/** `${VAR}`, `$VAR`, `${{ secrets.X }}`, `<REDACTED>`, `********`, `xxxx`, `changeme`, … */
export function isPlaceholder(raw: string): boolean {
	const v = stripQuotes(raw);
	if (v.length === 0) return true;
	const lower = v.toLowerCase();
	if (PLACEHOLDER_WORDS.has(lower)) return true;
	// Shell, CI and template references: $VAR, ${VAR}, $(cmd), ${{ … }}, %VAR%, {{ … }}.
	if (v[0] === '$' || v.startsWith('{{') || (v[0] === '%' && v.endsWith('%') && v.length > 2)) return true;
	// <REDACTED>, <token>, <your-password>: angle brackets are how docs mark "fill this in".
	if (v[0] === '<' || (v[0] === '[' && lower.includes('redact')) || /^\[[A-Za-z _-]{1,40}\]$/.test(v)) return true;
	for (const marker of PLACEHOLDER_MARKERS) if (lower.includes(marker)) return true;
	if (lower.startsWith('your') || lower.startsWith('my-') || lower.startsWith('my_')) return true;
	// AWS's documented sample credentials end in EXAMPLE / EXAMPLEKEY.
	if (v.endsWith('EXAMPLE') || v.endsWith('EXAMPLEKEY')) return true;
	// SOPS-encrypted values and Terraform / Helm / CI expressions name where a secret comes from.
	if (v.startsWith('ENC[') || isExpressionReference(v)) return true;
	return isOneCharacterRepeated(v);
}

/** For credentials: also text typed to fill a shape (`abcdef123456`, `glc_1111…`). Ids and numbers keep `isPlaceholder`. */
export function isPlaceholderSecret(raw: string): boolean {
	return isPlaceholder(raw) || isFiller(stripQuotes(raw));
}

/** `var.db_password`, `local.token`, `.Values.auth.key`, `secrets.API_KEY`, `env.TOKEN`: an expression, not a value. */
const EXPRESSION_REFERENCE = /^\.?(?:var|local|locals|data|module|each|self|Values|values|Release|env|secrets|vars|inputs|steps|needs|context|params|process\.env|os\.environ|ENV|settings|config)\.[A-Za-z_][\w.-]*$/;

function isExpressionReference(v: string): boolean {
	return v.length <= 120 && EXPRESSION_REFERENCE.test(v);
}

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'zyxwvutsrqponmlkjihgfedcba', '9876543210', 'qwertyuiopasdfghjklzxcvbnm'];
/** Every adjacent pair of those runs (`ab`, `32`, `qw`, …), looked up once per character. */
const SEQUENCE_PAIRS = new Set(SEQUENCES.flatMap(seq => Array.from({length: seq.length - 1}, (_, i) => seq.slice(i, i + 2))));

/**
 * Text typed to fill a shape rather than generated: a short unit repeated (`abcabcabc`,
 * `1234512345`, `glc_111…`), or runs of the alphabet or the digits (`abcdef123456`,
 * `0123456789abcdef…`). Judged case-insensitively and only over letters and digits; a real
 * credential of 8+ characters is neither.
 */
export function isFiller(raw: string): boolean {
	const v = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
	if (v.length < 6) return false;
	if (isRepeatedUnit(v)) return true;
	return sequentialShare(v) >= 0.7;
}

function isRepeatedUnit(v: string): boolean {
	for (let unit = 1; unit <= 6 && unit * 2 <= v.length; unit++) {
		let repeated = true;
		for (let i = unit; i < v.length && repeated; i++) repeated = v[i] === v[i - unit];
		if (repeated) return true;
	}
	return false;
}

/** Share of characters that continue an ascending or descending alphabet/digit/keyboard run. */
function sequentialShare(v: string): number {
	let inRun = 0;
	for (let i = 1; i < v.length; i++) {
		if (SEQUENCE_PAIRS.has(v[i - 1]! + v[i]!) || (v[i] === v[i - 1] && i >= 2 && v[i - 1] === v[i - 2])) inRun++;
	}
	return inRun / (v.length - 1);
}

function isOneCharacterRepeated(v: string): boolean {
	for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
	return true;
}

/**
 * A path to where the secret lives (`/run/secrets/db`, `~/.aws/credentials`, `file:…`,
 * `C:\keys\x.pem`) is how a plan should refer to secrets, not a leak. Base64 secrets may start
 * with `/` too, so a path must read like one: every segment a plain name, none random-looking.
 */
export function isSecretFileReference(raw: string): boolean {
	const v = stripQuotes(raw);
	if (v.toLowerCase().startsWith('file:') || /^[A-Za-z]:\\/.test(v)) return true;
	if (/\.(?:pem|key|crt|p12|pfx|jks|json|txt|env|asc|gpg)$/i.test(v)) return true;
	const path = /^(?:~|\.{1,2})?\/([\w.@-]+(?:\/[\w.@-]+)*)\/?$/.exec(v);
	return path !== null && path[1]!.split('/').every(segment => !looksRandom(segment));
}

/** A path or name segment that reads like generated text rather than a word. */
function looksRandom(segment: string): boolean {
	const s = shapeOf(segment);
	return (segment.length >= 6 && s.upper && s.lower && s.digit) || (segment.length >= 20 && s.upper && s.lower);
}

interface Shape {
	lower: boolean;
	upper: boolean;
	digit: boolean;
	other: boolean;
}

function shapeOf(v: string): Shape {
	const shape = {lower: false, upper: false, digit: false, other: false};
	for (let i = 0; i < v.length; i++) {
		const c = v.charCodeAt(i);
		if (c >= 97 && c <= 122) shape.lower = true;
		else if (c >= 65 && c <= 90) shape.upper = true;
		else if (c >= 48 && c <= 57) shape.digit = true;
		else shape.other = true;
	}
	return shape;
}

/** Shannon entropy in bits per character. */
export function entropy(v: string): number {
	if (v.length === 0) return 0;
	const counts = new Map<string, number>();
	for (const c of v) counts.set(c, (counts.get(c) ?? 0) + 1);
	let bits = 0;
	for (const count of counts.values()) {
		const p = count / v.length;
		bits -= p * Math.log2(p);
	}
	return bits;
}

/**
 * After `token=`, `secret:`, `api_key=`: generated credentials mix letters and digits (UUIDs and
 * digests included, deliberately) or are long and mixed-case; words like "required" are not.
 */
export function looksLikeToken(raw: string): boolean {
	const v = stripQuotes(raw);
	if (v.length < 8 || isPlaceholderSecret(v) || isSecretFileReference(v)) return false;
	const s = shapeOf(v);
	const letter = s.lower || s.upper;
	if (s.digit && letter) return true;
	if (s.digit && v.length >= 16) return true;
	return v.length >= 16 && s.upper && s.lower && entropy(v) >= 3.5;
}

/** After `password=`: humans pick passwords, so length 6 with two character classes suffices. */
export function looksLikePassword(raw: string): boolean {
	const v = stripQuotes(raw);
	if (v.length < 6 || isPlaceholderSecret(v) || isSecretFileReference(v)) return false;
	const s = shapeOf(v);
	const classes = Number(s.lower) + Number(s.upper) + Number(s.digit) + Number(s.other);
	return classes >= 2 || (v.length >= 12 && entropy(v) >= 3);
}

export function hasUpperLowerDigit(v: string): boolean {
	const s = shapeOf(v);
	return s.upper && s.lower && s.digit;
}

/** A whole token judged like the detectors judge theirs: on its body after a short public prefix (`xoxb-`, `ghp_`). */
export function isPlaceholderToken(text: string): boolean {
	const prefix = /^[A-Za-z0-9]{2,12}[_-]/.exec(text);
	return isPlaceholderSecret(text) || (prefix !== null && isPlaceholderSecret(text.slice(prefix[0].length)));
}
