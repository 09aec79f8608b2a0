import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {InputError, UsageError} from '../../source/core/errors.js';
import {EVIDENCE_SCHEMA_VERSION, isRunId} from '../../source/core/evidence/bundle.js';
import {sha256Hex} from '../../source/core/evidence/journal.js';
import {EvidenceRun, newRunId} from '../../source/io/evidence-store.js';
import {verifyEvidenceBundle} from '../../source/io/evidence-verify.js';
import {makeBundle, RUN_ID} from './support/evidence.js';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-evidence-'));
});

const runDir = () => path.join(dir, RUN_ID);
async function edit(relative: string, change: (text: string) => string): Promise<void> {
	const file = path.join(runDir(), relative);
	await writeFile(file, change(await readFile(file, 'utf8')));
}

describe('EvidenceRun', () => {
	it('creates <dir>/<run-id>/ with reports/, refuses an existing one', async () => {
		const run = await EvidenceRun.create(path.join(dir, 'nested', 'evidence'));
		expect(isRunId(run.runId)).toBe(true);
		expect(run.path).toBe(path.join(dir, 'nested', 'evidence', run.runId));
		expect(run.reportsPath).toBe(path.join(run.path, 'reports'));
		await expect(EvidenceRun.create(path.join(dir, 'nested', 'evidence'), {runId: run.runId})).rejects.toThrow(UsageError);
		await expect(EvidenceRun.create(dir, {runId: '../escape'})).rejects.toThrow('is not a run id');
		expect(isRunId(newRunId(new Date('2026-02-03T04:05:06Z')))).toBe(true);
		expect(newRunId(new Date('2026-02-03T04:05:06Z'))).toMatch(/^rb-20260203T040506Z-[0-9a-f]{6}$/);
	});

	it('opens an existing run for --resume; a missing one is named', async () => {
		const run = await EvidenceRun.create(dir, {runId: RUN_ID});
		expect((await EvidenceRun.open(dir, RUN_ID)).path).toBe(run.path);
		await expect(EvidenceRun.open(dir, 'rb-20260101T120000Z-ffffff')).rejects.toThrow(`no evidence folder for run rb-20260101T120000Z-ffffff in ${dir}`);
	});

	it('writes files inside the run folder only, and hashes them', async () => {
		const run = await EvidenceRun.create(dir, {runId: RUN_ID});
		const written = await run.writeReport('after.json', '{}\n');
		expect(written).toEqual({relative: 'reports/after.json', path: path.join(run.path, 'reports', 'after.json'), sha256: sha256Hex('{}\n')});
		expect(await run.fileInfo('reports/after.json')).toEqual(written);
		expect(await run.fileInfo('reports/none.json')).toBeUndefined();
		await expect(run.writeFile('../outside', 'x')).rejects.toThrow(UsageError);
		await expect(run.writeFile('evidence.json', 'x')).rejects.toThrow(UsageError);
		await expect(run.writeFile('journal.ndjson', 'x')).rejects.toThrow(UsageError);
	});

	it('redacts what it keeps: JSON files value by value (still valid JSON), text as text, the journal and evidence.json, with the values it was given', async () => {
		const token = 'opaque-token-7Qk2x9';
		const run = await EvidenceRun.create(dir, {runId: RUN_ID, secretValues: [token]});
		const answer = {status: 'ready', echo: {headers: {authorization: `Bearer ${token}`}}, note: `got ${token}`, quote: 'a "quoted" value'};
		const written = await run.writeReport('before.json', `${JSON.stringify(answer, null, 2)}\n`);
		const text = await readFile(written.path, 'utf8');
		expect(written.sha256).toBe(sha256Hex(text));
		expect(JSON.parse(text)).toEqual({status: 'ready', echo: {headers: {authorization: 'Bearer <redacted>'}}, note: 'got <redacted>', quote: 'a "quoted" value'});
		await run.writeFile('notes.txt', `curl -u ops:${token}\n`);
		const journal = await run.openJournal();
		await journal.append({step: 'verify', phase: 'after', status: `seen ${token}`, detail: {message: `answer had ${token}`}});
		await journal.close();
		await run.writeEvidence({notes: [`token ${token}`], journal: {head_sha256: journal.headSha256, records: journal.records}});
		for (const name of ['reports/before.json', 'notes.txt', 'journal.ndjson', 'evidence.json']) {
			expect(await readFile(path.join(run.path, name), 'utf8'), name).not.toContain(token.slice(0, 8));
		}
		expect((await verifyEvidenceBundle(run.path)).ok).toBe(true);
	});

	it('seals evidence.json: schema version, run id, journal head, every file hash', async () => {
		const run = await makeBundle(dir);
		const sealed = JSON.parse(await readFile(run.evidencePath, 'utf8'));
		expect(sealed.schema_version).toBe(EVIDENCE_SCHEMA_VERSION);
		expect(sealed.run_id).toBe(RUN_ID);
		expect(sealed.journal).toMatchObject({path: 'journal.ndjson', records: 13});
		expect(Object.keys(sealed.files)).toEqual([
			'notes.txt',
			'reports/after/production-readiness.json',
			'reports/after/rollback-readiness.json',
			'reports/before/production-readiness.json',
			'reports/before/rollback-readiness.json',
		]);
		expect(sealed.files['notes.txt']).toBe(sha256Hex('restarted api and worker\n'));
	});

	it('seals any document the caller built, keeping its fields', async () => {
		const run = await EvidenceRun.create(dir, {runId: RUN_ID});
		const {bundle} = await run.writeEvidence({kind: 'dry-run', steps: [{id: 'preflight'}], journal: {head_sha256: null, records: 0}});
		expect(bundle).toMatchObject({schema_version: EVIDENCE_SCHEMA_VERSION, run_id: RUN_ID, kind: 'dry-run', steps: [{id: 'preflight'}], journal: {path: 'journal.ndjson', records: 0}, files: {}});
		expect((await verifyEvidenceBundle(run.path)).ok).toBe(true);
	});
});

