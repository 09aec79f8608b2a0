/**
 * The evidence bundle's `evidence.json` (`cavra-rollback.evidence.v1`, shape in
 * core/evidence/bundle.ts), built from the finished machine state and the facts the runner
 * gathered, plus the rollback's own details after the sealed fields (steps, notices, budget
 * source, rehearsal outputs). Pure. Nothing here may carry a secret: env files appear by path
 * and mode only, commands by redacted argv, outputs as tails the process runner redacted, API
 * answers by file reference.
 */
import type {EvidenceBundle, EvidenceResult} from '../evidence/bundle.js';
import {countdown, recoverySeconds, serviceOutcomes, withinTarget, type RollbackState, type StepState} from './machine.js';
import type {PlanFacts} from './preview.js';

export interface EnvFileFacts {
	path: string;
	modeBefore: string | null;
	modeAfter: string | null;
	action: string | null;
	backupPath: string | null;
}

export interface ServiceFacts {
	name: string;
	kind: string;
	group: string | null;
	/** Redacted argv of every command the adapter planned, in order. */
	commands: string[][];
	verifyUrl: string | null;
	expectMode: string;
	/** What the service reported at preflight (null: not answering, or no verify.url). */
	modeBefore: string | null;
	/** What it reported at the end of verification. */
	modeAfter: string | null;
	/** Tails are redacted by the process runner before they get here. */
	restart: {exitCode: number | null; signal: string | null; timedOut: boolean; durationMs: number | null; stdoutTail: string; stderrTail: string; hosts?: FleetHostFacts[]} | null;
	verify: {attempts: number; reason: string} | null;
}

/** One host of a fleet service, as the adapter reported it (already redacted and escaped). */
export interface FleetHostFacts {
	host: string;
	batch: number;
	batches?: number;
	state: string;
	modeBefore: string | null;
	modeAfter?: string | null;
	fileMode?: string;
	envFileChanged?: boolean;
	backup?: string | null;
	restart?: {status: string; exitCode: number | null; stderrTail: string; stdoutTail: string};
	verify?: {status: string; attempts: number | null; mode: string | null};
	failedStep?: string;
	message?: string;
	durationMs?: number | null;
}

/** A fleet host in evidence.json (snake_case like the rest). */
export function hostRecord(host: FleetHostFacts): Record<string, unknown> {
	return {
		host: host.host,
		batch: host.batch,
		state: host.state,
		env_file_mode_before: host.modeBefore,
		env_file_mode_after: host.modeAfter ?? null,
		file_permissions: host.fileMode ?? null,
		env_file_changed: host.envFileChanged ?? null,
		backup: host.backup ?? null,
		restart: host.restart ? {status: host.restart.status, exit_code: host.restart.exitCode, stderr_tail: host.restart.stderrTail, stdout_tail: host.restart.stdoutTail} : null,
		verify: host.verify ? {status: host.verify.status, attempts: host.verify.attempts, mode: host.verify.mode} : null,
		failed_step: host.failedStep ?? null,
		message: host.message ?? null,
		duration_ms: host.durationMs ?? null,
	};
}

export interface EvidenceFacts {
	configPath: string | null;
	plan: PlanFacts;
	/** The run this one continues (`--resume`), if any. */
	resumeOf: string | null;
	/** Epoch ms of the (first) start of this run. */
	startedAtMs: number;
	endedAtMs: number;
	serviceFilter: string[];
	envFiles: EnvFileFacts[];
	services: ServiceFacts[];
	/** `reports/` file names of the before and after captures, and each report's status. */
	reports: {before: string | null; after: string | null; statuses: {before: Record<string, string | null>; after: Record<string, string | null>}};
	rehearsal: {rehearsalEvidence: string | null; drillHistory: string | null; drillId: string | null; error: string | null} | null;
	journal: {records: number; headSha256: string | null};
}

/** The sealed fields, without `files` (the store hashes the folder when it writes). */
export type SealedEvidence = Omit<EvidenceBundle, 'files'>;

export type ServiceStatus = 'recovered' | 'restarted-unverified' | 'not-verified' | 'restart-failed' | 'restart-interrupted' | 'already-disabled' | 'not-run';

/** One service's outcome in evidence.json, from the run's steps (verify re-derives it from the journal's). */
export function serviceStatus(steps: readonly StepState[], name: string): ServiceStatus {
	const outcome = serviceOutcomes(steps).find(candidate => candidate.service === name);
	if (!outcome) return 'not-run';
	const restart = steps.find(step => step.id === `restart:${name}`);
	if (restart?.status === 'skipped' && restart.skipReason === 'already-done') return 'already-disabled';
	if (outcome.restart === 'failed') return 'restart-failed';
	if (outcome.restart === 'interrupted') return 'restart-interrupted';
	if (outcome.restart !== 'done') return 'not-run';
	if (outcome.verified) return 'recovered';
	return outcome.ok ? 'restarted-unverified' : 'not-verified';
}

