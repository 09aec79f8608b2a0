import {execFileSync} from 'node:child_process';
import {chown, mkdir, mkdtemp, readFile, readdir, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {atomicWriteFile} from '../../source/io/atomic-write.js';
import {previewModeChange, readEnvMode} from '../../source/io/env-files.js';
import {listXattrs, ownershipRefusal, replaceRefusal} from '../../source/io/replace-check.js';

let folder: string;
beforeEach(async () => {
	folder = await mkdtemp(path.join(tmpdir(), 'cavra-replace-'));
});

const OLD = 'CAVRA_GO_BACKEND_MODE=promoted\n';
const noXattrs = async () => [];

describe('who may replace a file (not root)', () => {
	const operator = {uid: 1000, gids: [1000, 27]};

	it('a file of another user is refused: its owner cannot be kept', () => {
		expect(ownershipRefusal({uid: 0, gid: 0}, operator)?.reason).toBe('is owned by uid 0; running as uid 1000, the rewritten file would belong to uid 1000, so it is refused');
	});

	it('our file in a group we are not in is refused: its group cannot be kept', () => {
		expect(ownershipRefusal({uid: 1000, gid: 50}, operator)?.reason).toContain('belongs to group 50');
	});

	it('our file in one of our groups, or anything for root, is fine', () => {
		expect(ownershipRefusal({uid: 1000, gid: 27}, operator)).toBeUndefined();
		expect(ownershipRefusal({uid: 4321, gid: 4322}, {uid: 0, gids: [0]})).toBeUndefined();
	});

	it.runIf(process.getuid?.() === 0)('the preview of a real file reports it, and the write leaves it untouched', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		await chown(file, 4321, 4321);
		const identity = {uid: 1000, gids: [1000]};
		expect((await replaceRefusal(file, {identity, listXattrs: noXattrs}))?.reason).toContain('is owned by uid 4321');
		await expect(atomicWriteFile(file, 'X=1\n', {backup: true, replaceCheck: {identity, listXattrs: noXattrs}})).rejects.toMatchObject({exitCode: 2});
		expect(await readFile(file, 'utf8')).toBe(OLD);
		expect(await readdir(folder)).toEqual(['cavra.env']);
	});
});

describe('extended attributes and ACLs', () => {
	it('a file with an ACL or user attributes is refused, naming them; an SELinux label alone is not', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		const acl = await replaceRefusal(file, {listXattrs: async () => ['security.selinux', 'system.posix_acl_access']});
		expect(acl).toMatchObject({reason: 'has an ACL (system.posix_acl_access) that replacing the file would drop; refused', hint: expect.stringContaining('setfacl -b')});
		expect((await replaceRefusal(file, {listXattrs: async () => ['user.origin']}))?.reason).toContain('extended attributes (user.origin)');
		expect(await replaceRefusal(file, {listXattrs: async () => ['security.selinux']})).toBeUndefined();
		// Nothing could list them (no getfattr, no Python, no ACL marker from ls): not refused.
		expect(await replaceRefusal(file, {listXattrs: async () => undefined})).toBeUndefined();
	});

	it.runIf(hasGetfattr())('getfattr finds a real user attribute', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		execFileSync('setfattr', ['-n', 'user.origin', '-v', 'ansible', file]);
		expect((await replaceRefusal(file))?.reason).toContain('user.origin');
	});
});

describe('env files', () => {
	it('a symlinked env file: the preview and the read name the link and its target', async () => {
		const real = path.join(folder, 'real.env');
		const link = path.join(folder, 'cavra.env');
		await writeFile(real, OLD);
		await symlink(real, link);
		await expect(previewModeChange(link, 'disabled')).rejects.toThrow(`${link}: is a symbolic link (to ${real})`);
		await expect(readEnvMode(link)).rejects.toThrow('is a symbolic link');
	});

	it('a FIFO in place of an env file is refused at once (no hang waiting for a writer)', async () => {
		const fifo = path.join(folder, 'cavra.env');
		execFileSync('mkfifo', [fifo]);
		await expect(readEnvMode(fifo)).rejects.toThrow('is not a regular file');
		await expect(previewModeChange(fifo, 'disabled')).rejects.toThrow('is not a regular file');
	});
});

describe('finding ACLs and attributes with the tools a server has', () => {
	// One folder per tool set stands in for a server that has only those tools on its PATH.
	async function pathWith(...tools: Array<[name: string, binary: string]>): Promise<NodeJS.ProcessEnv> {
		const bin = path.join(folder, `bin-${tools.map(([name]) => name).join('-') || 'none'}`);
		await mkdir(bin);
		for (const [name, binary] of tools) await symlink(binary, path.join(bin, name));
		return {PATH: bin};
	}
	const python = realPython();
	const ls = execFileSync('sh', ['-c', 'command -v ls'], {encoding: 'utf8'}).trim();

	it.runIf(hasSetfacl() || process.env['CI'] === 'true')('a real ACL (setfacl) is refused, whichever tool finds it', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		execFileSync('setfacl', ['-m', 'u:nobody:r', file]);
		expect((await replaceRefusal(file))?.reason).toBe('has an ACL (system.posix_acl_access) that replacing the file would drop; refused');
		if (python) expect(await listXattrs(file, await pathWith(['python3', python]))).toEqual(['system.posix_acl_access']);
		expect(await listXattrs(file, await pathWith(['ls', ls]))).toEqual(['system.posix_acl_access']);
		// The write leaves the file, its ACL and its bytes alone.
		await expect(atomicWriteFile(file, 'X=1\n', {backup: true})).rejects.toMatchObject({exitCode: 2});
		expect(await readFile(file, 'utf8')).toBe(OLD);
		expect(execFileSync('getfacl', ['--omit-header', file], {encoding: 'utf8'})).toContain('user:nobody:r--');
	});

	it.runIf((hasGetfattr() && python !== undefined) || process.env['CI'] === 'true')('without getfattr, Python still finds a user attribute', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		execFileSync('setfattr', ['-n', 'user.origin', '-v', 'ansible', file]);
		expect(await listXattrs(file, await pathWith(['python3', python!]))).toEqual(['user.origin']);
	});

	it('a plain file: no attributes with getfattr or Python; ls alone cannot tell (undefined), no tool at all neither', async () => {
		const file = path.join(folder, 'cavra.env');
		await writeFile(file, OLD);
		if (hasGetfattr()) expect(await listXattrs(file)).toEqual([]);
		if (python) expect(await listXattrs(file, await pathWith(['python3', python]))).toEqual([]);
		expect(await listXattrs(file, await pathWith(['ls', ls]))).toBeUndefined();
		expect(await listXattrs(file, await pathWith())).toBeUndefined();
	});
});

/** The real interpreter (a pyenv shim would need pyenv on the PATH), or undefined. */
function realPython(): string | undefined {
	try {
		return execFileSync('python3', ['-I', '-c', 'import sys; print(sys.executable)'], {encoding: 'utf8'}).trim() || undefined;
	} catch {
		return undefined;
	}
}

function hasSetfacl(): boolean {
	try {
		execFileSync('setfacl', ['--version'], {stdio: 'ignore'});
		execFileSync('getfacl', ['--version'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

function hasGetfattr(): boolean {
	try {
		execFileSync('getfattr', ['--version'], {stdio: 'ignore'});
		execFileSync('setfattr', ['--version'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}
