/**
 * Can this file be replaced (temp file + rename) without writing somewhere else or losing what
 * the operator relies on? The tool runs as root on files anyone may have prepared, so it refuses,
 * naming the reason, rather than:
 * - write through a symbolic link (the file or its folder): the write would land on the target;
 * - break a hard link: the other names would keep the old content;
 * - change the owner or group (not root, and the file is not ours to give back);
 * - drop extended attributes or ACLs (listed with `getfattr`, else Python's `os.listxattr`, else
 *   only ACLs through `ls`'s `+` marker; SELinux labels are left to the folder's default and not
 *   counted).
 * A file that does not exist yet is fine (only its folder is checked).
 */
import {execFile} from 'node:child_process';
import type {Stats} from 'node:fs';
import {lstat, readlink} from 'node:fs/promises';
import path from 'node:path';
import {InputError} from '../core/errors.js';
import {visible} from '../core/text/sanitize.js';

export interface Identity {
	uid: number;
	/** The primary group and the supplementary groups. */
	gids: readonly number[];
}

export interface ReplaceCheckOptions {
	/** Who writes (default: this process). Root can keep any owner. */
	identity?: Identity;
	/** Extended attribute names of a file, or undefined when they cannot be listed (default: `getfattr`). */
	listXattrs?: (file: string) => Promise<string[] | undefined>;
}

export interface Refusal {
	reason: string;
	hint: string;
}

/** Throws an InputError (exit 2) naming the file when it cannot be replaced safely. */
export async function assertReplaceable(file: string, options: ReplaceCheckOptions = {}): Promise<void> {
	const refusal = await replaceRefusal(file, options);
	if (refusal) throw new InputError(`${file}: ${refusal.reason}`, {file, hint: refusal.hint});
}

export async function replaceRefusal(file: string, options: ReplaceCheckOptions = {}): Promise<Refusal | undefined> {
	const target = path.resolve(file);
	const folder = path.dirname(target);
	const folderInfo = await lstatIfExists(folder);
	if (folderInfo?.isSymbolicLink()) {
		return {reason: `its folder ${folder} is a symbolic link (to ${await linkText(folder)}); refusing to write through it`, hint: 'name the file by its real path in the config'};
	}
	const info = await lstatIfExists(target);
	if (!info) return undefined;
	if (info.isSymbolicLink()) {
		return {
			reason: `is a symbolic link (to ${await linkText(target)}); refusing to write through it (the change would land on the link's target), nothing was changed`,
			hint: 'name the real file in the config, or replace the link with the file itself',
		};
	}
	if (!info.isFile()) return {reason: 'is not a regular file', hint: 'name a regular file'};
	if (info.nlink > 1) {
		return {
			reason: `has ${info.nlink} hard links; replacing it would leave the other ${info.nlink - 1 === 1 ? 'name' : `${info.nlink - 1} names`} with the old content, so it is refused`,
			hint: 'make it a single file (cp FILE FILE.new && mv FILE.new FILE, then fix the other names) or name the file the services read',
		};
	}
	const ownership = ownershipRefusal(info, options.identity ?? currentIdentity());
	if (ownership) return ownership;
	const attributes = ((await (options.listXattrs ?? listXattrs)(target)) ?? []).filter(name => !name.startsWith('security.selinux'));
	if (attributes.length > 0) {
		const acl = attributes.some(name => name.startsWith('system.posix_acl'));
		return {
			reason: `has ${acl ? 'an ACL' : 'extended attributes'} (${attributes.join(', ')}) that replacing the file would drop; refused`,
			hint: acl ? 'remove the ACL (setfacl -b FILE) or set the mode by hand' : 'remove the attributes (setfattr -x NAME FILE) or set the mode by hand',
		};
	}
	return undefined;
}

/** Not root: the rewritten file belongs to us, so the owner must be us and the group one of ours. */
export function ownershipRefusal(info: Pick<Stats, 'uid' | 'gid'>, identity: Identity): Refusal | undefined {
	if (identity.uid === 0) return undefined;
	const hint = 'run cavra-rollback as root (sudo) or as the owner of the file';
	if (info.uid !== identity.uid) return {reason: `is owned by uid ${info.uid}; running as uid ${identity.uid}, the rewritten file would belong to uid ${identity.uid}, so it is refused`, hint};
	if (!identity.gids.includes(info.gid)) return {reason: `belongs to group ${info.gid}, which uid ${identity.uid} cannot give a file; the rewritten file would lose that group, so it is refused`, hint};
	return undefined;
}

export function currentIdentity(): Identity {
	const uid = process.geteuid?.() ?? 0;
	const gids = [process.getegid?.() ?? 0, ...(process.getgroups?.() ?? [])];
	return {uid, gids};
}

/**
 * Node has no xattr API, so ask the tools a server is likely to have, most complete first:
 * `getfattr` (Debian's `attr`), then Python's `os.listxattr`, then `ls -ld`, whose `+` marker shows
 * an ACL but not other attributes. Undefined when nothing could tell (docs/security.md says so).
 */
export async function listXattrs(file: string, env: NodeJS.ProcessEnv = {PATH: process.env['PATH'] ?? '/usr/bin:/bin'}): Promise<string[] | undefined> {
	for (const lister of [getfattrNames, pythonNames, lsAclNames]) {
		const names = await lister(file, env);
		if (names !== undefined) return names;
	}
	return undefined;
}

type Lister = (file: string, env: NodeJS.ProcessEnv) => Promise<string[] | undefined>;

const getfattrNames: Lister = async (file, env) => {
	const result = await run('getfattr', ['--absolute-names', '--no-dereference', '-m', '-', '--', file], env);
	if (result.missing) return undefined;
	// A file system without xattr support holds none; any other failure leaves it to the next tool.
	if (!result.ok) return /not supported/i.test(result.stderr) ? [] : undefined;
	return nonEmptyLines(result.stdout).filter(line => !line.startsWith('#'));
};

// -I: isolated (no PYTHON* variables, no user site, no script folder on the path): nothing the
// environment prepared can run as root here.
const pythonNames: Lister = async (file, env) => {
	const code = 'import os,sys\ntry: n=os.listxattr(sys.argv[1], follow_symlinks=False)\nexcept OSError as e:\n  if e.errno==95: n=[]\n  else: raise\nprint("\\n".join(n))';
	const result = await run('python3', ['-I', '-c', code, file], env);
	return result.ok ? nonEmptyLines(result.stdout) : undefined;
};

const lsAclNames: Lister = async (file, env) => {
	const result = await run('ls', ['-ld', '--', file], env);
	if (!result.ok) return undefined;
	// GNU ls: a `+` right after the ten mode characters marks an ACL; without it, other attributes stay unknown.
	return /^.{10}\+/.test(result.stdout) ? ['system.posix_acl_access'] : undefined;
};

interface RunResult {
	ok: boolean;
	missing: boolean;
	stdout: string;
	stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
	return new Promise(resolve => {
		execFile(command, args, {timeout: 5000, env}, (error, stdout, stderr) => {
			const missing = (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
			resolve({ok: !error, missing, stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

function nonEmptyLines(text: string): string[] {
	return text
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '');
}

async function lstatIfExists(file: string): Promise<Stats | undefined> {
	try {
		return await lstat(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw error;
	}
}

async function linkText(link: string): Promise<string> {
	try {
		return visible(await readlink(link));
	} catch {
		return 'an unreadable target';
	}
}
