import {generateKeyPairSync} from 'node:crypto';
import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {secretlintSpans, type SecretlintSpan} from '../../../../source/core/lint/public-safety/secretlint-adapter.js';
import {SECRETLINT_GATES, secretlintPrefilter} from '../../../../source/core/lint/public-safety/secretlint-gates.js';
import {ALNUM, BASE64, DIGITS, randomChars, UPPER_DIGITS} from './fixtures.js';

const r = (n: number, alphabet = ALNUM, seed = 5) => randomChars(seed, n, alphabet);
const HEX = 'abcdef0123456789';

/** A 1Password service-account token: `ops_` + base64 of a JSON object, ending in `fQ` (a lone `}`). */
function onePasswordToken(): string {
	let json = JSON.stringify({signInAddress: 'my.1password.com', secretKey: r(40, ALNUM, 8)});
	while (json.length % 3 !== 1) json = json.replace('{', '{ ');
	return `ops_${Buffer.from(json).toString('base64')}`;
}

const pem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString().trim();
const rsaPem = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({type: 'pkcs1', format: 'pem'}).toString().trim();

/** Text for every pattern of every rule of the preset, including the ones that are off for plans (AWS ids, GCP JSON, npmrc). */
const SAMPLES: Record<string, string[]> = {
	'@secretlint/secretlint-rule-aws': [
		`AWS_SECRET_ACCESS_KEY="${r(40, BASE64, 1)}"`,
		`aws_secret_access_key: ${r(40, BASE64, 2)}`,
		`'SecretAccessKey' => '${r(40, BASE64, 3)}'`,
		`Aws_SecretAccess_Key=${r(40, BASE64, 4)}`,
		`AK${'IA'}${r(16, UPPER_DIGITS, 5)}`,
		`A3T${r(17, UPPER_DIGITS, 6)}`,
		`aws_account_id = "${r(4, DIGITS)}-${r(4, DIGITS, 2)}-${r(4, DIGITS, 3)}"`,
	],
	'@secretlint/secretlint-rule-gcp': [JSON.stringify({type: 'service_account', private_key_id: r(40, HEX), private_key: `${pem}\n`})],
	'@secretlint/secretlint-rule-npm': [`np${'m'}_${r(36)}`, `//registry.npmjs.org/:_authToken=${r(36)}`, `https://${r(40, HEX)}:x-oauth-basic@github.com/acme/app.git`],
	'@secretlint/secretlint-rule-slack': [
		`xo${'xb'}-${r(12, DIGITS)}-${r(13, DIGITS, 2)}-${r(24)}`,
		`xapp-1-${r(11, UPPER_DIGITS)}-${r(13, DIGITS)}-${r(64, HEX)}`,
		`https://hooks.slack.com/services/T${r(8, UPPER_DIGITS)}/B${r(8, UPPER_DIGITS, 2)}/${r(24)}`,
		`HTTPS://HOOKS.SLACK.COM/SERVICES/T${r(8, UPPER_DIGITS)}/B${r(8, UPPER_DIGITS, 2)}/${r(24)}`,
	],
	'@secretlint/secretlint-rule-basicauth': [`https://deploy:${r(14)}@db.acme.io/app`, `ftp://backup:${r(10)}@files.acme.io/x`],
	'@secretlint/secretlint-rule-openai': [`sk-${r(20)}T3Blbk${'FJ'}${r(20, ALNUM, 2)}`, `sk-proj-${r(74, ALNUM, 3)}T3Blbk${'FJ'}${r(74, ALNUM, 4)}`],
	'@secretlint/secretlint-rule-anthropic': [`sk-ant-api03-${r(93, `${ALNUM}_-`)}AA`],
	'@secretlint/secretlint-rule-linear': [`lin_${'api'}_${r(40)}`],
	'@secretlint/secretlint-rule-privatekey': [pem, rsaPem, pem.replaceAll('\n', '\\n')],
	'@secretlint/secretlint-rule-sendgrid': [`S${'G'}.${r(22)}.${r(43, ALNUM, 2)}`],
	'@secretlint/secretlint-rule-shopify': ['shppa_', 'shpca_', 'shpat_', 'shpss_'].map((prefix, i) => `${prefix}${r(32, HEX, i)}`),
	'@secretlint/secretlint-rule-github': [...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix, i) => `${prefix}${r(36, ALNUM, i)}`), `github_${'pat'}_${r(82)}`],
	'@secretlint/secretlint-rule-1password': [onePasswordToken()],
	'@secretlint/secretlint-rule-database-connection-string': [
		`mongodb+srv://app:${r(16)}@cluster0.acme.io/orders`,
		`jdbc:mysql://app:${r(16, ALNUM, 2)}@db.acme.io:3306/orders`,
		`MySQLX://app:${r(16, ALNUM, 3)}@db.acme.io/orders`,
		`POSTGRESQL://app:${r(16, ALNUM, 4)}@db.acme.io/orders?sslmode=require`,
	],
};

