/**
 * `cavra-rollback evidence verify PATH [--json]`: re-check an evidence bundle offline.
 * Exit 0 intact, 1 tampered (naming the first bad record or file), 2 unreadable path or usage.
 */
import {UsageError} from '../core/errors.js';
import {ExitCode} from '../core/exit-codes.js';
import {verifyEvidence, type EvidenceProblem, type EvidenceVerification} from '../io/evidence-verify.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandRun} from './context.js';

export const VERIFY_REPORT_SCHEMA_VERSION = 'cavra-rollback.evidence-verify.v1';

export const run: CommandRun = async context => {
	let request: {path: string; json: boolean} | undefined;
	const command = createCommand('evidence', context)
		.description("Work with rollback evidence bundles (<evidence.dir>/<run-id>/).")
		.addHelpText('after', '\nExample: cavra-rollback evidence verify ./cavra-evidence/rb-20260101T120000Z-1a2b3c');
	command
		.command('verify')
		.description("Re-check a bundle offline: the journal's hash chain, the journal head sealed in evidence.json, and every file's sha256.")
		.argument('<path>', 'the run folder, or its evidence.json')
		.option('--json', 'print the result as JSON')
		.addHelpText('after', '\nExit codes: 0 intact, 1 tampered (the first bad record or file is named), 2 unreadable path or usage.')
		.action((path: string, options: {json?: boolean}) => {
			request = {path, json: options.json === true};
		});
	// Bare `evidence` is a usage error (exit 2), not a request for help.
	if (context.argv.length === 0) {
		context.stderr.write(command.helpInformation());
		throw new UsageError('evidence needs a subcommand: verify PATH', 'see: cavra-rollback evidence --help');
	}
	parseCommand(command, context);
	if (!request) throw new UsageError('evidence needs a subcommand: verify PATH', 'see: cavra-rollback evidence --help');

	const result = await verifyEvidence(request.path);
	context.stdout.write(request.json ? `${JSON.stringify(toJson(result), null, 2)}\n` : textReport(result));
	return result.ok ? ExitCode.ok : ExitCode.findings;
};

export function textReport(result: EvidenceVerification): string {
	const lines: string[] = [];
	if (result.ok) {
		lines.push(`intact: ${result.records} journal records, ${result.files} files, head sha256 ${result.headSha256 ?? '(empty journal)'}`);
		const trailing = result.sealedRecords === null ? 0 : result.records - result.sealedRecords;
		if (trailing > 0) lines.push(`  note: ${trailing} journal record(s) were written after evidence.json was sealed (chained, but not covered by the seal)`);
	} else {
		const [first, ...rest] = result.problems;
		lines.push(`TAMPERED: ${describeProblem(first!)}`);
		for (const problem of rest) lines.push(`  also: ${describeProblem(problem)}`);
	}
	if (result.unlisted.length > 0) lines.push(`  note: not listed in evidence.json: ${result.unlisted.join(', ')}`);
	return `${lines.join('\n')}\n`;
}

export function describeProblem(problem: EvidenceProblem): string {
	if (problem.kind === 'journal' && problem.line !== undefined) return `journal record ${problem.record} (line ${problem.line}): ${problem.reason}`;
	if (problem.kind === 'journal') return `journal ${problem.file}: ${problem.reason}`;
	return `${problem.file}: ${problem.reason}`;
}

function toJson(result: EvidenceVerification) {
	return {
		schema_version: VERIFY_REPORT_SCHEMA_VERSION,
		result: result.ok ? 'intact' : 'tampered',
		run_id: result.runId,
		run_dir: result.runDir,
		journal: {records: result.records, sealed_records: result.sealedRecords, head_sha256: result.headSha256},
		files: result.files,
		first_bad: result.firstBad ?? null,
		problems: result.problems,
		unlisted: result.unlisted,
	};
}
