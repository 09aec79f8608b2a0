/**
 * Step 3, set the mode: CAVRA_GO_BACKEND_MODE=disabled in each env file, in config order, each
 * re-read afterwards. The first failure stops here: no service restarts on a half-set mode.
 * A resumed run re-probes each file instead of trusting the journal.
 */
import {MODE_KEY, TARGET_MODE} from '../../../core/rollback/preview.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';

export async function setMode(ctx: RunContext): Promise<void> {
	const {envFiles} = ctx.fx;
	for (const [index, path] of ctx.envFiles.entries()) {
		if (ctx.stopped()) break;
		const facts = ctx.facts.env[index]!;
		const id = `set-mode:${path}`;
		await ctx.beginStep(id, {mode_before: facts.modeBefore});
		try {
			if (ctx.resume) {
				// Re-probe, don't trust the journal: is the file already disabled?
				const current = await envFiles.readMode(path);
				if (current === TARGET_MODE && (await envFiles.preview(path)).action === 'unchanged') {
					facts.modeAfter = current;
					facts.action = 'unchanged';
					await ctx.endStep(id, 'skipped', {skipReason: 'already-done', detail: `${MODE_KEY} is already ${TARGET_MODE}`, journalDetail: {mode_after: current}});
					continue;
				}
			}
			const result = await envFiles.setDisabled(path);
			facts.action = result.action;
			facts.backupPath = result.backupPath;
			const reread = await envFiles.readMode(path);
			facts.modeAfter = reread;
			if (reread !== TARGET_MODE) {
				ctx.flow.setModeFailed = true;
				await ctx.endStep(id, 'failed', {detail: `re-read shows ${MODE_KEY}=${reread ?? '(absent)'}`, journalDetail: {action: result.action, mode_after: reread}});
			} else {
				await ctx.endStep(id, 'done', {
					detail: result.action === 'unchanged' ? 'already disabled: file unchanged' : `${result.action === 'append' ? 'line added' : 'line replaced'}; re-read: ${reread}`,
					journalDetail: {action: result.action, mode_after: reread, backup: result.backupPath},
				});
			}
		} catch (error) {
			ctx.flow.setModeFailed = true;
			await ctx.endStep(id, 'failed', {detail: describeError(error)});
		}
		if (ctx.flow.setModeFailed) break;
	}
}
