/*
 * Signed evidence through the built CLI and the REAL ssh-keygen: a rollback signs evidence.json
 * with the operator's ed25519 key, `evidence verify --allowed-signers` checks it, and every edit
 * fails — a byte of evidence.json, a byte of a report, even a consistent rewrite of the whole
 * journal chain. Without a key nothing is signed; a missing or passphrase-protected key never
 * loses the rollback's result. Runs under umask 000 to check 0700 folders and 0600 files.
 */
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {recordSha256} from '../../source/core/evidence/journal.js';
import {cliNode} from '../helpers/cli.js';
import {cleanEnv, cliPath, repoRoot} from '../fixtures/rollback/e2e.js';

const sshKeygen = spawnSync('ssh-keygen', ['-?'], {encoding: 'utf8'});
const haveSshKeygen = sshKeygen.error === undefined;

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-signing-'));
	writeFileSync(path.join(dir, 'plan.json'), readFileSync(path.join(repoRoot, 'templates', 'standard.json')));
	writeFileSync(path.join(dir, 'cavra.env'), 'CAVRA_GO_BACKEND_MODE=promoted\n');
	keygen('key');
	writeFileSync(path.join(dir, 'allowed_signers'), `oncall@example.com ${publicKey('key')}\n`);
});
afterEach(() => rmSync(dir, {recursive: true, force: true}));

function keygen(name: string, passphrase = ''): void {
	const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', path.join(dir, name)], {encoding: 'utf8', timeout: 20_000});
	if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
}

function publicKey(name: string): string {
	return readFileSync(path.join(dir, `${name}.pub`), 'utf8').split(' ').slice(0, 2).join(' ');
}

function config(evidence: string): void {
	writeFileSync(
		path.join(dir, '.cavrarc.yaml'),
		['plan: ./plan.json', 'mode:', '  envFiles: [./cavra.env]', `evidence: {dir: ./evidence${evidence}}`, 'services:', `  - {name: api, kind: command, restart: ${JSON.stringify([process.execPath, '-e', '0'])}}`, ''].join('\n'),
	);
}

