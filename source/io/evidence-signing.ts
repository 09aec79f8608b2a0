/**
 * Signing evidence.json with the operator's SSH key, and checking that signature, through
 * OpenSSH itself (`ssh-keygen -Y sign|verify`, the mechanism git uses for signed commits): no
 * home-made crypto. evidence.json names the journal head and every file's sha256, so its
 * signature covers the whole bundle.
 *
 * ssh-keygen runs with stdin closed (or fed the file to check), in its own session (no
 * controlling terminal), with askpass disabled and a timeout: it can never stop to ask for a
 * passphrase during an incident. A failure is a result to record, never an exception.
 */
import {chmod, stat, unlink} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {InputError} from '../core/errors.js';
import {runCommand, type CommandRunner, type RunResult} from './process-runner.js';

/** The ssh-keygen namespace (-n): a signature made for anything else never verifies here. */
export const SIGNATURE_NAMESPACE = 'cavra-rollback-evidence';
/** ssh-keygen writes `<file>.sig` beside the file it signs. */
export const SIGNATURE_SUFFIX = '.sig';
const DEFAULT_TIMEOUT_MS = 15_000;
/** Never fall back to an askpass program (a GUI prompt on a root shell mid-incident). */
const NO_PROMPT_ENV = {SSH_ASKPASS_REQUIRE: 'never'};

export interface SignatureCheck {
	/** valid: checked against allowed signers; invalid: it fails; unsigned: no signature; unverifiable: could not be checked. */
	status: 'valid' | 'invalid' | 'unsigned' | 'unverifiable';
	/** The principal checked (or declared by evidence.json when it could not be checked). */
	signer?: string;
	reason?: string;
}

export interface SignOutcome {
	status: 'signed' | 'failed';
	signer: string;
	/** The signature file, when signed. */
	path?: string;
	reason?: string;
}

export interface SignOptions {
	/** Private key path, or a `.pub` whose private half is in ssh-agent (SSH_AUTH_SOCK). `~/` is the home folder. */
	key: string;
	signer: string;
	runner?: CommandRunner;
	timeoutMs?: number;
	env?: NodeJS.ProcessEnv;
}

/** `~/x` → the home folder's x; anything else resolved against `cwd`. */
export function expandKeyPath(key: string, cwd: string = process.cwd(), home: string = homedir()): string {
	if (key === '~') return home;
	if (key.startsWith('~/')) return path.join(home, key.slice(2));
	return path.resolve(cwd, key);
}

