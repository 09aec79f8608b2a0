/**
 * The orchestrator: executes the rollback machine (`core/rollback/machine.ts`) step by step with
 * injected effects: env files, service adapters, HTTP, readiness, clock, evidence and journal.
 * Every effect is an interface so unit tests run without processes or sockets; the defaults
 * (`createDefaultEffects`) bind the real modules.
 *
 * Order: preflight → confirm → set mode (each env file) → restart (batches in config order,
 * services sharing a group in parallel) → verify (all services, in parallel, against the
 * recovery countdown) → capture (reports after) → [record rehearsal] → evidence.
 * Every step is journaled before and after it runs. Ctrl-C once: the current step finishes, the
 * rest is recorded as not run (`cancelled`). Twice: running commands are killed, the journal
 * and evidence are still written. `--resume` re-probes live state instead of trusting the journal.
 */
import {createHash, randomBytes} from 'node:crypto';
import {setMaxListeners} from 'node:events';
import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {describeService, planService, restartService} from '../adapters/index.js';
import {UsageError} from '../core/errors.js';
import {formatRunId, REPORTS_DIR, serializeEvidence, type EvidenceBundle} from '../core/evidence/bundle.js';
import {journalLines, verifyChain, type JournalRecord} from '../core/evidence/journal.js';
import {secretValuesFrom} from '../core/evidence/redact.js';
import {rollbackReadinessReport, settingsFromEnvironment, toPlainJson, type ReadinessSettings} from '../core/readiness/index.js';
import {planRestartBatches} from '../core/rollback/restart-plan.js';
import type {CavraConfig, ServiceConfig} from '../core/config/schema.js';
import type {ProbeResult} from '../core/dashboard/probe.js';
import {buildEvidence, type EnvFileFacts, type SealedEvidence, type ServiceFacts} from '../core/rollback/evidence.js';
import {
	budgetFromPlan,
	buildSteps,
	initialState,
	reduce,
	recoverySeconds,
	serviceOutcomes,
	type RollbackEvent,
	type RollbackState,
	type RunKind,
	type StepState,
} from '../core/rollback/machine.js';
import {
	MODE_KEY,
	planFactsFromSummary,
	planNotices,
	redactArgv,
	redactEnvDiff,
	TARGET_MODE,
	type CavraPlanSummary,
	type EnvFileChange,
	type PlanFacts,
	type PlannedCommandView,
	type RollbackPreview,
	type ServicePreview,
} from '../core/rollback/preview.js';
import {appendDrill, buildDrillEntry, buildRehearsalEvidence, isoSeconds, type RehearsalFacts} from '../core/rollback/rehearsal-output.js';
import {atomicWriteFile} from './atomic-write.js';
import {previewModeChange, readEnvMode, setModeInEnvFile, type SetModeAction} from './env-files.js';
import {EvidenceRun as EvidenceFolder} from './evidence-store.js';
import {sameOrigin} from './http-client.js';
import {runCommand, type CommandRunner} from './process-runner.js';
import {readReadinessFiles} from './readiness-files.js';
import {createRehearsalWriter} from './rehearsal-writer.js';
import {abortableSleep, defaultGet, pollUntilMode, probeModeOnce, type HttpGet} from './verify-poller.js';

// ─── Effects ────────────────────────────────────────────────────────────────

export interface Clock {
	/** Epoch milliseconds. */
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface EnvFileEffects {
	/** Read the file and compute the change without writing (diff redacted). Never throws: errors go in `error`. */
	preview(path: string): Promise<EnvFileChange>;
	/** The mode the file sets now (raw value, CAVRA-normalised), null when the key is absent. Throws when unreadable. */
	readMode(path: string): Promise<string | null>;
	/** Set CAVRA_GO_BACKEND_MODE=disabled: atomic write, backup, owner and mode kept. Throws on failure. */
	setDisabled(path: string): Promise<{action: string; backupPath: string | null}>;
}

export interface RestartOutcome {
	ok: boolean;
	/** One line: exit status, timeout, signal, or the error. */
	detail: string;
	exitCode: number | null;
	signal: string | null;
	timedOut: boolean;
	durationMs: number;
	/** True when the run's abort signal stopped it. */
	aborted?: boolean;
	/** The last lines of the commands' output, already redacted (kept in the evidence). */
	stdoutTail?: string;
	stderrTail?: string;
}

export interface ServiceEffects {
	/** One line: what is restarted (unit, label, deployment, process). */
	describe(service: ServiceConfig): string;
	/** Every command the restart will run, in order (argv redacted for display and evidence). */
	plan(service: ServiceConfig): PlannedCommandView[];
	/** `timeoutMs` undefined: the service's own `timeoutMs`, else the adapter's default for its kind. */
	restart(service: ServiceConfig, options: {timeoutMs: number | undefined; signal: AbortSignal; onOutput(lines: string[]): void}): Promise<RestartOutcome>;
	/** Restart batches: config order, services sharing a `group` together. */
	batches(services: readonly ServiceConfig[]): ServiceConfig[][];
}

export interface ReadinessEffects {
	/** CAVRA's rollback readiness report for these inputs, and its plan summary (contract §6, §11). */
	cavraRollbackReport(input: {mode: string; planPath: string | null}): Promise<{report: unknown; summary: CavraPlanSummary | undefined}>;
	/** sha256 of the plan file, or null when it cannot be read. */
	planSha256(path: string): Promise<string | null>;
}

export interface JournalRecordInput {
	step: string;
	phase: 'before' | 'after';
	status?: string;
	detail?: Record<string, unknown>;
}

export interface JournalEntry extends JournalRecordInput {
	seq: number;
	at: string;
	run_id: string;
	sha256: string;
}

export interface EvidenceRun {
	/** The run folder `<evidence.dir>/<run-id>/`. */
	dir: string;
	/** Append one record (fsynced); resolves to its hash. */
	journal(record: JournalRecordInput): Promise<string>;
	/** Records already in the journal (resume). Throws when the chain is broken. */
	readJournal(): Promise<JournalEntry[]>;
	/** Write `reports/<when>.json` (every report of that moment); resolves to its name under `reports/`. */
	writeReports(when: 'before' | 'after', reports: Record<string, unknown>): Promise<string>;
	/** The name of `reports/<when>.json` when it exists already (a resumed run keeps its before-reports). */
	hasReports(when: 'before' | 'after'): Promise<string | undefined>;
	/** Seal and write `evidence.json` atomically: the sealed fields, the folder's file hashes, then the extras. */
	writeEvidence(sealed: SealedEvidence, extras: Record<string, unknown>): Promise<{path: string; document: Record<string, unknown>}>;
	journalInfo(): {records: number; headSha256: string | null};
	close(): Promise<void>;
}

export interface EvidenceEffects {
	/** Create `<dir>/<runId>/` (it must not exist), or open it for `--resume` (it must). */
	open(runId: string, options: {resume: boolean}): Promise<EvidenceRun>;
}

export interface RehearsalEffects {
	/** Write CAVRA's rehearsal evidence (atomic). */
	writeRehearsal(path: string, document: Record<string, unknown>): Promise<void>;
	/** Read the drill history: undefined when absent; throws when unreadable or not JSON. */
	readDrillHistory(path: string): Promise<unknown>;
	writeDrillHistory(path: string, document: Record<string, unknown>): Promise<void>;
}

export interface RollbackEffects {
	clock: Clock;
	envFiles: EnvFileEffects;
	services: ServiceEffects;
	http: HttpGet;
	readiness: ReadinessEffects;
	evidence: EvidenceEffects;
	rehearsal: RehearsalEffects;
	randomHex(): string;
}

// ─── Control (Ctrl-C) ───────────────────────────────────────────────────────

/** First stop request: cancel (finish the current step). Second: abort (kill what runs now). */
export class RunControl {
	readonly #cancel = new AbortController();
	readonly #abort = new AbortController();
	readonly #listeners = new Set<(what: 'cancel' | 'abort') => void>();

