/**
 * The plain renderer of a rollback (`--plain`, not a TTY, `--json`): one line per change of a
 * step's state, computed from two successive machine states. Pure; the command writes the lines
 * to stderr (progress) and the summary to stdout (the result). Step details, notices and paths
 * quote the plan, env files, config and service output: every line leaves through `visible`.
 */
import {shellCommand} from '../text/shell-command.js';
import {visible} from '../text/sanitize.js';
import {formatDuration} from '../text/quantities.js';
import {fleetChangeLines} from './fleet-lines.js';
import {countdown, describeStep, recoverySeconds, resultWords, statusSymbols, statusWords, type RollbackState, type StepState} from './machine.js';

function seconds(step: StepState): string {
	if (step.startedAtMs === undefined || step.endedAtMs === undefined || step.status === 'cancelled' && step.startedAtMs === step.endedAtMs) return '';
	// The adapter's detail often says how long already ("exit 0 (4.6 s)").
	if (/\(\d+(?:\.\d+)? m?s\)$/.test(step.detail ?? '')) return '';
	return ` (${formatDuration(step.endedAtMs - step.startedAtMs)})`;
}

function budgetNote(state: RollbackState): string {
	if (state.clockStartedAtMs === undefined) return '';
	return `  [budget ${countdown(state).text}]`;
}

/** Lines for what changed between `prev` and `next` (step starts and ends, new notices, Ctrl-C). */
export function progressLines(prev: RollbackState | undefined, next: RollbackState): string[] {
	const lines: string[] = [];
	if (!prev) lines.push(`cavra-rollback: ${next.kind === 'rehearsal' ? 'rehearsal' : next.kind === 'dry-run' ? 'dry run' : 'rollback'} ${next.runId}`);
	for (const notice of next.notices) if (!prev?.notices.includes(notice)) lines.push(`!! ${notice}`);
	if (next.cancelRequested && !prev?.cancelRequested && !next.abortRequested) lines.push('Ctrl-C: stopping after the current step (press Ctrl-C again to abort now)');
	if (next.abortRequested && !prev?.abortRequested) lines.push('Ctrl-C again: aborting now (the journal is still written)');
	if (next.clockStartedAtMs !== undefined && prev?.clockStartedAtMs === undefined) lines.push(`recovery clock started: budget ${next.budget.maxRecoveryMinutes} min`);
	for (const step of next.steps) {
		const before = prev?.steps.find(candidate => candidate.id === step.id);
		if (step.fleet && step.fleet !== before?.fleet) lines.push(...fleetChangeLines(before?.fleet, step.fleet));
		if (before?.status === step.status) continue;
		if (step.status === 'running') lines.push(`${statusSymbols.running} ${step.label} …${budgetNote(next)}`);
		else if (step.status !== 'pending' && !(step.status === 'cancelled' && next.phase === 'finished' && before?.status === 'pending')) {
			const text = describeStep(step);
			lines.push(`${statusSymbols[step.status]} ${step.label}: ${statusWords[step.status]}${text ? `: ${text}` : ''}${seconds(step)}`);
		}
	}
	return lines.map(visible);
}

/** How the run was started, so the printed `--resume` command works verbatim: the config file it used, and `--yes` if given. */
export interface RunFlags {
	configPath?: string | null | undefined;
	yes?: boolean | undefined;
}

/** The command that continues this run, as argv: `--config` (absolute) first, `--rehearse` for a rehearsal, `--yes` when the run had it; never `--service` (a resume keeps the run's services). */
export function resumeArgv(state: Pick<RollbackState, 'runId' | 'kind'>, flags: RunFlags = {}): string[] {
	return [
		'cavra-rollback',
		...(flags.configPath ? ['--config', flags.configPath] : []),
		'rollback',
		'--resume',
		state.runId,
		...(state.kind === 'rehearsal' ? ['--rehearse'] : []),
		...(flags.yes ? ['--yes'] : []),
	];
}

/** The final summary: result, recovery time against the budget, evidence path, what to do next. */
export function summaryLines(state: RollbackState, options: {evidencePath?: string | undefined; runDir?: string | undefined; flags?: RunFlags | undefined} = {}): string[] {
	const lines: string[] = [];
	const result = state.result ?? 'cancelled';
	lines.push(resultWords[result]);
	const notRun = state.steps.filter(step => step.status === 'cancelled' && step.kind !== 'evidence');
	const failed = state.steps.filter(step => step.status === 'failed');
	for (const step of failed) lines.push(`  ✖ ${step.label}: ${step.detail ?? 'failed'}`);
	const interrupted = state.steps.filter(step => step.status === 'interrupted');
	if (interrupted.length > 0) lines.push(`  interrupted (a resume re-probes them): ${interrupted.map(step => step.id).join(', ')}`);
	if (result === 'cancelled' && notRun.length > 0) lines.push(`  not run: ${notRun.map(step => step.id).join(', ')}`);
	const secs = recoverySeconds(state);
	if (state.kind !== 'dry-run' && secs !== null) {
		const within = secs <= state.budget.maxRecoveryMinutes * 60;
		if (result === 'recovered') lines.push(`recovery time: ${formatDuration(secs * 1000)} of the ${state.budget.maxRecoveryMinutes} min budget: ${within ? 'within target' : 'OVER BUDGET'}`);
		else lines.push(`time since the change began: ${formatDuration(secs * 1000)} of the ${state.budget.maxRecoveryMinutes} min budget; not recovered`);
	}
	const keptNothing = state.steps.some(step => step.kind === 'evidence' && step.skipReason === 'nothing-changed');
	if (keptNothing) lines.push(state.kind === 'dry-run' ? 'nothing was changed; a dry run keeps no evidence bundle' : 'nothing was changed: no evidence bundle kept, nothing to resume');
	if (options.evidencePath) lines.push(`evidence: ${options.evidencePath}`);
	else if (options.runDir) lines.push(`evidence folder (evidence.json not written): ${options.runDir}`);
	if (options.runDir) {
		// Commands on their own line, quoted for the shell: they are copied whole.
		lines.push('verify it:', `  ${shellCommand(['cavra-rollback', 'evidence', 'verify', options.runDir])}`);
		if (result === 'cancelled' || result === 'partial' || result === 'failed') {
			if (state.kind !== 'dry-run') lines.push('continue it:', `  ${shellCommand(resumeArgv(state, options.flags))}`);
		}
	}
	return lines.map(visible);
}
