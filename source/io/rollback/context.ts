/**
 * One run's shared context: what was chosen (run id, kind, services, batches), the facts the steps
 * gather for the evidence, the state machine and the journal. Steps read and write it; the
 * driver (`run.ts`) opens it and closes it on every exit path.
 */
import {UsageError} from '../../core/errors.js';
import {formatRunId} from '../../core/evidence/bundle.js';
import type {CavraConfig, ServiceConfig} from '../../core/config/schema.js';
import type {EnvFileFacts, ServiceFacts} from '../../core/rollback/evidence.js';
import {budgetFromPlan, buildSteps, initialState, reduce, type RollbackEvent, type RollbackState, type RunKind, type StepState} from '../../core/rollback/machine.js';
import {planFactsFromSummary, type PlanFacts, type RollbackPreview} from '../../core/rollback/preview.js';
import type {RunControl} from './control.js';
import {describeError} from './describe-error.js';
import type {Clock, EvidenceRun, JournalRecordInput, RollbackEffects} from './effects.js';
import type {RunnerInput, RunOutcome} from './input.js';
import {openResumed, type ResumeInfo} from './resume.js';
import {expectModeOf, selectServices} from './services.js';

export type StepStatus = 'done' | 'failed' | 'skipped' | 'cancelled' | 'interrupted';

export interface ReportFacts {
	/** Names under `reports/` once written. */
	before: string | null;
	after: string | null;
	/** Each report's `status` of that moment, by report name. */
	statuses: {before: Record<string, string | null>; after: Record<string, string | null>};
}

/** What the steps learn, for the screen and evidence.json. */
export interface RunFacts {
	env: EnvFileFacts[];
	services: Map<string, ServiceFacts>;
	reports: ReportFacts;
	plan: PlanFacts;
	preview: RollbackPreview | undefined;
	rehearsal: RunOutcome['rehearsal'];
	/** evidence.json once written; `discarded` when the run changed nothing and its folder was removed. */
	evidence: {path: string | undefined; document: Record<string, unknown> | undefined; discarded?: boolean};
}

/** What earlier steps decided for later ones. */
export interface RunFlow {
	preflightOk: boolean;
	/** Confirmed (and not a dry run): the changing steps run. */
	proceed: boolean;
	setModeFailed: boolean;
	/** Services a resumed run found already answering the target mode: not restarted, not polled. */
	alreadyVerified: Set<string>;
	/** Declined at the question, or stopped before it: nothing was changed. */
	declined: boolean;
}

interface Opened {
	runId: string;
	kind: RunKind;
	resume: ResumeInfo | undefined;
	run: EvidenceRun;
	services: ServiceConfig[];
	batches: ServiceConfig[][];
	envFiles: string[];
	planPath: string | null;
	startedAtMs: number;
}

/**
 * Resolve what the run is (new, or `--resume`), check it, and open its evidence folder.
 * Refusals are usage errors (exit 2) and leave nothing open.
 */
export async function openRun(input: RunnerInput, fx: RollbackEffects): Promise<RunContext> {
	const {config} = input;
	const startedAtMs = fx.clock.now();
	const resumed = input.resumeRunId ? await openResumed(input.resumeRunId, input, fx) : undefined;
	const resume = resumed?.resume;
	const runId = input.resumeRunId ?? input.runId ?? formatRunId(new Date(startedAtMs), fx.randomHex());
	const kind: RunKind = resume?.kind ?? input.kind;

	let services: ServiceConfig[];
	try {
		const filter = resume?.serviceNames && input.serviceFilter.length === 0 ? resume.serviceNames.filter(name => (config.services ?? []).some(service => service.name === name)) : input.serviceFilter;
		services = selectServices(config.services ?? [], filter);
		if (kind === 'rehearsal' && (!config.rehearsalEvidence || !config.drillHistory)) {
			throw new UsageError('--rehearse writes CAVRA\'s rehearsal evidence and drill history, but the config names no "rehearsalEvidence" and "drillHistory"', 'run it with a rehearsal config: cavra-rollback rollback --rehearse --config rehearsal.cavrarc.yaml');
		}
	} catch (error) {
		await resumed?.run.close().catch(() => undefined);
		throw error;
	}
	const envFiles = config.mode?.envFiles ?? [];
	const batches = fx.services.batches(services);
	const planPath = config.plan ?? input.env['CAVRA_GO_ROLLBACK_PLAN'] ?? null;
	const run = resumed?.run ?? (await fx.evidence.open(runId, {resume: false}));
	return new RunContext(input, fx, {runId, kind, resume, run, services, batches, envFiles, planPath, startedAtMs});
}

export class RunContext {
	readonly input: RunnerInput;
	readonly fx: RollbackEffects;
	readonly config: CavraConfig;
	readonly control: RunControl;
	readonly clock: Clock;
	readonly runId: string;
	readonly kind: RunKind;
	readonly resume: ResumeInfo | undefined;
	readonly run: EvidenceRun;
	readonly services: ServiceConfig[];
	readonly batches: ServiceConfig[][];
	readonly envFiles: string[];
	readonly planPath: string | null;
	readonly startedAtMs: number;
	readonly facts: RunFacts;
	readonly flow: RunFlow = {preflightOk: false, proceed: false, setModeFailed: false, alreadyVerified: new Set(), declined: false};
	#state: RollbackState;
	#journalError: string | undefined;
	readonly #stopListener: () => void;