/** Sign `file` as `<file>.sig` (0600). A stale signature is removed first: it would no longer match. */
export async function signEvidence(file: string, options: SignOptions): Promise<SignOutcome> {
	const key = expandKeyPath(options.key);
	const signer = options.signer;
	const sigPath = `${file}${SIGNATURE_SUFFIX}`;
	const failed = (reason: string): SignOutcome => ({status: 'failed', signer, reason});
	try {
		if (!(await stat(key)).isFile()) return failed(`the signing key ${key} is not a file`);
	} catch (error) {
		return failed(`the signing key ${key} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
	const env = options.env ?? process.env;
	if (key.endsWith('.pub') && !env['SSH_AUTH_SOCK']) return failed(`${key} is a public key: its private half must be in ssh-agent, but SSH_AUTH_SOCK is not set`);
	try {
		await unlink(sigPath);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return failed(`cannot replace ${sigPath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
	const runner = options.runner ?? runCommand;
	const result = await runner(['ssh-keygen', '-Y', 'sign', '-f', key, '-n', SIGNATURE_NAMESPACE, path.resolve(file)], {
		timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		env: {...NO_PROMPT_ENV, ...(env['SSH_AUTH_SOCK'] !== undefined && {SSH_AUTH_SOCK: env['SSH_AUTH_SOCK']})},
	});
	if (!result.ok && /passphrase/i.test(result.stderrTail)) {
		return failed(`${key} is protected by a passphrase and cavra-rollback never asks for one: load it into ssh-agent (ssh-add) and set evidence.signingKey to its .pub`);
	}
	if (!result.ok) return failed(`ssh-keygen -Y sign failed: ${whyFailed(result)}`);
	try {
		// ssh-keygen creates it 0666 less the umask; evidence files are 0600 whatever the umask.
		await chmod(sigPath, 0o600);
	} catch (error) {
		return failed(`ssh-keygen left no ${sigPath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
	}
	return {status: 'signed', signer, path: sigPath};
}

export interface CheckOptions {
	/** An OpenSSH allowed_signers file; without it a signature cannot be checked. */
	allowedSigners?: string;
	/** The principal the signature must belong to; default the one evidence.json declares. */
	signer?: string;
	/** The principal evidence.json declares (its `signature.signer`). */
	declaredSigner?: string | null;
	runner?: CommandRunner;
	timeoutMs?: number;
}

/** Check `<file>.sig` over `file` with `ssh-keygen -Y verify`. Bad options (a missing allowed_signers file) throw InputError. */
export async function checkEvidenceSignature(file: string, options: CheckOptions): Promise<SignatureCheck> {
	const sigPath = `${file}${SIGNATURE_SUFFIX}`;
	const declared = options.declaredSigner ?? undefined;
	const named = options.signer ?? declared;
	if (!(await isFile(sigPath))) {
		return {
			status: 'unsigned',
			...(declared && {signer: declared}),
			reason: declared ? `evidence.json says it is signed by ${declared}, but ${path.basename(sigPath)} is missing (signing failed, or it was removed)` : `no ${path.basename(sigPath)}: the bundle is unsigned`,
		};
	}
	if (options.allowedSigners === undefined) {
		return {status: 'unverifiable', ...(named && {signer: named}), reason: 'no allowed signers file given (--allowed-signers or evidence.allowedSigners in the config)'};
	}
	const allowed = path.resolve(options.allowedSigners);
	if (!(await isFile(allowed))) throw new InputError(`${options.allowedSigners}: the allowed signers file cannot be read`, {file: options.allowedSigners, hint: 'one line per signer: PRINCIPAL KEYTYPE BASE64-KEY (see docs/evidence.md)'});
	const runner = options.runner ?? runCommand;
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	let principal = named;
	if (principal === undefined) {
		// Nobody named the signer: ask which allowed principal holds the signing key.
		const found = await runner(['ssh-keygen', '-Y', 'find-principals', '-f', allowed, '-s', path.resolve(sigPath)], {timeoutMs, env: NO_PROMPT_ENV});
		if (!found.ok && found.exitCode === null) return {status: 'unverifiable', reason: `ssh-keygen could not run: ${whyFailed(found)}`};
		principal = found.ok ? found.stdoutTail.split('\n')[0]?.trim() || undefined : undefined;
		if (principal === undefined) return {status: 'invalid', reason: `the signing key is not in ${options.allowedSigners}`};
	}
	const result = await runner(['ssh-keygen', '-Y', 'verify', '-f', allowed, '-I', principal, '-n', SIGNATURE_NAMESPACE, '-s', path.resolve(sigPath)], {timeoutMs, env: NO_PROMPT_ENV, stdinFile: path.resolve(file)});
	if (result.ok) return {status: 'valid', signer: principal};
	if (result.exitCode === null) return {status: 'unverifiable', signer: principal, reason: `ssh-keygen could not run: ${whyFailed(result)}`};
	// An edited file: "incorrect signature" on stderr. A key not listed for the principal: only stdout's "Could not verify signature.".
	const said = whyFailed(result);
	return {status: 'invalid', signer: principal, reason: result.stderrTail.trim() === '' ? `${said} (the signing key is not listed for ${principal} in ${options.allowedSigners})` : said};
}

/** ssh-keygen's own words (stderr, then stdout, where some of its verdicts go), else the runner's. */
function whyFailed(result: RunResult): string {
	const said = `${result.stderrTail}\n${result.stdoutTail}`
		.split('\n')
		.map(line => line.trim())
		.filter(Boolean)
		.join('; ');
	return said || result.error || `exit ${result.exitCode ?? '?'}`;
}

async function isFile(file: string): Promise<boolean> {
	try {
		return (await stat(file)).isFile();
	} catch {
		return false;
	}
}
