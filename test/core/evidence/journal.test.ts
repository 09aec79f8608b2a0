import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {canonicalJson, createRecord, GENESIS_SHA256, journalLines, recordSha256, serializeRecord, sha256Hex, verifyChain, type JournalRecord} from '../../../source/core/evidence/journal.js';

const RUN = 'rb-20260101T000000Z-abcdef';

function chain(count: number): JournalRecord[] {
	const records: JournalRecord[] = [];
	for (let index = 0; index < count; index++) {
		records.push(createRecord(records.at(-1), {at: `2026-01-01T00:00:${String(index).padStart(2, '0')}.000Z`, run_id: RUN, step: `step-${Math.floor(index / 2)}`, phase: index % 2 === 0 ? 'before' : 'after', ...(index % 2 === 1 && {status: 'done'})}));
	}
	return records;
}
const lines = (records: JournalRecord[]) => records.map(serializeRecord);

describe('canonicalJson', () => {
	it('sorts keys at every level, no whitespace, drops undefined', () => {
		expect(canonicalJson({b: 1, a: {d: [1, {z: true, y: null}], c: 'x'}, u: undefined})).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}');
	});

	it('is the same for any key order', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.string(), fc.jsonValue()), object => {
				const reversed = Object.fromEntries(Object.entries(object).reverse());
				expect(canonicalJson(reversed)).toBe(canonicalJson(object));
				expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
			}),
		);
	});
});

describe('createRecord', () => {
	it('numbers from 1, chains to the previous hash, hashes itself without its sha256', () => {
		const [first, second] = chain(2);
		expect(first).toMatchObject({seq: 1, prev_sha256: GENESIS_SHA256, run_id: RUN, step: 'step-0', phase: 'before'});
		expect(first).not.toHaveProperty('status');
		expect(second).toMatchObject({seq: 2, prev_sha256: first!.sha256, status: 'done'});
		const {sha256, ...rest} = first!;
		expect(sha256).toBe(sha256Hex(canonicalJson(rest)));
		expect(recordSha256(first!)).toBe(sha256);
	});

	it('serialises as one line in a readable order', () => {
		const [record] = chain(1);
		const line = serializeRecord(record!);
		expect(line).not.toContain('\n');
		expect(Object.keys(JSON.parse(line))).toEqual(['seq', 'at', 'run_id', 'step', 'phase', 'prev_sha256', 'sha256']);
	});

	it('takes object details', () => {
		const record = createRecord(undefined, {at: 'x', run_id: RUN, step: 's', phase: 'after', detail: {exit_code: 0, tail: 'ok'}});
		expect(verifyChain([serializeRecord(record)]).ok).toBe(true);
	});
});

describe('verifyChain', () => {
	it('an intact chain', () => {
		const records = chain(14);
		expect(verifyChain(lines(records))).toEqual({ok: true, records: 14, headSha256: records[13]!.sha256, hashes: records.map(r => r.sha256), runId: RUN, tornTail: false});
		expect(verifyChain([])).toMatchObject({ok: true, records: 0, headSha256: null});
	});

	it('an edited field: sha256 mismatch at that record', () => {
		const text = lines(chain(10));
		text[6] = text[6]!.replace('"phase":"before"', '"phase":"after"');
		expect(verifyChain(text)).toMatchObject({ok: false, records: 6, firstBad: {line: 7, record: 7, reason: 'sha256 mismatch'}});
	});

	it('an edited record with its own hash recomputed: the next record names it', () => {
		const records = chain(5);
		const forged = {...records[2]!, step: 'forged'};
		forged.sha256 = recordSha256(forged);
		const text = lines(records);
		text[2] = serializeRecord(forged);
		expect(verifyChain(text).firstBad).toEqual({line: 4, record: 4, reason: 'prev_sha256 does not match the previous record'});
	});

	it('a removed record, an inserted one, reordered ones', () => {
		const text = lines(chain(6));
		expect(verifyChain([...text.slice(0, 2), ...text.slice(3)]).firstBad).toMatchObject({line: 3, reason: 'seq is 4, expected 3'});
		expect(verifyChain([text[1]!, text[0]!]).firstBad).toMatchObject({line: 1, reason: 'seq is 2, expected 1'});
		expect(verifyChain([text[0]!, text[0]!]).firstBad).toMatchObject({line: 2, reason: 'seq is 1, expected 2'});
	});

	it('bad lines: not JSON, empty, wrong shape, other run', () => {
		const text = lines(chain(3));
		expect(verifyChain([text[0]!, '{oops']).firstBad).toEqual({line: 2, record: 2, reason: 'not valid JSON'});
		expect(verifyChain([text[0]!, '', text[1]!]).firstBad).toMatchObject({line: 2, reason: 'empty line'});
		expect(verifyChain(['[1]']).firstBad?.reason).toBe('not a JSON object');
		expect(verifyChain([text[0]!.replace('"phase":"before"', '"phase":"during"')]).firstBad?.reason).toBe('phase is not "before" or "after"');
		expect(verifyChain([text[0]!.replace(/"sha256":"[0-9a-f]+"/, '"sha256":"x"')]).firstBad?.reason).toBe('sha256 missing or not 64 hex digits');
		expect(verifyChain(text, {runId: 'rb-20990101T000000Z-000000'}).firstBad?.reason).toBe('run_id is "rb-20260101T000000Z-abcdef", expected "rb-20990101T000000Z-000000"');
	});

	it('a torn last line is told apart when the text lacks its final line break', () => {
		const text = lines(chain(3));
		const torn = [...text.slice(0, 2), text[2]!.slice(0, 40)];
		expect(verifyChain(torn, {complete: false})).toMatchObject({ok: false, records: 2, tornTail: true});
		expect(verifyChain(torn, {complete: true}).tornTail).toBe(false);
	});

	it('journalLines drops only the final line break', () => {
		expect(journalLines('')).toEqual([]);
		expect(journalLines('a\nb\n')).toEqual(['a', 'b']);
		expect(journalLines('a\nb')).toEqual(['a', 'b']);
		expect(journalLines('a\n\n')).toEqual(['a', '']);
	});

	it('any single-character change anywhere in the journal is detected', () => {
		const text = lines(chain(6)).join('\n');
		fc.assert(
			fc.property(fc.integer({min: 0, max: text.length - 1}), fc.constantFrom('0', '1', 'a', 'f', 'x', ' ', '"'), (position, char) => {
				fc.pre(text[position] !== char);
				const changed = text.slice(0, position) + char + text.slice(position + 1);
				const result = verifyChain(journalLines(changed));
				// Whitespace between JSON tokens does not change a record's content.
				if (result.ok) expect(JSON.parse(`[${journalLines(changed).join(',')}]`)).toEqual(JSON.parse(`[${journalLines(text).join(',')}]`));
			}),
			{numRuns: 500},
		);
	});
});
