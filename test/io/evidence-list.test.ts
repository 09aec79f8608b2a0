/**
 * `listEvidenceRuns`: the runs under the evidence folder, newest first, each read but never
 * trusted; and the store's file modes (0700 folders, 0600 files) under a wide-open umask.
 */
import {mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {InputError} from '../../source/core/errors.js';
import {EvidenceRun} from '../../source/io/evidence-store.js';
import {latestEvidenceRun, listEvidenceRuns} from '../../source/io/evidence-list.js';
import {makeBundle, RUN_ID} from './support/evidence.js';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-list-'));
});

describe('listEvidenceRuns', () => {
	it('a missing evidence folder has no runs; a file in its place is named', async () => {
		expect(await listEvidenceRuns(path.join(dir, 'none'))).toEqual([]);
		expect(await latestEvidenceRun(path.join(dir, 'none'))).toBeUndefined();
		await writeFile(path.join(dir, 'file'), 'x');
		await expect(listEvidenceRuns(path.join(dir, 'file'))).rejects.toThrow(InputError);
	});

	it('newest first, with kind, result, start, duration and signed; damaged and unsealed runs are rows', async () => {
		await makeBundle(dir);
		const older = path.join(dir, 'rb-20251231T235959Z-000001');
		await mkdir(older);
		await writeFile(path.join(older, 'evidence.json'), '{"schema_version": "cavra-rollback.evidence.v1", "kind": "rollback", "res');
		const newer = await EvidenceRun.create(dir, {runId: 'rb-20260102T080000Z-abcdef'});
		const journal = await newer.openJournal();
		await journal.append({step: 'preflight', phase: 'before', detail: {kind: 'rehearsal', started_at: '2026-01-02T08:00:00.000Z'}});
		await journal.close();
		const hostile = path.join(dir, 'rb-20260101T000000Z-bbbbbb');
		await mkdir(hostile);
		await writeFile(path.join(hostile, 'evidence.json'), JSON.stringify({schema_version: 'cavra-rollback.evidence.v1', kind: 'rollback\u001b[2J', result: 'recovered'}));
		await writeFile(path.join(dir, RUN_ID, 'evidence.json.sig'), '-----BEGIN SSH SIGNATURE-----\n');
		// Not runs: other names, and a symlink named like a run.
		await mkdir(path.join(dir, 'notes'));
		await symlink(path.join(dir, RUN_ID), path.join(dir, 'rb-20260103T000000Z-cccccc'));

		const runs = await listEvidenceRuns(dir);
		expect(runs.map(run => run.id)).toEqual(['rb-20260102T080000Z-abcdef', RUN_ID, 'rb-20260101T000000Z-bbbbbb', 'rb-20251231T235959Z-000001']);
		expect(runs[0]).toMatchObject({kind: 'rehearsal', result: 'incomplete', startedAt: '2026-01-02T08:00:00.000Z', durationSeconds: null, signed: false, reason: expect.stringContaining('interrupted')});
		expect(runs[1]).toEqual({id: RUN_ID, path: path.join(dir, RUN_ID), kind: 'rollback', result: 'recovered', startedAt: '2026-01-01T12:00:00.000Z', endedAt: '2026-01-01T12:00:14.000Z', durationSeconds: 14, signed: true});
		expect(runs[2]).toMatchObject({kind: null, result: 'unreadable', reason: 'evidence.json has no valid kind and result'});
		expect(runs[3]).toMatchObject({kind: null, result: 'unreadable', reason: 'evidence.json is not valid JSON'});
		expect((await latestEvidenceRun(dir))?.id).toBe('rb-20260102T080000Z-abcdef');
	});
});

describe('evidence file modes', () => {
	let previous: number;
	beforeAll(() => {
		previous = process.umask(0o000);
	});
	afterAll(() => {
		process.umask(previous);
	});

	it('new folders are 0700 and new files 0600 whatever the umask; an existing evidence folder keeps its mode', async () => {
		const root = path.join(dir, 'evidence');
		const run = await makeBundle(root);
		expect((await stat(root)).mode & 0o777).toBe(0o700);
		const modes: Record<string, number> = {};
		const walk = async (folder: string, prefix: string): Promise<void> => {
			for (const entry of await readdir(folder, {withFileTypes: true})) {
				const relative = `${prefix}${entry.name}`;
				modes[relative] = (await stat(path.join(folder, entry.name))).mode & 0o777;
				if (entry.isDirectory()) await walk(path.join(folder, entry.name), `${relative}/`);
			}
		};
		await walk(run.path, '');
		expect(Object.keys(modes)).toContain('journal.ndjson');
		expect(Object.keys(modes)).toContain('evidence.json');
		for (const [relative, mode] of Object.entries(modes)) {
			const folder = relative === 'reports' || relative === 'reports/before' || relative === 'reports/after';
			expect(mode.toString(8), relative).toBe(folder ? '700' : '600');
		}
		await rm(root, {recursive: true});
		await mkdir(root, {mode: 0o755});
		await EvidenceRun.create(root, {runId: RUN_ID});
		expect((await stat(root)).mode & 0o777).toBe(0o755);
		expect((await stat(path.join(root, RUN_ID))).mode & 0o777).toBe(0o700);
	});
});