	constructor() {
		// Every running command and poll listens (16 services restart and verify at once): not a leak.
		setMaxListeners(0, this.#cancel.signal, this.#abort.signal);
	}

	/** Ctrl-C: the first call cancels, the second aborts. */
	requestStop(): 'cancel' | 'abort' {
		if (!this.#cancel.signal.aborted) {
			this.cancel();
			return 'cancel';
		}
		this.abort();
		return 'abort';
	}

	cancel(): void {
		if (this.#cancel.signal.aborted) return;
		this.#cancel.abort();
		for (const listener of this.#listeners) listener('cancel');
	}

	abort(): void {
		this.cancel();
		if (this.#abort.signal.aborted) return;
		this.#abort.abort();
		for (const listener of this.#listeners) listener('abort');
	}

	get cancelRequested(): boolean {
		return this.#cancel.signal.aborted;
	}

	get abortRequested(): boolean {
		return this.#abort.signal.aborted;
	}

	/** Aborts on the first Ctrl-C: stops polling (verification changes nothing). */
	get cancelSignal(): AbortSignal {
		return this.#cancel.signal;
	}

	/** Aborts on the second Ctrl-C: kills running commands. */
	get abortSignal(): AbortSignal {
		return this.#abort.signal;
	}

	onStop(listener: (what: 'cancel' | 'abort') => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
}

// ─── Input and output ───────────────────────────────────────────────────────

export interface RunnerInput {
	kind: RunKind;
	config: CavraConfig;
	configPath: string | null;
	/** For $CAVRA_GO_ROLLBACK_PLAN, $CAVRA_GO_BACKEND_MODE and the API token (by name); never recorded. */
	env: NodeJS.ProcessEnv;
	/** `--service NAME` (repeatable); empty: every configured service. */
	serviceFilter: string[];
	/** `--resume RUN_ID`. */
	resumeRunId?: string;
	/** Fixed run id (tests); default generated. */
	runId?: string;
	/** `evidence.dir`, resolved. */
	evidenceDir: string;
	/** Restart timeout when a service sets no `timeoutMs` (default: the adapter's, per kind). */
	defaultRestartTimeoutMs?: number;
	/** Timeout of the one preflight probe of each service's current mode. */
	probeTimeoutMs?: number;
	control: RunControl;
	/** How the go-ahead is given, for the journal: `typed` (the word) or `--yes`. */
	confirmMethod?: string;
	/** Resolves true to go ahead. Not called for dry runs. */
	confirm(preview: RollbackPreview): Promise<boolean>;
	onState?(state: RollbackState): void;
	onPreview?(preview: RollbackPreview): void;
	/** Each line of command output (redacted) and each verify poll, as it happens (the plain renderer prints them). */
	onOutput?(stepId: string, lines: string[]): void;
}

export interface RunOutcome {
	state: RollbackState;
	preview: RollbackPreview | undefined;
	evidence: Record<string, unknown> | undefined;
	evidencePath: string | undefined;
	runDir: string | undefined;
	rehearsal?: {rehearsalEvidence: string | null; drillHistory: string | null; error: string | null};
}

export const DEFAULT_PROBE_TIMEOUT_MS = 1500;

interface ResumeInfo {
	runId: string;
	kind: RunKind;
	serviceNames: string[] | null;
	startedAtMs: number;
	clockStartedAtMs: number | undefined;
}

/** Services chosen by `--service`, in config order; unknown names are a usage error (exit 2). */
export function selectServices(services: readonly ServiceConfig[], filter: readonly string[]): ServiceConfig[] {
	const names = new Set(services.map(service => service.name));
	const unknown = filter.filter(name => !names.has(name));
	if (unknown.length > 0) {
		throw new UsageError(`--service ${unknown.join(', ')}: no such service in the config`, `configured services: ${[...names].join(', ') || '(none)'}`);
	}
	const duplicates = services.map(service => service.name).filter((name, index, all) => all.indexOf(name) !== index);
	if (duplicates.length > 0) throw new UsageError(`services: the name ${duplicates[0]} is used twice`, 'every service needs its own name (it names its steps and evidence)');
	return filter.length === 0 ? [...services] : services.filter(service => filter.includes(service.name));
}

function expectModeOf(service: ServiceConfig): string {
	return service.verify?.expectMode ?? TARGET_MODE;
}

/** The token goes only to the API's own origin (a verify URL on another host gets none). */
function tokenFor(url: string, config: CavraConfig, env: NodeJS.ProcessEnv): string | undefined {
	const api = config.api;
	if (!api?.tokenEnv) return undefined;
	const value = env[api.tokenEnv]?.trim();
	if (!value) return undefined;
	try {
		return new URL(url).origin === new URL(api.url).origin ? value : undefined;
	} catch {
		return undefined;
	}
}

function describeError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0]!.slice(0, 300);
}

function parseResumeInfo(runId: string, records: JournalEntry[]): ResumeInfo {
	const first = records.find(record => record.step === 'preflight' && record.phase === 'before');
	if (!first) throw new UsageError(`run ${runId}: its journal has no preflight record; nothing to resume`);
	const detail = first.detail ?? {};
	const kind = detail['kind'];
	if (kind === 'dry-run') throw new UsageError(`run ${runId} was a dry run: it changed nothing, so there is nothing to resume`, 'start a new rollback instead');
	if (kind !== 'rollback' && kind !== 'rehearsal') throw new UsageError(`run ${runId}: its journal does not say what kind of run it was`);
	const services = detail['services'];
	const resumeOf = typeof detail['resume_of'] === 'string' ? detail['resume_of'] : undefined;
	const startedAt = typeof detail['started_at'] === 'string' ? Date.parse(detail['started_at']) : Date.parse(first.at);
	const clockRecord = records.find(record => record.step === 'confirm' && record.phase === 'after' && record.status === 'confirmed');
	const clockAt = clockRecord?.detail?.['clock_started_at'];
	return {
		runId: resumeOf ?? runId,
		kind,
		serviceNames: Array.isArray(services) ? services.filter((name): name is string => typeof name === 'string') : null,
		startedAtMs: Number.isFinite(startedAt) ? startedAt : Date.parse(first.at),
		clockStartedAtMs: typeof clockAt === 'string' && Number.isFinite(Date.parse(clockAt)) ? Date.parse(clockAt) : undefined,
	};
}

function summariseProbe(result: ProbeResult | undefined): string | null {
	if (!result) return null;
	if (result.kind === 'ok') {
		const body = result.body as {status?: unknown} | null;
		return typeof body?.status === 'string' ? body.status : 'ok';
	}
	return result.kind;
}

// ─── The run ────────────────────────────────────────────────────────────────

export async function runRollback(input: RunnerInput, fx: RollbackEffects): Promise<RunOutcome> {
	const {config, control} = input;
	const clock = fx.clock;
	const startedAtMs = clock.now();

	// Resume: the run folder and journal must exist; the original run decides kind and services.
	let resume: ResumeInfo | undefined;
	let run: EvidenceRun;
	let runId: string;
	if (input.resumeRunId) {
		runId = input.resumeRunId;
		run = await fx.evidence.open(runId, {resume: true});
		let records: JournalEntry[];
		try {
			records = await run.readJournal();
		} catch (error) {
			await run.close().catch(() => undefined);
			throw new UsageError(`run ${runId}: its journal cannot be trusted (${describeError(error)})`, `check it: cavra-rollback evidence verify ${run.dir}`);
		}
		try {
			resume = parseResumeInfo(runId, records);
		} catch (error) {
			await run.close().catch(() => undefined);
			throw error;
		}
		if (input.kind === 'rehearsal' && resume.kind !== 'rehearsal') {
			await run.close().catch(() => undefined);
			throw new UsageError(`run ${runId} was a rollback, not a rehearsal`, 'resume it without --rehearse');
		}
	} else {
		runId = input.runId ?? formatRunId(new Date(startedAtMs), fx.randomHex());
		run = undefined as unknown as EvidenceRun;
	}
	const kind: RunKind = resume?.kind ?? input.kind;

	let services: ServiceConfig[];
	try {
		const filter = resume?.serviceNames && input.serviceFilter.length === 0 ? resume.serviceNames.filter(name => (config.services ?? []).some(service => service.name === name)) : input.serviceFilter;
		services = selectServices(config.services ?? [], filter);
	} catch (error) {
		if (resume) await run.close().catch(() => undefined);
		throw error;
	}
	if (kind === 'rehearsal' && (!config.rehearsalEvidence || !config.drillHistory)) {
		if (resume) await run.close().catch(() => undefined);
		throw new UsageError('--rehearse writes CAVRA\'s rehearsal evidence and drill history, but the config names no "rehearsalEvidence" and "drillHistory"', 'run it with a rehearsal config: cavra-rollback rollback --rehearse --config rehearsal.cavrarc.yaml');
	}
	const envFiles = config.mode?.envFiles ?? [];
	const batches = fx.services.batches(services);
	const planPath = config.plan ?? input.env['CAVRA_GO_ROLLBACK_PLAN'] ?? null;

	if (!resume) run = await fx.evidence.open(runId, {resume: false});

	let state = initialState({
		runId,
		kind,
		steps: buildSteps({envFiles, batches: batches.map(batch => batch.map(service => ({name: service.name, kind: service.kind}))), rehearsal: kind === 'rehearsal'}),
		budget: budgetFromPlan(undefined),
		nowMs: startedAtMs,
	});
	const dispatch = (event: RollbackEvent) => {
		state = reduce(state, event);
		if (event.type === 'output') input.onOutput?.(event.id, event.lines);
		input.onState?.(state);
	};
	input.onState?.(state);

	// The journal: a failed append does not stop a rollback (the rollback matters more), but the
	// evidence step then fails and says why.
	let journalError: string | undefined;
	const journal = async (record: JournalRecordInput) => {
		try {
			await run.journal(record);
		} catch (error) {
			journalError ??= describeError(error);
		}
	};

	const stopListener = control.onStop(what => dispatch({type: what === 'cancel' ? 'cancel-requested' : 'abort-requested', atMs: clock.now()}));
	if (control.cancelRequested) dispatch({type: 'cancel-requested', atMs: clock.now()});

	const beginStep = async (id: string, detail?: Record<string, unknown>) => {
		dispatch({type: 'step-started', id, atMs: clock.now()});
		await journal({step: id, phase: 'before', ...(detail && {detail})});
	};
	const endStep = async (id: string, status: 'done' | 'failed' | 'skipped' | 'cancelled', options: {detail?: string; skipReason?: StepState['skipReason']; journalDetail?: Record<string, unknown>} = {}) => {
		dispatch({type: 'step-finished', id, status, atMs: clock.now(), ...(options.detail !== undefined && {detail: options.detail}), ...(options.skipReason && {skipReason: options.skipReason})});
		const detail = {...(options.skipReason && {skip_reason: options.skipReason}), ...(options.detail !== undefined && {message: options.detail}), ...options.journalDetail};
		await journal({step: id, phase: 'after', status, ...(Object.keys(detail).length > 0 && {detail})});
	};
	/** A step decided without running (skipped): journaled as a before/after pair so the record is complete; never shown as running. */
	const skipStep = async (id: string, skipReason: NonNullable<StepState['skipReason']>, detail?: string, journalDetail?: Record<string, unknown>) => {
		await journal({step: id, phase: 'before'});
		await endStep(id, 'skipped', {skipReason, ...(detail !== undefined && {detail}), ...(journalDetail && {journalDetail})});
	};

	const envFacts: EnvFileFacts[] = envFiles.map(path => ({path, modeBefore: null, modeAfter: null, action: null, backupPath: null}));
	const serviceFacts = new Map<string, ServiceFacts>(
		services.map(service => [
			service.name,
			{
				name: service.name,
				kind: service.kind,
				group: service.group ?? null,
				commands: [],
				verifyUrl: service.verify?.url ?? null,
				expectMode: expectModeOf(service),
				modeBefore: null,
				modeAfter: null,
				restart: null,
				verify: null,
			},
		]),
	);
	const reports = {
		before: null as string | null,
		after: null as string | null,
		statuses: {before: {} as Record<string, string | null>, after: {} as Record<string, string | null>},
	};
	let plan: PlanFacts = planFactsFromSummary(undefined, planPath, null);
	let preview: RollbackPreview | undefined;
	let rehearsalResult: RunOutcome['rehearsal'];

	const stopped = () => control.cancelRequested;

	// ── 1. Preflight ──
	await beginStep('preflight', {
		kind,
		started_at: new Date(resume?.startedAtMs ?? startedAtMs).toISOString(),
		...(resume && {resume_of: resume.runId, resumed_at: new Date(startedAtMs).toISOString()}),
		config: input.configPath,
		plan_path: planPath,
		env_files: envFiles,
		services: services.map(service => service.name),
	});
	let preflightOk = true;
	let preflightDetail = '';
	try {
		const modesBefore = await Promise.all(
			envFiles.map(path =>
				fx.envFiles.preview(path).catch((error: unknown): EnvFileChange => ({path, modeBefore: null, action: 'unchanged', diff: '', error: describeError(error)})),
			),
		);
		modesBefore.forEach((change, index) => {
			envFacts[index]!.modeBefore = change.modeBefore;
		});
		const modeNow = modesBefore.find(change => change.modeBefore !== null)?.modeBefore ?? input.env['CAVRA_GO_BACKEND_MODE']?.trim().toLowerCase() ?? 'disabled';
		const sha = planPath ? await fx.readiness.planSha256(planPath).catch(() => null) : null;
		const before = await fx.readiness.cavraRollbackReport({mode: modeNow, planPath});
		plan = planFactsFromSummary(before.summary, planPath, sha);
		const budget = budgetFromPlan(plan.maxRecoveryMinutes ?? undefined);
		dispatch({type: 'budget', budget});
		for (const notice of planNotices(plan, budget)) dispatch({type: 'notice', message: notice});
		await saveReports('before', before.report, resume !== undefined);

		const servicePreviews: ServicePreview[][] = await Promise.all(
			batches.map((batch, index) =>
				Promise.all(
					batch.map(async service => {
						const facts = serviceFacts.get(service.name)!;
						let commands: PlannedCommandView[] = [];
						let describe = '';
						try {
							// Redacted here too, whatever the adapter does: these go on screen and into evidence.
							commands = fx.services.plan(service).map(command => ({...command, argv: redactArgv(command.argv)}));
							describe = fx.services.describe(service);
						} catch (error) {
							describe = `cannot plan: ${describeError(error)}`;
						}
						facts.commands = commands.map(command => command.argv);
						const view: ServicePreview = {name: service.name, kind: service.kind, batch: index, describe, commands, expectMode: expectModeOf(service)};
						if (service.group) view.group = service.group;
						if (service.verify?.url) {
							view.verifyUrl = service.verify.url;
							const verdict = await probeModeOnce({
								url: service.verify.url,
								expectMode: expectModeOf(service),
								timeoutMs: Math.min(service.verify.timeoutMs ?? input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS),
								get: fx.http,
								signal: control.abortSignal,
								...tokenOption(service.verify.url),
							});
							view.modeNow = verdict.kind === 'verified' || verdict.kind === 'wrong-mode' ? verdict.mode : verdict.message;
							facts.modeBefore = verdict.kind === 'verified' || verdict.kind === 'wrong-mode' ? verdict.mode : null;
						} else {
							dispatch({type: 'notice', message: `Service ${service.name} has no verify.url: its restart cannot be verified (a successful restart is the only proof).`});
						}
						return view;
					}),
				),
			),
		);
		preview = {
			runId,
			kind,
			configPath: input.configPath,
			plan,
			budget,
			envFiles: modesBefore,
			batches: servicePreviews,
			serviceFilter: input.serviceFilter.length > 0 ? input.serviceFilter : resume?.serviceNames && resume.serviceNames.length !== (config.services ?? []).length ? resume.serviceNames : [],
			notices: state.notices,
		};
		if (envFiles.length === 0 && services.length === 0) {
			preflightOk = false;
			preflightDetail = 'nothing to roll back: the config names no mode.envFiles and no services';
		}
		const unreadable = modesBefore.filter(change => change.error);
		if (unreadable.length > 0) {
			preflightOk = false;
			preflightDetail = unreadable.map(change => `${change.path}: ${change.error}`).join('; ');
		}
		if (preflightOk) preflightDetail = `plan ${plan.state}; budget ${budget.maxRecoveryMinutes} min; mode now ${modeNow}`;
		input.onPreview?.(preview);
	} catch (error) {
		preflightOk = false;
		preflightDetail = describeError(error);
	}
	await endStep('preflight', preflightOk ? 'done' : 'failed', {
		detail: preflightDetail,
		journalDetail: {
			plan_state: plan.state,
			plan_sha256: plan.sha256,
			approval_id: plan.approvalId,
			max_recovery_minutes: state.budget.maxRecoveryMinutes,
			budget_source: state.budget.source,
			env_modes_before: Object.fromEntries(envFacts.map(file => [file.path, file.modeBefore])),
			service_modes_before: Object.fromEntries([...serviceFacts.values()].map(service => [service.name, service.modeBefore])),
		},
	});

	// ── 2. Confirm ──
	let proceed = preflightOk && !stopped();
	if (proceed && kind === 'dry-run') {
		proceed = false;
		for (const step of state.steps) {
			if (step.status === 'pending' && step.kind !== 'evidence') await skipStep(step.id, 'dry-run', 'nothing changed');
		}
	} else if (proceed && preview) {
		dispatch({type: 'phase', phase: 'confirm', atMs: clock.now()});
		await journal({step: 'confirm', phase: 'before', detail: {env_files: envFiles.length, services: services.length}});
		let confirmed = false;
		try {
			confirmed = await input.confirm(preview);
		} catch {
			confirmed = false;
		}
		if (!confirmed || stopped()) {
			control.cancel();
			await journal({step: 'confirm', phase: 'after', status: 'declined'});
			proceed = false;
		} else {
			const clockStart = resume?.clockStartedAtMs ?? clock.now();
			dispatch({type: 'clock-start', atMs: clockStart});
			await journal({step: 'confirm', phase: 'after', status: 'confirmed', detail: {confirmed_by: input.confirmMethod ?? 'typed', clock_started_at: new Date(clockStart).toISOString()}});
		}
	}

	if (proceed) {
		dispatch({type: 'phase', phase: 'running', atMs: clock.now()});
		const deadlineMs = () => (state.clockStartedAtMs ?? clock.now()) + state.budget.maxRecoveryMinutes * 60_000;

		// ── 3. Set the mode ──
		let setModeFailed = false;
		for (const [index, path] of envFiles.entries()) {
			if (stopped()) break;
			const facts = envFacts[index]!;
			const id = `set-mode:${path}`;
			await beginStep(id, {mode_before: facts.modeBefore});
			try {
				if (resume) {
					// Re-probe, don't trust the journal: is the file already disabled?
					const current = await fx.envFiles.readMode(path);
					if (current === TARGET_MODE && (await fx.envFiles.preview(path)).action === 'unchanged') {
						facts.modeAfter = current;
						facts.action = 'unchanged';
						await endStep(id, 'skipped', {skipReason: 'already-done', detail: `${MODE_KEY} is already ${TARGET_MODE}`, journalDetail: {mode_after: current}});
						continue;
					}
				}
				const result = await fx.envFiles.setDisabled(path);
				facts.action = result.action;
				facts.backupPath = result.backupPath;
				const reread = await fx.envFiles.readMode(path);
				facts.modeAfter = reread;
				if (reread !== TARGET_MODE) {
					setModeFailed = true;
					await endStep(id, 'failed', {detail: `re-read shows ${MODE_KEY}=${reread ?? '(absent)'}`, journalDetail: {action: result.action, mode_after: reread}});
				} else {
					await endStep(id, 'done', {
						detail: result.action === 'unchanged' ? 'already disabled: file unchanged' : `${result.action === 'append' ? 'line added' : 'line replaced'}; re-read: ${reread}`,
						journalDetail: {action: result.action, mode_after: reread, backup: result.backupPath},
					});
				}
			} catch (error) {
				setModeFailed = true;
				await endStep(id, 'failed', {detail: describeError(error)});
			}
			if (setModeFailed) break;
		}

		// ── 4. Restart ──
		// The journal's unit is what runs at once: one record before and after each batch (a lone
		// service, or a parallel group), with every service's outcome in the "after" record; the
		// screen and evidence.json still show one step per service. (A record per service would
		// queue 2 × N fsyncs behind a parallel group.)
		const alreadyVerified = new Set<string>();
		if (!setModeFailed) {
			for (const [index, batch] of batches.entries()) {
				if (stopped()) break;
				const step = batch.length === 1 ? `restart:${batch[0]!.name}` : `restart-group:${batch[0]!.group ?? index + 1}`;
				for (const service of batch) dispatch({type: 'step-started', id: `restart:${service.name}`, atMs: clock.now()});
				await journal({step, phase: 'before', detail: {services: batch.map(service => service.name), commands: Object.fromEntries(batch.map(service => [service.name, serviceFacts.get(service.name)!.commands]))}});
				const results = await Promise.all(batch.map(service => restartOne(service)));
				await journal({step, phase: 'after', status: batchStatus(results.map(result => result.status)), detail: {services: Object.fromEntries(results.map(result => [result.name, result.journal]))}});
			}
		}

		// ── 5. Verify ── (every service at once, against the countdown; one journal step)
		if (!setModeFailed && !stopped() && services.length > 0) {
			const polled = services.filter(service => service.verify?.url && !alreadyVerified.has(service.name) && state.steps.find(step => step.id === `restart:${service.name}`)?.status === 'done');
			for (const service of polled) dispatch({type: 'step-started', id: `verify:${service.name}`, atMs: clock.now()});
			await journal({step: 'verify', phase: 'before', detail: {services: Object.fromEntries(polled.map(service => [service.name, {url: service.verify!.url, expect_mode: expectModeOf(service)}]))}});
			const results = await Promise.all(services.map(service => verifyOne(service, polled.includes(service))));
			await journal({step: 'verify', phase: 'after', status: batchStatus(results.map(result => result.status)), detail: {services: Object.fromEntries(results.map(result => [result.name, result.journal]))}});
		}
		dispatch({type: 'clock-stop', atMs: clock.now()});

		async function restartOne(service: ServiceConfig): Promise<StepResult> {
			const id = `restart:${service.name}`;
			const facts = serviceFacts.get(service.name)!;
			if (resume && service.verify?.url) {
				// Re-probe, don't trust the journal: does the service already answer disabled?
				const verdict = await probeModeOnce({url: service.verify.url, expectMode: expectModeOf(service), timeoutMs: input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, get: fx.http, signal: control.abortSignal, ...tokenOption(service.verify.url)});
				if (verdict.kind === 'verified') {
					alreadyVerified.add(service.name);
					facts.modeAfter = verdict.mode;
					return finishUi(id, service.name, 'skipped', `already answers mode: ${verdict.mode}`, {}, 'already-done');
				}
			}
			const timeoutMs = service.timeoutMs ?? input.defaultRestartTimeoutMs;
			let outcome: RestartOutcome;
			try {
				outcome = await fx.services.restart(service, {timeoutMs, signal: control.abortSignal, onOutput: lines => dispatch({type: 'output', id, lines})});
			} catch (error) {
				outcome = {ok: false, detail: describeError(error), exitCode: null, signal: null, timedOut: false, durationMs: 0};
			}
			facts.restart = {exitCode: outcome.exitCode, signal: outcome.signal, timedOut: outcome.timedOut, durationMs: outcome.durationMs, stdoutTail: outcome.stdoutTail ?? '', stderrTail: outcome.stderrTail ?? ''};
			const journalDetail = {exit_code: outcome.exitCode, signal: outcome.signal, timed_out: outcome.timedOut, duration_ms: outcome.durationMs};
			if (outcome.aborted || control.abortRequested && !outcome.ok) return finishUi(id, service.name, 'cancelled', `aborted: ${outcome.detail}`, journalDetail);
			return finishUi(id, service.name, outcome.ok ? 'done' : 'failed', outcome.detail, journalDetail);
		}

		async function verifyOne(service: ServiceConfig, poll: boolean): Promise<StepResult> {
			const id = `verify:${service.name}`;
			const facts = serviceFacts.get(service.name)!;
			const restart = state.steps.find(step => step.id === `restart:${service.name}`);
			if (restart?.status !== 'done' && restart?.status !== 'skipped') return finishUi(id, service.name, 'skipped', 'the restart did not succeed', {}, 'blocked');
			if (alreadyVerified.has(service.name)) return finishUi(id, service.name, 'skipped', `answers mode: ${facts.modeAfter ?? TARGET_MODE}`, {}, 'already-done');
			const url = service.verify?.url;
			if (!url || !poll) return finishUi(id, service.name, 'skipped', 'the restart exit status is the only proof', {}, 'not-configured');
			const outcome = await pollUntilMode({
				url,
				expectMode: expectModeOf(service),
				deadlineMs: deadlineMs(),
				get: fx.http,
				now: () => clock.now(),
				sleep: (ms, signal) => clock.sleep(ms, signal),
				signal: control.cancelSignal,
				onAttempt: (attempt, verdict) => dispatch({type: 'output', id, lines: [`poll ${attempt}: ${verdict.message}`]}),
				...(service.verify?.timeoutMs !== undefined && {requestTimeoutMs: service.verify.timeoutMs}),
				...tokenOption(url),
			});
			facts.verify = {attempts: outcome.attempts, reason: outcome.reason};
			facts.modeAfter = outcome.mode ?? null;
			const journalDetail = {attempts: outcome.attempts, ended_because: outcome.reason, mode: outcome.mode ?? null, elapsed_ms: outcome.elapsedMs};
			if (outcome.verified) return finishUi(id, service.name, 'done', `answers mode: ${outcome.mode} (after ${outcome.attempts} poll${outcome.attempts === 1 ? '' : 's'})`, journalDetail);
			if (outcome.reason === 'aborted') return finishUi(id, service.name, 'cancelled', `not verified: cancelled (${outcome.last?.message ?? 'no answer yet'})`, journalDetail);
			const why = outcome.reason === 'deadline' ? `not back within the recovery budget (${state.budget.maxRecoveryMinutes} min)` : `gave up after ${outcome.attempts} polls`;
			return finishUi(id, service.name, 'failed', `${why}: ${outcome.last?.message ?? 'no answer'}`, journalDetail);
		}

		/** Close one service's step on screen; its journal detail goes into the batch's "after" record. */
		function finishUi(id: string, name: string, status: 'done' | 'failed' | 'skipped' | 'cancelled', detail: string, journalDetail: Record<string, unknown>, skipReason?: NonNullable<StepState['skipReason']>): StepResult {
			dispatch({type: 'step-finished', id, status, detail, atMs: clock.now(), ...(skipReason && {skipReason})});
			return {name, status, journal: {status, ...(skipReason && {skip_reason: skipReason}), message: detail, ...journalDetail}};
		}
	}

	// ── 6. Capture (not after a cancel: stop means stop; not in a dry run: nothing changed) ──
	if (proceed && !stopped()) {
		await beginStep('capture');
		try {
			const modeAfter = envFiles.length > 0 ? ((await fx.envFiles.readMode(envFiles[0]!).catch(() => null)) ?? TARGET_MODE) : TARGET_MODE;
			const after = await fx.readiness.cavraRollbackReport({mode: modeAfter, planPath});
			await saveReports('after', after.report, false);
			const statuses = Object.entries(reports.statuses.after).map(([name, status]) => `${name}: ${status ?? '?'}`);
			await endStep('capture', 'done', {detail: statuses.join(', ')});
		} catch (error) {
			await endStep('capture', 'failed', {detail: describeError(error)});
		}
	}

	// ── Rehearsal: CAVRA's rehearsal evidence and the drill entry ──
	if (kind === 'rehearsal' && proceed && !stopped() && state.steps.some(step => step.id === 'record' && step.status === 'pending')) {
		await beginStep('record');
		rehearsalResult = await recordRehearsal();
		await endStep('record', rehearsalResult.error ? 'failed' : 'done', {
			detail: rehearsalResult.error ?? `wrote ${config.rehearsalEvidence} and a drill in ${config.drillHistory}`,
			journalDetail: {rehearsal_evidence: rehearsalResult.rehearsalEvidence, drill_history: rehearsalResult.drillHistory},
		});
	}

	// ── 7. Evidence ──
	let evidencePath: string | undefined;
	let document: Record<string, unknown> | undefined;
	dispatch({type: 'close-unrun', atMs: clock.now()});
	await beginStep('evidence');
	const endedAtMs = clock.now();
	// Classify now (as 'finished' will) so evidence.json carries the result; the step itself is then closed.
	const finishedView = reduce(reduce(state, {type: 'step-finished', id: 'evidence', status: 'done', atMs: endedAtMs}), {type: 'finished', atMs: endedAtMs});
	const runSummary = {result: finishedView.result ?? null, exit_code: finishedView.exitCode ?? null, recovery_seconds: recoverySeconds(finishedView)};
	try {
		const info = run.journalInfo();
		const {sealed, extras} = buildEvidence(finishedView, {
			configPath: input.configPath,
			plan,
			resumeOf: resume ? resume.runId : null,
			startedAtMs: resume?.startedAtMs ?? startedAtMs,
			endedAtMs,
			serviceFilter: services.length === (config.services ?? []).length ? [] : services.map(service => service.name),
			envFiles: envFacts,
			services: [...serviceFacts.values()],
			reports,
			rehearsal:
				kind === 'rehearsal'
					? {
							rehearsalEvidence: rehearsalResult?.rehearsalEvidence ?? null,
							drillHistory: rehearsalResult?.drillHistory ?? null,
							drillId: rehearsalResult && !rehearsalResult.error ? runId : null,
							error: rehearsalResult?.error ?? (proceed ? null : 'not recorded: the rehearsal did not run to the end'),
						}
					: null,
			journal: {records: info.records, headSha256: info.headSha256},
		});
		if (journalError) throw new Error(`the journal could not be written: ${journalError}`);
		const written = await run.writeEvidence(sealed, extras);
		evidencePath = written.path;
		document = written.document;
		await endStep('evidence', 'done', {detail: evidencePath, journalDetail: runSummary});
	} catch (error) {
		await endStep('evidence', 'failed', {detail: describeError(error), journalDetail: runSummary});
	}
	dispatch({type: 'finished', atMs: clock.now(), ...(evidencePath && {evidencePath})});
	stopListener();
	await run.close().catch(() => undefined);
	return {state, preview, evidence: document, evidencePath, runDir: run.dir, ...(rehearsalResult && {rehearsal: rehearsalResult})};

	// ── helpers that need the run's scope ──

	function tokenOption(url: string): {token?: string} {
		const token = tokenFor(url, config, input.env);
		return token ? {token} : {};
	}

	/** The CAVRA report and (when configured) the API's two answers, as `reports/<when>.json`. */
	async function saveReports(when: 'before' | 'after', cavraReport: unknown, keepExisting: boolean): Promise<void> {
		const document: Record<string, unknown> = {captured_at: new Date(clock.now()).toISOString(), when, cavra_rollback_readiness: cavraReport};
		reports.statuses[when]['cavra_rollback_readiness'] = statusOf(cavraReport);
		const api = config.api;
		if (api) {
			const base = api.url.replace(/\/+$/, '');
			const timeoutMs = api.timeoutMs ?? 3000;
			const routes: Array<[string, string]> = [
				['api_rollback_readiness', '/runtime/go-pilot/rollback-readiness'],
				['api_production_readiness', '/deployment/production-readiness'],
			];
			const answers = await Promise.all(
				routes.map(async ([name, route]) => {
					const url = `${base}${route}`;
					const token = tokenFor(url, config, input.env);
					const result = await fx.http(url, {timeoutMs, ...(token && {token}), ...(api.allowInsecureHttp !== undefined && {allowInsecureHttp: api.allowInsecureHttp}), signal: control.abortSignal});
					if (result.kind !== 'ok') dispatch({type: 'notice', message: `API ${route} (${when}): ${summariseFailure(result)}; recorded as unavailable.`});
					reports.statuses[when][name] = summariseProbe(result);
					return [name, result.kind === 'ok' ? result.body : {unavailable: result.kind, route, reason: summariseFailure(result)}] as const;
				}),
			);
			for (const [name, value] of answers) document[name] = value;
		}
		if (keepExisting) {
			const existing = await run.hasReports(when);
			if (existing) {
				reports[when] = existing;
				return;
			}
		}
		reports[when] = await run.writeReports(when, document);
	}

	async function recordRehearsal(): Promise<NonNullable<RunOutcome['rehearsal']>> {
		const rehearsalPath = config.rehearsalEvidence!;
		const historyPath = config.drillHistory!;
		const outcomes = serviceOutcomes(state.steps);
		const verifiable = outcomes.filter(outcome => serviceFacts.get(outcome.service)?.verifyUrl);
		const fallbackVerified = verifiable.length > 0 && verifiable.every(outcome => outcome.verified) && state.steps.filter(step => step.kind === 'set-mode').every(step => step.status === 'done' || step.status === 'skipped');
		const passed = outcomes.every(outcome => outcome.ok) && state.steps.every(step => step.status !== 'failed');
		if (!fallbackVerified) dispatch({type: 'notice', message: 'The rehearsal could not verify Python fallback restoration (no service with a verify.url answered mode: disabled): fallback_verified is false.'});
		const facts: RehearsalFacts = {
			runId,
			executedAt: isoSeconds(state.clockStartedAtMs ?? startedAtMs),
			fallbackVerified,
			passed,
			recoverySeconds: recoverySeconds({clockStartedAtMs: state.clockStartedAtMs, clockStoppedAtMs: state.clockStoppedAtMs ?? clock.now()}) ?? 0,
			maxRecoveryMinutes: state.budget.maxRecoveryMinutes,
			planApprovalId: plan.approvalId,
			planEvidenceRefs: plan.evidenceRefs,
			sourceMode: envFacts.find(file => file.modeBefore !== null)?.modeBefore ?? 'promoted',
		};
		const out: NonNullable<RunOutcome['rehearsal']> = {rehearsalEvidence: null, drillHistory: null, error: null};
		try {
			await fx.rehearsal.writeRehearsal(rehearsalPath, buildRehearsalEvidence(facts));
			out.rehearsalEvidence = rehearsalPath;
		} catch (error) {
			out.error = `rehearsal evidence not written: ${describeError(error)}`;
			return out;
		}
		try {
			const existing = await fx.rehearsal.readDrillHistory(historyPath);
			const appended = appendDrill(existing, buildDrillEntry(facts));
			if (!appended.ok) {
				out.error = `drill history left unchanged: ${appended.reason}`;
				return out;
			}
			await fx.rehearsal.writeDrillHistory(historyPath, appended.document);
			out.drillHistory = historyPath;
		} catch (error) {
			out.error = `drill history left unchanged: ${describeError(error)}`;
		}
		return out;
	}
}

interface StepResult {
	name: string;
	status: 'done' | 'failed' | 'skipped' | 'cancelled';
	journal: Record<string, unknown>;
}

/** A batch is done when every service in it is done or skipped; cancelled when any was cut short; else failed. */
function batchStatus(statuses: ReadonlyArray<StepResult['status']>): string {
	if (statuses.some(status => status === 'failed')) return 'failed';
	if (statuses.some(status => status === 'cancelled')) return 'cancelled';
	return 'done';
}

function statusOf(value: unknown): string | null {
	const status = (value as {status?: unknown} | null | undefined)?.status;
	return typeof status === 'string' ? status : null;
}

function summariseFailure(result: ProbeResult): string {
	switch (result.kind) {
		case 'ok':
			return 'ok';
		case 'unreachable':
			return `unreachable (${result.message})`;
		case 'timeout':
			return `no answer within ${result.timeoutMs} ms`;
		case 'http-error':
			return `HTTP ${result.status}`;
		case 'malformed':
			return `malformed answer (${result.message})`;
		case 'refused':
			return `refused (${result.message})`;
	}
}

// ─── The real effects ───────────────────────────────────────────────────────

export interface DefaultEffectsOptions {
	config: CavraConfig;
	/** The process environment: the restart commands inherit it; secrets in it are redacted from their output. */
	env: NodeJS.ProcessEnv;
	evidenceDir: string;
	/** Test seam: the command runner every adapter uses. */
	runner?: CommandRunner;
	/** Test seam: the HTTP GET of verify and the API. */
	http?: HttpGet;
	now?: () => number;
}

function envChange(result: {action: SetModeAction; diff: string; before: string | null}, path: string, reading: {value?: string; mode: string}): EnvFileChange {
	const action = ({replaced: 'replace', added: 'append', unchanged: 'unchanged', created: 'create'} as const)[result.action];
	return {path, modeBefore: reading.value === undefined ? null : reading.mode, action, diff: redactEnvDiff(result.diff)};
}

export function createDefaultEffects(options: DefaultEffectsOptions): RollbackEffects {
	const {config} = options;
	const runner = options.runner ?? runCommand;
	const now = options.now ?? Date.now;
	return {
		clock: {now, sleep: abortableSleep},
		randomHex: () => randomBytes(3).toString('hex'),
		envFiles: {
			async preview(path) {
				try {
					const [reading, change] = await Promise.all([readEnvMode(path), previewModeChange(path, TARGET_MODE)]);
					return envChange(change, path, reading);
				} catch (error) {
					return {path, modeBefore: null, action: 'unchanged', diff: '', error: describeError(error).replace(`${path}: `, '')};
				}
			},
			async readMode(path) {
				const reading = await readEnvMode(path);
				return reading.value === undefined ? null : reading.mode;
			},
			async setDisabled(path) {
				const result = await setModeInEnvFile(path, TARGET_MODE, {backup: true});
				const action = ({replaced: 'replace', added: 'append', unchanged: 'unchanged', created: 'create'} as const)[result.action];
				return {action, backupPath: result.backupPath ?? null};
			},
		},
		services: {
			describe: service => describeService(service),
			plan: service =>
				planService(service, {mode: TARGET_MODE}).map(command => ({
					argv: redactArgv(command.argv, secretValuesFrom(options.env)),
					timeoutMs: command.timeoutMs,
					...(command.env && {env: command.env}),
					...(command.note && {note: command.note}),
				})),
			batches: services => planRestartBatches(services).map(batch => batch.services),
			async restart(service, context) {
				const result = await restartService(service, {
					runner,
					mode: TARGET_MODE,
					signal: context.signal,
					...(context.timeoutMs !== undefined && {timeoutMs: context.timeoutMs}),
					onLine: line => context.onOutput([line]),
				});
				const last = result.commands.at(-1);
				return {
					ok: result.ok,
					detail: result.detail,
					exitCode: last?.exitCode ?? null,
					signal: last?.signal ?? null,
					timedOut: result.commands.some(command => command.timedOut),
					durationMs: result.durationMs,
					aborted: result.commands.some(command => command.cancelled),
					stdoutTail: result.commands.map(command => command.stdoutTail).filter(Boolean).join('\n'),
					stderrTail: result.commands.map(command => command.stderrTail).filter(Boolean).join('\n'),
				};
			},
		},
		http: options.http ?? ((url, request) => defaultGet(url, {...request, ...(config.api?.allowInsecureHttp && config.api.url && sameOrigin(url, config.api.url) && {allowInsecureHttp: true})})),
		readiness: {
			async cavraRollbackReport(input) {
				const settings: ReadinessSettings = {
					...settingsFromEnvironment({}, new Date(now())),
					mode: input.mode,
					rollbackPlanPath: input.planPath ?? '',
				};
				const report = rollbackReadinessReport(settings, await readReadinessFiles(settings));
				return {report: toPlainJson(report), summary: report.rollback};
			},
			async planSha256(path) {
				try {
					return createHash('sha256').update(await readFile(path)).digest('hex');
				} catch {
					return null;
				}
			},
		},
		evidence: createEvidenceEffects(options.evidenceDir, now),
		rehearsal: createRehearsalWriter(),
	};
}

/** The evidence folder through the store and the journal writer. */
export function createEvidenceEffects(dir: string, now: () => number = Date.now): EvidenceEffects {
	return {
		async open(runId, options) {
			const folder = options.resume ? await EvidenceFolder.open(dir, runId) : await EvidenceFolder.create(dir, {runId});
			const writer = await folder.openJournal(() => new Date(now()));
			return {
				dir: folder.path,
				async journal(record) {
					const written = await writer.append({
						step: record.step,
						phase: record.phase,
						...(record.status !== undefined && {status: record.status}),
						...(record.detail !== undefined && {detail: record.detail}),
					});
					return written.sha256;
				},
				async readJournal() {
					const text = await readFile(folder.journalPath, 'utf8');
					const chain = verifyChain(journalLines(text), {runId, complete: text === '' || text.endsWith('\n')});
					if (!chain.ok) throw new Error(`the journal is damaged at record ${chain.firstBad?.record ?? '?'} (${chain.firstBad?.reason ?? 'unknown'})`);
					return journalLines(text).map(line => {
						const record = JSON.parse(line) as JournalRecord;
						const detail: Record<string, unknown> | undefined =
							record.detail === undefined ? undefined : typeof record.detail === 'string' ? {message: record.detail} : (record.detail as Record<string, unknown>);
						return {seq: record.seq, at: record.at, run_id: record.run_id, sha256: record.sha256, step: record.step, phase: record.phase, ...(record.status !== undefined && {status: record.status}), ...(detail && {detail})};
					});
				},
				async writeReports(when, reports) {
					const written = await folder.writeReport(`${when}.json`, `${JSON.stringify(reports, null, 2)}\n`);
					return written.relative.slice(`${REPORTS_DIR}/`.length);
				},
				async hasReports(when) {
					try {
						return (await stat(path.join(folder.reportsPath, `${when}.json`))).isFile() ? `${when}.json` : undefined;
					} catch {
						return undefined;
					}
				},
				async writeEvidence(sealed, extras) {
					// The store's serializer fixes the sealed fields' order; the rollback's own details follow them.
					const bundle: EvidenceBundle = {...sealed, files: await folder.hashFiles()};
					const document = {...(JSON.parse(serializeEvidence(bundle)) as Record<string, unknown>), ...extras};
					await atomicWriteFile(folder.evidencePath, `${JSON.stringify(document, null, 2)}\n`, {mode: 0o644});
					return {path: folder.evidencePath, document};
				},
				journalInfo: () => ({records: writer.records, headSha256: writer.headSha256}),
				close: () => writer.close(),
			};
		},
	};
}
