import {spawn} from 'node:child_process';
import {chmod, chown, link, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {atomicWriteFile, backupName, TargetExistsError, type AtomicWriteHooks} from '../../source/io/atomic-write.js';
import {compileModules} from './support/compile.js';

let folder: string;
beforeEach(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'cavra-atomic-'));
});

const OLD = '# old\nCAVRA_GO_BACKEND_MODE=promoted\nSECRET=x\n';
const NEW = '# old\nCAVRA_GO_BACKEND_MODE=disabled\nSECRET=x\n';

describe('atomicWriteFile', () => {
	it('creates a file (0644 less the umask) and reports it', async () => {
		const target = path.join(folder, 'new.env');
		const result = await atomicWriteFile(target, 'A=1\n');
		expect(result).toMatchObject({path: target, created: true, bytes: 4});
		expect(await readFile(target, 'utf8')).toBe('A=1\n');
		expect((await stat(target)).mode & 0o777).toBe(0o644 & ~process.umask());
		expect(await readdir(folder)).toEqual(['new.env']);
	});

	it('replaces a file keeping its mode, and keeps a backup with the old bytes and mode', async () => {
		const target = path.join(folder, 'cavra.env');
		await writeFile(target, OLD);
		await chmod(target, 0o640);
		const now = new Date('2026-03-01T12:00:00.123Z');
		const result = await atomicWriteFile(target, NEW, {backup: true, now: () => now});
		expect(result.created).toBe(false);
		expect(result.backupPath).toBe(`${target}.cavra-rollback.20260301T120000123Z.bak`);
		expect(await readFile(target, 'utf8')).toBe(NEW);
		expect((await stat(target)).mode & 0o7777).toBe(0o640);
		expect(await readFile(result.backupPath!, 'utf8')).toBe(OLD);
		expect((await stat(result.backupPath!)).mode & 0o7777).toBe(0o640);
		// A second backup in the same millisecond does not overwrite the first.
		const again = await atomicWriteFile(target, OLD, {backup: true, now: () => now});
		expect(again.backupPath).toBe(`${target}.cavra-rollback.20260301T120000123Z.1.bak`);
		expect(await readFile(again.backupPath!, 'utf8')).toBe(NEW);
	});

	it('refuses a symlink (exit 2): the link, its target and the folder stay as they were, no backup', async () => {
		const real = path.join(folder, 'real.env');
		const link = path.join(folder, 'link.env');
		await writeFile(real, OLD);
		await symlink(real, link);
		const attempt = atomicWriteFile(link, NEW, {backup: true});
		await expect(attempt).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining(`${link}: is a symbolic link (to ${real}); refusing to write through it`)});
		expect(await readlink(link)).toBe(real);
		expect(await readFile(real, 'utf8')).toBe(OLD);
		expect((await readdir(folder)).sort()).toEqual(['link.env', 'real.env']);
	});

	it('refuses a dangling symlink and a file inside a symlinked folder', async () => {
		const dangling = path.join(folder, 'dangling.env');
		await symlink(path.join(folder, 'nowhere.env'), dangling);
		await expect(atomicWriteFile(dangling, NEW)).rejects.toThrow('is a symbolic link');
		await expect(readFile(path.join(folder, 'nowhere.env'))).rejects.toMatchObject({code: 'ENOENT'});
		const realFolder = path.join(folder, 'real');
		await mkdir(realFolder);
		await symlink(realFolder, path.join(folder, 'linked'));
		await expect(atomicWriteFile(path.join(folder, 'linked', 'x.env'), NEW)).rejects.toThrow(`its folder ${path.join(folder, 'linked')} is a symbolic link`);
		expect(await readdir(realFolder)).toEqual([]);
	});

	it('refuses a file with another hard link: both names keep the old bytes', async () => {
		const target = path.join(folder, 'cavra.env');
		await writeFile(target, OLD);
		await link(target, path.join(folder, 'other-name.env'));
		await expect(atomicWriteFile(target, NEW, {backup: true})).rejects.toThrow(`${target}: has 2 hard links; replacing it would leave the other name with the old content`);
		expect(await readFile(path.join(folder, 'other-name.env'), 'utf8')).toBe(OLD);
		expect((await readdir(folder)).sort()).toEqual(['cavra.env', 'other-name.env']);
	});

	it('writes bytes exactly (Uint8Array, invalid UTF-8)', async () => {
		const target = path.join(folder, 'bytes');
		const bytes = new Uint8Array([0x41, 0x3d, 0xff, 0xfe, 0x0a]);
		await atomicWriteFile(target, bytes.subarray(0, 4));
		expect([...(await readFile(target))]).toEqual([0x41, 0x3d, 0xff, 0xfe]);
	});

	it.runIf(process.getuid?.() === 0)('keeps the owner when running as root', async () => {
		const target = path.join(folder, 'owned.env');
		await writeFile(target, OLD);
		await chown(target, 4321, 4322);
		const result = await atomicWriteFile(target, NEW, {backup: true});
		const info = await stat(target);
		expect([info.uid, info.gid]).toEqual([4321, 4322]);
		const backup = await stat(result.backupPath!);
		expect([backup.uid, backup.gid]).toEqual([4321, 4322]);
	});

	it('createOnly: refuses an existing file before writing anything', async () => {
		const target = path.join(folder, '.cavrarc.yaml');
		await writeFile(target, OLD);
		await expect(atomicWriteFile(target, NEW, {createOnly: true})).rejects.toBeInstanceOf(TargetExistsError);
		expect(await readFile(target, 'utf8')).toBe(OLD);
		expect(await readdir(folder)).toEqual(['.cavrarc.yaml']);
	});

	it('createOnly: a file another writer creates while this one is written wins; this one leaves nothing behind', async () => {
		const target = path.join(folder, '.cavrarc.yaml');
		const attempt = atomicWriteFile(target, NEW, {createOnly: true, hooks: {beforeRename: () => writeFile(target, OLD)}});
		await expect(attempt).rejects.toMatchObject({code: 'EEXIST', target});
		expect(await readFile(target, 'utf8')).toBe(OLD);
		expect(await readdir(folder)).toEqual(['.cavrarc.yaml']);
		// And with the name free it creates the file, mode as asked, no temporary left.
		const fresh = path.join(folder, 'fresh.yaml');
		expect(await atomicWriteFile(fresh, NEW, {createOnly: true, mode: 0o600})).toMatchObject({created: true});
		expect(await readFile(fresh, 'utf8')).toBe(NEW);
		expect((await stat(fresh)).mode & 0o777).toBe(0o600 & ~process.umask());
		expect((await readdir(folder)).sort()).toEqual(['.cavrarc.yaml', 'fresh.yaml']);
	});

	describe.each(['afterWrite', 'afterFsync', 'beforeRename'] as const)('a failure at %s', hook => {
		it('leaves the target byte-identical and no temporary file behind', async () => {
			const target = path.join(folder, 'cavra.env');
			await writeFile(target, OLD);
			let tempSeen: string | undefined;
			const hooks: AtomicWriteHooks = {
				[hook]: async ({tempPath}: {tempPath: string}) => {
					tempSeen = tempPath;
					// The temporary file exists, in the same folder, hidden, and not readable by others.
					const info = await stat(tempPath);
					expect(path.dirname(tempPath)).toBe(folder);
					expect(path.basename(tempPath)).toMatch(/^\.cavra\.env\.[0-9a-f]{12}\.tmp$/);
					if (hook !== 'beforeRename') expect(info.mode & 0o077).toBe(0);
					throw Object.assign(new Error('injected: disk full'), {code: 'ENOSPC'});
				},
			};
			await expect(atomicWriteFile(target, NEW, {hooks})).rejects.toThrow('injected: disk full');
			expect(tempSeen).toBeDefined();
			expect(await readFile(target, 'utf8')).toBe(OLD);
			expect(await readdir(folder)).toEqual(['cavra.env']);
		});

		it('for a new file, leaves nothing at all', async () => {
			const target = path.join(folder, 'new.env');
			await expect(atomicWriteFile(target, NEW, {hooks: {[hook]: () => { throw new Error('injected'); }}})).rejects.toThrow('injected');
			expect(await readdir(folder)).toEqual([]);
		});
	});

	it('fails clearly when the folder does not exist', async () => {
		await expect(atomicWriteFile(path.join(folder, 'missing', 'x.env'), 'A=1\n')).rejects.toMatchObject({code: 'ENOENT'});
	});

	it('backupName is sortable UTC', () => {
		expect(backupName('/etc/cavra/cavra.env', new Date('2026-01-02T03:04:05.006Z'))).toBe('/etc/cavra/cavra.env.cavra-rollback.20260102T030405006Z.bak');
	});
});

