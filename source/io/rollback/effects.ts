/**
 * The rollback's effects: every side effect the run has (env files, service adapters, HTTP,
 * readiness, clock, evidence, rehearsal) is an interface, so unit tests run in an in-memory world
 * (test/fixtures/rollback/fakes.ts) and `default-effects.ts` binds the real modules.
 */
import type {FleetHost, PreflightResult} from '../../adapters/types.js';
import type {BatchRecord, FleetProgress} from '../../core/ansible/progress.js';
import type {ServiceConfig} from '../../core/config/schema.js';
import type {SealedEvidence} from '../../core/rollback/evidence.js';
import type {SignOutcome} from '../evidence-signing.js';
import type {CavraPlanSummary, EnvFileChange, PlannedCommandView} from '../../core/rollback/preview.js';
import type {HttpGet} from '../verify-poller.js';

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
	/** A fleet (Ansible): each host's outcome, redacted and escaped. */
	hosts?: FleetHost[];
}

export interface RestartOptions {
	timeoutMs: number | undefined;
	signal: AbortSignal;
	onOutput(lines: string[]): void;
	/** A fleet: its hosts as they move (the screen). */
	onFleet?(progress: FleetProgress): void;
	/** A fleet: a batch ended (the journal records it). */
	onBatch?(batch: BatchRecord): Promise<void>;
	/** A fleet in a resumed run: the hosts the journal recorded done (each is re-probed anyway). */
	resume?: {doneHosts: readonly string[]};
	/** Epoch ms the recovery budget runs out (a fleet verifies per host until then). */
	verifyDeadlineMs?: number;
}

export interface ServiceEffects {
	/** One line: what is restarted (unit, label, deployment, process). */
	describe(service: ServiceConfig): string;
	/** Every command the restart will run, in order (argv redacted for display and evidence). */
	plan(service: ServiceConfig): PlannedCommandView[];
	/** `timeoutMs` undefined: the service's own `timeoutMs`, else the adapter's default for its kind. */
	restart(service: ServiceConfig, options: RestartOptions): Promise<RestartOutcome>;
	/** Restart batches: config order, services sharing a `group` together. */
	batches(services: readonly ServiceConfig[]): ServiceConfig[][];
	/** The adapter's own checks before anything changes (a fleet: every host reachable and readable); undefined when the kind has none. */
	preflight?(service: ServiceConfig, options: {signal: AbortSignal}): Promise<PreflightResult | undefined>;
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
	/** What opening it had to do that the operator should know (a stale lock taken over). */
	notices?: readonly string[];
	/**
	 * Create a new run's folder and write what was held in memory until now: its journal records
	 * (each with its own time) and reports. Called when the operator confirms, or when a run that
	 * changed nothing still keeps a bundle (a failed preflight). Until then nothing of a new run is
	 * on disk but the lock. Safe to call twice; a resumed run's folder exists already.
	 */
	keep(): Promise<void>;
	/** Append one record (fsynced once kept); resolves to its hash, or null while the run is held in memory (see keep). */
	journal(record: JournalRecordInput): Promise<string | null>;
	/** Records already in the journal (resume). Throws when the chain is broken. */
	readJournal(): Promise<JournalEntry[]>;
	/** Write `reports/<when>.json` (every report of that moment); resolves to its name under `reports/`. */
	writeReports(when: 'before' | 'after', reports: Record<string, unknown>): Promise<string>;
	/** The name of `reports/<when>.json` when it exists already (a resumed run keeps its before-reports). */
	hasReports(when: 'before' | 'after'): Promise<string | undefined>;
	/** Seal and write `evidence.json` atomically: the sealed fields, the folder's file hashes, then the extras. */
	writeEvidence(sealed: SealedEvidence, extras: Record<string, unknown>): Promise<{path: string; document: Record<string, unknown>}>;
	/** Sign the written evidence.json with the operator's SSH key (`evidence.json.sig`); never throws. */
	sign?(options: {key: string; signer: string}): Promise<SignOutcome>;
	journalInfo(): {records: number; headSha256: string | null};
	/** Close the journal and release the evidence folder's lock. */
	close(): Promise<void>;
	/**
	 * Close, delete the run folder and release the lock: for a new run that changed nothing (a dry
	 * run, a declined or cancelled confirmation), which leaves no bundle, nothing to list or resume.
	 */
	discard(): Promise<void>;
}

export interface EvidenceEffects {
	/**
	 * Take the evidence folder's lock (refused while another run holds it), then open
	 * `<dir>/<runId>/` for `--resume` (it must exist); a new run's folder is created by `keep()`
	 * (it must not exist by then).
	 */
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
