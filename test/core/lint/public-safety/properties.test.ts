import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {StringValue} from '../../../../source/core/json/document.js';
import {scanPublicSafety, scanPublicSafetySync, type SafetyHit} from '../../../../source/core/lint/public-safety/index.js';
import {plantedSecrets} from './fixtures.js';

/** Any UTF-16 code unit: lone surrogates, NUL and control characters included. */
const codeUnit = fc.integer({min: 0, max: 0xffff}).map(n => String.fromCharCode(n));
const anyText = fc.oneof(fc.string({maxLength: 60}), fc.string({unit: 'binary', maxLength: 60}), fc.string({unit: codeUnit, maxLength: 60}));
const KINDS = plantedSecrets(1).length;

function asStrings(values: readonly string[]): StringValue[] {
	return values.map((value, i) => ({pointer: `/rollback_steps/${i}`, value, offset: 0}));
}

/** Every substring of `random` of length 8: none of them may appear in any output field. */
function leaks(hits: readonly SafetyHit[], random: string): string | undefined {
	const fields = hits.flatMap(hit => [hit.rule, hit.message, hit.preview, hit.fingerprint]);
	for (let i = 0; i + 8 <= random.length; i++) {
		const piece = random.slice(i, i + 8);
		const field = fields.find(f => f.includes(piece));
		if (field !== undefined) return `${piece} in ${field}`;
	}
	return undefined;
}

/**
 * The same cases on every run (FC_SEED=n explores others): a failure reproduces. A run this file
 * once saw fail under load left no seed, most likely vitest's timeout cutting fast-check off
 * before it could report (20,000 runs of "a planted secret is found" found no counterexample).
 * So fast-check stops itself before the test's timeout and reports as a failure with the seed.
 */
const SEED = Number(process.env['FC_SEED'] ?? 20_261_205);
const TEST_TIMEOUT_MS = 120_000;

/**
 * fc.assert, but the failure report is ASCII-escaped: counterexamples hold lone surrogates and
 * control characters, and printing them raw has hung the test reporter instead of failing.
 */
async function holds<T>(property: fc.IAsyncPropertyWithHooks<T>, numRuns: number): Promise<void> {
	const result = await fc.check(property, {numRuns, seed: SEED, endOnFailure: true, interruptAfterTimeLimit: TEST_TIMEOUT_MS - 10_000, markInterruptAsFailure: true});
	if (!result.failed) return;
	if (result.interrupted) expect.fail(`property interrupted after ${result.numRuns} of ${numRuns} runs (seed ${result.seed}): too slow on this machine, no counterexample`);
	const escape = (value: unknown) => String(JSON.stringify(value)).replace(/[^\x20-\x7e]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
	expect.fail(`property failed (seed ${result.seed}, path ${result.counterexamplePath}): ${escape(error)}\ncounterexample: ${escape(result.counterexample)}`);
}

function isPrintable(text: string): boolean {
	// eslint-disable-next-line no-control-regex
	return !/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

describe('properties', {timeout: TEST_TIMEOUT_MS}, () => {
	it('a planted secret is found in arbitrary surroundings, and no output field contains any 8 characters of it', async () => {
		await holds(
			fc.asyncProperty(
				fc.integer({min: 1, max: 2 ** 31 - 1}),
				fc.nat({max: KINDS - 1}),
				anyText,
				anyText,
				fc.array(anyText, {maxLength: 3}),
				async (seed, kind, before, after, others) => {
					const secret = plantedSecrets(seed)[kind]!;
					const values = [...others, `${before} ${secret.text} ${after}`];
					const index = values.length - 1;
					const hits = await scanPublicSafety(asStrings(values));
					const found = hits.some(hit => hit.index === index && secret.rules.includes(hit.rule));
					expect(found, `${secret.kind} not found`).toBe(true);
					expect(leaks(hits, secret.random)).toBeUndefined();
					for (const hit of hits) expect(hit.message + hit.preview).not.toContain(secret.text);
				},
			),
			300,
		);
	});

	it('arbitrary unicode never throws, and every hit is well-formed', async () => {
		await holds(
			fc.asyncProperty(fc.array(anyText, {maxLength: 8}), async values => {
				const hits = [...scanPublicSafetySync(asStrings(values)), ...(await scanPublicSafety(asStrings(values)))];
				for (const hit of hits) {
					expect(hit.rule).toMatch(/^public-safety\//);
					expect(hit.fingerprint).toMatch(/^[0-9a-f]{16}$/);
					expect(hit.index).toBeLessThan(values.length);
					expect(isPrintable(hit.preview)).toBe(true);
				}
			}),
			300,
		);
	});

	it('text built from the detectors’ own trigger fragments never throws', async () => {
		const fragment = fc.constantFrom(
			'AKIA', 'ghp_', 'sk-', 'sk_live_', 'eyJ', '.', '-----BEGIN ', 'PRIVATE KEY-----', '-----END ', '://', ':', '@', '?', '&', '=', 'token', 'password', '"',
			'10.', '192.168.', '169.254.', 'fd00:', 'fe80::', '::', '.internal', '.svc', '.cluster.local', 'vpce-', '+', '(', ')', '0', '1', '4111', ' ', '-',
			'DE89', '/tenants/', 'tenantId=', 'Bearer ', 'Basic ', 'Authorization: ', '\n', '\u0000', '\ud800', 'a', 'Z', '9',
		);
		await holds(
			fc.asyncProperty(fc.array(fc.array(fragment, {maxLength: 40}).map(parts => parts.join('')), {maxLength: 4}), async values => {
				scanPublicSafetySync(asStrings(values));
				await scanPublicSafety(asStrings(values));
			}),
			300,
		);
	});

	it('huge inputs and many strings do not throw', async () => {
		const values = Array.from({length: 100_000}, (_, i) => (i % 1000 === 0 ? `step ${i} on 10.0.${i % 250}.1` : `step ${i}`));
		const hits = await scanPublicSafety(asStrings(values));
		expect(hits).toHaveLength(100);
		expect(scanPublicSafetySync(asStrings(['\u0000'.repeat(200_000), '\ud800'.repeat(200_000)]))).toEqual([]);
		// 150k matches in one string: more than a spread into push() can take.
		expect(scanPublicSafetySync(asStrings(['ops@acme.io '.repeat(150_000)])).map(h => h.rule)).toEqual(['public-safety/email']);
	});
});
