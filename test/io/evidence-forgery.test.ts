/**
 * Forgeries `evidence verify` must catch without a signature: evidence.json rewritten alone, files
 * removed with their entries, the journal cut, reordered or extended. Each starts from a bundle
 * shaped like the runner's (test/io/support/evidence.ts) that verifies clean.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {recordSha256} from '../../source/core/evidence/journal.js';
import {verifyEvidenceBundle} from '../../source/io/evidence-verify.js';
import {makeBundle, RUN_ID} from './support/evidence.js';

let dir: string;
beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-forgery-'));
});

const runDir = () => path.join(dir, RUN_ID);
const evidencePath = () => path.join(runDir(), 'evidence.json');

async function rewriteEvidence(change: (document: Record<string, any>) => void): Promise<void> {
	const document = JSON.parse(await readFile(evidencePath(), 'utf8')) as Record<string, any>;
	change(document);
	await writeFile(evidencePath(), `${JSON.stringify(document, null, 2)}\n`);
}

async function rewriteJournal(change: (lines: string[]) => string[]): Promise<void> {
	const file = path.join(runDir(), 'journal.ndjson');
	const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
	await writeFile(file, `${change(lines).join('\n')}\n`);
}

async function reasons(): Promise<string[]> {
	const result = await verifyEvidenceBundle(runDir());
	expect(result.ok).toBe(false);
	expect(result.intact).toBe(false);
	return result.problems.map(problem => `${problem.file}: ${problem.reason}`);
}

describe('a fresh bundle', () => {
	it('verifies with no problem, no note and no unlisted file', async () => {
		await makeBundle(dir);
		const result = await verifyEvidenceBundle(runDir());
		expect(result).toMatchObject({ok: true, intact: true, problems: [], unlisted: [], records: 14, sealedRecords: 13});
		await rm(runDir(), {recursive: true});
		await makeBundle(dir, {partial: true});
		expect(await verifyEvidenceBundle(runDir())).toMatchObject({ok: true, problems: []});
	});
});

describe('evidence.json rewritten alone', () => {
	it('a partial run rewritten as recovered (result, exit code, outcome, within_target made consistent)', async () => {
		await makeBundle(dir, {partial: true});
		await rewriteEvidence(document => {
			document['result'] = 'recovered';
			document['exit_code'] = 0;
			document['within_target'] = true;
			document['services'][1].outcome = 'restarted-unverified';
		});
		expect(await reasons()).toEqual([
			'journal.ndjson: the closing record says result "partial", evidence.json "recovered"',
			'journal.ndjson: the closing record says exit_code 3, evidence.json 0',
			'evidence.json: result is "recovered"; the journal sealed "partial"',
			'evidence.json: exit_code is 0; the journal sealed 3',
			'evidence.json: within_target is true; the journal sealed false',
			'evidence.json: services["worker"].outcome is "restarted-unverified"; the journal sealed "restart-failed"',
			`evidence.json: services["worker"].outcome is "restarted-unverified"; the journal's restart and verify records say "restart-failed"`,
		]);
	});

	it('only the result', async () => {
		await makeBundle(dir, {partial: true});
		await rewriteEvidence(document => (document['result'] = 'recovered'));
		expect(await reasons()).toContain('evidence.json: result is "recovered" but "worker" is "restart-failed"');
	});

	it('only the exit code', async () => {
		await makeBundle(dir);
		await rewriteEvidence(document => (document['exit_code'] = 1));
		expect(await reasons()).toEqual([
			'journal.ndjson: the closing record says exit_code 0, evidence.json 1',
			'evidence.json: exit_code is 1; the journal sealed 0',
			'evidence.json: exit_code 1 does not go with result "recovered"',
		]);
	});

	it("one service's outcome", async () => {
		await makeBundle(dir);
		await rewriteEvidence(document => (document['services'][0].outcome = 'not-verified'));
		const found = await reasons();
		expect(found).toContain('evidence.json: services["api"].outcome is "not-verified"; the journal sealed "recovered"');
		expect(found).toContain(`evidence.json: services["api"].outcome is "not-verified"; the journal's restart and verify records say "recovered"`);
	});

	it('a failed service removed from the list', async () => {
		await makeBundle(dir, {partial: true});
		await rewriteEvidence(document => document['services'].pop());
		const found = await reasons();
		expect(found).toContain('evidence.json: service "worker" was sealed in the journal ("restart-failed") but is missing from evidence.json');
		expect(found).toContain('evidence.json: service "worker" is in the journal but not in evidence.json\'s services');
	});

	it('within_target', async () => {
		await makeBundle(dir);
		await rewriteEvidence(document => (document['within_target'] = false));
		expect(await reasons()).toEqual([
			'evidence.json: within_target is false; the journal sealed true',
			'evidence.json: within_target is false but result "recovered", recovery_seconds 9 and max_recovery_minutes 15 make it true',
		]);
	});

	it('recovery time stretched past the budget', async () => {
		await makeBundle(dir);
		await rewriteEvidence(document => (document['recovery_seconds'] = 3600));
		const found = await reasons();
		expect(found).toContain('evidence.json: recovery_seconds is 3600; the journal sealed 9');
		expect(found).toContain('evidence.json: within_target is true but result "recovered", recovery_seconds 3600 and max_recovery_minutes 15 make it false');
	});
});

describe('files', () => {
	it("a file's bytes changed", async () => {
		await makeBundle(dir);
		await writeFile(path.join(runDir(), 'reports', 'after', 'rollback-readiness.json'), '{"status": "ready", "mode": "promoted"}\n');
		expect(await reasons()).toEqual(['reports/after/rollback-readiness.json: sha256 mismatch']);
	});

	it('a report deleted with its entry removed from files', async () => {
		await makeBundle(dir);
		await rm(path.join(runDir(), 'reports', 'after', 'rollback-readiness.json'));
		await rewriteEvidence(document => delete document['files']['reports/after/rollback-readiness.json']);
		expect(await reasons()).toEqual(['evidence.json: reports.after names "after/rollback-readiness.json" but files has no "reports/after/rollback-readiness.json" (the report is missing)']);
	});

	it('a report deleted, its entry removed and reports.after cleared', async () => {
		await makeBundle(dir);
		await rm(path.join(runDir(), 'reports', 'after', 'rollback-readiness.json'));
		await rewriteEvidence(document => {
			delete document['files']['reports/after/rollback-readiness.json'];
			document['reports'].after = null;
		});
		expect(await reasons()).toEqual(['evidence.json: reports.after is null; the journal sealed "after/rollback-readiness.json"']);
	});

	it('a listed file deleted', async () => {
		await makeBundle(dir);
		await rm(path.join(runDir(), 'notes.txt'));
		expect(await reasons()).toEqual(['notes.txt: missing']);
	});
});

describe('the journal', () => {
	it('truncated before the seal', async () => {
		await makeBundle(dir);
		await rewriteJournal(lines => lines.slice(0, 10));
		expect(await reasons()).toEqual(['journal.ndjson: has 10 records; evidence.json sealed 13 (records were removed)']);
	});

	it('its closing record removed (a crash right after sealing looks the same, so that is allowed)', async () => {
		await makeBundle(dir);
		await rewriteJournal(lines => lines.slice(0, 13));
		expect(await verifyEvidenceBundle(runDir())).toMatchObject({ok: true});
	});

	it('two records swapped', async () => {
		await makeBundle(dir);
		await rewriteJournal(lines => [...lines.slice(0, 4), lines[5]!, lines[4]!, ...lines.slice(6)]);
		expect(await reasons()).toEqual(['journal.ndjson: seq is 6, expected 5']);
	});

	it('an extra record after the closing one', async () => {
		await makeBundle(dir, {trailing: 1});
		expect(await reasons()).toEqual(["journal.ndjson: written after evidence.json was sealed and not the evidence step's closing record (closing after)"]);
	});

	it('a record replayed in the middle', async () => {
		await makeBundle(dir);
		await rewriteJournal(lines => [...lines.slice(0, 7), lines[6]!, ...lines.slice(7)]);
		expect((await reasons())[0]).toBe('journal.ndjson: seq is 7, expected 8');
	});

	it('the seal moved back to an earlier record (evidence.json edited to seal less)', async () => {
		await makeBundle(dir, {partial: true});
		const lines = (await readFile(path.join(runDir(), 'journal.ndjson'), 'utf8')).trimEnd().split('\n');
		const record8 = JSON.parse(lines[7]!) as {sha256: string};
		await rewriteEvidence(document => (document['journal'] = {...document['journal'], records: 8, head_sha256: record8.sha256}));
		const found = await reasons();
		expect(found[0]).toBe("journal.ndjson: written after evidence.json was sealed and not the evidence step's closing record (verify before)");
	});

	it('the closing record rewritten to match a forged evidence.json (it follows the seal, so its own hash chains)', async () => {
		await makeBundle(dir, {partial: true});
		await rewriteEvidence(document => (document['result'] = 'recovered'));
		await rewriteJournal(lines => {
			const closing = JSON.parse(lines.at(-1)!) as Record<string, any>;
			closing['detail'].result = 'recovered';
			closing['sha256'] = recordSha256(closing);
			return [...lines.slice(0, -1), JSON.stringify(closing)];
		});
		const found = await reasons();
		expect(found).toContain('evidence.json: result is "recovered"; the journal sealed "partial"');
		expect(found.some(reason => reason.startsWith('journal.ndjson'))).toBe(false);
	});
});
