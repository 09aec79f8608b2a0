import {createHash} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import type {StringValue} from '../../../../source/core/json/document.js';
import {
	fingerprintOf,
	maskSecret,
	publicSafetyDetectors,
	publicSafetyRules,
	scanPublicSafety,
	scanPublicSafetySync,
} from '../../../../source/core/lint/public-safety/index.js';
import {ALNUM, UPPER_DIGITS, plantedSecrets, randomChars, strings} from './fixtures.js';
import {hitsOf} from './helpers.js';

const r = (n: number, alphabet = ALNUM, seed = 5) => randomChars(seed, n, alphabet);

describe('hits', () => {
	it('carry exactly the documented fields', () => {
		const [hit] = hitsOf(`ghp_${r(36)}`);
		expect(Object.keys(hit!).sort()).toEqual(['fingerprint', 'index', 'message', 'preview', 'rule', 'severity']);
		expect(hit).toMatchObject({index: 0, rule: 'public-safety/github-token', severity: 'error', preview: 'ghp_…(40 chars)'});
	});

	it('fingerprint = first 16 hex of sha256(rule NUL matched value), stable across runs', () => {
		const key = `AKIA${r(16, UPPER_DIGITS)}`;
		const expected = createHash('sha256').update(`public-safety/aws-access-key\0${key}`).digest('hex').slice(0, 16);
		expect(fingerprintOf('public-safety/aws-access-key', key)).toBe(expected);
		expect(hitsOf(`id ${key}`)[0]!.fingerprint).toBe(expected);
		expect(hitsOf(`other text, same key: ${key}`)[0]!.fingerprint).toBe(expected);
		expect(expected).toMatch(/^[0-9a-f]{16}$/);
	});

	it('messages say what and how to fix, and name a reference instead of the value', () => {
		const [hit] = hitsOf(`ghp_${r(36)}`);
		expect(hit!.message).toBe('this value holds what looks like a GitHub token; remove it and reference it by name instead, e.g. ${GITHUB_TOKEN}; if it was ever shared, rotate it');
	});

	it('identical (index, rule, fingerprint) hits are merged; the same secret in two strings is two hits', () => {
		const token = `ghp_${r(36)}`;
		expect(hitsOf(`${token} and again ${token}`)).toHaveLength(1);
		expect(scanPublicSafetySync(strings(token, token)).map(h => h.index)).toEqual([0, 1]);
	});

	it('one string may hold several hits, of different rules or different values', () => {
		const hits = hitsOf(`ghp_${r(36)} on 10.1.2.3 and 10.1.2.4 by jane@acme.io`);
		expect(hits.map(h => h.rule)).toEqual(['public-safety/github-token', 'public-safety/private-ip', 'public-safety/private-ip', 'public-safety/email']);
	});

	it('are ordered by string, then by position', () => {
		const hits = scanPublicSafetySync(strings('jane@acme.io then 10.0.0.1', `x ghp_${r(36)}`));
		expect(hits.map(h => [h.index, h.rule])).toEqual([
			[0, 'public-safety/email'],
			[0, 'public-safety/private-ip'],
			[1, 'public-safety/github-token'],
		]);
	});

	it('entries that are not strings are skipped, not fatal', async () => {
		const junk = [{pointer: '/a', value: 42, offset: 0}, null, undefined, {pointer: '/b', value: `ghp_${r(36)}`, offset: 0}] as unknown as StringValue[];
		expect(scanPublicSafetySync(junk).map(h => h.index)).toEqual([3]);
		expect((await scanPublicSafety(junk)).map(h => h.index)).toEqual([3]);
	});
});

describe('rule catalogue', () => {
	it('has one entry per id, all prefixed, in the public-safety category, with a one-line title and help', () => {
		const ids = publicSafetyRules.map(rule => rule.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const rule of publicSafetyRules) {
			expect(rule.id).toMatch(/^public-safety\/[a-z0-9-]+$/);
			expect(rule.category).toBe('public-safety');
			expect(rule.defaultSeverity).toBe('error');
			expect(rule.title).not.toContain('\n');
			expect(rule.help.length).toBeGreaterThan(10);
		}
	});

	it('lists every rule the scan can emit', async () => {
		const ids = new Set(publicSafetyRules.map(rule => rule.id));
		const texts = [
			...plantedSecrets(3).map(s => s.text),
			'10.1.2.3 fd00::1 db.corp.internal vpce-0abc1234def567890 api.cavra.svc jane@acme.io +44 20 7946 0958 4111 1111 1111 1111 DE89 3704 0044 0532 0130 00 tenantId=8c1f2a',
			`SG.${r(22)}.${r(43)}`,
		];
		for (const hit of await scanPublicSafety(strings(...texts))) expect(ids.has(hit.rule), hit.rule).toBe(true);
	});

	it('exposes every detector by itself, synchronous', () => {
		expect(publicSafetyDetectors.length).toBeGreaterThan(15);
		for (const detector of publicSafetyDetectors) {
			expect(detector.id).toMatch(/^public-safety\//);
			expect(Array.isArray(detector.scan('nothing to see'))).toBe(true);
		}
	});
});

describe('maskSecret', () => {
	it('shows at most the first 4 characters and the length', () => {
		expect(maskSecret(`ghp_${'a'.repeat(36)}`)).toBe('ghp_…(40 chars)');
		expect(maskSecret('Hunter2pass!')).toBe('Hu…(12 chars)');
		expect(maskSecret('abc12')).toBe('…(5 chars)');
		expect(maskSecret('')).toBe('…(0 chars)');
	});

	it('never passes terminal control characters or lone surrogates through', () => {
		expect(maskSecret('\u001b[31mredredredredred')).toBe('?[31…(20 chars)');
		expect(maskSecret('\ud800abcdefghijklmnopq')).toBe('?abc…(18 chars)');
	});
});
