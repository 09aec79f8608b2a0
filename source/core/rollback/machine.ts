/**
 * The guided rollback as a pure state machine: the steps of one run, the transitions between
 * their states, the run's result, its exit code and the recovery countdown. No fs, no network,
 * no processes, no clock: every event carries its own time. `io/rollback-runner.ts` executes it;
 * the Ink screen and the plain renderer only read its state.
 */
import type {FleetProgress} from '../ansible/progress.js';
import {ExitCode, type ExitCodeValue} from '../exit-codes.js';
import {formatClock} from '../text/quantities.js';
import {GLYPHS} from '../text/glyphs.js';

export type RunKind = 'rollback' | 'rehearsal' | 'dry-run';
export type StepKind = 'preflight' | 'set-mode' | 'restart' | 'verify' | 'capture' | 'record' | 'evidence';
/**
 * `cancelled` is "not run" (stopped before it started); `interrupted` is a step that was running
 * when the second Ctrl-C (or SIGTERM) killed it: half done, so a resume re-probes it.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';
/** `previewed` is a dry run's only result: nothing was changed, so nothing recovered or failed. */
export type RunResult = 'recovered' | 'partial' | 'failed' | 'cancelled' | 'previewed';
export type RunPhase = 'preflight' | 'confirm' | 'running' | 'finished';

/** Why a finished step was skipped; the screen and the evidence say it in words. */
export type SkipReason =
	/** `--resume` re-probed the live state and found the work already done. */
	| 'already-done'
	/** The service has no `verify.url`: a successful restart is the only proof. */
	| 'not-configured'
	/** An earlier step this one depends on failed (e.g. verify after a failed restart). */
	| 'blocked'
	/** `--dry-run`: previewed only. */
	| 'dry-run'
	/** The evidence of a run that changed nothing (a dry run, a declined one): not kept. */
	| 'nothing-changed';

export interface StepState {
	/** Stable id, also the journal's `step`: `preflight`, `set-mode:<file>`, `restart:<service>`, `verify:<service>`, `capture`, `evidence`. */
	id: string;
	kind: StepKind;
	label: string;
	/** The env file or service the step acts on. */
	target?: string;
	/** Restart/verify steps: the restart batch (services sharing a group share a batch). */
	batch?: number;
	status: StepStatus;
	skipReason?: SkipReason;
	/** One line: what happened (exit status, mode seen, error). Never a secret. */
	detail?: string;
	startedAtMs?: number;
	endedAtMs?: number;
	/** A fleet's restart (Ansible): one row per host, as it runs (strings already escaped and redacted). */
	fleet?: FleetProgress;
}

export interface StepDefinition {
	id: string;
	kind: StepKind;
	label: string;
	target?: string;
	batch?: number;
}

export interface RecoveryBudget {
	maxRecoveryMinutes: number;
	/** Where the budget came from: the plan, or the default because the plan is missing or invalid. */
	source: 'plan' | 'default';
}

export interface RollbackState {
	runId: string;
	kind: RunKind;
	phase: RunPhase;
	steps: StepState[];
	budget: RecoveryBudget;
	/** When the change began (confirmation given): the countdown and recovery time start here. */
	clockStartedAtMs?: number;
	/** When the last verify finished (or the run ended without one). */
	clockStoppedAtMs?: number;
	nowMs: number;
	/** First Ctrl-C: finish the current step, then stop. */
	cancelRequested: boolean;
	/** Second Ctrl-C: stop now (the journal is still written). */
	abortRequested: boolean;
	/** Loud notices: missing plan, unverifiable services, unreachable API. */
	notices: string[];
	/** The last lines of output of the running command(s), redacted. */
	tail: string[];
	tailStepId?: string;
	result?: RunResult;
	exitCode?: ExitCodeValue;
	evidencePath?: string;
}

