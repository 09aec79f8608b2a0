/**
 * `rollback --resume` without a run id: which run it continues. Only the newest run of the same
 * kind (rollback, or rehearsal with --rehearse) is a candidate: continuing an older interrupted
 * run after a newer one finished would restart services on a stale picture, so that needs its id.
 */
import type {EvidenceKind, EvidenceResult} from '../evidence/bundle.js';
import {UsageError} from '../errors.js';

export interface RunRow {
	id: string;
	kind: EvidenceKind | null;
	result: EvidenceResult | 'incomplete' | 'unreadable';
}

/** The run to continue, or a usage error saying why there is none and how to pick one. */
export function chooseRunToResume(runs: readonly RunRow[], kind: 'rollback' | 'rehearsal', dir: string): string {
	const what = kind === 'rehearsal' ? 'rehearsal' : 'rollback';
	const pickHint = 'list the runs with: cavra-rollback evidence list, then give one: --resume RUN_ID';
	// Newest first (listEvidenceRuns' order). A run whose journal cannot say its kind is skipped
	// here: --resume RUN_ID on it gives the journal's own refusal.
	const latest = runs.find(run => run.kind === kind);
	if (!latest) throw new UsageError(`no ${what} run in ${dir} to resume`, pickHint);
	if (latest.result === 'recovered') {
		throw new UsageError(`the latest ${what} run, ${latest.id}, recovered: nothing to resume`, `to continue an older run, give its id (cavra-rollback evidence list shows them): --resume RUN_ID`);
	}
	return latest.id;
}
