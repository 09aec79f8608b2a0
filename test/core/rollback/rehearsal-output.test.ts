import {describe, expect, it} from 'vitest';
import {DRILL_HISTORY_SCHEMA_VERSION, REHEARSAL_SCHEMA_VERSION} from '../../../source/core/plan/constants.js';
import {
	appendDrill,
	buildDrillEntry,
	buildRehearsalEvidence,
	isoSeconds,
	recoveryMinutes,
	RUNBOOK_REF_DEFAULT,
	runbookRef,
	type RehearsalFacts,
} from '../../../source/core/rollback/rehearsal-output.js';

const facts: RehearsalFacts = {
	runId: 'rb-20260101T000000Z-abcdef',
	executedAt: '2026-01-01T00:00:00Z',
	fallbackVerified: true,
	passed: true,
	recoverySeconds: 42.2,
	maxRecoveryMinutes: 15,
	planApprovalId: 'apr_go_backend_rollback',
	planEvidenceRefs: ['go-rollback-readiness://ci/ready', 'go-promotion-rollback-runbook://docs/current'],
	sourceMode: 'promoted',
};

describe('rehearsal output', () => {
	it('rounds measured minutes up to 0.01 and never to zero', () => {
		expect(recoveryMinutes(42.2)).toBe(0.71);
		expect(recoveryMinutes(60)).toBe(1);
		expect(recoveryMinutes(0)).toBe(0.01);
		expect(recoveryMinutes(0.3)).toBe(0.01);
	});

	it("picks the plan's runbook ref, else a default", () => {
		expect(runbookRef(facts.planEvidenceRefs)).toBe('go-promotion-rollback-runbook://docs/current');
		expect(runbookRef(['go-rollback-readiness://ci/ready'])).toBe(RUNBOOK_REF_DEFAULT);
	});

	it("builds CAVRA's rehearsal evidence with the contract's fields", () => {
		const evidence = buildRehearsalEvidence(facts);
		expect(evidence).toMatchObject({
			schema_version: REHEARSAL_SCHEMA_VERSION,
			status: 'pass',
			plan_approval_id: 'apr_go_backend_rollback',
			simulated: true,
			fallback_verified: true,
			recovery_minutes: 0.71,
			max_recovery_minutes: 15,
			runbook_ref: 'go-promotion-rollback-runbook://docs/current',
		});
		expect(evidence['evidence_refs']).toEqual([
			'cavra-rollback-evidence://rb-20260101T000000Z-abcdef/evidence.json',
			'cavra-rollback-evidence://rb-20260101T000000Z-abcdef/journal.ndjson',
			...facts.planEvidenceRefs,
		]);
		expect(buildRehearsalEvidence({...facts, fallbackVerified: false})['status']).toBe('fail');
	});

	it('builds a drill entry and appends it without touching earlier drills or keys', () => {
		const drill = buildDrillEntry(facts);
		expect(drill).toMatchObject({drill_id: facts.runId, executed_at: facts.executedAt, status: 'pass', target_mode: 'disabled', fallback_verified: true, recovery_minutes: 0.71, max_recovery_minutes: 15, source_mode: 'promoted'});
		const created = appendDrill(undefined, drill, {environment: 'staging'});
		expect(created).toEqual({ok: true, created: true, document: {schema_version: DRILL_HISTORY_SCHEMA_VERSION, environment: 'staging', drills: [drill]}});
		const existing = {schema_version: DRILL_HISTORY_SCHEMA_VERSION, environment: 'prod', note: 'kept', drills: [{drill_id: 'old'}]};
		const appended = appendDrill(existing, drill);
		expect(appended.ok && appended.document).toEqual({...existing, drills: [{drill_id: 'old'}, drill]});
		// Resuming the same rehearsal replaces its own entry instead of counting twice.
		const again = appendDrill(appended.ok ? appended.document : undefined, {...drill, status: 'fail'});
		expect(again.ok && (again.document['drills'] as unknown[])).toHaveLength(2);
		expect(again.ok && (again.document['drills'] as Array<{status?: string}>)[1]?.status).toBe('fail');
	});

	it('refuses to overwrite a history it cannot extend safely', () => {
		expect(appendDrill([], {}).ok).toBe(false);
		expect(appendDrill({schema_version: 'other'}, {}).ok).toBe(false);
		expect(appendDrill({schema_version: DRILL_HISTORY_SCHEMA_VERSION, drills: 'x'}, {}).ok).toBe(false);
		expect(appendDrill({schema_version: DRILL_HISTORY_SCHEMA_VERSION}, {drill_id: 'a'})).toMatchObject({ok: true});
	});

	it('formats timestamps at seconds precision in UTC', () => {
		expect(isoSeconds(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05Z');
	});
});
