import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {checkMetadata, rollbackReadinessReport, toPlainJson, type MetadataRead} from '../../../source/core/readiness/index.js';
import {readMetadataFile, readReadinessFiles} from '../../../source/io/readiness-files.js';

const bytes = (text: string | number[]) => ({kind: 'bytes', bytes: typeof text === 'string' ? new TextEncoder().encode(text) : new Uint8Array(text)}) as const;
const message = (read: MetadataRead) => {
	const check = checkMetadata(read);
	return check.valid ? 'valid' : check.message;
};

describe('reading a metadata file the way CAVRA does (contract §3)', () => {
	it('not configured, missing, not an object, valid', () => {
		expect(message({kind: 'unconfigured'})).toBe('metadata path is not configured');
		expect(message({kind: 'missing'})).toBe('metadata file is missing');
		expect(message(bytes('[]'))).toBe('metadata JSON must be an object');
		expect(message(bytes('{}'))).toBe('valid');
	});

	it('counts positions after universal-newline translation, as Path.read_text does', () => {
		expect(message(bytes('{\r\n"a": x}'))).toBe('metadata JSON is invalid: Expecting value: line 2 column 6 (char 7)');
		expect(message(bytes('{\r"a": x}'))).toBe('metadata JSON is invalid: Expecting value: line 2 column 6 (char 7)');
	});

	it('reports invalid UTF-8 (where CAVRA crashes) with the first bad byte', () => {
		expect(message(bytes([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toBe('metadata file is not valid UTF-8 (byte 0xff at position 2)');
		expect(message(bytes([0x7b, 0xc0, 0xaf, 0x7d]))).toBe('metadata file is not valid UTF-8 (byte 0xc0 at position 1)'); // overlong
		expect(message(bytes([0x7b, 0xed, 0xa0, 0x80, 0x7d]))).toBe('metadata file is not valid UTF-8 (byte 0xed at position 1)'); // surrogate
		expect(message(bytes([0x7b, 0x7d, 0xe2, 0x82]))).toBe('metadata file is not valid UTF-8 (byte 0xe2 at position 2)'); // truncated
	});

	it('reports a file that cannot be read (where CAVRA crashes)', () => {
		expect(message({kind: 'unreadable', reason: 'permission denied'})).toBe('metadata file cannot be read: permission denied');
		const report = rollbackReadinessReport(
			{mode: 'promoted', rollbackPlanPath: '/srv/plan.json', rollbackRehearsalPath: '', rollbackDrillHistoryPath: '', rollbackDrillMaxAgeDays: 90, rollbackDrillSchedulePath: '', rollbackDrillDueSoonDays: 14, now: new Date(0)},
			{plan: {kind: 'unreadable', reason: 'permission denied'}, rehearsal: {kind: 'unconfigured'}, drillHistory: {kind: 'unconfigured'}, drillSchedule: {kind: 'unconfigured'}},
		);
		expect(toPlainJson(report)).toMatchObject({status: 'needs_attention', rollback: {message: 'metadata file cannot be read: permission denied', approval_message: 'rollback plan is missing or invalid'}});
	});
});

describe('readReadinessFiles', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-readiness-files-'));
		writeFileSync(path.join(dir, 'plan.json'), '{"a": 1}');
		mkdirSync(path.join(dir, 'folder'));
		symlinkSync(path.join(dir, 'plan.json'), path.join(dir, 'link.json'));
		symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 'broken.json'));
		symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
		symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
		execFileSync('mkfifo', [path.join(dir, 'fifo')]);
	});
	afterAll(() => rmSync(dir, {recursive: true, force: true}));

	it('an empty path is not configured; a whitespace path is a (missing) file', async () => {
		expect(await readMetadataFile('')).toEqual({kind: 'unconfigured'});
		expect(await readMetadataFile(' ')).toEqual({kind: 'missing'});
	});

	it('a regular file (or a symlink to one) is read; anything else counts as missing, as pathlib sees it', async () => {
		const read = await readMetadataFile(path.join(dir, 'plan.json'));
		expect(read.kind === 'bytes' && Buffer.from(read.bytes).toString()).toBe('{"a": 1}');
		expect((await readMetadataFile(path.join(dir, 'link.json'))).kind).toBe('bytes');
		for (const name of ['nope.json', 'folder', 'broken.json', 'loop-a', 'fifo', 'plan.json/inside']) {
			expect(await readMetadataFile(path.join(dir, name)), name).toEqual({kind: 'missing'});
		}
	});

	it('a path the system refuses to look at is unreadable, with the reason (CAVRA crashes there)', async () => {
		expect(await readMetadataFile(path.join(dir, 'x'.repeat(300)))).toEqual({kind: 'unreadable', reason: 'ENAMETOOLONG'});
	});

	it('reads the four files of the settings', async () => {
		const files = await readReadinessFiles({rollbackPlanPath: path.join(dir, 'plan.json'), rollbackRehearsalPath: '', rollbackDrillHistoryPath: path.join(dir, 'folder'), rollbackDrillSchedulePath: ' '});
		expect(Object.fromEntries(Object.entries(files).map(([key, read]) => [key, read.kind]))).toEqual({plan: 'bytes', rehearsal: 'unconfigured', drillHistory: 'missing', drillSchedule: 'missing'});
	});
});
