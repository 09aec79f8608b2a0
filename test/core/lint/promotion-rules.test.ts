import {describe, expect, it} from 'vitest';
import {attachToPromotion} from '../../../source/core/evidence/attach.js';
import {allRules} from '../../../source/core/lint/catalog.js';
import {lintPlan} from '../../../source/core/lint/lint-plan.js';
import {PROMOTION_MESSAGES} from '../../../source/core/lint/promotion-rules.js';
import {promotionFixtures, sampleFacts} from '../../fixtures/promotion/files.js';

/** CAVRA's documented example (docs/go-backend-promotion.md). */
const documented = {
	schema_version: 'cavra.go-backend-promotion-evidence.v1',
	parity_status: 'pass',
	deployment_status: 'ready',
	approved: true,
	approval_id: 'apr_go_backend_promotion',
	evidence_refs: ['go-runtime-parity://ci/run-id', 'go-deployment-readiness://release/package-id'],
};

const lint = (value: unknown) => lintPlan({path: 'promotion.json', bytes: JSON.stringify(value, null, 2)});
const rulesOf = async (value: unknown) => (await lint(value)).findings.map(finding => finding.rule);

describe('lint: promotion evidence (contract §15)', () => {
	it("CAVRA's documented example has no findings, and none of the plan's rules apply to it", async () => {
		expect(await lint(documented)).toEqual({path: 'promotion.json', ok: true, findings: [], suppressed: 0});
		expect(await rulesOf({...documented, parity_status: undefined, parity: {status: 'pass'}, deployment_status: undefined, deployment: {status: 'ready'}})).toEqual([]);
		expect(await rulesOf({...documented, approved: undefined, approval: {status: 'approved', approval_id: 'CHG-1'}})).toEqual([]);
	});

	it("each rule quotes CAVRA's message and points at the field", async () => {
		const cases: Array<[Record<string, unknown>, string, string, string]> = [
			[{schema_version: 'cavra.go-backend-promotion-evidence.v2'}, 'schema/promotion-schema-version', PROMOTION_MESSAGES.schemaVersion, '/schema_version'],
			[{parity_status: 'fail'}, 'schema/promotion-parity', PROMOTION_MESSAGES.parity, '/parity_status'],
			[{parity_status: undefined, parity: {status: 'pending'}}, 'schema/promotion-parity', PROMOTION_MESSAGES.parity, '/parity/status'],
			[{deployment_status: 'not_configured'}, 'schema/promotion-deployment', PROMOTION_MESSAGES.deployment, '/deployment_status'],
			[{deployment_status: undefined}, 'schema/promotion-deployment', PROMOTION_MESSAGES.deployment, ''],
			[{approved: false}, 'schema/promotion-approval', PROMOTION_MESSAGES.approval, '/approved'],
			[{evidence_refs: 'go-runtime-parity://ci/run-id'}, 'schema/promotion-evidence-refs', PROMOTION_MESSAGES.evidenceRefs, '/evidence_refs'],
			[{evidence_refs: ['go-runtime-parity://ci/run-id', 7]}, 'schema/promotion-evidence-refs', PROMOTION_MESSAGES.evidenceRefs, '/evidence_refs'],
		];
		for (const [change, rule, message, pointer] of cases) {
			const report = await lint({...documented, ...change});
			const finding = report.findings.find(item => item.rule === rule);
			expect(finding, rule).toBeDefined();
			expect(finding!.message).toContain(`"${message}"`);
			expect(finding!.pointer).toBe(pointer);
		}
	});

	it('an unapproved promotion is a warning (a decision pending), broken parity or deployment an error', async () => {
		expect((await lint({...documented, approved: false})).ok).toBe(true);
		expect((await lint({...documented, parity_status: 'fail'})).ok).toBe(false);
		expect((await lint({...documented, approved: 'true'})).findings.map(finding => finding.rule)).toEqual(['schema/approved-type', 'schema/promotion-approval']);
	});

	it('refs must look like scheme://path; public-safety runs over every string', async () => {
		const report = await lint({...documented, evidence_refs: ['see the CI run', 'go-runtime-parity://ci/run-id'], notes: 'ask release-lead@corp-mail.net'});
		expect(report.findings.map(finding => `${finding.rule} ${finding.pointer}`)).toEqual(['schema/evidence-ref-syntax /evidence_refs/0', 'public-safety/email /notes']);
	});

	it('the rules are in the catalog (SARIF lists them)', () => {
		const ids = allRules.map(rule => rule.id);
		for (const id of ['schema/promotion-schema-version', 'schema/promotion-parity', 'schema/promotion-deployment', 'schema/promotion-approval', 'schema/promotion-evidence-refs']) expect(ids).toContain(id);
	});
});

describe('lint: a promotion evidence file after evidence attach', () => {
	for (const fixture of promotionFixtures) {
		it(`${fixture.name}: lints clean`, async () => {
			const attached = attachToPromotion(fixture.text, sampleFacts());
			if (!attached.ok) throw new Error(attached.reason);
			const report = await lintPlan({path: 'promotion.json', bytes: attached.text});
			expect(report.findings).toEqual([]);
		});
	}
});
