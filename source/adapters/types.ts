/**
 * One interface for every service manager. An adapter says exactly what it will run (`plan`: the
 * argv list shown in the preview, in order) and runs exactly that (`restart`), through an injected
 * runner so tests can check the argv without the binaries.
 */
import type {BackendMode, ServiceConfig} from '../core/config/schema.js';
import type {BatchRecord, FleetProgress} from '../core/ansible/progress.js';
import type {FleetHostFacts} from '../core/rollback/evidence.js';
import type {CommandRunner, RunResult} from '../io/process-runner.js';

export type ServiceKind = ServiceConfig['kind'];

export interface PlanOptions {
	/** The mode the service must come back in (the rollback: always `disabled`). */
	mode: BackendMode;
	/** systemd: a drop-in was written, so `systemctl daemon-reload` runs first. */
	daemonReload?: boolean;
	/** Used when the service sets no `timeoutMs`. */
	timeoutMs?: number;
}

export interface PlannedCommand {
	/** Exactly what runs: argv[0] is the program, never a shell string. */
	argv: string[];
	/** Variables set for the command (only ever the mode). Of the operator's own it gets only PATH, HOME, locale, TZ and `passEnvFor(service)`. */
	env?: Record<string, string>;
	timeoutMs: number;
	/** Why this command is there, for the preview. */
	note?: string;
}

export interface RestartContext extends Partial<Omit<PlanOptions, 'mode'>> {
	runner: CommandRunner;
	mode?: BackendMode;
	signal?: AbortSignal;
	/** Each output line, redacted (the live tail on screen). */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	/** Values to hide in what the adapter reads itself (a fleet's per-host results). */
	secretValues?: readonly string[];
	/** A fleet while it runs: one row per host, every string escaped and redacted. */
	onFleet?: (progress: FleetProgress) => void;
	/** A fleet's batch has ended (the journal records it); awaited, in batch order, before the restart resolves. */
	onBatch?: (batch: BatchRecord) => void | Promise<void>;
	/** `--resume`: a fleet re-probes every host and runs only those not done; these are the hosts the journal recorded done. */
	resume?: {doneHosts: readonly string[]};
	/** Epoch ms when the recovery budget runs out: a fleet's per-host verify stops trying then. */
	verifyDeadlineMs?: number;
}

/** One host of a multi-host service (Ansible): every string already redacted and escaped. */
export interface FleetHost extends FleetHostFacts {
	state: 'done' | 'failed' | 'unreachable' | 'not-touched';
	/** Preflight: the change the rollback would make to this host's env file (unified diff, mode value redacted). */
	diff?: string;
}

export interface PreflightResult {
	ok: boolean;
	/** One line: what was checked, or what stops the rollback before anything changes. */
	detail: string;
	hosts?: FleetHost[];
}

export interface AdapterResult {
	service: string;
	kind: ServiceKind;
	/** Every planned command ran and exited 0. */
	ok: boolean;
	/** One result per command that ran, in order; a failure stops the rest. */
	commands: RunResult[];
	durationMs: number;
	/** One line for the screen and the journal: what happened. Never a secret. */
	detail: string;
	/** A multi-host service: each host's outcome. */
	hosts?: FleetHost[];
}

export interface ServiceAdapter<S extends ServiceConfig = ServiceConfig> {
	kind: S['kind'];
	/** What the service is, in the manager's words: `systemd unit cavra-api.service`. */
	describe(service: S): string;
	plan(service: S, options: PlanOptions): PlannedCommand[];
	restart(service: S, context: RestartContext): Promise<AdapterResult>;
	/** Checks that can fail before anything changes (a fleet: the tool is there, every host answers). */
	preflight?(service: S, context: RestartContext): Promise<PreflightResult>;
}

/**
 * What a kind's manager needs from the operator's environment (besides io/process-runner's
 * INHERITED_ENV), then the service's own `passEnv`; undefined when nothing.
 */
export const managerEnv: Record<ServiceKind, readonly string[]> = {
	// `systemctl --user` reaches the user's manager through these.
	systemd: ['XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS'],
	launchd: [],
	kubernetes: ['KUBECONFIG'],
	pm2: ['PM2_HOME'],
	command: [],
	// ssh finds its agent; the operator's own ANSIBLE_* settings are added by the adapter.
	ansible: ['SSH_AUTH_SOCK', 'PYTHONPATH'],
};

export function passEnvFor(service: ServiceConfig): {passEnv?: string[]} {
	const names = [...new Set([...managerEnv[service.kind], ...(service.passEnv ?? [])])];
	return names.length > 0 ? {passEnv: names} : {};
}

/** Defaults per kind when neither the service nor the caller gives a timeout. */
export const defaultTimeoutMs: Record<ServiceKind, number> = {
	// systemd's own default stop timeout is 90 s; a restart is a stop and a start.
	systemd: 120_000,
	launchd: 60_000,
	// A rollout replaces pods one by one; readiness probes take their time.
	kubernetes: 300_000,
	pm2: 60_000,
	command: 120_000,
	// Per batch: set, restart and verify each host of the batch.
	ansible: 300_000,
};

/** The service's own timeout, else the caller's, else the kind's default. */
export function timeoutFor(service: ServiceConfig, options: {timeoutMs?: number}): number {
	return service.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs[service.kind];
}