/** The built CLI under umask 000, stdin closed, no TTY. */
function cavra(args: string[]): {code: number | null; stdout: string; stderr: string} {
	const command = ['umask 000 && exec "$0" "$@"', cliNode, cliPath, ...args];
	const result = spawnSync('sh', ['-c', ...command], {cwd: dir, env: cleanEnv({CI: 'true'}), encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

function rollback(): string {
	const result = cavra(['rollback', '--yes']);
	expect(result.stdout + result.stderr).toContain('RECOVERED');
	const runs = readdirSync(path.join(dir, 'evidence'));
	expect(runs).toHaveLength(1);
	return path.join(dir, 'evidence', runs[0]!);
}

function verifyJson(args: string[]): {code: number | null; json: any} {
	const result = cavra(['evidence', 'verify', ...args, '--json']);
	return {code: result.code, json: JSON.parse(result.stdout)};
}

const signed = ', signingKey: ./key, signer: oncall@example.com, allowedSigners: ./allowed_signers';

describe.skipIf(!haveSshKeygen)('signed evidence (real ssh-keygen)', () => {
	it('a signed run verifies; folders are 0700 and files 0600 under umask 000', () => {
		config(signed);
		const runDir = rollback();
		expect(existsSync(path.join(runDir, 'evidence.json.sig'))).toBe(true);
		const document = JSON.parse(readFileSync(path.join(runDir, 'evidence.json'), 'utf8'));
		expect(document.signature).toEqual({namespace: 'cavra-rollback-evidence', signer: 'oncall@example.com', file: 'evidence.json.sig'});

		const text = cavra(['evidence', 'verify']);
		expect(text.code).toBe(0);
		expect(text.stderr).toBe(`verifying the latest run: ${path.basename(runDir)} (${path.join(dir, 'evidence')})\n`);
		expect(text.stdout).toMatch(/^intact: 14 journal records, 2 files, head sha256 [0-9a-f]{64}\nsignature: valid, signed by oncall@example.com\n$/);
		expect(verifyJson([runDir]).json).toMatchObject({result: 'intact', signature: {status: 'valid', signer: 'oncall@example.com', reason: null}, problems: []});

		expect(statSync(path.join(dir, 'evidence')).mode & 0o777).toBe(0o700);
		for (const relative of ['', 'reports']) expect((statSync(path.join(runDir, relative)).mode & 0o777).toString(8), relative).toBe('700');
		for (const relative of ['evidence.json', 'evidence.json.sig', 'journal.ndjson', 'reports/before.json', 'reports/after.json']) {
			expect((statSync(path.join(runDir, relative)).mode & 0o777).toString(8), relative).toBe('600');
		}

		const list = cavra(['evidence', 'list']);
		expect(list.stdout).toMatch(new RegExp(`^RUN +KIND +RESULT +STARTED +DURATION +SIGNED\\n${path.basename(runDir)}  rollback  recovered  \\S+  +[0-9.]+ s +signed\\n$`));
		expect(JSON.parse(cavra(['evidence', 'list', '--json']).stdout).runs).toMatchObject([{id: path.basename(runDir), kind: 'rollback', result: 'recovered', signed: true}]);
	});

	it('one byte of evidence.json, or of a report, changed: verification fails', () => {
		config(signed);
		const runDir = rollback();
		const evidencePath = path.join(runDir, 'evidence.json');
		const original = readFileSync(evidencePath, 'utf8');
		// A byte that keeps the JSON valid and the story consistent: only the signature can tell.
		writeFileSync(evidencePath, original.replace(/"config_path": "/, '"config_path": "/.'));
		const edited = verifyJson([runDir]);
		expect(edited.code).toBe(1);
		expect(edited.json).toMatchObject({result: 'not_verified', signature: {status: 'invalid', signer: 'oncall@example.com', reason: expect.stringContaining('incorrect signature')}});
		const text = cavra(['evidence', 'verify', runDir]);
		expect(text.stdout).toContain('NOT VERIFIED: the journal and files agree with evidence.json, but the signature is invalid');

		writeFileSync(evidencePath, original);
		expect(verifyJson([runDir]).code).toBe(0);
		const report = path.join(runDir, 'reports', 'after.json');
		const bytes = readFileSync(report);
		bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x7d ? 0x5d : 0x7d;
		writeFileSync(report, bytes);
		expect(verifyJson([runDir])).toMatchObject({code: 1, json: {result: 'tampered', first_bad: {kind: 'file', file: 'reports/after.json', reason: 'sha256 mismatch'}, signature: {status: 'valid'}}});
	});

	it('a consistent rewrite of the whole chain passes every hash check, and fails the signature', () => {
		config(signed);
		const runDir = rollback();
		const journalPath = path.join(runDir, 'journal.ndjson');
		const evidencePath = path.join(runDir, 'evidence.json');
		// Rewrite history: the restart "took" a different command; re-chain every record after it.
		const records = readFileSync(journalPath, 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, any>);
		let previous = '0'.repeat(64);
		for (const record of records) {
			if (record['step'] === 'restart:api' && record['phase'] === 'before') record['detail'].commands.api = [['/usr/bin/true']];
			record['prev_sha256'] = previous;
			record['sha256'] = recordSha256(record);
			previous = record['sha256'];
		}
		writeFileSync(journalPath, `${records.map(record => JSON.stringify(record)).join('\n')}\n`);
		const document = JSON.parse(readFileSync(evidencePath, 'utf8'));
		document.journal.head_sha256 = records[document.journal.records - 1]!['sha256'];
		writeFileSync(evidencePath, `${JSON.stringify(document, null, 2)}\n`);

		const noFile = cavra(['evidence', 'verify', runDir, '--allowed-signers', 'none']);
		expect(noFile).toMatchObject({code: 2, stdout: ''});
		expect(noFile.stderr).toContain('none: the allowed signers file cannot be read');
		// Hashes alone are satisfied (that is why the signature exists)...
		writeFileSync(path.join(dir, '.cavrarc.yaml'), readFileSync(path.join(dir, '.cavrarc.yaml'), 'utf8').replace(', allowedSigners: ./allowed_signers', ''));
		expect(verifyJson([runDir])).toMatchObject({code: 0, json: {result: 'intact', signature: {status: 'unverifiable'}}});
		// ...the signature is not.
		expect(verifyJson([runDir, '--allowed-signers', 'allowed_signers'])).toMatchObject({code: 1, json: {result: 'not_verified', signature: {status: 'invalid', reason: expect.stringContaining('incorrect signature')}}});
	});

	it('the wrong principal fails: asked for another, or the key listed under another name', () => {
		config(signed);
		const runDir = rollback();
		expect(verifyJson([runDir, '--signer', 'intruder@example.com'])).toMatchObject({code: 1, json: {signature: {status: 'invalid', signer: 'intruder@example.com', reason: expect.stringContaining('the signing key is not listed for intruder@example.com')}}});
		keygen('other');
		writeFileSync(path.join(dir, 'allowed_signers'), `oncall@example.com ${publicKey('other')}\nsomeone@example.com ${publicKey('key')}\n`);
		expect(verifyJson([runDir])).toMatchObject({code: 1, json: {signature: {status: 'invalid', signer: 'oncall@example.com'}}});
	});

	it('without a key: unsigned, nothing else changes; given allowed signers, unsigned does not verify', () => {
		config('');
		const runDir = rollback();
		expect(existsSync(path.join(runDir, 'evidence.json.sig'))).toBe(false);
		expect(JSON.parse(readFileSync(path.join(runDir, 'evidence.json'), 'utf8')).signature).toBeUndefined();
		const text = cavra(['evidence', 'verify', runDir]);
		expect(text).toMatchObject({code: 0, stdout: expect.stringContaining('signature: unsigned (no evidence.json.sig: the bundle is unsigned)')});
		expect(verifyJson([runDir, '--allowed-signers', 'allowed_signers'])).toMatchObject({code: 1, json: {result: 'not_verified', signature: {status: 'unsigned'}}});
	});

	it('a missing or passphrase-protected key: the rollback recovers, the bundle is sealed, the failure is recorded, exit 3', () => {
		keygen('locked', 'correct horse battery staple');
		for (const key of ['./missing', './locked']) {
			rmSync(path.join(dir, 'evidence'), {recursive: true, force: true});
			writeFileSync(path.join(dir, 'cavra.env'), 'CAVRA_GO_BACKEND_MODE=promoted\n');
			config(`, signingKey: ${key}, signer: oncall@example.com`);
			const result = cavra(['rollback', '--yes']);
			expect(result.code, key).toBe(3);
			expect(result.stdout + result.stderr).toContain('RECOVERED');
			expect(result.stdout + result.stderr).toMatch(/sealed but NOT signed: .*(cannot be read|passphrase)/);
			expect(result.stdout + result.stderr).not.toContain('correct horse');
			const runDir = path.join(dir, 'evidence', readdirSync(path.join(dir, 'evidence'))[0]!);
			const closing = JSON.parse(readFileSync(path.join(runDir, 'journal.ndjson'), 'utf8').trimEnd().split('\n').at(-1)!);
			expect(closing).toMatchObject({step: 'evidence', phase: 'after', status: 'failed', detail: {result: 'recovered', signature: {status: 'failed'}}});
			expect(JSON.parse(readFileSync(path.join(runDir, 'evidence.json'), 'utf8')).result).toBe('recovered');
			expect(verifyJson([runDir])).toMatchObject({code: 0, json: {result: 'intact', signature: {status: 'unsigned', signer: 'oncall@example.com', reason: expect.stringContaining('evidence.json.sig is missing')}}});
		}
	});

	it('--resume seals evidence.json again and signs the new seal (the old signature is replaced)', () => {
		config(signed);
		writeFileSync(path.join(dir, '.cavrarc.yaml'), readFileSync(path.join(dir, '.cavrarc.yaml'), 'utf8').replace('"0"]', '"process.exit(1)"]'));
		expect(cavra(['rollback', '--yes']).code).toBe(3);
		const runDir = path.join(dir, 'evidence', readdirSync(path.join(dir, 'evidence')).find(name => name.startsWith('rb-'))!);
		const firstSignature = readFileSync(path.join(runDir, 'evidence.json.sig'), 'utf8');
		expect(verifyJson([runDir])).toMatchObject({code: 0, json: {signature: {status: 'valid'}}});
		config(signed);
		const resumed = cavra(['rollback', '--yes', '--resume', path.basename(runDir)]);
		expect(resumed.code, resumed.stderr).toBe(0);
		expect(readFileSync(path.join(runDir, 'evidence.json.sig'), 'utf8')).not.toBe(firstSignature);
		expect(verifyJson([runDir])).toMatchObject({code: 0, json: {result: 'intact', journal: {records: 28}, signature: {status: 'valid', signer: 'oncall@example.com'}}});
	});
});
