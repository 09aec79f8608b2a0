import {chmod, copyFile, mkdtemp, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {ExternalError, InputError} from '../../source/core/errors.js';
import {normaliseMode, previewModeChange, readEnvMode, setModeInEnvFile} from '../../source/io/env-files.js';

let folder: string;
beforeEach(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'cavra-env-'));
});

const fixture = async (name: string) => {
	const target = path.join(folder, name);
	await copyFile(new URL(`../fixtures/env-files/${name}`, import.meta.url), target);
	return target;
};

describe('normaliseMode', () => {
	it.each([
		['promoted', 'promoted'],
		['  Enforce\t', 'enforce'],
		['SHADOW', 'shadow'],
		['', 'disabled'],
		['on', 'disabled'],
		[undefined, 'disabled'],
	])('%j → %s', (raw, mode) => {
		expect(normaliseMode(raw)).toBe(mode);
	});
});

describe('readEnvMode', () => {
	it('reads the last assignment, normalised', async () => {
		expect(await readEnvMode(await fixture('twice.env'))).toMatchObject({exists: true, value: 'promoted', mode: 'promoted', assignments: 2});
		expect(await readEnvMode(await fixture('crlf.env'))).toMatchObject({value: 'shadow', mode: 'shadow', assignments: 1});
	});

	it('a file without the key, or no file, means disabled (CAVRA default)', async () => {
		const reading = await readEnvMode(await fixture('missing-key.env'));
		expect(reading).toMatchObject({exists: true, mode: 'disabled', assignments: 0});
		expect(reading).not.toHaveProperty('value');
		expect(await readEnvMode(path.join(folder, 'nope.env'))).toEqual({path: path.join(folder, 'nope.env'), exists: false, mode: 'disabled', assignments: 0});
	});

	it('a folder is an input error naming the path', async () => {
		await expect(readEnvMode(folder)).rejects.toThrow(InputError);
		await expect(readEnvMode(folder)).rejects.toThrow(`${folder} is not a regular file`);
	});
});

