/**
 * `--resume RUN_ID`: the run folder and its journal must exist and be intact; the original run
 * decides the kind and the services. Each step then re-probes live state instead of trusting it.
 */
import {UsageError} from '../../core/errors.js';
import type {RunKind} from '../../core/rollback/machine.js';
import {describeError} from './describe-error.js';
import type {EvidenceRun, JournalEntry, RollbackEffects} from './effects.js';
import type {RunnerInput} from './input.js';

export interface ResumeInfo {
	runId: string;
	kind: RunKind;
	serviceNames: string[] | null;
	startedAtMs: number;
	clockStartedAtMs: number | undefined;
	/** Services whose last restart was cut off mid-way: journaled `interrupted`, or begun and never ended (killed). */
	interruptedRestarts: string[];
}

/** Open the run folder of `runId` and read what its journal says; the folder is closed again on any refusal. */
export async function openResumed(runId: string, input: RunnerInput, fx: RollbackEffects): Promise<{run: EvidenceRun; resume: ResumeInfo}> {
	const run = await fx.evidence.open(runId, {resume: true});
	try {
		let records: JournalEntry[];
		try {
			records = await run.readJournal();
		} catch (error) {
			throw new UsageError(`run ${runId}: its journal cannot be trusted (${describeError(error)})`, `check it: cavra-rollback evidence verify ${run.dir}`);
		}
		const resume = parseResumeInfo(runId, records);
		if (input.kind === 'rehearsal' && resume.kind !== 'rehearsal') throw new UsageError(`run ${runId} was a rollback, not a rehearsal`, 'resume it without --rehearse');
		return {run, resume};
	} catch (error) {
		await run.close().catch(() => undefined);
		throw error;
	}
}
export function parseResumeInfo(runId: string, records: JournalEntry[]): ResumeInfo {
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
		interruptedRestarts: interruptedRestarts(records),
	};
}

/**
 * Which services' restarts were cut off, from the journal's restart records in order: a batch's
 * "before" names its services; its "after" says each one's status. A "before" with no "after"
 * (the process was killed) leaves its services interrupted; a later attempt that ended clears them.
 */
export function interruptedRestarts(records: readonly JournalEntry[]): string[] {
	const interrupted = new Set<string>();
	for (const record of records) {
		if (!/^restart(?:-group)?:/.test(record.step)) continue;
		const detail = record.detail ?? {};
		if (record.phase === 'before') {
			const names = Array.isArray(detail['services']) ? detail['services'] : [];
			for (const name of names) if (typeof name === 'string') interrupted.add(name);
		} else if (record.phase === 'after') {
			const services = detail['services'];
			const entries: Array<[string, unknown]> = services && typeof services === 'object' && !Array.isArray(services) ? Object.entries(services) : [];
			for (const [name, value] of entries) {
				if ((value as {status?: unknown} | null)?.status === 'interrupted') interrupted.add(name);
				else interrupted.delete(name);
			}
		}
	}
	return [...interrupted];
}
