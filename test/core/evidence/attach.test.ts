import {describe, expect, it} from 'vitest';
import {attachToPromotion, type AttachOutcome} from '../../../source/core/evidence/attach.js';
import {ATTACHMENT_KEY, ATTACHMENT_SCHEMA_VERSION, refSegment} from '../../../source/core/evidence/promotion.js';
import {BUNDLE_SHA, PLAN_SHA, promotionFixtures, sampleFacts} from '../../fixtures/promotion/files.js';

const OUR_REFS = [
	`go-rollback-plan://sha256/${PLAN_SHA}`,
	'go-rollback-approval://apr_go_backend_rollback',
	'go-rollback-rehearsal://rb-20261201T100000Z-0a1b2c',
	`go-rollback-evidence://rb-20261201T100000Z-0a1b2c/sha256/${BUNDLE_SHA}`,
	'go-rollback-readiness://ci/ready',
	'go-promotion-rollback-runbook://docs/current',
];

function ok(outcome: AttachOutcome): Extract<AttachOutcome, {ok: true}> {
	if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
	return outcome;
}

/** Where the original refs end (after the last ref's literal), or undefined when there are none. */
function refsEnd(text: string, refs: string[]): number | undefined {
	const last = refs.at(-1);
	if (last === undefined) return text.includes('"evidence_refs": [') ? text.indexOf('"evidence_refs": [') + '"evidence_refs": ['.length : undefined;
	const literal = JSON.stringify(last);
	return text.indexOf(literal) + literal.length;
}