describe('setModeInEnvFile', () => {
	it('replaces the line, keeps the mode bits, keeps a backup, returns the diff', async () => {
		const file = await fixture('comments.env');
		await chmod(file, 0o640);
		const original = await readFile(file, 'utf8');
		const result = await setModeInEnvFile(file, 'disabled');
		expect(result).toMatchObject({action: 'replaced', before: original, modeBefore: 'promoted', modeAfter: 'disabled'});
		expect(await readFile(file, 'utf8')).toBe(original.replace('=promoted #', '=disabled #'));
		expect(result.after).toBe(await readFile(file, 'utf8'));
		expect((await stat(file)).mode & 0o7777).toBe(0o640);
		expect(result.backupPath).toMatch(/comments\.env\.cavra-rollback\.\d{8}T\d{9}Z\.bak$/);
		expect(await readFile(result.backupPath!, 'utf8')).toBe(original);
		expect(result.diff).toContain('-CAVRA_GO_BACKEND_MODE=promoted # since the 2026-01 pilot\n+CAVRA_GO_BACKEND_MODE=disabled # since the 2026-01 pilot\n');
		expect(result.diff.startsWith(`--- ${file}\n+++ ${file}\n@@ `)).toBe(true);
	});

	it.each(['export.env', 'quotes.env', 'crlf.env', 'no-trailing-newline.env', 'missing-key.env', 'twice.env'])('%s: reads back as disabled', async name => {
		const file = await fixture(name);
		const result = await setModeInEnvFile(file, 'disabled', {backup: false});
		expect((await readEnvMode(file)).value).toBe('disabled');
		expect(result.backupPath).toBeUndefined();
		expect(result.action).toBe(name === 'missing-key.env' ? 'added' : 'replaced');
		expect(await readdir(folder)).toEqual([name]);
	});

	it('already disabled: nothing is written, no backup', async () => {
		const file = path.join(folder, 'done.env');
		await writeFile(file, 'CAVRA_GO_BACKEND_MODE=disabled\n');
		const before = await stat(file);
		const result = await setModeInEnvFile(file, 'disabled');
		expect(result).toMatchObject({action: 'unchanged', diff: '', modeBefore: 'disabled'});
		const after = await stat(file);
		expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
		expect(await readdir(folder)).toEqual(['done.env']);
	});

	it('a missing file is created holding only the mode (or refused with create: false)', async () => {
		const file = path.join(folder, 'new.env');
		await expect(setModeInEnvFile(file, 'disabled', {create: false})).rejects.toThrow(`${file}: no such file`);
		const result = await setModeInEnvFile(file, 'disabled');
		expect(result).toMatchObject({action: 'created', before: null, after: 'CAVRA_GO_BACKEND_MODE=disabled\n'});
		expect(result.diff).toContain('@@ -0,0 +1 @@\n+CAVRA_GO_BACKEND_MODE=disabled\n');
		expect(await readFile(file, 'utf8')).toBe('CAVRA_GO_BACKEND_MODE=disabled\n');
	});

	it('bytes that are not UTF-8 elsewhere in the file are kept exactly', async () => {
		const file = path.join(folder, 'latin1.env');
		const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nCAVRA_GO_BACKEND_MODE=promoted\n')]);
		await writeFile(file, bytes);
		await setModeInEnvFile(file, 'disabled', {backup: false});
		const expected = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nCAVRA_GO_BACKEND_MODE=disabled\n')]);
		expect(Buffer.compare(await readFile(file), expected)).toBe(0);
	});

	it('UTF-8 with a byte-order mark is kept exactly', async () => {
		const file = path.join(folder, 'bom.env');
		await writeFile(file, '\uFEFF# é\nCAVRA_GO_BACKEND_MODE=shadow\n');
		await setModeInEnvFile(file, 'disabled', {backup: false});
		expect(await readFile(file, 'utf8')).toBe('\uFEFF# é\nCAVRA_GO_BACKEND_MODE=disabled\n');
	});

	it('a failed write is an external error naming the file; the file is unchanged', async () => {
		const file = await fixture('comments.env');
		const original = await readFile(file, 'utf8');
		const hooks = {beforeRename: () => { throw Object.assign(new Error('no space'), {code: 'ENOSPC'}); }};
		const failure = setModeInEnvFile(file, 'disabled', {hooks, backup: false});
		await expect(failure).rejects.toThrow(ExternalError);
		await expect(setModeInEnvFile(file, 'disabled', {hooks, backup: false})).rejects.toThrow(`${file}: could not set the mode: the disk is full; the file is unchanged`);
		expect(await readFile(file, 'utf8')).toBe(original);
	});

	it('a missing folder is named', async () => {
		const file = path.join(folder, 'nope', 'x.env');
		await expect(setModeInEnvFile(file, 'disabled')).rejects.toThrow(`the folder ${path.join(folder, 'nope')} does not exist`);
	});

	it('a file with an unclosed quote that would swallow the line is refused, naming the file and line', async () => {
		const file = path.join(folder, 'broken.env');
		await writeFile(file, 'A="open\nB=1');
		await expect(setModeInEnvFile(file, 'disabled')).resolves.toMatchObject({action: 'added'});
		await writeFile(file, 'A=trailing\\');
		await expect(setModeInEnvFile(file, 'disabled')).rejects.toThrow(`${file}: cannot set CAVRA_GO_BACKEND_MODE safely`);
	});

	it('previewModeChange computes the same change without writing', async () => {
		const file = await fixture('twice.env');
		const original = await readFile(file, 'utf8');
		const preview = await previewModeChange(file, 'disabled');
		expect(preview).toMatchObject({action: 'replaced', modeBefore: 'promoted', modeAfter: 'disabled'});
		expect(await readFile(file, 'utf8')).toBe(original);
		const result = await setModeInEnvFile(file, 'disabled', {backup: false});
		expect(result.diff).toBe(preview.diff);
		expect((await previewModeChange(path.join(folder, 'none.env'), 'disabled')).action).toBe('created');
	});
});
