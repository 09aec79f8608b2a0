import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {describeField, lintPlan, lintPlanSync} from '../../../source/core/lint/lint-plan.js';
import {seedPlan, seedWith} from '../../helpers/plans.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));
const lint = (value: unknown) => lintPlan({path: 'plan.json', bytes: encode(value)});

/** Realistic secrets with a random body, so a test can check no 8+ character piece of the body leaks. */
const alnum = fc.string({unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: 36, maxLength: 36});
const upper = fc.string({unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16});
const plantedSecret = fc.oneof(
	alnum.map(body => ({secret: `ghp_${body}`, body})),
	upper.map(body => ({secret: `AKIA${body}`, body})),
	alnum.map(body => ({secret: `xoxb-1234567890-1234567890123-${body.slice(0, 24)}`, body: body.slice(0, 24)})),
	alnum.map(body => ({secret: `sk_live_${body}`, body})),
);

describe('lintPlan', () => {
	it('the seed plan (CAVRA documentation example) has no findings at all', async () => {
		const report = await lint(seedPlan());
		expect(report).toEqual({path: 'plan.json', ok: true, findings: [], suppressed: 0});
	});

	it('a draft is ok (warnings only) and an error makes it not ok', async () => {
		expect((await lint(seedWith({status: 'draft'}))).ok).toBe(true);
		expect((await lint(seedWith({target_mode: 'shadow'}))).ok).toBe(false);
	});

	it('places findings at the value they concern, in file order', async () => {
		const report = await lint(seedWith({rollback_steps: ['Restart', '', 'Call oncall-lead@corp-mail.net']}));
		const byRule = Object.fromEntries(report.findings.map(finding => [finding.rule, finding]));
		expect(byRule['schema/empty-step']).toMatchObject({pointer: '/rollback_steps/1', line: 17, column: 5, severity: 'warning'});
		const personal = report.findings.find(finding => finding.category === 'public-safety');
		expect(personal).toMatchObject({pointer: '/rollback_steps/2', line: 18});
		expect(personal!.message).toMatch(/^rollback step 3: /);
		expect(personal!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
		const lines = report.findings.map(finding => finding.line);
		expect(lines).toEqual([...lines].sort((a, b) => a - b));
	});

	it('still scans a broken file for secrets', async () => {
		const secret = 'ghp_R4nd0mT0kenV4lueF0rTest1ngXyZ12345678';
		const report = await lintPlan({path: 'x.json', bytes: `{"rollback_steps": ["export GITHUB_TOKEN=${secret}"], "oops" }`});
		expect(report.findings.map(finding => finding.category)).toEqual(expect.arrayContaining(['syntax', 'public-safety']));
		expect(JSON.stringify(report)).not.toContain(secret.slice(4));
	});

	it('lint.allow suppresses exactly the reviewed rule and fingerprint', async () => {
		const plan = seedWith({rollback_steps: ['Call oncall-lead@corp-mail.net']});
		const first = await lint(plan);
		const finding = first.findings.find(f => f.fingerprint)!;
		const allowed = await lintPlan({path: 'plan.json', bytes: encode(plan)}, {allow: [{rule: finding.rule, fingerprint: finding.fingerprint!}]});
		expect(allowed.findings.find(f => f.fingerprint === finding.fingerprint)).toBeUndefined();
		expect(allowed.suppressed).toBe(1);
		const wrongRule = await lintPlan({path: 'plan.json', bytes: encode(plan)}, {allow: [{rule: 'public-safety/other', fingerprint: finding.fingerprint!}]});
		expect(wrongRule.suppressed).toBe(0);
	});

	it('recognises CAVRA rehearsal evidence and drill files and skips plan rules for them', async () => {
		const rehearsal = {schema_version: 'cavra.go-backend-rollback-rehearsal.v1', status: 'pass', evidence_refs: ['a://b']};
		expect((await lint(rehearsal)).findings).toEqual([]);
	});

	it('handles huge input: 100,000 steps', async () => {
		const plan = seedWith({rollback_steps: Array.from({length: 100_000}, (_, i) => `Step ${i}: restart the service`)});
		const report = await lint(plan);
		expect(report.ok).toBe(true);
	});

	it('the synchronous variant agrees on syntax and schema findings', async () => {
		const plan = seedWith({target_mode: 'x', approved: 'yes', controls: ['python-fallback-available']});
		const asyncRules = (await lint(plan)).findings.filter(f => f.category !== 'public-safety').map(f => f.rule);
		const syncRules = lintPlanSync({path: 'plan.json', bytes: encode(plan)}).findings.filter(f => f.category !== 'public-safety').map(f => f.rule);
		expect(syncRules).toEqual(asyncRules);
	});

	it('never throws, whatever the bytes', async () => {
		await fc.assert(
			fc.asyncProperty(fc.oneof(fc.uint8Array({maxLength: 400}), fc.string({maxLength: 400}).map(s => new TextEncoder().encode(s)), fc.jsonValue().map(v => encode(v))), async bytes => {
				const report = await lintPlan({path: 'fuzz.json', bytes});
				for (const finding of report.findings) {
					expect(finding.line).toBeGreaterThanOrEqual(1);
					expect(finding.column).toBeGreaterThanOrEqual(1);
				}
			}),
			{numRuns: 300},
		);
	});

	it('never echoes a planted secret, wherever it is planted', async () => {
		await fc.assert(
			fc.asyncProperty(
				plantedSecret,
				fc.constantFrom('rollback_steps', 'evidence_refs', 'approval_id', 'schema_version', 'custom_field', 'key'),
				fc.string({maxLength: 20}),
				async ({secret, body}, where, noise) => {
					const plan: Record<string, unknown> = seedPlan();
					const text = `${noise} ${secret} ${noise}`;
					if (where === 'rollback_steps' || where === 'evidence_refs') plan[where] = [text];
					else if (where === 'key') plan[secret] = 'value';
					else plan[where] = text;
					const report = await lint(plan);
					const output = JSON.stringify(report);
					for (let i = 0; i + 8 <= body.length; i++) expect(output).not.toContain(body.slice(i, i + 8));
					if (where !== 'key') expect(report.findings.some(finding => finding.category === 'public-safety')).toBe(true);
				},
			),
			{numRuns: 200},
		);
	});
});

describe('describeField', () => {
	it('speaks the plan language', () => {
		expect(describeField('/rollback_steps/1')).toBe('rollback step 2');
		expect(describeField('/evidence_refs/0')).toBe('evidence ref 1');
		expect(describeField('/approval/approval_id')).toBe('approval.approval_id');
		expect(describeField('')).toBe('the document');
	});
});