const sorted = (spans: readonly SecretlintSpan[]) => [...spans].sort((a, b) => a.index - b.index || a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule));

async function bothWays(values: readonly string[], limits = {batch: 1 << 20, overlap: 64 * 1024}) {
	const [filtered, unfiltered] = [await secretlintSpans(values, {...limits, prefilter: true}), await secretlintSpans(values, {...limits, prefilter: false})];
	return {filtered: sorted(filtered), unfiltered: sorted(unfiltered)};
}

describe('secretlint keyword prefilter', () => {
	it('has a gate for every rule of the installed recommended preset (a new rule fails here, not silently)', async () => {
		const preset = await import('@secretlint/secretlint-rule-preset-recommend');
		const ids = preset.rules.map(rule => rule.meta.id).filter(id => id !== '@secretlint/secretlint-rule-filter-comments');
		expect(Object.keys(SECRETLINT_GATES).sort()).toEqual([...ids].sort());
		expect(Object.keys(SAMPLES).sort()).toEqual([...ids].sort());
	});

	it('finds on samples of every pattern of every rule exactly what the unfiltered scan finds', async () => {
		let reported = 0;
		for (const [rule, samples] of Object.entries(SAMPLES)) {
			for (const sample of samples) {
				const values = ['Restart the API.', `export X=${sample}`, 'done'];
				const {filtered, unfiltered} = await bothWays(values);
				expect(filtered, `${rule}: ${sample.slice(0, 12)}`).toEqual(unfiltered);
				reported += unfiltered.length;
			}
		}
		// The samples are real: most patterns report (AWS ids, GCP JSON and npmrc forms are off for plans).
		expect(reported).toBeGreaterThanOrEqual(24);
	}, 30_000);

	it('keeps what the unfiltered scan finds in arbitrary mixes of secrets, keyword fragments and noise, in any batch size', async () => {
		const all = Object.values(SAMPLES).flat();
		const keywords = Object.values(SECRETLINT_GATES).flatMap(gate => [...gate.any, ...(gate.all ?? [])]);
		const piece = fc.oneof(
			fc.constantFrom(...all),
			// A fragment of a secret: a keyword with a cut-off body, or a body without its keyword.
			fc.tuple(fc.constantFrom(...all), fc.nat(), fc.nat()).map(([s, a, b]) => s.slice(Math.min(a, b) % s.length, Math.max(a, b) % (s.length + 1))),
			fc.tuple(fc.constantFrom(...keywords), fc.boolean()).map(([k, upper]) => (upper ? k.toUpperCase() : k)),
			fc.string({maxLength: 30}),
			fc.constantFrom(' ', '\n', '@', '://', ':', '"', '=', '.'),
		);
		const value = fc.array(piece, {maxLength: 8}).map(parts => parts.join(''));
		await fc.assert(
			fc.asyncProperty(fc.array(value, {minLength: 1, maxLength: 6}), fc.constantFrom(80, 300, 1 << 20), async (values, batch) => {
				const {filtered, unfiltered} = await bothWays(values, {batch, overlap: batch === 80 ? 40 : 200});
				expect(filtered).toEqual(unfiltered);
			}),
			{numRuns: 150},
		);
	}, 60_000);

	it('lets the shipped standard template through without running secretlint at all', () => {
		const template = readFileSync(new URL('../../../../templates/standard.json', import.meta.url), 'utf8');
		expect(secretlintPrefilter(template).anyRuns).toBe(false);
		expect(secretlintPrefilter(`${template}\nci@acme.io`).anyRuns).toBe(true);
	});

	it('matches keywords in any letter case and needs every `all` keyword', () => {
		const gate = secretlintPrefilter('see POSTGRES:// docs');
		expect(gate.runs('@secretlint/secretlint-rule-database-connection-string')).toBe(false);
		expect(secretlintPrefilter('POSTGRES://u:p@h').runs('@secretlint/secretlint-rule-database-connection-string')).toBe(true);
		expect(secretlintPrefilter('Aws_Secret_Access_Key').runs('@secretlint/secretlint-rule-aws')).toBe(true);
		expect(secretlintPrefilter('plain').runs('@secretlint/secretlint-rule-from-a-later-preset')).toBe(true);
	});
});
