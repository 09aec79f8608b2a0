import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {InputError} from '../../source/core/errors.js';
import {OverwriteRefusedError, writePlan} from '../../source/io/plan-writer.js';
import {cliNode} from '../helpers/cli.js';

/*
 * Saving never leaves a torn plan: a process killed at any instant of a save leaves the old file
 * or the new one, byte for byte. The child processes run the built plan writer (dist/).
 */

const writerModule = fileURLToPath(new URL('../../dist/io/plan-writer.js', import.meta.url));
const OLD = `${JSON.stringify({schema_version: 'cavra.go-backend-rollback-plan.v1', status: 'ready', note: 'old'.repeat(2000)}, null, 2)}\n`;
const NEW = `${JSON.stringify({schema_version: 'cavra.go-backend-rollback-plan.v1', status: 'draft', note: 'new'.repeat(50_000)}, null, 2)}\n`;

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-save-'));
});
afterEach(() => {
	rmSync(dir, {recursive: true, force: true});
	for (const index of [0, 1]) rmSync(`${dir}-source-${index}.json`, {force: true});
});

/**
 * A child process that saves over `target` with the text in `source`: stalled at one hook (it
 * prints PAUSED there), or over and over with two texts in turn (it prints STARTED).
 */
const CHILD = `
	import {readFileSync} from 'node:fs';
	const [writer, target, hook, ...sources] = process.argv.slice(1);
	const {writePlan} = await import(writer);
	const texts = sources.map(file => readFileSync(file, 'utf8'));
	if (hook !== 'loop') {
		await writePlan(target, texts[0], {overwrite: true, hooks: {[hook]: () => { process.stdout.write('PAUSED\\n'); return new Promise(() => {}); }}});
	} else {
		process.stdout.write('STARTED\\n');
		for (let i = 0; ; i++) await writePlan(target, texts[i % 2], {overwrite: true});
	}
`;

function saver(target: string, hook: 'afterWrite' | 'afterFsync' | 'beforeRename' | 'loop', ...texts: string[]) {
	const sources = texts.map((text, index) => {
		const file = path.join(path.dirname(dir), `${path.basename(dir)}-source-${index}.json`);
		writeFileSync(file, text);
		return file;
	});
	return spawn(cliNode, ['--input-type=module', '-e', CHILD, writerModule, target, hook, ...sources], {stdio: ['ignore', 'pipe', 'pipe']});
}

function waitForOutput(child: ReturnType<typeof spawn>, text: string): Promise<void> {
	return new Promise((resolve, reject) => {
		let seen = '';
		let errors = '';
		child.stderr?.on('data', chunk => (errors += String(chunk)));
		child.stdout?.on('data', chunk => {
			seen += String(chunk);
			if (seen.includes(text)) resolve();
		});
		child.on('exit', code => reject(new Error(`child exited (${code}) before ${text}: ${errors}`)));
	});
}

const exited = (child: ReturnType<typeof spawn>) => new Promise(resolve => child.on('exit', resolve));

describe('saving a plan', () => {
	it.each(['afterWrite', 'afterFsync', 'beforeRename'] as const)('a process killed at %s leaves the old plan intact, byte for byte', async hook => {
		const target = path.join(dir, 'plan.json');
		writeFileSync(target, OLD, {mode: 0o640});
		const child = saver(target, hook, NEW);
		await waitForOutput(child, 'PAUSED');
		child.kill('SIGKILL');
		await exited(child);
		expect(readFileSync(target, 'utf8')).toBe(OLD);
		expect(statSync(target).mode & 0o777).toBe(0o640);
		// The half-done save lives only in a hidden temporary file beside it, never in the plan.
		const others = readdirSync(dir).filter(name => name !== 'plan.json' && !name.endsWith('.bak'));
		expect(others.every(name => name.startsWith('.plan.json.') && name.endsWith('.tmp'))).toBe(true);
	});

	it('killed at random moments while saving over and over, the plan is always the old or the new one', async () => {
		const target = path.join(dir, 'plan.json');
		writeFileSync(target, OLD);
		for (let round = 0; round < 8; round++) {
			const child = saver(target, 'loop', OLD, NEW);
			await waitForOutput(child, 'STARTED');
			await new Promise(resolve => setTimeout(resolve, 20 + Math.floor(Math.random() * 60)));
			child.kill('SIGKILL');
			await exited(child);
			const text = readFileSync(target, 'utf8');
			expect(text === OLD || text === NEW, `round ${round}: torn file of ${text.length} bytes`).toBe(true);
		}
	});

	it('an injected failure before the rename leaves the old file and no temporary file, and says so', async () => {
		const target = path.join(dir, 'plan.json');
		writeFileSync(target, OLD);
		const failure = Object.assign(new Error('injected'), {code: 'EIO'});
		await expect(
			writePlan(target, NEW, {
				overwrite: true,
				hooks: {
					beforeRename: () => {
						throw failure;
					},
				},
			}),
		).rejects.toThrow(/could not be saved \(EIO\); the old file is unchanged/);
		expect(readFileSync(target, 'utf8')).toBe(OLD);
		expect(readdirSync(dir).filter(name => name.endsWith('.tmp'))).toEqual([]);
	});

	it('never replaces a file unless told to; keeps the mode and a backup when it does', async () => {
		const target = path.join(dir, 'plan.json');
		writeFileSync(target, OLD, {mode: 0o600});
		await expect(writePlan(target, NEW, {overwrite: false})).rejects.toBeInstanceOf(OverwriteRefusedError);
		expect(readFileSync(target, 'utf8')).toBe(OLD);
		const result = await writePlan(target, NEW, {overwrite: true});
		expect(result.created).toBe(false);
		expect(readFileSync(target, 'utf8')).toBe(NEW);
		expect(statSync(target).mode & 0o777).toBe(0o600);
		expect(readFileSync(result.backupPath!, 'utf8')).toBe(OLD);
		expect(path.basename(result.backupPath!)).toMatch(/^plan\.json\.cavra-rollback\.\d{8}T\d+Z\.bak$/);
		const fresh = await writePlan(path.join(dir, 'new.json'), NEW, {overwrite: false});
		expect(fresh).toEqual({path: path.join(dir, 'new.json'), created: true});
	});

	it('a plan another run saves while this one is saving a new file is kept, and this save is refused', async () => {
		const target = path.join(dir, 'raced.json');
		const attempt = writePlan(target, NEW, {overwrite: false, hooks: {beforeRename: () => writeFileSync(target, OLD)}});
		await expect(attempt).rejects.toBeInstanceOf(OverwriteRefusedError);
		await expect(attempt).rejects.toThrow('raced.json already exists (another run saved it meanwhile); not overwritten');
		expect(readFileSync(target, 'utf8')).toBe(OLD);
	});

	it('a missing folder or a folder in the way is a clear input error', async () => {
		await expect(writePlan(path.join(dir, 'nope', 'plan.json'), NEW, {overwrite: false})).rejects.toThrow(/the folder .*nope does not exist/);
		await expect(writePlan(dir, NEW, {overwrite: true})).rejects.toBeInstanceOf(InputError);
	});
});
