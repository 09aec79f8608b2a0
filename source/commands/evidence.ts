/**
 * `cavra-rollback evidence verify [PATH]` and `evidence list`: re-check a bundle offline (its
 * journal, its files, that evidence.json agrees with the journal, its SSH signature), and list the
 * past runs. Exit codes for verify: 0 intact (and validly signed when allowed signers are given),
 * 1 tampered or not verified, 2 unreadable path or usage, 3 ssh-keygen could not run.
 */
import path from 'node:path';
import {UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {escapeHiddenInJson, visible} from '../core/text/sanitize.js';
import {formatDuration} from '../core/text/quantities.js';
import {loadConfig} from '../io/config.js';
import {fitToWidth, outputWidth} from '../io/terminal.js';
import {latestEvidenceRun, listEvidenceRuns, type EvidenceRunSummary} from '../io/evidence-list.js';
import {verifyEvidenceBundle, type EvidenceProblem, type EvidenceVerification, type SignatureCheck} from '../io/evidence-verify.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandContext, CommandRun} from './context.js';

export const VERIFY_REPORT_SCHEMA_VERSION = 'cavra-rollback.evidence-verify.v1';
export const LIST_REPORT_SCHEMA_VERSION = 'cavra-rollback.evidence-list.v1';

interface VerifyRequest {
	what: 'verify';
	path?: string;
	json: boolean;
	dir?: string;
	allowedSigners?: string;
	signer?: string;
}

interface ListRequest {
	what: 'list';
	json: boolean;
	dir?: string;
}

const VERIFY_HELP = `
PATH is a run folder (<evidence.dir>/<run-id>) or its evidence.json; without it, the latest run
under the evidence folder (named on stderr).
Checks: the journal's hash chain; the journal head and every file's sha256 sealed in evidence.json;
that evidence.json tells the journal's story (result, exit code, each service's outcome,
within_target, reports); and, with an allowed signers file, the SSH signature evidence.json.sig.
Given allowed signers, an unsigned bundle does not verify.

Exit codes: 0 intact, 1 tampered or signature not valid (the first problem is named), 2 unreadable
path or usage, 3 ssh-keygen could not run.`;

export const run: CommandRun = async context => {
	// `attach` lives in its own module (evidence-attach.ts), with its own flags and --help.
	if (context.argv[0] === 'attach') return (await import('./evidence-attach.js')).run({...context, argv: context.argv.slice(1)});
	let request: VerifyRequest | ListRequest | undefined;
	const command = createCommand('evidence', context)
		.description('Work with rollback evidence bundles (<evidence.dir>/<run-id>/).')
		.addHelpText('after', '\nExamples:\n  cavra-rollback evidence list\n  cavra-rollback evidence verify --allowed-signers ./allowed_signers\n  cavra-rollback evidence verify ./cavra-evidence/rb-20260101T120000Z-1a2b3c --json');
	command
		.command('verify')
		.description("Re-check a bundle offline: hash chain, sealed files, evidence.json against the journal, SSH signature.")
		.argument('[path]', 'the run folder, or its evidence.json (default: the latest run)')
		.option('--json', 'print the result as JSON')
		.option('--allowed-signers <file>', 'OpenSSH allowed_signers file to check the signature against (config: evidence.allowedSigners)')
		.option('--signer <principal>', 'the principal that must have signed (default: the one evidence.json names)')
		.option('--dir <folder>', 'the evidence folder to take the latest run from (config: evidence.dir)')
		.addHelpText('after', VERIFY_HELP)
		.action((target: string | undefined, options: {json?: boolean; allowedSigners?: string; signer?: string; dir?: string}) => {
			request = {what: 'verify', json: options.json === true, ...(target !== undefined && {path: target}), ...pick(options, 'allowedSigners', 'signer', 'dir')};
		});
	command
		.command('list')
		.description('Past runs under the evidence folder, newest first: id, kind, result, started, duration, signed.')
		.option('--json', 'print the runs as JSON')
		.option('--dir <folder>', 'the evidence folder (config: evidence.dir; default ./cavra-evidence)')
		.addHelpText('after', '\nA run without evidence.json is "incomplete" (interrupted, or still running); a damaged one is "unreadable".')
		.action((options: {json?: boolean; dir?: string}) => {
			request = {what: 'list', json: options.json === true, ...pick(options, 'dir')};
		});
	command.command('attach').description("Attach the plan, its approval, the latest rehearsal and a verified bundle to CAVRA's promotion evidence (see: evidence attach --help).");
	// Bare `evidence` is a usage error (exit 2), not a request for help.
	if (context.argv.length === 0) {
		context.stderr.write(command.helpInformation());
		throw new UsageError('evidence needs a subcommand: verify [PATH], list or attach', 'see: cavra-rollback evidence --help');
	}
	parseCommand(command, context);
	if (!request) throw new UsageError('evidence needs a subcommand: verify [PATH], list or attach', 'see: cavra-rollback evidence --help');
	return request.what === 'list' ? list(request, context) : verify(request, context);
};

async function list(request: ListRequest, context: CommandContext): Promise<number> {
	const dir = await evidenceDir(request.dir, context);
	const runs = await listEvidenceRuns(dir);
	context.stdout.write(request.json ? `${escapeHiddenInJson(JSON.stringify(listJson(dir, runs), null, 2))}\n` : listText(dir, runs, outputWidth(context.stdout, context.env)));
	return ExitCode.ok;
}

async function verify(request: VerifyRequest, context: CommandContext): Promise<number> {
	const settings = await evidenceSettings(context);
	let target = request.path;
	if (target === undefined) {
		const dir = request.dir === undefined ? settings.dir : path.resolve(context.cwd, request.dir);
		const latest = await latestEvidenceRun(dir);
		if (!latest) throw new UsageError(`no runs in ${dir} to verify`, 'give the run folder: cavra-rollback evidence verify <evidence.dir>/<run-id>');
		context.stderr.write(await fitToWidth(`verifying the latest run: ${visible(latest.id)} (${visible(dir)})\n`, context.stderr, context.env));
		target = latest.path;
	} else {
		target = path.resolve(context.cwd, target);
	}
	const allowedSigners = request.allowedSigners === undefined ? settings.allowedSigners : path.resolve(context.cwd, request.allowedSigners);
	const result = await verifyEvidenceBundle(target, {...(allowedSigners !== undefined && {allowedSigners}), ...(request.signer !== undefined && {signer: request.signer})});
	context.stdout.write(request.json ? `${escapeHiddenInJson(JSON.stringify(toJson(result), null, 2))}\n` : await fitToWidth(textReport(result), context.stdout, context.env));
	if (result.ok) return ExitCode.ok;
	if (result.intact && result.signature.status === 'unverifiable') return ExitCode.external;
	return ExitCode.findings;
}

/** evidence.dir and evidence.allowedSigners from the config (paths already resolved by the loader). */
async function evidenceSettings(context: CommandContext): Promise<{dir: string; allowedSigners?: string}> {
	const {config} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	return {dir: config.evidence?.dir ?? path.resolve(context.cwd, 'cavra-evidence'), ...(config.evidence?.allowedSigners !== undefined && {allowedSigners: config.evidence.allowedSigners})};
}

async function evidenceDir(flag: string | undefined, context: CommandContext): Promise<string> {
	return flag === undefined ? (await evidenceSettings(context)).dir : path.resolve(context.cwd, flag);
}

export function textReport(result: EvidenceVerification): string {
	const lines: string[] = [];
	if (result.ok) {
		lines.push(`intact: ${result.records} journal records, ${result.files} files, head sha256 ${result.headSha256 ?? '(empty journal)'}`);
	} else if (result.intact) {
		lines.push(`NOT VERIFIED: the journal and files agree with evidence.json, but the signature is ${result.signature.status}`);
	} else {
		// The signature has its own line below.
		const [first, ...rest] = result.problems.filter(problem => problem.kind !== 'signature');
		lines.push(`TAMPERED: ${describeProblem(first!)}`);
		for (const problem of rest) lines.push(`  also: ${describeProblem(problem)}`);
	}
	lines.push(`signature: ${describeSignature(result.signature)}`);
	if (result.unlisted.length > 0) lines.push(`  note: not listed in evidence.json: ${result.unlisted.map(visible).join(', ')}`);
	return `${lines.join('\n')}\n`;
}

export function describeProblem(problem: EvidenceProblem): string {
	const reason = visible(problem.reason);
	if (problem.kind === 'journal' && problem.line !== undefined) return `journal record ${problem.record} (line ${problem.line}): ${reason}`;
	if (problem.kind === 'journal') return `journal ${visible(problem.file)}: ${reason}`;
	return `${visible(problem.file)}: ${reason}`;
}

function describeSignature(signature: SignatureCheck): string {
	const by = signature.signer === undefined ? '' : ` by ${visible(signature.signer)}`;
	const why = signature.reason === undefined ? '' : ` (${visible(signature.reason)})`;
	switch (signature.status) {
		case 'valid':
			return `valid, signed${by}`;
		case 'invalid':
			return `INVALID${by}${why}`;
		case 'unsigned':
			return `unsigned${why}`;
		case 'unverifiable':
			return `present but not checked${by}${why}`;
	}
}

function toJson(result: EvidenceVerification) {
	return {
		schema_version: VERIFY_REPORT_SCHEMA_VERSION,
		result: result.ok ? 'intact' : result.intact ? 'not_verified' : 'tampered',
		run_id: result.runId,
		run_dir: result.runDir,
		journal: {records: result.records, sealed_records: result.sealedRecords, head_sha256: result.headSha256},
		files: result.files,
		signature: {status: result.signature.status, signer: result.signature.signer ?? null, reason: result.signature.reason ?? null},
		first_bad: result.firstBad ?? null,
		problems: result.problems,
		unlisted: result.unlisted,
	};
}

function listJson(dir: string, runs: EvidenceRunSummary[]) {
	return {
		schema_version: LIST_REPORT_SCHEMA_VERSION,
		dir,
		runs: runs.map(run => ({
			id: run.id,
			path: run.path,
			kind: run.kind,
			result: run.result,
			started_at: run.startedAt,
			ended_at: run.endedAt,
			duration_seconds: run.durationSeconds,
			signed: run.signed,
			...(run.reason !== undefined && {reason: run.reason}),
		})),
	};
}

/** A table when it fits the terminal; narrower, one block per run (id alone on its line, to copy). */
function listText(dir: string, runs: EvidenceRunSummary[], width: number): string {
	if (runs.length === 0) return `no runs in ${visible(dir)}\n`;
	const rows = [
		['RUN', 'KIND', 'RESULT', 'STARTED', 'DURATION', 'SIGNED'],
		...runs.map(run => [run.id, run.kind ?? '-', run.result, run.startedAt ?? '-', run.durationSeconds === null ? '-' : formatDuration(run.durationSeconds * 1000), run.signed ? 'signed' : 'unsigned'].map(visible)),
	];
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)));
	const table = rows.map(row => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
	if (Math.max(...table.map(line => line.length)) <= width) return `${table.join('\n')}\n`;
	const blocks = rows.slice(1).map(([id, kind, result, started, duration, signed]) => `${id}\n  ${kind} · ${result} · ${signed}\n  started ${started} · ${duration}`);
	return `${blocks.join('\n')}\n`;
}


function pick<T extends object, K extends keyof T>(object: T, ...keys: K[]): {[P in K]?: NonNullable<T[P]>} {
	return Object.fromEntries(keys.filter(key => object[key] !== undefined).map(key => [key, object[key]])) as {[P in K]?: NonNullable<T[P]>};
}
