import {spawnSync} from 'node:child_process';
import {mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {acquireEvidenceLock, LOCK_FILE, processIsAlive, RunLockedError} from '../../source/io/evidence-lock.js';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-lock-'));
});

const at = (iso: string) => () => new Date(iso);
/** A pid that certainly ran and is certainly gone. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('the evidence folder lock', () => {
	it('a second run is refused at once, naming the run, pid and start time that hold it; after release it is free', async () => {
		const first = await acquireEvidenceLock(dir, {runId: 'rb-20260101T120000Z-aaaaaa', now: at('2026-01-01T12:00:00.000Z')});
		expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8'))).toEqual({pid: process.pid, run_id: 'rb-20260101T120000Z-aaaaaa', started_at: '2026-01-01T12:00:00.000Z', hostname: hostname()});
		const second = acquireEvidenceLock(dir, {runId: 'rb-20260101T120100Z-bbbbbb'});
		await expect(second).rejects.toBeInstanceOf(RunLockedError);
		await expect(second).rejects.toMatchObject({
			exitCode: 2,
			message: `another rollback is running in this evidence folder: run rb-20260101T120000Z-aaaaaa (pid ${process.pid}, started 2026-01-01T12:00:00.000Z); no run was started`,
		});
		await first.release();
		await first.release();
		const third = await acquireEvidenceLock(dir, {runId: 'rb-20260101T120200Z-cccccc'});
		expect(third.notice).toBeUndefined();
		await third.release();
		expect(await readdir(dir)).toEqual([]);
	});

	it('a lock whose process is gone is taken over, with a notice naming what it held', async () => {
		const pid = deadPid();
		expect(processIsAlive(pid)).toBe(false);
		await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({pid, run_id: 'rb-20260101T120000Z-dead00', started_at: '2026-01-01T12:00:00.000Z', hostname: hostname()}));
		const lock = await acquireEvidenceLock(dir, {runId: 'rb-20260101T130000Z-aaaaaa'});
		expect(lock.notice).toBe(`Took over a stale lock: run rb-20260101T120000Z-dead00 (pid ${pid}, started 2026-01-01T12:00:00.000Z) is no longer running.`);
		expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({pid: process.pid, run_id: 'rb-20260101T130000Z-aaaaaa'});
		await lock.release();
	});

	it('many runs racing for one stale lock: exactly one takes it, the others are refused naming it', async () => {
		await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({pid: 999_999_999, run_id: 'rb-dead', started_at: 'x', hostname: hostname()}));
		const racers = Array.from({length: 12}, (_, index) => acquireEvidenceLock(dir, {runId: `rb-racer-${index}`, pid: 500_000 + index, isAlive: pid => pid !== 999_999_999}));
		const results = await Promise.allSettled(racers);
		const winners = results.filter(result => result.status === 'fulfilled');
		expect(winners).toHaveLength(1);
		const lock = (winners[0] as PromiseFulfilledResult<Awaited<(typeof racers)[number]>>).value;
		const holder = JSON.parse(await readFile(lock.path, 'utf8')) as {run_id: string};
		for (const result of results) {
			if (result.status === 'rejected') expect(String((result.reason as Error).message)).toMatch(/^another rollback is running in this evidence folder: run rb-racer-\d+ \(pid 5000\d\d, started /);
		}
		expect(holder.run_id).toMatch(/^rb-racer-\d+$/);
		await lock.release();
		expect(await readdir(dir)).toEqual([]);
	});

	it('a lock from another host, or a file it did not write, is never taken over', async () => {
		await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({pid: 999_999_999, run_id: 'rb-elsewhere', started_at: 'x', hostname: 'other-host'}));
		await expect(acquireEvidenceLock(dir, {runId: 'rb-a'})).rejects.toThrow('run rb-elsewhere (pid 999999999, started x) on host other-host');
		await writeFile(path.join(dir, LOCK_FILE), 'garbage');
		await expect(acquireEvidenceLock(dir, {runId: 'rb-a'})).rejects.toThrow('is not a lock this tool wrote');
		expect(await readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe('garbage');
	});

	it('a hostile lock file cannot put terminal escapes into the refusal', async () => {
		await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({pid: process.pid, run_id: 'rb-\u001b]0;owned\u0007x', started_at: '\u202enow', hostname: hostname()}));
		const refusal = acquireEvidenceLock(dir, {runId: 'rb-a'});
		await expect(refusal).rejects.toThrow(String.raw`run rb-\x1b]0;owned\x07x`);
		await expect(refusal).rejects.not.toThrow('\u001b');
	});
});
