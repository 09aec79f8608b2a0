import type {AllowEntry} from '../core/lint/finding.js';
import {planFixes, type FixPlan} from '../core/lint/fix.js';
import {atomicWriteFile} from './atomic-write.js';

/**
 * `lint --fix` on one file: computes the edits and, unless it is a dry run, replaces the file
 * atomically. No backup is kept and a failed write removes its temporary file: plans live in
 * repositories, and a copy of the removed secret next to the plan would defeat the fix. The
 * temporary file only ever holds the fixed bytes. A symbolic link, a hard-linked file or one
 * whose owner the rename would lose is refused (atomic-write), as for every file we replace.
 */
export async function fixPlanFile(file: string, bytes: Uint8Array, options: {allow?: readonly AllowEntry[]; dryRun: boolean}): Promise<FixPlan> {
	const plan = await planFixes(bytes, options.allow);
	if (!options.dryRun && !plan.refusal && plan.edits.length > 0) await atomicWriteFile(file, plan.bytes, {backup: false});
	return plan;
}