export type RollbackEvent =
	| {type: 'phase'; phase: RunPhase; atMs: number}
	| {type: 'clock-start'; atMs: number}
	/** The last verification ended: the recovery time is fixed, the countdown stops. */
	| {type: 'clock-stop'; atMs: number}
	| {type: 'step-started'; id: string; atMs: number}
	| {type: 'step-finished'; id: string; status: 'done' | 'failed' | 'skipped' | 'cancelled' | 'interrupted'; skipReason?: SkipReason; detail?: string; atMs: number}
	| {type: 'output'; id: string; lines: string[]}
	/** A fleet's hosts moved (the restart step of an Ansible service). */
	| {type: 'fleet'; id: string; progress: FleetProgress}
	| {type: 'notice'; message: string}
	| {type: 'cancel-requested'; atMs: number}
	| {type: 'abort-requested'; atMs: number}
	| {type: 'tick'; atMs: number}
	| {type: 'budget'; budget: RecoveryBudget}
	/** Before the evidence step: whatever did not run is recorded as not run (why: Ctrl-C, or an earlier failure). */
	| {type: 'close-unrun'; atMs: number}
	| {type: 'finished'; atMs: number; evidencePath?: string};

export const TAIL_LINES = 8;
/** CAVRA's documentation example; used (and said loudly) when the plan gives no valid budget. */
export const DEFAULT_MAX_RECOVERY_MINUTES = 15;

export function initialState(options: {runId: string; kind: RunKind; steps: StepDefinition[]; budget: RecoveryBudget; nowMs: number}): RollbackState {
	const ids = new Set<string>();
	for (const step of options.steps) {
		if (ids.has(step.id)) throw new Error(`duplicate rollback step id ${step.id}`);
		ids.add(step.id);
	}
	return {
		runId: options.runId,
		kind: options.kind,
		phase: 'preflight',
		steps: options.steps.map(step => ({...step, status: 'pending'})),
		budget: options.budget,
		nowMs: options.nowMs,
		cancelRequested: false,
		abortRequested: false,
		notices: [],
		tail: [],
	};
}

/** The steps of a run, in execution order. */
export function buildSteps(options: {
	envFiles: readonly string[];
	/** Restart batches in order; each a list of services restarted in parallel. */
	batches: ReadonlyArray<ReadonlyArray<{name: string; kind: string}>>;
	/** `--rehearse`: a step that writes CAVRA's rehearsal evidence and the drill entry. */
	rehearsal?: boolean;
}): StepDefinition[] {
	const steps: StepDefinition[] = [{id: 'preflight', kind: 'preflight', label: 'Preflight: config, plan, readiness before, current mode'}];
	for (const file of options.envFiles) {
		steps.push({id: `set-mode:${file}`, kind: 'set-mode', label: `Set CAVRA_GO_BACKEND_MODE=disabled in ${file}`, target: file});
	}
	options.batches.forEach((batch, index) => {
		for (const service of batch) {
			steps.push({id: `restart:${service.name}`, kind: 'restart', label: `Restart ${service.name} (${service.kind})`, target: service.name, batch: index});
		}
	});
	options.batches.forEach((batch, index) => {
		for (const service of batch) {
			steps.push({id: `verify:${service.name}`, kind: 'verify', label: `Verify ${service.name} reports mode disabled`, target: service.name, batch: index});
		}
	});
	steps.push({id: 'capture', kind: 'capture', label: 'Capture readiness reports after'});
	if (options.rehearsal) steps.push({id: 'record', kind: 'record', label: 'Record rehearsal evidence and the drill'});
	steps.push({id: 'evidence', kind: 'evidence', label: 'Write the evidence bundle'});
	return steps;
}

const FINISHED: ReadonlySet<StepStatus> = new Set(['done', 'failed', 'skipped', 'cancelled', 'interrupted']);

export function isFinished(status: StepStatus): boolean {
	return FINISHED.has(status);
}

