/**
 * Keeping secrets out of command output tails, argv shown to people, and evidence. Pure.
 *
 * Two layers: the exact values of secret-looking environment variables we know of (the child's
 * environment), and patterns for what commands commonly print (bearer tokens, `password=...`,
 * credentials in URLs). Over-redacting a harmless word is fine; leaking a token is not.
 */

export const REDACTED = '<redacted>';

/** Environment variable names that hold secrets by convention. */
const SECRET_NAME = /TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|(?:^|_)PW(?:_|$)/i;
/** Values too short or too common to hide everywhere they appear ("1", "true"). */
const TRIVIAL = new Set(['true', 'false', 'null', 'none', 'yes', 'no', 'on', 'off']);

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name);
}

/** The values of secret-looking variables, longest first (so a value containing another is hidden whole). */
export function secretValuesFrom(...envs: ReadonlyArray<Readonly<Record<string, string | undefined>> | undefined>): string[] {
	const values = new Set<string>();
	for (const env of envs) {
		if (!env) continue;
		for (const [name, value] of Object.entries(env)) {
			if (value === undefined || !isSecretName(name)) continue;
			const trimmed = value.trim();
			if (trimmed.length < 4 || TRIVIAL.has(trimmed.toLowerCase())) continue;
			values.add(value);
			if (trimmed !== value) values.add(trimmed);
		}
	}
	return [...values].sort((a, b) => b.length - a.length);
}

const PATTERNS: Array<[RegExp, string]> = [
	// Authorization headers and bearer/basic tokens.
	[/\b(Bearer|bearer|BEARER|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/g, `$1$2${REDACTED}`],
	// key=value / key: value for secret-looking keys (quoted or bare values).
	[
		/\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)[A-Za-z0-9_.-]*)(\s*[=:]\s*)(?!(?:Bearer|bearer|BEARER|Basic)\s|<redacted>)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
		`$1$2${REDACTED}`,
	],
	// user:password@ in URLs.
	[/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, `$1:${REDACTED}@`],
	// Private key blocks.
	[/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, `-----BEGIN PRIVATE KEY----- ${REDACTED}`],
];

/** `text` with known secret values and secret-looking patterns replaced by `<redacted>`. */
export function redactText(text: string, secretValues: readonly string[] = []): string {
	let out = text;
	for (const value of secretValues) if (value.length > 0) out = out.split(value).join(REDACTED);
	for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
	return out;
}

/** argv for display and evidence: known secret values, `--token X`, `--password=X`, `KEY=X` hidden. */
export function redactArgv(argv: readonly string[], secretValues: readonly string[] = []): string[] {
	const out: string[] = [];
	let hideNext = false;
	for (const arg of argv) {
		if (hideNext) {
			out.push(REDACTED);
			hideNext = false;
			continue;
		}
		const flag = /^(--?[A-Za-z0-9-]+)(=.*)?$/.exec(arg);
		if (flag && isSecretName(flag[1]!.replace(/-/g, '_'))) {
			if (flag[2] === undefined) hideNext = true;
			out.push(flag[2] === undefined ? arg : `${flag[1]}=${REDACTED}`);
			continue;
		}
		const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(arg);
		if (assignment && isSecretName(assignment[1]!)) {
			out.push(`${assignment[1]}=${REDACTED}`);
			continue;
		}
		out.push(redactText(arg, secretValues));
	}
	return out;
}
