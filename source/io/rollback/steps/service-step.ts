/**
 * Restart and verify run services in parallel: each service has its own step on screen and in
 * evidence.json, while the journal records one before/after pair per batch with every service's
 * outcome in the "after" record.
 */
import type {StepState} from '../../../core/rollback/machine.js';
import type {RunContext, StepStatus} from '../context.js';

export interface ServiceStepResult {
	name: string;
	status: StepStatus;
	journal: Record<string, unknown>;
}

/** Close one service's step on screen; its journal detail goes into the batch's "after" record. */
export function finishServiceStep(
	ctx: RunContext,
	id: string,
	name: string,
	status: StepStatus,
	detail: string,
	journalDetail: Record<string, unknown>,
	skipReason?: NonNullable<StepState['skipReason']>,
): ServiceStepResult {
	ctx.dispatch({type: 'step-finished', id, status, detail, atMs: ctx.clock.now(), ...(skipReason && {skipReason})});
	return {name, status, journal: {status, ...(skipReason && {skip_reason: skipReason}), message: detail, ...journalDetail}};
}

/** A batch is done when every service in it is done or skipped; interrupted when one was killed mid-way; cancelled when one did not run; else failed. */
export function batchStatus(results: readonly ServiceStepResult[]): string {
	if (results.some(result => result.status === 'failed')) return 'failed';
	if (results.some(result => result.status === 'interrupted')) return 'interrupted';
	if (results.some(result => result.status === 'cancelled')) return 'cancelled';
	return 'done';
}

/** The batch's "after" record detail: every service's outcome by name. */
export function batchJournal(results: readonly ServiceStepResult[]): {services: Record<string, Record<string, unknown>>} {
	return {services: Object.fromEntries(results.map(result => [result.name, result.journal]))};
}
