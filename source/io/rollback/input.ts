/** What a rollback run is given and what it hands back. */
import type {CavraConfig} from '../../core/config/schema.js';
import type {RollbackState, RunKind} from '../../core/rollback/machine.js';
import type {RollbackPreview} from '../../core/rollback/preview.js';
import type {RunControl} from './control.js';

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