describe('verifyEvidenceBundle', () => {
	it('an intact bundle, from the folder or its evidence.json', async () => {
		await makeBundle(dir);
		const result = await verifyEvidenceBundle(runDir());
		expect(result).toMatchObject({ok: true, intact: true, runId: RUN_ID, records: 14, sealedRecords: 13, files: 5, problems: [], unlisted: [], signature: {status: 'unsigned'}});
		expect(result.headSha256).toMatch(/^[0-9a-f]{64}$/);
		expect((await verifyEvidenceBundle(path.join(runDir(), 'evidence.json'))).ok).toBe(true);
	});

	it("only the evidence step's closing record may follow the seal (or none, after a crash)", async () => {
		await makeBundle(dir, {closing: false});
		expect(await verifyEvidenceBundle(runDir())).toMatchObject({ok: true, records: 13, sealedRecords: 13});
		await rm(runDir(), {recursive: true});
		await makeBundle(dir, {trailing: 1});
		const result = await verifyEvidenceBundle(runDir());
		expect(result).toMatchObject({ok: false, intact: false, records: 15, sealedRecords: 13});
		expect(result.firstBad).toEqual({kind: 'journal', file: 'journal.ndjson', line: 15, record: 15, reason: "written after evidence.json was sealed and not the evidence step's closing record (closing after)"});
	});

	it('an edited journal record is named by record and line', async () => {
		await makeBundle(dir);
		await edit('journal.ndjson', text => {
			const lines = text.split('\n');
			lines[6] = lines[6]!.replace('"step":"restart:worker"', '"step":"restart:other"');
			return lines.join('\n');
		});
		expect((await verifyEvidenceBundle(runDir())).firstBad).toEqual({kind: 'journal', file: 'journal.ndjson', line: 7, record: 7, reason: 'sha256 mismatch'});
	});

	it('journal records removed from the end are caught by the seal', async () => {
		await makeBundle(dir);
		await edit('journal.ndjson', text => `${text.split('\n').slice(0, 12).join('\n')}\n`);
		expect((await verifyEvidenceBundle(runDir())).firstBad).toMatchObject({kind: 'journal', record: 13, reason: 'has 12 records; evidence.json sealed 13 (records were removed)'});
	});

	it('a journal rewritten whole (a valid new chain) no longer matches the sealed head', async () => {
		await makeBundle(dir);
		const sealed = JSON.parse(await readFile(path.join(runDir(), 'evidence.json'), 'utf8'));
		await rm(path.join(runDir(), 'journal.ndjson'));
		const run = await EvidenceRun.open(dir, RUN_ID);
		const journal = await run.openJournal();
		for (let index = 0; index < 13; index++) await journal.append({step: 'forged', phase: 'before'});
		await journal.close();
		expect(sealed.journal.records).toBe(13);
		expect((await verifyEvidenceBundle(runDir())).firstBad).toEqual({kind: 'evidence', file: 'evidence.json', record: 13, reason: 'journal.head_sha256 does not match journal record 13'});
	});

	it('a changed, missing or escaping file is named', async () => {
		await makeBundle(dir);
		await edit('reports/after/rollback-readiness.json', text => text.replace('disabled', 'promoted'));
		expect((await verifyEvidenceBundle(runDir())).firstBad).toEqual({kind: 'file', file: 'reports/after/rollback-readiness.json', reason: 'sha256 mismatch'});
		await rm(path.join(runDir(), 'notes.txt'));
		const result = await verifyEvidenceBundle(runDir());
		expect(result.problems.map(problem => `${problem.file}: ${problem.reason}`)).toEqual(['notes.txt: missing', 'reports/after/rollback-readiness.json: sha256 mismatch']);
		await edit('evidence.json', text => text.replace('"notes.txt"', '"../../etc/passwd"'));
		expect((await verifyEvidenceBundle(runDir())).firstBad).toMatchObject({kind: 'evidence', file: 'evidence.json', reason: expect.stringContaining('expected a relative path inside the bundle')});
	});

	it('an edited evidence.json head, or broken JSON, is tampering', async () => {
		await makeBundle(dir);
		await edit('evidence.json', text => text.replace(/"head_sha256": "[0-9a-f]{64}"/, `"head_sha256": "${'0'.repeat(64)}"`));
		expect((await verifyEvidenceBundle(runDir())).firstBad?.reason).toBe('journal.head_sha256 does not match journal record 13');
		await edit('evidence.json', text => text.slice(0, -10));
		expect((await verifyEvidenceBundle(runDir())).firstBad).toEqual({kind: 'evidence', file: 'evidence.json', reason: 'not valid JSON'});
	});

	it('files added to the folder after sealing are listed as unlisted, not as tampering', async () => {
		await makeBundle(dir);
		await writeFile(path.join(runDir(), 'reports', 'extra.json'), '{}');
		expect(await verifyEvidenceBundle(runDir())).toMatchObject({ok: true, unlisted: ['reports/extra.json']});
	});

	it('unreadable input is an InputError naming the path', async () => {
		await expect(verifyEvidenceBundle(path.join(dir, 'nope'))).rejects.toThrow(InputError);
		await expect(verifyEvidenceBundle(path.join(dir, 'nope'))).rejects.toThrow('no such file or folder');
		await mkdir(path.join(dir, 'empty'));
		await expect(verifyEvidenceBundle(path.join(dir, 'empty'))).rejects.toThrow('no evidence.json in this folder');
		await writeFile(path.join(dir, 'plan.json'), '{}');
		await expect(verifyEvidenceBundle(path.join(dir, 'plan.json'))).rejects.toThrow('not an evidence bundle');
		await mkdir(path.join(dir, 'other'));
		await writeFile(path.join(dir, 'other', 'evidence.json'), '{"schema_version": "something.else.v1"}');
		await expect(verifyEvidenceBundle(path.join(dir, 'other'))).rejects.toThrow('not a cavra-rollback evidence bundle (schema_version "something.else.v1"');
	});
});
