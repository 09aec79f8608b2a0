import {mkdtemp, readdir, writeFile} from 'node:fs/promises';
import {hostname, tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {replaceLockPath, withReplaceLock} from '../../source/io/replace-lock.js';

let folder: string;
let target: string;
beforeEach(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'cavra-replace-lock-'));
	target = path.join(folder, '.cavrarc.yaml');
});

describe('withReplaceLock', () => {
	it('a second replacer starts only after the first has finished, and the lock is gone afterwards', async () => {
		const order: string[] = [];
		let finishFirst!: () => void;
		const firstMayFinish = new Promise<void>(resolve => (finishFirst = resolve));
		let firstStarted!: () => void;
		const firstIsIn = new Promise<void>(resolve => (firstStarted = resolve));
		const first = withReplaceLock(target, async () => {
			order.push('first in');
			firstStarted();
			await firstMayFinish;
			order.push('first out');
		});
		await firstIsIn;
		const second = withReplaceLock(target, async () => void order.push('second in'), {waitMs: 60_000});
		// The second is polling the held lock; it gets in once the first lets go.
		expect(await readdir(folder)).toContain('.cavrarc.yaml.cavra-rollback.lock');
		finishFirst();
		await Promise.all([first, second]);
		expect(order).toEqual(['first in', 'first out', 'second in']);
		expect(await readdir(folder)).toEqual([]);
	});

	it('is released when the work throws', async () => {
		await expect(withReplaceLock(target, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
		expect(await readdir(folder)).toEqual([]);
	});

	it('a holder that does not let go in time: refused (exit 2) naming it, nothing run', async () => {
		let release!: () => void;
		let holding!: () => void;
		const isHeld = new Promise<void>(resolve => (holding = resolve));
		const held = withReplaceLock(target, () => {
			holding();
			return new Promise<void>(resolve => (release = resolve));
		});
		await isHeld;
		let ran = false;
		const refused = withReplaceLock(target, async () => void (ran = true), {waitMs: 0});
		await expect(refused).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining(`another cavra-rollback (pid ${process.pid} on `)});
		await expect(refused).rejects.toMatchObject({message: expect.stringContaining(`is replacing ${target} right now; nothing was written`)});
		expect(ran).toBe(false);
		release();
		await held;
	});

	it('a lock left by a killed run is reported with the command that removes it, never removed silently', async () => {
		await writeFile(replaceLockPath(target), `${JSON.stringify({pid: 999_999, hostname: hostname()})}\n`);
		const attempt = withReplaceLock(target, async () => undefined, {isAlive: () => false});
		await expect(attempt).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('no longer running (pid 999999)'), hint: `remove it and run again: rm ${replaceLockPath(target)}`});
		expect(await readdir(folder)).toEqual(['.cavrarc.yaml.cavra-rollback.lock']);
	});

	it('a file at the lock name that this tool did not write is not touched', async () => {
		await writeFile(replaceLockPath(target), 'someone else\u001B[2J');
		const attempt = withReplaceLock(target, async () => undefined);
		await expect(attempt).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('is not a lock this tool wrote')});
		expect(await readdir(folder)).toEqual(['.cavrarc.yaml.cavra-rollback.lock']);
	});
});
