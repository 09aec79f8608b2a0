/**
 * The orchestrator's front door. It executes the rollback machine (`core/rollback/machine.ts`) step by step with
 * injected effects: env files, service adapters, HTTP, readiness, clock, evidence and journal.
 * Every effect is an interface so unit tests run without processes or sockets; the defaults
 * (`rollback/default-effects.ts`) bind the real modules.
 *
 * Order: preflight → confirm → set mode (each env file) → restart (batches in config order,
 * services sharing a group in parallel) → verify (all services, in parallel, against the
 * recovery countdown) → capture (reports after) → [record rehearsal] → evidence.
 * Every step is journaled before and after it runs. Ctrl-C once: the current step finishes, the
 * rest is recorded as not run (`cancelled`). Twice: running commands are killed, the journal
 * and evidence are still written. `--resume` re-probes live state instead of trusting the journal.
 *
 * The code lives in `io/rollback/`: `run.ts` (the driver), `context.ts` (the run's shared state and
 * journal), one handler per step in `steps/`, `effects.ts` (the interfaces) and the real effects.
 */
export {RunControl} from './rollback/control.js';
export type {
	Clock,
	EnvFileEffects,
	EvidenceEffects,
	EvidenceRun,
	JournalEntry,
	JournalRecordInput,
	ReadinessEffects,
	RehearsalEffects,
	RestartOutcome,
	RollbackEffects,
	ServiceEffects,
} from './rollback/effects.js';
export {DEFAULT_PROBE_TIMEOUT_MS, type RunnerInput, type RunOutcome} from './rollback/input.js';
export {selectServices} from './rollback/services.js';
export {runRollback} from './rollback/run.js';
export {createDefaultEffects, type DefaultEffectsOptions} from './rollback/default-effects.js';
export {createEvidenceEffects} from './rollback/evidence-effects.js';