// ---- crashes: a real process, SIGKILLed at the worst moments ----

const child = fileURLToPath(new URL('./fixtures/atomic-writer-child.mjs', import.meta.url));
let compiled: string;
beforeAll(async () => {
	compiled = path.join(await compileModules(['source/io/atomic-write.ts']), 'io', 'atomic-write.js');
});
afterAll(async () => {
	if (compiled) await rm(path.dirname(path.dirname(compiled)), {recursive: true, force: true});
});

/** Start the child; resolve once it printed `word` (bounded: reject after 10 s). */
function startChild(args: string[], word: string) {
	const process_ = spawn(process.execPath, [child, compiled, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	process_.stderr.on('data', chunk => (stderr += chunk));
	const ready = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`child did not say ${word}: ${stderr}`)), 10_000);
		let out = '';
		process_.stdout.on('data', chunk => {
			out += chunk;
			if (out.includes(word)) {
				clearTimeout(timer);
				resolve();
			}
		});
		process_.on('exit', code => reject(new Error(`child exited (${code}) before saying ${word}: ${stderr}`)));
	});
	const killed = new Promise<void>(resolve => process_.on('exit', () => resolve()));
	return {ready, kill: async () => {
		process_.kill('SIGKILL');
		await killed;
	}};
}

describe('atomicWriteFile under SIGKILL', () => {
	it.each(['afterWrite', 'afterFsync', 'beforeRename'])('killed while stopped at %s: the target is the old file', async hook => {
		const target = path.join(folder, 'cavra.env');
		await writeFile(target, OLD);
		await chmod(target, 0o640);
		const run = startChild([target, 'stall', hook, NEW], 'stalled');
		await run.ready;
		await run.kill();
		expect(await readFile(target, 'utf8')).toBe(OLD);
		expect((await stat(target)).mode & 0o7777).toBe(0o640);
		// The crash may leave the hidden temporary file (never the target) behind.
		const others = (await readdir(folder)).filter(name => name !== 'cavra.env');
		for (const name of others) expect(name).toMatch(/^\.cavra\.env\.[0-9a-f]{12}\.tmp$/);
	});

	it('killed at random instants of a rewrite loop: the target is always old or new, never torn', async () => {
		const target = path.join(folder, 'cavra.env');
		// Big enough that a write takes several system calls; distinct so a mix would show.
		const a = `CAVRA_GO_BACKEND_MODE=promoted\n${'# a'.repeat(200_000)}\n`;
		const b = `CAVRA_GO_BACKEND_MODE=disabled\n${'# b'.repeat(150_000)}\n`;
		await writeFile(target, a);
		const aFile = path.join(folder, 'content-a');
		const bFile = path.join(folder, 'content-b');
		await writeFile(aFile, a);
		await writeFile(bFile, b);
		const seen = new Set<string>();
		for (let round = 0; round < 12; round++) {
			const run = startChild([target, 'loop', aFile, bFile], 'looping');
			await run.ready;
			await new Promise(resolve => setTimeout(resolve, 5 + Math.floor(Math.random() * 60)));
			await run.kill();
			const content = await readFile(target, 'utf8');
			expect(content === a || content === b, `round ${round}: torn file of ${content.length} bytes`).toBe(true);
			seen.add(content === a ? 'a' : 'b');
		}
		// The kills did land while the loop was rewriting (else this test would prove nothing).
		expect(seen.size + (await readdir(folder)).filter(name => name.endsWith('.tmp')).length).toBeGreaterThan(1);
	});
});
