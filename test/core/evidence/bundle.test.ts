import {describe, expect, it} from 'vitest';
import {EvidenceBundleStruct, EvidenceSealStruct, EVIDENCE_SCHEMA_VERSION, formatRunId, isRunId, isSafeRelativePath, serializeEvidence, type EvidenceBundle} from '../../../source/core/evidence/bundle.js';

const HASH = 'a'.repeat(64);

const sampleBundle: EvidenceBundle = {
	schema_version: EVIDENCE_SCHEMA_VERSION,
	run_id: 'rb-20260101T120000Z-1a2b3c',
	kind: 'rollback',
	started_at: '2026-01-01T12:00:00.000Z',
	ended_at: '2026-01-01T12:03:00.000Z',
	recovery_seconds: 150,
	max_recovery_minutes: 15,
	within_target: true,
	result: 'recovered',
	plan: {path: '/etc/cavra/plan.json', sha256: HASH, approval_id: 'CHG-1', valid: true},
	targets: [{target: '/etc/cavra/cavra.env', mode_before: 'promoted', mode_after: 'disabled'}],
	services: [{name: 'api', kind: 'systemd', outcome: 'recovered', duration_ms: 2100, verified: true}],
	reports: {before: 'before.json', after: 'after.json'},
	journal: {path: 'journal.ndjson', head_sha256: HASH, records: 14},
	files: {'reports/b.json': HASH, 'reports/a.json': HASH},
};

describe('run ids', () => {
	it('rb-YYYYMMDDTHHMMSSZ-<6 hex>', () => {
		const id = formatRunId(new Date('2026-03-04T05:06:07.890Z'), '0a1b2c');
		expect(id).toBe('rb-20260304T050607Z-0a1b2c');
		expect(isRunId(id)).toBe(true);
		expect(isRunId('rb-20260304T050607Z-0A1B2C')).toBe(false);
		expect(isRunId('../x')).toBe(false);
		expect(() => formatRunId(new Date(), 'xyz')).toThrow(RangeError);
	});
});

describe('isSafeRelativePath', () => {
	it.each([
		['reports/after.json', true],
		['journal.ndjson', true],
		['../etc/passwd', false],
		['reports/../../x', false],
		['/etc/passwd', false],
		['C:/x', false],
		['reports\\x', false],
		['reports//x', false],
		['./x', false],
		['', false],
	])('%j → %s', (value, safe) => {
		expect(isSafeRelativePath(value)).toBe(safe);
	});
});

describe('evidence.json', () => {
	it('serialises in a fixed order with sorted files and validates', () => {
		const text = serializeEvidence(sampleBundle);
		const parsed = JSON.parse(text);
		expect(Object.keys(parsed)[0]).toBe('schema_version');
		expect(Object.keys(parsed.files)).toEqual(['reports/a.json', 'reports/b.json']);
		expect(text.endsWith('}\n')).toBe(true);
		expect(EvidenceBundleStruct.is(parsed)).toBe(true);
		expect(EvidenceSealStruct.is(parsed)).toBe(true);
	});

	it('the seal rejects paths outside the bundle and bad hashes; extra fields are fine', () => {
		expect(EvidenceSealStruct.is({...sampleBundle, extra: 1})).toBe(true);
		expect(EvidenceSealStruct.is({...sampleBundle, files: {'../x': HASH}})).toBe(false);
		expect(EvidenceSealStruct.is({...sampleBundle, journal: {path: '/tmp/j', head_sha256: HASH, records: 1}})).toBe(false);
		expect(EvidenceSealStruct.is({...sampleBundle, files: {'a': 'nothex'}})).toBe(false);
	});
});
