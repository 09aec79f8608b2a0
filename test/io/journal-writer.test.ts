import {mkdtemp, readFile, truncate, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {InputError} from '../../source/core/errors.js';
import {journalLines, verifyChain} from '../../source/core/evidence/journal.js';
import {JournalWriter, readJournal} from '../../source/io/journal-writer.js';

const RUN = 'rb-20260101T000000Z-abcdef';
let file: string;
let tick = 0;
const clock = () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++));

beforeEach(async () => {
	file = path.join(await mkdtemp(path.join(tmpdir(), 'cavra-journal-')), 'journal.ndjson');
});

async function chainOf(target: string) {
	const text = await readFile(target, 'utf8');
	return verifyChain(journalLines(text), {complete: text.endsWith('\n')});
}

describe('JournalWriter', () => {
	it('appends one verified line per record', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		const first = await writer.append({step: 'preflight', phase: 'before'});
		const second = await writer.append({step: 'preflight', phase: 'after', status: 'done', detail: 'config ok'});
		await writer.close();
		expect([first.seq, second.seq]).toEqual([1, 2]);
		expect(writer.records).toBe(2);
		expect(writer.headSha256).toBe(second.sha256);
		const text = await readFile(file, 'utf8');
		expect(text.split('\n')).toHaveLength(3);
		expect(await chainOf(file)).toMatchObject({ok: true, records: 2, headSha256: second.sha256});
	});

	it('concurrent appends (parallel restarts) are serialised into one chain', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await Promise.all(Array.from({length: 30}, (_, index) => writer.append({step: `restart:svc-${index}`, phase: 'before'})));
		await writer.close();
		expect(await chainOf(file)).toMatchObject({ok: true, records: 30});
	});

	it('continues an existing journal from its head', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await writer.append({step: 'a', phase: 'before'});
		await writer.close();
		const again = await JournalWriter.open(file, {runId: RUN, clock});
		expect(again.records).toBe(1);
		const record = await again.append({step: 'a', phase: 'after', status: 'done'});
		await again.close();
		expect(record.seq).toBe(2);
		expect(await chainOf(file)).toMatchObject({ok: true, records: 2});
		expect((await readJournal(file)).records.map(entry => [entry.seq, entry.step, entry.phase])).toEqual([
			[1, 'a', 'before'],
			[2, 'a', 'after'],
		]);
	});

	it('cuts a torn last line (crash mid-append) and says so', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await writer.append({step: 'a', phase: 'before'});
		await writer.append({step: 'a', phase: 'after'});
		await writer.close();
		const size = (await readFile(file)).byteLength;
		await truncate(file, size - 30);
		expect((await readJournal(file)).tornTail).toBe(true);
		const resumed = await JournalWriter.open(file, {runId: RUN, clock});
		expect(resumed.repairedTornTail).toBe(true);
		expect(resumed.records).toBe(1);
		await resumed.append({step: 'resume', phase: 'before'});
		await resumed.close();
		expect(await chainOf(file)).toMatchObject({ok: true, records: 2});
	});

	it('ends a last record that lost only its line break before appending', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await writer.append({step: 'a', phase: 'before'});
		await writer.close();
		const text = await readFile(file, 'utf8');
		await writeFile(file, text.slice(0, -1));
		const resumed = await JournalWriter.open(file, {runId: RUN, clock});
		expect(resumed.repairedTornTail).toBe(false);
		await resumed.append({step: 'a', phase: 'after'});
		await resumed.close();
		expect(await chainOf(file)).toMatchObject({ok: true, records: 2});
	});

	it('refuses to continue a tampered journal, or another run\'s', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await writer.append({step: 'a', phase: 'before'});
		await writer.append({step: 'a', phase: 'after'});
		await writer.close();
		await expect(JournalWriter.open(file, {runId: 'rb-20260101T000000Z-000000'})).rejects.toThrow(InputError);
		const text = await readFile(file, 'utf8');
		await writeFile(file, text.replace('"step":"a"', '"step":"b"'));
		await expect(JournalWriter.open(file, {runId: RUN})).rejects.toThrow(`${file}: the journal is damaged at line 1 (sha256 mismatch); it cannot be continued`);
		await expect(readJournal(file)).rejects.toThrow('damaged at line 1');
	});

	it('redacts details (strings and objects) before they reach the journal', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock});
		await writer.append({step: 'restart:api', phase: 'after', status: 'failed', detail: 'curl: Authorization: Bearer abcdefghijklmnop'});
		await writer.append({step: 'restart:api', phase: 'after', detail: {stderr_tail: 'password=hunter22', exit_code: 1}});
		await writer.close();
		const text = await readFile(file, 'utf8');
		expect(text).not.toContain('abcdefghijklmnop');
		expect(text).not.toContain('hunter22');
		expect(text).toContain('"exit_code":1');
		expect(await chainOf(file)).toMatchObject({ok: true});
	});

	it('hides the values it was given (the API token, whatever its variable is called)', async () => {
		const writer = await JournalWriter.open(file, {runId: RUN, clock, secretValues: ['opaque-value-31337']});
		await writer.append({step: 'verify', phase: 'after', status: 'answer echoed opaque-value-31337', detail: {message: 'x opaque-value-31337 y', nested: ['opaque-value-31337']}});
		await writer.close();
		const text = await readFile(file, 'utf8');
		expect(text).not.toContain('opaque-value');
		expect(text).toContain('x <redacted> y');
		expect(await chainOf(file)).toMatchObject({ok: true});
	});

	it('a missing journal reads as empty', async () => {
		expect(await readJournal(file)).toEqual({records: [], tornTail: false});
	});
});
