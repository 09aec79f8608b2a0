import {generateKeyPairSync} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {scanPublicSafety, scanPublicSafetySync} from '../../../../source/core/lint/public-safety/index.js';
import {locate, mapSecretlintRule, secretlintSpans} from '../../../../source/core/lint/public-safety/secretlint-adapter.js';
import {ALNUM, BASE64, randomChars, strings} from './fixtures.js';
import {names} from './helpers.js';

const r = (n: number, alphabet = ALNUM, seed = 11) => randomChars(seed, n, alphabet);
const HEX = 'abcdef0123456789';

describe('secretlint as the base layer', () => {
	it('SendGrid, Shopify and Linear tokens are found by both scans, once each', async () => {
		const values = [
			`SG.${r(22)}.${r(43, ALNUM, 2)}`,
			`shp` + `at_${r(32, HEX, 3)}`,
			`lin_` + `api_${r(40, ALNUM, 4)}`,
		];
		expect(names(await scanPublicSafety(strings(...values)))).toEqual(['linear-token', 'sendgrid-key', 'shopify-token']);
		expect(names(scanPublicSafetySync(strings(...values)))).toEqual(['linear-token', 'sendgrid-key', 'shopify-token']);
	});

	it('maps each message back to the string it came from', async () => {
		const sendgrid = `SG.${r(22)}.${r(43, ALNUM, 2)}`;
		const values = ['Restart the API.', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', 'plain', `use ${sendgrid} here`, 'last'];
		const hits = await scanPublicSafety(strings(...values));
		expect(hits.map(h => [h.index, h.rule])).toEqual([[3, 'public-safety/sendgrid-key']]);
		const spans = await secretlintSpans(values);
		expect(spans).toEqual([{index: 3, start: 4, end: 4 + sendgrid.length, rule: 'public-safety/sendgrid-key'}]);
	});

	it('when secretlint and our detector find the same secret, one hit remains, with the sync fingerprint', async () => {
		const values = [`ghp_${r(36)}`, `https://admin:${r(12)}@db.acme.io/x`, `AWS_SECRET_ACCESS_KEY="${r(40, BASE64)}"`, `npm_${r(36)}`];
		// secretlint does find these itself…
		expect((await secretlintSpans(values)).map(s => s.index).sort()).toEqual([0, 1, 2, 3]);
		// …but only our hits remain, so allow-list fingerprints work in the wizard and in lint alike.
		const asyncHits = await scanPublicSafety(strings(...values));
		expect(asyncHits).toEqual(scanPublicSafetySync(strings(...values)));
		expect(asyncHits.map(h => h.rule)).toEqual(['public-safety/github-token', 'public-safety/credentials-in-url', 'public-safety/aws-secret-key', 'public-safety/npm-token']);
	});

	it('a large plan is scanned in overlapping batches that find what one pass over all values finds', async () => {
		// A real key (secretlint parses it) pasted one line per rollback step, among other steps and secrets.
		const pem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString().trim().split('\n');
		const filler = Array.from({length: 40}, (_, i) => `Step ${i}: restart the API and confirm it reports mode disabled.`);
		const values = [...filler.slice(0, 17), ...pem, ...filler.slice(17, 30), `SG.${r(22)}.${r(43, ALNUM, 2)}`, ...filler.slice(30), `npm_${r(36)}`];
		const whole = await secretlintSpans(values, {batch: 1 << 30, overlap: 0});
		expect(whole.map(span => [span.index, span.rule])).toEqual(
			expect.arrayContaining([
				[17, 'public-safety/private-key'],
				[17 + pem.length + 13, 'public-safety/sendgrid-key'],
				[values.length - 1, 'public-safety/npm-token'],
			]),
		);
		const sorted = (spans: typeof whole) => [...spans].sort((a, b) => a.index - b.index || a.start - b.start || a.rule.localeCompare(b.rule));
		// Batches and overlap just longer than the key's lines (~240 characters): it crosses a batch edge.
		for (const batch of [300, 350, 450, 700]) {
			expect(sorted(await secretlintSpans(values, {batch, overlap: 300})), `batch ${batch}`).toEqual(sorted(whole));
		}
	});

	it('our placeholder decisions hold for secretlint matches too', async () => {
		const values = ['curl https://user:pass@internal-host/', 'https://user:${DB_PASSWORD}@db.acme.io/x', 'postgres://app:<password>@db.acme.io/app'];
		expect(await scanPublicSafety(strings(...values))).toEqual([]);
	});

	it('a secretlint-disable comment inside the plan does not switch scanning off', async () => {
		const values = ['secretlint-disable', `SG.${r(22)}.${r(43, ALNUM, 2)}`, '// secretlint-disable-next-line', `shp` + `at_${r(32, HEX, 3)}`];
		expect(names(await scanPublicSafety(strings(...values)))).toEqual(['sendgrid-key', 'shopify-token']);
	});

	it('no hit field ever carries what secretlint matched', async () => {
		const secret = `SG.${r(22)}.${r(43, ALNUM, 2)}`;
		const hits = await scanPublicSafety(strings(`key ${secret}`));
		expect(hits).toHaveLength(1);
		for (const field of Object.values(hits[0]!)) expect(String(field)).not.toContain(secret.slice(3, 11));
	});

	it('maps rule ids (and the AWS / Slack message ids) to stable ids; unknown ones to public-safety/secret', () => {
		expect(mapSecretlintRule('@secretlint/secretlint-rule-github', 'GITHUB_TOKEN')).toBe('public-safety/github-token');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-aws', 'AWSAccessKeyID')).toBe('public-safety/aws-access-key');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-aws', 'AWSSecretAccessKey')).toBe('public-safety/aws-secret-key');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-slack', 'IncomingWebhook')).toBe('public-safety/slack-webhook');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-basicauth', 'BasicAuth')).toBe('public-safety/credentials-in-url');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-database-connection-string', 'PostgreSQLConnection')).toBe('public-safety/credentials-in-url');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-privatekey', 'EC')).toBe('public-safety/private-key');
		expect(mapSecretlintRule('@secretlint/secretlint-rule-something-new', 'X')).toBe('public-safety/secret');
	});

	it('locate finds the string holding an offset', () => {
		const starts = [0, 5, 5, 12];
		expect(locate(starts, 0)).toBe(0);
		expect(locate(starts, 4)).toBe(0);
		expect(locate(starts, 5)).toBe(2);
		expect(locate(starts, 11)).toBe(2);
		expect(locate(starts, 99)).toBe(3);
	});

	it('an empty input needs no secretlint run', async () => {
		expect(await secretlintSpans([])).toEqual([]);
		expect(await scanPublicSafety([])).toEqual([]);
	});
});