/** The reducer. Invalid transitions (finishing a step twice, starting a finished one) throw: they are bugs in the runner. */
export function reduce(state: RollbackState, event: RollbackEvent): RollbackState {
	switch (event.type) {
		case 'phase':
			return {...state, phase: event.phase, nowMs: Math.max(state.nowMs, event.atMs)};
		case 'clock-start':
			return state.clockStartedAtMs === undefined ? {...state, clockStartedAtMs: event.atMs, nowMs: Math.max(state.nowMs, event.atMs)} : state;
		case 'clock-stop':
			return state.clockStartedAtMs !== undefined && state.clockStoppedAtMs === undefined ? {...state, clockStoppedAtMs: Math.max(state.clockStartedAtMs, event.atMs), nowMs: Math.max(state.nowMs, event.atMs)} : state;
		case 'budget':
			return {...state, budget: event.budget};
		case 'step-started': {
			const step = findStep(state, event.id);
			if (step.status !== 'pending') throw new Error(`step ${event.id} cannot start: it is ${step.status}`);
			return {
				...updateStep(state, event.id, {status: 'running', startedAtMs: event.atMs}),
				nowMs: Math.max(state.nowMs, event.atMs),
				tail: [],
				tailStepId: event.id,
			};
		}
		case 'step-finished': {
			const step = findStep(state, event.id);
			if (step.status !== 'running' && step.status !== 'pending') throw new Error(`step ${event.id} cannot finish: it is ${step.status}`);
			const patch: Partial<StepState> = {status: event.status, endedAtMs: event.atMs, startedAtMs: step.startedAtMs ?? event.atMs};
			if (event.detail !== undefined) patch.detail = event.detail;
			if (event.skipReason !== undefined) patch.skipReason = event.skipReason;
			return {...updateStep(state, event.id, patch), nowMs: Math.max(state.nowMs, event.atMs)};
		}
		case 'output': {
			const tail = state.tailStepId === event.id ? [...state.tail, ...event.lines] : [...event.lines];
			return {...state, tail: tail.slice(-TAIL_LINES), tailStepId: event.id};
		}
		case 'fleet':
			findStep(state, event.id);
			return updateStep(state, event.id, {fleet: event.progress});
		case 'notice':
			return state.notices.includes(event.message) ? state : {...state, notices: [...state.notices, event.message]};
		case 'cancel-requested':
			return {...state, cancelRequested: true, nowMs: Math.max(state.nowMs, event.atMs)};
		case 'abort-requested':
			return {...state, cancelRequested: true, abortRequested: true, nowMs: Math.max(state.nowMs, event.atMs)};
		case 'tick':
			return {...state, nowMs: Math.max(state.nowMs, event.atMs)};
		case 'close-unrun':
			return {...state, steps: closeUnrun(state, event.atMs, step => step.kind !== 'evidence'), nowMs: Math.max(state.nowMs, event.atMs)};
		case 'finished': {
			const steps = closeUnrun(state, event.atMs, () => true);
			const next: RollbackState = {...state, steps, phase: 'finished', nowMs: Math.max(state.nowMs, event.atMs)};
			if (next.clockStartedAtMs !== undefined && next.clockStoppedAtMs === undefined) next.clockStoppedAtMs = recoveryEndMs(next) ?? event.atMs;
			const result = classifyResult(next);
			const finished: RollbackState = {...next, result, exitCode: exitCodeFor(result, next.steps)};
			if (event.evidencePath !== undefined) finished.evidencePath = event.evidencePath;
			return finished;
		}
	}
}

/** Whatever did not run is `cancelled` ("not run"), with the reason. */
function closeUnrun(state: RollbackState, atMs: number, which: (step: StepState) => boolean): StepState[] {
	const declined = state.cancelRequested && !state.abortRequested && state.phase === 'confirm';
	const why = state.abortRequested ? 'aborted (Ctrl-C twice)' : declined ? 'not confirmed (Esc, Ctrl-C or no answer)' : state.cancelRequested ? 'stopped by Ctrl-C' : 'an earlier step did not succeed';
	return state.steps.map(step => (isFinished(step.status) || !which(step) ? step : {...step, status: 'cancelled' as const, endedAtMs: atMs, detail: step.detail ?? why}));
}

function findStep(state: RollbackState, id: string): StepState {
	const step = state.steps.find(candidate => candidate.id === id);
	if (!step) throw new Error(`unknown rollback step ${id}`);
	return step;
}

function updateStep(state: RollbackState, id: string, patch: Partial<StepState>): RollbackState {
	return {...state, steps: state.steps.map(step => (step.id === id ? {...step, ...patch} : step))};
}

/** Recovery ends when the last restart/verify step ended (the capture of reports is bookkeeping). */
function recoveryEndMs(state: RollbackState): number | undefined {
	let end: number | undefined;
	for (const step of state.steps) {
		if ((step.kind === 'set-mode' || step.kind === 'restart' || step.kind === 'verify') && step.endedAtMs !== undefined && step.status !== 'cancelled') {
			end = end === undefined ? step.endedAtMs : Math.max(end, step.endedAtMs);
		}
	}
	return end;
}

