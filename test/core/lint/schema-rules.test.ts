import {describe, expect, it} from 'vitest';
import {checkPlanSchema} from '../../../source/core/lint/schema-rules.js';
import {REQUIRED_CONTROLS} from '../../../source/core/plan/constants.js';
import {seedPlan, seedWith} from '../../helpers/plans.js';

const rulesOf = (plan: Record<string, unknown>) => checkPlanSchema(plan).map(p => `${p.severity} ${p.rule} ${p.pointer}`);

describe('schema rules', () => {
	it('the seed plan has no schema findings', () => {
		expect(checkPlanSchema(seedPlan())).toEqual([]);
	});

	it('schema_version: missing, wrong and null are errors quoting CAVRA', () => {
		expect(rulesOf(seedWith({}, ['schema_version']))).toEqual(['error schema/schema-version ']);
		expect(rulesOf(seedWith({schema_version: 'cavra.go-backend-rollback-plan.v2'}))).toEqual(['error schema/schema-version /schema_version']);
		expect(rulesOf(seedWith({schema_version: null}))).toEqual(['error schema/schema-version /schema_version']);
		expect(checkPlanSchema(seedWith({}, ['schema_version']))[0]!.message).toContain('rollback plan has an invalid schema_version');
	});

	it('status other than ready is at most a warning', () => {
		expect(rulesOf(seedWith({status: 'draft'}))).toEqual(['warning schema/status /status']);
		expect(rulesOf(seedWith({status: 'READY'}))).toEqual(['warning schema/status /status']);
		expect(rulesOf(seedWith({status: 1}))).toEqual(['warning schema/status /status']);
		expect(rulesOf(seedWith({}, ['status']))).toEqual(['warning schema/status ']);
	});

	it('target_mode must be exactly disabled', () => {
		expect(rulesOf(seedWith({target_mode: 'DISABLED'}))).toEqual(['error schema/target-mode /target_mode']);
		expect(checkPlanSchema(seedWith({target_mode: 'DISABLED'}))[0]!.message).toContain('exact');
		expect(rulesOf(seedWith({target_mode: 'shadow'}))).toEqual(['error schema/target-mode /target_mode']);
		expect(rulesOf(seedWith({}, ['target_mode']))).toEqual(['error schema/target-mode ']);
	});

	it('approval: true, nested approval.status, and the values CAVRA does not count', () => {
		expect(rulesOf(seedWith({approval: {status: 'approved', approval_id: 'apr_1'}}, ['approved', 'approval_id']))).toEqual([]);
		expect(rulesOf(seedWith({approved: false}))).toEqual(['warning schema/approval /approved']);
		expect(rulesOf(seedWith({approved: 'true'}))).toEqual(['error schema/approved-type /approved', 'warning schema/approval /approved']);
		expect(rulesOf(seedWith({approved: 1}))).toEqual(['error schema/approved-type /approved', 'warning schema/approval /approved']);
		expect(rulesOf(seedWith({}, ['approved']))).toEqual(['warning schema/approval ']);
		expect(rulesOf(seedWith({approval: 'approved'}, ['approved']))).toEqual(['warning schema/approval-type /approval', 'warning schema/approval ']);
		expect(rulesOf(seedWith({approval: {status: 'pending'}}, ['approved']))).toEqual(['warning schema/approval /approval']);
	});

	it('approval ids: missing when approved, and of the wrong type', () => {
		expect(rulesOf(seedWith({}, ['approval_id']))).toEqual(['warning schema/approval-id-missing ']);
		expect(rulesOf(seedWith({approval_id: 12345}))).toEqual(['warning schema/approval-id-type /approval_id']);
		expect(rulesOf(seedWith({approval_id: ''}))).toEqual(['warning schema/approval-id-missing /approval_id']);
		expect(rulesOf(seedWith({approved: false}, ['approval_id']))).toEqual(['warning schema/approval /approved']);
	});

	it('max_recovery_minutes must be a positive number', () => {
		for (const bad of ['15', true, 0, -3, null, [15]]) {
			expect(rulesOf(seedWith({max_recovery_minutes: bad}))).toEqual(['error schema/max-recovery-minutes /max_recovery_minutes']);
		}
		expect(checkPlanSchema(seedWith({max_recovery_minutes: '15'}))[0]!.message).toContain('without quotes');
		expect(rulesOf(seedWith({max_recovery_minutes: 7.5}))).toEqual([]);
		expect(rulesOf(seedWith({}, ['max_recovery_minutes']))).toEqual(['error schema/max-recovery-minutes ']);
	});

	it('each missing control is its own finding; extra controls are fine', () => {
		for (const control of REQUIRED_CONTROLS) {
			const controls = REQUIRED_CONTROLS.filter(c => c !== control);
			const problems = checkPlanSchema(seedWith({controls}));
			expect(problems.map(p => p.rule)).toEqual(['schema/missing-control']);
			expect(problems[0]!.message).toContain(control);
			expect(problems[0]!.pointer).toBe('/controls');
		}
		expect(rulesOf(seedWith({controls: [...REQUIRED_CONTROLS, 'custom-control']}))).toEqual([]);
		expect(rulesOf(seedWith({controls: []}))).toHaveLength(5);
	});

	it('controls of the wrong type never crash and say what CAVRA would do', () => {
		for (const [bad, words] of [[null, 'crashes'], [3, 'crashes'], ['python-fallback-available', 'letter by letter'], [{a: 1}, 'keys']] as const) {
			const problems = checkPlanSchema(seedWith({controls: bad}));
			expect(problems.map(p => p.rule)).toEqual(['schema/controls-type']);
			expect(problems[0]!.message).toContain(words);
		}
		expect(rulesOf(seedWith({}, ['controls']))).toEqual(['error schema/controls-type ']);
	});

	it('non-string and duplicate controls are warnings at their index', () => {
		expect(rulesOf(seedWith({controls: [...REQUIRED_CONTROLS, 7, 'python-fallback-available']}))).toEqual([
			'warning schema/control-type /controls/5',
			'warning schema/duplicate-control /controls/6',
		]);
	});

	it('rollback_steps: missing, empty, not a list, non-string items are errors; empty steps warnings', () => {
		expect(rulesOf(seedWith({}, ['rollback_steps']))).toEqual(['error schema/rollback-steps ']);
		expect(rulesOf(seedWith({rollback_steps: []}))).toEqual(['error schema/rollback-steps /rollback_steps']);
		expect(rulesOf(seedWith({rollback_steps: 'do it'}))).toEqual(['error schema/rollback-steps /rollback_steps']);
		expect(rulesOf(seedWith({rollback_steps: ['a', {run: 'b'}]}))).toEqual(['error schema/rollback-steps /rollback_steps/1']);
		expect(rulesOf(seedWith({rollback_steps: ['a', '  ']}))).toEqual(['warning schema/empty-step /rollback_steps/1']);
		expect(checkPlanSchema(seedWith({rollback_steps: []}))[0]!.message).toContain('rollback plan must include rollback_steps as a non-empty list of strings');
	});

	it('evidence_refs are optional (missing or empty is advice, a warning), must be strings, and must look like scheme://path', () => {
		expect(rulesOf(seedWith({}, ['evidence_refs']))).toEqual(['warning schema/no-evidence-refs ']);
		expect(rulesOf(seedWith({evidence_refs: []}))).toEqual(['warning schema/no-evidence-refs /evidence_refs']);
		expect(checkPlanSchema(seedWith({evidence_refs: []}))[0]!.message).toContain('auditors attach evidence');
		expect(rulesOf(seedWith({evidence_refs: 'go-rollback-readiness://ci/ready'}))).toEqual(['error schema/evidence-refs /evidence_refs']);
		expect(rulesOf(seedWith({evidence_refs: null}))).toEqual(['error schema/evidence-refs /evidence_refs']);
		expect(rulesOf(seedWith({evidence_refs: ['a://b', 3]}))).toEqual(['error schema/evidence-refs /evidence_refs/1']);
		for (const bad of ['ci/ready', 'Go://x', 'go rollback://x', 'go-rollback://', 'go-rollback://a b', '://x']) {
			expect(rulesOf(seedWith({evidence_refs: [bad]}))).toEqual(['error schema/evidence-ref-syntax /evidence_refs/0']);
		}
		expect(rulesOf(seedWith({evidence_refs: ['https://docs.example.com/runbook', 'ticket+v2://CHG-1']}))).toEqual([]);
	});

	it('a recovery target longer than a day is a warning (check the unit); a day or less is fine', () => {
		expect(rulesOf(seedWith({max_recovery_minutes: 1440}))).toEqual([]);
		expect(rulesOf(seedWith({max_recovery_minutes: 1440.5}))).toEqual(['warning schema/long-recovery /max_recovery_minutes']);
		expect(rulesOf(seedWith({max_recovery_minutes: 90_000}))).toEqual(['warning schema/long-recovery /max_recovery_minutes']);
		expect(checkPlanSchema(seedWith({max_recovery_minutes: 90_000}))[0]!.message).toContain('longer than a day (1440)');
	});

	it('unknown top-level keys are warnings, with a suggestion for typos', () => {
		const problems = checkPlanSchema(seedWith({aproved: true, owner: 'team'}));
		expect(problems.map(p => `${p.severity} ${p.rule} ${p.pointer}`)).toEqual(['warning schema/unknown-key /aproved', 'warning schema/unknown-key /owner']);
		expect(problems[0]!.message).toContain('did you mean "approved"');
		expect(rulesOf(seedWith({$comment: 'x', $schema: './plan.schema.json'}))).toEqual([]);
	});

	it('never echoes values from the plan in a message', () => {
		const secret = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
		const plan = seedWith({schema_version: secret, status: secret, target_mode: secret, approved: secret, approval: secret, approval_id: [secret], max_recovery_minutes: secret, controls: secret, rollback_steps: secret, evidence_refs: [secret], [secret]: 1});
		for (const problem of checkPlanSchema(plan)) expect(problem.message).not.toContain(secret.slice(4, 20));
	});
});