	constructor(input: RunnerInput, fx: RollbackEffects, opened: Opened) {
		this.input = input;
		this.fx = fx;
		this.config = input.config;
		this.control = input.control;
		this.clock = fx.clock;
		({runId: this.runId, kind: this.kind, resume: this.resume, run: this.run, services: this.services, batches: this.batches, envFiles: this.envFiles, planPath: this.planPath, startedAtMs: this.startedAtMs} = opened);
		this.#state = initialState({
			runId: this.runId,
			kind: this.kind,
			steps: buildSteps({envFiles: this.envFiles, batches: this.batches.map(batch => batch.map(service => ({name: service.name, kind: service.kind}))), rehearsal: this.kind === 'rehearsal'}),
			budget: budgetFromPlan(undefined),
			nowMs: this.startedAtMs,
		});
		input.onState?.(this.#state);
		this.#stopListener = this.control.onStop(what => this.dispatch({type: what === 'cancel' ? 'cancel-requested' : 'abort-requested', atMs: this.clock.now()}));
		if (this.control.cancelRequested) this.dispatch({type: 'cancel-requested', atMs: this.clock.now()});
		for (const message of this.run.notices ?? []) this.dispatch({type: 'notice', message});
		this.facts = {
			env: this.envFiles.map(path => ({path, modeBefore: null, modeAfter: null, action: null, backupPath: null})),
			services: new Map(this.services.map(service => [service.name, initialServiceFacts(service)])),
			reports: {before: null, after: null, statuses: {before: {}, after: {}}},
			plan: planFactsFromSummary(undefined, this.planPath, null),
			preview: undefined,
			rehearsal: undefined,
			evidence: {path: undefined, document: undefined},
		};
	}

	get state(): RollbackState {
		return this.#state;
	}

	dispatch(event: RollbackEvent): void {
		this.#state = reduce(this.#state, event);
		if (event.type === 'output') this.input.onOutput?.(event.id, event.lines);
		this.input.onState?.(this.#state);
	}

	/** First stop request seen: the steps after the current one do not start. */
	stopped(): boolean {
		return this.control.cancelRequested;
	}

	/**
	 * A failed append does not stop a rollback (the rollback matters more), but the evidence step
	 * then fails and says why (`journalError`).
	 */
	async journal(record: JournalRecordInput): Promise<void> {
		try {
			await this.run.journal(record);
		} catch (error) {
			this.#journalError ??= describeError(error);
		}
	}

	get journalError(): string | undefined {
		return this.#journalError;
	}

	async beginStep(id: string, detail?: Record<string, unknown>): Promise<void> {
		this.dispatch({type: 'step-started', id, atMs: this.clock.now()});
		await this.journal({step: id, phase: 'before', ...(detail && {detail})});
	}

	async endStep(id: string, status: StepStatus, options: {detail?: string; skipReason?: StepState['skipReason']; journalDetail?: Record<string, unknown>} = {}): Promise<void> {
		this.dispatch({type: 'step-finished', id, status, atMs: this.clock.now(), ...(options.detail !== undefined && {detail: options.detail}), ...(options.skipReason && {skipReason: options.skipReason})});
		const detail = {...(options.skipReason && {skip_reason: options.skipReason}), ...(options.detail !== undefined && {message: options.detail}), ...options.journalDetail};
		await this.journal({step: id, phase: 'after', status, ...(Object.keys(detail).length > 0 && {detail})});
	}

	/** A step decided without running (skipped): journaled as a before/after pair so the record is complete; never shown as running. */
	async skipStep(id: string, skipReason: NonNullable<StepState['skipReason']>, detail?: string, journalDetail?: Record<string, unknown>): Promise<void> {
		await this.journal({step: id, phase: 'before'});
		await this.endStep(id, 'skipped', {skipReason, ...(detail !== undefined && {detail}), ...(journalDetail && {journalDetail})});
	}

	/** The API token, only for a URL on the API's own origin (a verify URL on another host gets none). */
	tokenOption(url: string): {token?: string} {
		const token = tokenFor(url, this.config, this.input.env);
		return token ? {token} : {};
	}

	outcome(): RunOutcome {
		const {rehearsal, evidence, preview} = this.facts;
		return {state: this.#state, preview, evidence: evidence.document, evidencePath: evidence.path, runDir: evidence.discarded ? undefined : this.run.dir, ...(rehearsal && {rehearsal})};
	}

	/** Stop listening to Ctrl-C and close the journal; safe to call on every exit path. */
	async close(): Promise<void> {
		this.#stopListener();
		await this.run.close().catch(() => undefined);
	}
}

function initialServiceFacts(service: ServiceConfig): ServiceFacts {
	return {
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
	};
}

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