describe('attachToPromotion: the edit changes nothing else, byte for byte', () => {
	for (const fixture of promotionFixtures) {
		it(fixture.name, () => {
			const result = ok(attachToPromotion(fixture.text, sampleFacts()));
			const before = JSON.parse(fixture.text) as Record<string, unknown>;
			const after = JSON.parse(result.text) as Record<string, unknown>;

			// Same keys in the same order, then ours; the values of every other key unchanged.
			const keys = Object.keys(before);
			expect(Object.keys(after)).toEqual([...keys, ...(keys.includes('evidence_refs') ? [] : ['evidence_refs']), ATTACHMENT_KEY]);
			for (const key of keys) if (key !== 'evidence_refs') expect(after[key]).toEqual(before[key]);
			expect(after['evidence_refs']).toEqual([...fixture.refs, ...OUR_REFS]);
			expect(after[ATTACHMENT_KEY]).toMatchObject({schema_version: ATTACHMENT_SCHEMA_VERSION, attached_at: '2026-12-04T19:00:00Z', forced: false});

			// Only insertions: the text up to the last original ref, everything between it and the
			// end of the last property, and the tail, are all there verbatim and in order.
			const rootEnd = fixture.text.lastIndexOf('}');
			const lastValueEnd = fixture.text.slice(0, rootEnd).trimEnd().length;
			const cut = refsEnd(fixture.text, fixture.refs);
			if (cut !== undefined) {
				expect(result.text.startsWith(fixture.text.slice(0, cut))).toBe(true);
				const middle = fixture.text.slice(cut, lastValueEnd);
				const from = result.text.indexOf(middle, cut);
				expect(from).toBeGreaterThan(cut);
				// What was inserted before the middle is our refs and nothing else.
				expect(result.text.slice(cut, from)).toMatch(/^(,?\s*"go-[a-z-]+:\/\/[^"]+")+\s*$/);
				expect(result.text.slice(from + middle.length, result.text.length - (fixture.text.length - lastValueEnd))).toMatch(
					new RegExp(`^,\\s*"${ATTACHMENT_KEY}"\\s*:\\s*\\{`),
				);
			} else {
				expect(result.text.startsWith(fixture.text.slice(0, lastValueEnd))).toBe(true);
			}
			expect(result.text.endsWith(fixture.text.slice(lastValueEnd))).toBe(true);
		});
	}

	it('writes what it adds in the file style: indentation, line endings, escapes', () => {
		const byName = (name: string) => ok(attachToPromotion(promotionFixtures.find(fixture => fixture.name.startsWith(name))!.text, sampleFacts({plan: {...sampleFacts().plan, approvalId: 'Freigabe-Ä'}}))).text;
		expect(byName('pretty 2-space')).toContain(`,\n  "${ATTACHMENT_KEY}": {\n    "schema_version": "${ATTACHMENT_SCHEMA_VERSION}",\n`);
		expect(byName('pretty 4-space')).toContain(`,\n    "${ATTACHMENT_KEY}": {\n        "schema_version"`);
		expect(byName('pretty 4-space')).toContain(`"go-runtime-parity://ci/run-41",\n        "go-rollback-plan://`);
		expect(byName('tabs')).toContain(`,\n\t"${ATTACHMENT_KEY}": {\n\t\t"schema_version"`);
		expect(byName('tabs')).toContain('"go-deployment-readiness://release/7",\n\t\t"go-rollback-plan://');
		const compact = byName('compact one line');
		expect(compact.split('\n')).toHaveLength(2);
		expect(compact).toContain(`"go-runtime-parity://ci/run-9", "go-rollback-plan://`);
		expect(compact).toContain(`, "${ATTACHMENT_KEY}": {"schema_version": "`);
		const tight = byName('compact, no spaces');
		expect(tight).not.toMatch(/\n|": |, /);
		expect(tight).toContain(`,"${ATTACHMENT_KEY}":{"schema_version":"`);
		const crlf = byName('CRLF');
		expect(crlf.replaceAll('\r\n', '')).not.toContain('\n');
		expect(crlf.endsWith('}\r\n')).toBe(true);
		// An ASCII-only file stays ASCII (as json.dumps writes it); a file with raw unicode takes raw unicode.
		expect(byName('escaped unicode')).toMatch(/^[\x00-\x7f]*$/);
		expect(byName('escaped unicode')).toContain('"approval_id": "Freigabe-\\u00c4"');
		expect(byName('raw unicode')).toContain('"approval_id": "Freigabe-Ä"');
		expect(byName('no final newline').endsWith('\n    ]\n  }\n}')).toBe(true);
		expect(byName('empty evidence_refs')).toContain(`"evidence_refs": [\n    "go-rollback-plan://sha256/${PLAN_SHA}",\n`);
	});
});

describe('attachToPromotion: re-running', () => {
	for (const fixture of promotionFixtures) {
		it(`${fixture.name}: the same facts again → the same bytes; new facts → as if attached to the original`, () => {
			const first = ok(attachToPromotion(fixture.text, sampleFacts()));
			const again = ok(attachToPromotion(first.text, sampleFacts({now: '2026-12-05T08:00:00Z'})));
			expect(again.text).toBe(first.text);
			expect(again.changed).toBe(false);
			expect(again.replaced).toBe(true);

			const newer = sampleFacts({
				now: '2026-12-06T08:00:00Z',
				evidence: {...sampleFacts().evidence!, runId: 'rb-20261206T070000Z-ffeedd', evidenceSha256: 'c3'.repeat(32), kind: 'rollback'},
				plan: {...sampleFacts().plan, evidenceRefs: ['go-rollback-readiness://ci/ready']},
			});
			const replaced = ok(attachToPromotion(first.text, newer));
			expect(replaced.text).toBe(ok(attachToPromotion(fixture.text, newer)).text);
			const refs = (JSON.parse(replaced.text) as {evidence_refs: string[]}).evidence_refs;
			expect(refs.filter(ref => ref.startsWith('go-rollback-evidence://'))).toEqual([`go-rollback-evidence://rb-20261206T070000Z-ffeedd/sha256/${'c3'.repeat(32)}`]);
			// The plan ref the new plan no longer lists went with the old attachment.
			expect(refs).not.toContain('go-promotion-rollback-runbook://docs/current');
		});
	}

	it("keeps everyone else's refs, in order, including ones added after ours", () => {
		const first = ok(attachToPromotion(promotionFixtures[0]!.text, sampleFacts())).text;
		const edited = first.replace(`"go-promotion-rollback-runbook://docs/current"\n  ]`, `"go-promotion-rollback-runbook://docs/current",\n    "go-release-board://minutes/2026-12"\n  ]`);
		const refs = (JSON.parse(ok(attachToPromotion(edited, sampleFacts({now: '2026-12-07T00:00:00Z'}))).text) as {evidence_refs: string[]}).evidence_refs;
		expect(refs).toEqual(['go-runtime-parity://ci/run-id', 'go-deployment-readiness://release/package-id', 'go-release-board://minutes/2026-12', ...OUR_REFS]);
	});

	it('a ref that was already there before the first attach is neither duplicated nor taken away later', () => {
		const text = promotionFixtures[0]!.text.replace('"go-deployment-readiness://release/package-id"', '"go-deployment-readiness://release/package-id",\n    "go-rollback-readiness://ci/ready"');
		const first = ok(attachToPromotion(text, sampleFacts()));
		const refs = (JSON.parse(first.text) as {evidence_refs: string[]}).evidence_refs;
		expect(refs.filter(ref => ref === 'go-rollback-readiness://ci/ready')).toHaveLength(1);
		expect(first.refs).not.toContain('go-rollback-readiness://ci/ready');
		const withoutPlanRefs = sampleFacts({now: '2026-12-08T00:00:00Z', plan: {...sampleFacts().plan, evidenceRefs: []}});
		expect((JSON.parse(ok(attachToPromotion(first.text, withoutPlanRefs)).text) as {evidence_refs: string[]}).evidence_refs).toContain('go-rollback-readiness://ci/ready');
	});

	it('a stale ref in one of our schemes is replaced even when the block was deleted by hand', () => {
		const text = promotionFixtures[0]!.text.replace('"go-deployment-readiness://release/package-id"', '"go-deployment-readiness://release/package-id",\n    "go-rollback-evidence://rb-20200101T000000Z-000000/sha256/00"');
		const refs = (JSON.parse(ok(attachToPromotion(text, sampleFacts())).text) as {evidence_refs: string[]}).evidence_refs;
		expect(refs).not.toContain('go-rollback-evidence://rb-20200101T000000Z-000000/sha256/00');
	});

	it('a forced attachment says so, and why', () => {
		const result = ok(attachToPromotion(promotionFixtures[0]!.text, sampleFacts({forceReasons: ['go_rollback_approval: rollback plan must be approved'], evidence: null})));
		expect(result.block).toMatchObject({forced: true, force_reasons: ['go_rollback_approval: rollback plan must be approved'], evidence: null});
		expect(result.refs.some(ref => ref.startsWith('go-rollback-evidence://'))).toBe(false);
	});
});

describe('attachToPromotion: files it will not edit', () => {
	const refuse = (text: string) => {
		const outcome = attachToPromotion(text, sampleFacts());
		expect(outcome.ok).toBe(false);
		return outcome.ok ? '' : outcome.reason;
	};
	it('another schema, not an object, broken JSON, duplicate keys, bad evidence_refs', () => {
		expect(refuse('{"schema_version": "cavra.go-backend-rollback-plan.v1"}')).toMatch(/not CAVRA's promotion evidence/);
		expect(refuse('["cavra.go-backend-promotion-evidence.v1"]')).toMatch(/not an object/);
		expect(refuse('{"schema_version": "cavra.go-backend-promotion-evidence.v1",')).toMatch(/line 1/);
		expect(refuse('{"schema_version": "cavra.go-backend-promotion-evidence.v1", "approved": false, "approved": true}')).toMatch(/duplicate key "approved"/);
		expect(refuse('{"schema_version": "cavra.go-backend-promotion-evidence.v1", "evidence_refs": "go-x://y"}')).toMatch(/evidence_refs is not a list of strings/);
		expect(refuse('\uFEFF{"schema_version": "cavra.go-backend-promotion-evidence.v1"}')).toMatch(/byte order mark/);
	});
});

describe('refSegment', () => {
	it('keeps run ids and ids as they are and percent-encodes anything else', () => {
		expect(refSegment('rb-20261201T100000Z-0a1b2c')).toBe('rb-20261201T100000Z-0a1b2c');
		expect(refSegment('CHG 42/../x')).toBe('CHG%2042%2F..%2Fx');
		expect(refSegment('Ä\u202e')).toBe('%C3%84%E2%80%AE');
	});
});