export interface ServiceOutcome {
	service: string;
	restart: StepStatus;
	verify: StepStatus;
	/** True only when the service itself answered with the expected mode. */
	verified: boolean;
	/** The service is back: restarted (or already disabled) and verified or not verifiable by config. */
	ok: boolean;
	detail: string;
}

export function serviceOutcomes(steps: readonly StepState[]): ServiceOutcome[] {
	const outcomes: ServiceOutcome[] = [];
	for (const restart of steps.filter(step => step.kind === 'restart')) {
		const verify = steps.find(step => step.kind === 'verify' && step.target === restart.target);
		const restartOk = restart.status === 'done' || restart.status === 'skipped' && restart.skipReason === 'already-done';
		const verifyStatus = verify?.status ?? 'skipped';
		const verified = verifyStatus === 'done' || verifyStatus === 'skipped' && verify?.skipReason === 'already-done';
		const unverifiable = verifyStatus === 'skipped' && (verify?.skipReason === 'not-configured' || verify === undefined);
		outcomes.push({
			service: restart.target ?? restart.id,
			restart: restart.status,
			verify: verifyStatus,
			verified,
			ok: restartOk && (verified || unverifiable),
			detail: [restart.detail, verify?.detail].filter(Boolean).join('; '),
		});
	}
	return outcomes;
}

/**
 * recovered: every env file set and every service back; partial: some services back, some not;
 * failed: nothing came back (or the mode could not be set); cancelled: Ctrl-C stopped the run.
 */
export function classifyResult(state: Pick<RollbackState, 'steps' | 'cancelRequested' | 'kind'>): RunResult {
	const {steps} = state;
	if (state.kind === 'dry-run') {
		const preflight = steps.find(step => step.kind === 'preflight');
		if (preflight?.status === 'done') return 'previewed';
		return state.cancelRequested ? 'cancelled' : 'failed';
	}
	const changing = steps.filter(step => step.kind === 'set-mode' || step.kind === 'restart' || step.kind === 'verify');
	if (state.cancelRequested && changing.some(step => step.status === 'cancelled' || step.status === 'interrupted' || step.status === 'pending' || step.status === 'running')) return 'cancelled';
	const setMode = steps.filter(step => step.kind === 'set-mode');
	const setModeOk = setMode.every(step => step.status === 'done' || step.status === 'skipped' && step.skipReason === 'already-done');
	const outcomes = serviceOutcomes(steps);
	const servicesOk = outcomes.filter(outcome => outcome.ok).length;
	if (steps.find(step => step.kind === 'preflight')?.status === 'failed') return 'failed';
	if (!setModeOk) return servicesOk > 0 ? 'partial' : 'failed';
	if (outcomes.length === 0 || servicesOk === outcomes.length) return 'recovered';
	return servicesOk === 0 ? 'failed' : 'partial';
}

/** Exit 0 recovered (or previewed), 1 not verified or partial, 2 preflight could not read its input, 3 an adapter (or the env-file write) failed, 130 cancelled. */
export function exitCodeFor(result: RunResult, steps: readonly StepState[]): ExitCodeValue {
	if (result === 'cancelled') return ExitCode.cancelled;
	if (result === 'previewed') return ExitCode.ok;
	// Preflight fails only on input it cannot read (an env file, the evidence folder): exit 2.
	if (steps.some(step => step.kind === 'preflight' && step.status === 'failed')) return ExitCode.usage;
	if (steps.some(step => (step.kind === 'restart' || step.kind === 'set-mode' || step.kind === 'evidence') && step.status === 'failed')) return ExitCode.external;
	// The rehearsal files could not be written (e.g. an unparseable drill history left alone): input to fix.
	if (steps.some(step => step.kind === 'record' && step.status === 'failed')) return ExitCode.usage;
	return result === 'recovered' ? ExitCode.ok : ExitCode.findings;
}

