/**
 * Step 6, capture: CAVRA's readiness (and the API's answers) after the change, as
 * `reports/after.json`. Not after a cancel (stop means stop), not in a dry run (nothing changed).
 */
import {TARGET_MODE} from '../../../core/rollback/preview.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';
import {saveReports} from '../reports.js';

export async function capture(ctx: RunContext): Promise<void> {
	await ctx.beginStep('capture');
	try {
		const firstEnvFile = ctx.envFiles[0];
		const modeAfter = firstEnvFile === undefined ? TARGET_MODE : ((await ctx.fx.envFiles.readMode(firstEnvFile).catch(() => null)) ?? TARGET_MODE);
		const after = await ctx.fx.readiness.cavraRollbackReport({mode: modeAfter, planPath: ctx.planPath});
		await saveReports(ctx, 'after', after.report, false);
		const statuses = Object.entries(ctx.facts.reports.statuses.after).map(([name, status]) => `${name}: ${status ?? '?'}`);
		await ctx.endStep('capture', 'done', {detail: statuses.join(', ')});
	} catch (error) {
		await ctx.endStep('capture', 'failed', {detail: describeError(error)});
	}
}
