/**
 * The signing module around the real ssh-keygen (and a real ssh-agent for `.pub` keys): what it
 * signs, what it refuses, and that a missing tool or key is a reported result, never an exception.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {checkEvidenceSignature, expandKeyPath, signEvidence} from '../../source/io/evidence-signing.js';
import {runCommand, type CommandRunner} from '../../source/io/process-runner.js';

const haveSshKeygen = spawnSync('ssh-keygen', ['-?']).error === undefined;
const haveAgent = spawnSync('ssh-agent', ['-?']).error === undefined && spawnSync('ssh-add', ['-?']).error === undefined;

let dir: string;
let file: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-sign-'));
	file = path.join(dir, 'evidence.json');
	writeFileSync(file, '{"schema_version": "cavra-rollback.evidence.v1"}\n');
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function keygen(name: string): string {
	const key = path.join(dir, name);
	spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key], {timeout: 20_000});
	writeFileSync(path.join(dir, 'allowed_signers'), `oncall@example.com ${readFileSync(`${key}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
	return key;
}

/** The real runner, but ssh-keygen is not installed. */
const noSshKeygen: CommandRunner = (argv, options) => runCommand([path.join(dir, 'no-such-bin', argv[0]!), ...argv.slice(1)], options);

describe('signing evidence.json', () => {
	it('expands ~/ to the home folder and resolves the rest', () => {
		expect(expandKeyPath('~/.ssh/id_ed25519', '/work', '/home/op')).toBe('/home/op/.ssh/id_ed25519');
		expect(expandKeyPath('keys/k', '/work', '/home/op')).toBe('/work/keys/k');
		expect(expandKeyPath('/etc/k', '/work', '/home/op')).toBe('/etc/k');
	});

	it('a missing key, a .pub without ssh-agent, or no ssh-keygen: a failure with the reason, no signature', async () => {
		expect(await signEvidence(file, {key: path.join(dir, 'none'), signer: 'oncall@example.com'})).toEqual({status: 'failed', signer: 'oncall@example.com', reason: `the signing key ${path.join(dir, 'none')} cannot be read (ENOENT)`});
		writeFileSync(path.join(dir, 'k.pub'), 'ssh-ed25519 AAAA k\n');
		expect(await signEvidence(file, {key: path.join(dir, 'k.pub'), signer: 'oncall@example.com', env: {}})).toMatchObject({status: 'failed', reason: expect.stringContaining('SSH_AUTH_SOCK is not set')});
		writeFileSync(path.join(dir, 'k'), 'not really a key\n');
		expect(await signEvidence(file, {key: path.join(dir, 'k'), signer: 'oncall@example.com', runner: noSshKeygen})).toMatchObject({status: 'failed', reason: expect.stringContaining('command not found')});
		expect(existsSync(`${file}.sig`)).toBe(false);
	});

	it.skipIf(!haveSshKeygen)('signs as <file>.sig (0600), replacing a stale one; verify checks it, and says why when it cannot', async () => {
		const key = keygen('key');
		writeFileSync(`${file}.sig`, 'stale');
		expect(await signEvidence(file, {key, signer: 'oncall@example.com'})).toEqual({status: 'signed', signer: 'oncall@example.com', path: `${file}.sig`});
		expect(readFileSync(`${file}.sig`, 'utf8')).toMatch(/^-----BEGIN SSH SIGNATURE-----/);
		expect(statSync(`${file}.sig`).mode & 0o777).toBe(0o600);
		const allowedSigners = path.join(dir, 'allowed_signers');
		expect(await checkEvidenceSignature(file, {allowedSigners, declaredSigner: 'oncall@example.com'})).toEqual({status: 'valid', signer: 'oncall@example.com'});
		// Nobody names the signer: the allowed signers file says who holds the key.
		expect(await checkEvidenceSignature(file, {allowedSigners})).toEqual({status: 'valid', signer: 'oncall@example.com'});
		expect(await checkEvidenceSignature(file, {allowedSigners, runner: noSshKeygen})).toMatchObject({status: 'unverifiable', reason: expect.stringContaining('ssh-keygen could not run')});
		expect(await checkEvidenceSignature(file, {})).toMatchObject({status: 'unverifiable', reason: expect.stringContaining('no allowed signers file')});
		await expect(checkEvidenceSignature(file, {allowedSigners: path.join(dir, 'none')})).rejects.toThrow('the allowed signers file cannot be read');
	});

	describe.skipIf(!haveSshKeygen || !haveAgent)('with ssh-agent', () => {
		let agent: ChildProcess | undefined;
		afterEach(() => {
			agent?.kill('SIGTERM');
			agent = undefined;
		});

		it('a .pub key signs through the agent (SSH_AUTH_SOCK), as git does', async () => {
			const key = keygen('agentkey');
			const socket = path.join(dir, 'agent.sock');
			agent = spawn('ssh-agent', ['-D', '-a', socket], {stdio: 'ignore'});
			for (let attempt = 0; attempt < 100 && !existsSync(socket); attempt++) await new Promise(resolve => setTimeout(resolve, 50));
			const added = spawnSync('ssh-add', [key], {env: {...process.env, SSH_AUTH_SOCK: socket}, timeout: 20_000, encoding: 'utf8'});
			expect(added.status, added.stderr).toBe(0);
			rmSync(key);
			expect(await signEvidence(file, {key: `${key}.pub`, signer: 'oncall@example.com', env: {SSH_AUTH_SOCK: socket}})).toMatchObject({status: 'signed'});
			expect(await checkEvidenceSignature(file, {allowedSigners: path.join(dir, 'allowed_signers'), declaredSigner: 'oncall@example.com'})).toEqual({status: 'valid', signer: 'oncall@example.com'});
		});
	});
});
