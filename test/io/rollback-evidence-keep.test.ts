import {mkdtemp, readdir, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {verifyChain, journalLines} from '../../source/core/evidence/journal.js';
import {LOCK_FILE} from '../../source/io/evidence-lock.js';
import {createEvidenceEffects} from '../../source/io/rollback/evidence-effects.js';

const RUN = 'rb-20261205T010000Z-abc123';
let dir: string;
let now: number;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-keep-'));
	now = Date.parse('2026-12-05T01:00:00.000Z');
});

const effects = () => createEvidenceEffects(dir, () => now, ['tok-secret-value']);

describe('a new run is held in memory until the operator confirms (keep)', () => {
	it('before keep() only the lock is on disk; the run folder, journal and reports are not', async () => {
		const run = await effects().open(RUN, {resume: false});
		expect(await run.journal({step: 'preflight', phase: 'before'})).toBeNull();
		await run.writeReports('before', {captured_at: 'x', cavra_rollback_readiness: {status: 'ready'}});
		expect(await run.hasReports('before')).toBe('before.json');
		expect(await readdir(dir)).toEqual([LOCK_FILE]);
		expect(run.dir).toBe(path.join(dir, RUN));
	});

	it('keep() writes the held records at their own times, chained, then appends live ones; the held reports too', async () => {
		const run = await effects().open(RUN, {resume: false});
		await run.journal({step: 'preflight', phase: 'before', detail: {token: 'tok-secret-value'}});
		now += 1000;
		await run.journal({step: 'confirm', phase: 'before'});
		await run.writeReports('before', {cavra_rollback_readiness: {status: 'ready'}});
		// The operator answers 30 s later.
		now += 30_000;
		await run.keep();
		await run.keep();
		expect(await run.journal({step: 'confirm', phase: 'after', status: 'confirmed'})).toMatch(/^[0-9a-f]{64}$/);
		await run.close();
		const text = await readFile(path.join(dir, RUN, 'journal.ndjson'), 'utf8');
		expect(verifyChain(journalLines(text), {runId: RUN, complete: true}).ok).toBe(true);
		const records = journalLines(text).map(line => JSON.parse(line) as {step: string; at: string});
		expect(records.map(record => `${record.step} ${record.at}`)).toEqual(['preflight 2026-12-05T01:00:00.000Z', 'confirm 2026-12-05T01:00:01.000Z', 'confirm 2026-12-05T01:00:31.000Z']);
		expect(text).not.toContain('tok-secret-value');
		expect(JSON.parse(await readFile(path.join(dir, RUN, 'reports', 'before.json'), 'utf8'))).toEqual({cavra_rollback_readiness: {status: 'ready'}});
		expect((await readdir(dir)).sort()).toEqual([RUN]);
	});

	it('discard() before keep() leaves nothing at all (no folder, no lock), and the next run takes the lock at once', async () => {
		const run = await effects().open(RUN, {resume: false});
		await run.journal({step: 'preflight', phase: 'before'});
		await run.discard();
		expect(await readdir(dir)).toEqual([]);
		const next = await effects().open('rb-20261205T010100Z-def456', {resume: false});
		expect(next.notices).toEqual([]);
		await next.close();
		expect(await readdir(dir)).toEqual([]);
	});

	it('the lock is still taken before anything else: a second run is refused while the first waits at its question', async () => {
		const first = await effects().open(RUN, {resume: false});
		await expect(effects().open('rb-20261205T010100Z-def456', {resume: false})).rejects.toThrow(/another rollback is running in this evidence folder: run rb-20261205T010000Z-abc123/);
		await first.close();
	});

	it('keep() without a question (a failed preflight keeps its bundle): journalInfo then names the written head', async () => {
		const run = await effects().open(RUN, {resume: false});
		await run.journal({step: 'preflight', phase: 'before'});
		await run.keep();
		const info = run.journalInfo();
		expect(info.records).toBe(1);
		expect(info.headSha256).toMatch(/^[0-9a-f]{64}$/);
		await run.close();
		expect((await readdir(path.join(dir, RUN))).sort()).toEqual(['journal.ndjson', 'reports']);
	});
});