export interface Countdown {
	budgetMs: number;
	elapsedMs: number;
	/** Negative once the budget is overrun. */
	remainingMs: number;
	overrun: boolean;
	/** `mm:ss left` or `+mm:ss over`. */
	text: string;
	/** 0..1 of the budget used (capped at 1). */
	fraction: number;
}

export function countdown(state: Pick<RollbackState, 'budget' | 'clockStartedAtMs' | 'clockStoppedAtMs' | 'nowMs'>): Countdown {
	const budgetMs = Math.round(state.budget.maxRecoveryMinutes * 60_000);
	const start = state.clockStartedAtMs;
	const end = state.clockStoppedAtMs ?? state.nowMs;
	const elapsedMs = start === undefined ? 0 : Math.max(0, end - start);
	const remainingMs = budgetMs - elapsedMs;
	const overrun = remainingMs < 0;
	return {
		budgetMs,
		elapsedMs,
		remainingMs,
		overrun,
		text: overrun ? `+${formatClock(-remainingMs)} over` : `${formatClock(remainingMs)} left`,
		fraction: budgetMs > 0 && Number.isFinite(budgetMs) ? Math.min(1, elapsedMs / budgetMs) : 0,
	};
}

/** Seconds from the start of the change to the end of the last verification, 3 decimals. */
export function recoverySeconds(state: Pick<RollbackState, 'clockStartedAtMs' | 'clockStoppedAtMs'>): number | null {
	if (state.clockStartedAtMs === undefined || state.clockStoppedAtMs === undefined) return null;
	return Math.round(Math.max(0, state.clockStoppedAtMs - state.clockStartedAtMs)) / 1000;
}

export function withinTarget(state: RollbackState): boolean {
	const seconds = recoverySeconds(state);
	return state.result === 'recovered' && seconds !== null && seconds <= state.budget.maxRecoveryMinutes * 60;
}

/** The budget from a plan's `max_recovery_minutes` (CAVRA's rule: a number > 0, not a boolean). */
/** A year: past it a plan's target is no countdown at all (CAVRA even accepts `Infinity`). */
export const MAX_PLAN_RECOVERY_MINUTES = 525_600;

export function budgetFromPlan(maxRecoveryMinutes: unknown): RecoveryBudget {
	// CAVRA accepts Infinity and 1e400 as a positive target; a timer cannot count down from them.
	if (typeof maxRecoveryMinutes === 'number' && maxRecoveryMinutes > 0 && maxRecoveryMinutes <= MAX_PLAN_RECOVERY_MINUTES) {
		return {maxRecoveryMinutes, source: 'plan'};
	}
	return {maxRecoveryMinutes: DEFAULT_MAX_RECOVERY_MINUTES, source: 'default'};
}

/** The words for a step's state: colour is never the only signal. */
export const statusWords: Record<StepStatus, string> = {
	pending: 'pending',
	running: 'running',
	done: 'done',
	failed: 'FAILED',
	skipped: 'skipped',
	cancelled: 'not run',
	interrupted: 'interrupted',
};

export const statusSymbols: Record<StepStatus, string> = {
	pending: GLYPHS.pending,
	running: GLYPHS.running,
	done: GLYPHS.ok,
	failed: GLYPHS.bad,
	skipped: GLYPHS.skipped,
	cancelled: GLYPHS.notRun,
	interrupted: GLYPHS.interrupted,
};

export const skipWords: Record<SkipReason, string> = {
	'already-done': 'already in place (re-probed)',
	'not-configured': 'no verify.url configured',
	blocked: 'blocked by an earlier failure',
	'dry-run': 'dry run',
	'nothing-changed': 'nothing changed, so no bundle is kept',
};

export function describeStep(step: StepState): string {
	const reason = step.status === 'skipped' && step.skipReason ? skipWords[step.skipReason] : undefined;
	const parts = [reason, step.detail].filter((part): part is string => Boolean(part));
	return parts.join(': ');
}

export const resultWords: Record<RunResult, string> = {
	recovered: 'RECOVERED: CAVRA is back in Python-only mode',
	partial: 'PARTIAL: some services did not come back in Python-only mode',
	failed: 'FAILED: the rollback did not take effect',
	cancelled: 'CANCELLED: stopped by the operator',
	previewed: 'DRY RUN: nothing was changed',
};
