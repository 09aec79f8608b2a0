/**
 * The pure cross-checks: service outcomes re-derived from journal records the way the runner
 * writes them (parallel groups, dry runs, resumed runs), and the summary comparison.
 */
import {describe, expect, it} from 'vitest';
import {crossCheckEvidence, declaredSigner, deriveServiceOutcomes, sealSummary} from '../../../source/core/evidence/cross-check.js';
import {createRecord, type JournalEntry, type JournalRecord} from '../../../source/core/evidence/journal.js';

function chain(entries: JournalEntry[]): JournalRecord[] {
	const records: JournalRecord[] = [];
	for (const entry of entries) records.push(createRecord(records.at(-1), {...entry, at: '2026-01-01T00:00:00.000Z', run_id: 'rb-20260101T000000Z-000000'}));
	return records;
}

describe('deriveServiceOutcomes', () => {
	it('a parallel group: one record for the batch, each member classified', () => {
		const outcomes = deriveServiceOutcomes(
			chain([
				{step: 'restart-group:web', phase: 'after', status: 'failed', detail: {services: {a: {status: 'done'}, b: {status: 'failed'}, c: {status: 'cancelled'}}}},
				{step: 'verify', phase: 'after', status: 'failed', detail: {services: {a: {status: 'failed'}, b: {status: 'skipped', skip_reason: 'blocked'}, c: {status: 'skipped', skip_reason: 'blocked'}}}},
			]),
		);
		expect(Object.fromEntries(outcomes)).toEqual({a: 'not-verified', b: 'restart-failed', c: 'not-run'});
	});

	it('a dry run skips each step by id; a resumed run keeps the last word; a restart never verified is not verified', () => {
		expect(Object.fromEntries(deriveServiceOutcomes(chain([{step: 'restart:a', phase: 'after', status: 'skipped', detail: {skip_reason: 'dry-run'}}])))).toEqual({a: 'not-run'});
		const resumed = chain([
			{step: 'restart:a', phase: 'after', status: 'failed', detail: {services: {a: {status: 'failed'}}}},
			{step: 'restart:a', phase: 'after', status: 'skipped', detail: {services: {a: {status: 'skipped', skip_reason: 'already-done'}}}},
			{step: 'verify', phase: 'after', status: 'done', detail: {services: {a: {status: 'skipped', skip_reason: 'already-done'}}}},
		]);
		expect(Object.fromEntries(deriveServiceOutcomes(resumed))).toEqual({a: 'already-disabled'});
		expect(Object.fromEntries(deriveServiceOutcomes(chain([{step: 'restart:a', phase: 'after', status: 'done', detail: {services: {a: {status: 'done'}}}}])))).toEqual({a: 'not-verified'});
	});
});

describe('crossCheckEvidence', () => {
	const document = {
		kind: 'rollback',
		result: 'recovered',
		exit_code: 0,
		recovery_seconds: 3,
		max_recovery_minutes: 15,
		within_target: true,
		services: [{name: 'a', outcome: 'recovered'}],
		reports: {before: 'before.json', after: 'after.json'},
		files: {'reports/before.json': 'x', 'reports/after.json': 'y'},
		signature: {signer: 'oncall@example.com'},
	};
	const summary = sealSummary({...document, signer: 'oncall@example.com'});
	const records = chain([
		{step: 'restart:a', phase: 'after', status: 'done', detail: {services: {a: {status: 'done'}}}},
		{step: 'verify', phase: 'after', status: 'done', detail: {services: {a: {status: 'done'}}}},
		{step: 'evidence', phase: 'before', detail: {...summary}},
		{step: 'evidence', phase: 'after', status: 'done', detail: {result: 'recovered', exit_code: 0, recovery_seconds: 3}},
	]);

	it('agrees with itself: no problem', () => {
		expect(declaredSigner(document)).toBe('oncall@example.com');
		expect(crossCheckEvidence(document, records, 3)).toEqual([]);
	});

	it('a signer removed from evidence.json, a report renamed: named against the sealed summary', () => {
		const {signature: _removed, ...unsigned} = document;
		expect(crossCheckEvidence({...unsigned, reports: {before: 'before.json', after: 'other.json'}}, records, 3)).toEqual([
			{kind: 'evidence', reason: 'reports.after is "other.json"; the journal sealed "after.json"'},
			{kind: 'evidence', reason: 'signature.signer is null; the journal sealed "oncall@example.com"'},
			{kind: 'evidence', reason: 'reports.after names "other.json" but files has no "reports/other.json" (the report is missing)'},
		]);
	});

	it('not sealed at the summary record', () => {
		const extra = chain([...records.slice(0, 3).map(({seq: _s, at: _a, run_id: _r, prev_sha256: _p, sha256: _h, ...entry}) => entry), {step: 'capture', phase: 'before'}]);
		expect(crossCheckEvidence(document, extra, 4)).toEqual([{kind: 'evidence', reason: "sealed at journal record 4, not at the evidence step's record 3"}]);
	});

	it('garbage in evidence.json is a list of problems, never an exception', () => {
		expect(() => crossCheckEvidence({services: 'x', reports: 1, files: null, result: {}}, records, 3)).not.toThrow();
		expect(crossCheckEvidence(null, records, 3).length).toBeGreaterThan(0);
	});
});