function stepRecord(step: StepState) {
	return {
		id: step.id,
		status: step.status,
		...(step.skipReason ? {skip_reason: step.skipReason} : {}),
		started_at: step.startedAtMs === undefined ? null : new Date(step.startedAtMs).toISOString(),
		ended_at: step.endedAtMs === undefined ? null : new Date(step.endedAtMs).toISOString(),
		detail: step.detail ?? null,
	};
}

export function buildEvidence(state: RollbackState, facts: EvidenceFacts): {sealed: SealedEvidence; extras: Record<string, unknown>} {
	const result: EvidenceResult = state.result ?? 'cancelled';
	const seconds = state.kind === 'dry-run' ? null : recoverySeconds(state);
	const sealed: SealedEvidence = {
		schema_version: 'cavra-rollback.evidence.v1',
		run_id: state.runId,
		kind: state.kind,
		started_at: new Date(facts.startedAtMs).toISOString(),
		ended_at: new Date(facts.endedAtMs).toISOString(),
		recovery_seconds: seconds,
		max_recovery_minutes: state.budget.maxRecoveryMinutes,
		within_target: state.kind === 'dry-run' ? null : withinTarget(state),
		result,
		plan: {
			path: facts.plan.path,
			sha256: facts.plan.sha256,
			approval_id: facts.plan.approvalId,
			valid: facts.plan.state === 'ready' || facts.plan.state === 'not-approved',
			...(state.notices.some(isPlanNotice) && {notices: state.notices.filter(isPlanNotice)}),
			// Beyond the sealed shape: CAVRA's verdict in a word and its message.
			state: facts.plan.state,
			message: facts.plan.message,
			max_recovery_minutes: facts.plan.maxRecoveryMinutes,
			rollback_steps: facts.plan.rollbackSteps,
		} as SealedEvidence['plan'],
		targets: facts.envFiles.map(file => {
			const step = state.steps.find(candidate => candidate.id === `set-mode:${file.path}`);
			return {
				target: file.path,
				mode_before: file.modeBefore,
				mode_after: file.modeAfter,
				type: 'env-file',
				action: file.action,
				backup: file.backupPath,
				status: step?.status ?? 'not-run',
			};
		}),
		services: facts.services.map(service => {
			const restart = state.steps.find(step => step.id === `restart:${service.name}`);
			const verify = state.steps.find(step => step.id === `verify:${service.name}`);
			const outcome = serviceStatus(state.steps, service.name);
			return {
				name: service.name,
				kind: service.kind,
				outcome,
				duration_ms: service.restart?.durationMs ?? null,
				verified: service.verifyUrl === null ? null : outcome === 'recovered' || outcome === 'already-disabled',
				group: service.group,
				mode_before: service.modeBefore,
				mode_after: service.modeAfter,
				restart: {
					status: restart?.status ?? 'not-run',
					commands: service.commands,
					exit_code: service.restart?.exitCode ?? null,
					signal: service.restart?.signal ?? null,
					timed_out: service.restart?.timedOut ?? false,
					detail: restart?.detail ?? null,
					stdout_tail: service.restart?.stdoutTail ?? '',
					stderr_tail: service.restart?.stderrTail ?? '',
				},
				verify: {
					status: verify?.status ?? 'not-run',
					url: service.verifyUrl,
					expect_mode: service.expectMode,
					attempts: service.verify?.attempts ?? 0,
					ended_because: service.verify?.reason ?? null,
					detail: verify?.detail ?? null,
				},
				...(service.restart?.hosts && {hosts: service.restart.hosts.map(hostRecord)}),
			};
		}),
		reports: {before: facts.reports.before, after: facts.reports.after},
		journal: {path: 'journal.ndjson', head_sha256: facts.journal.headSha256, records: facts.journal.records},
	};
	const extras: Record<string, unknown> = {
		resume_of: facts.resumeOf,
		config_path: facts.configPath,
		service_filter: facts.serviceFilter,
		max_recovery_source: state.budget.source,
		budget_remaining_seconds: seconds === null ? null : Math.round(countdown(state).remainingMs) / 1000,
		exit_code: state.exitCode ?? null,
		notices: state.notices,
		report_status: facts.reports.statuses,
		steps: state.steps.map(stepRecord),
		rehearsal: facts.rehearsal,
	};
	return {sealed, extras};
}

function isPlanNotice(notice: string): boolean {
	return /ROLLBACK PLAN|max_recovery_minutes/.test(notice);
}
