/**
 * The driver: opens the run, runs each step whose turn it is, and closes the run on every exit
 * path. Each step lives in `steps/` and reads and writes the shared `RunContext`; `when` says
 * what earlier steps must have decided for it to run.
 */
import {openRun, type RunContext} from './context.js';
import type {RollbackEffects} from './effects.js';
import type {RunnerInput, RunOutcome} from './input.js';
import {capture} from './steps/capture.js';
import {confirm} from './steps/confirm.js';
import {evidence} from './steps/evidence.js';
import {preflight} from './steps/preflight.js';
import {record, shouldRecord} from './steps/record.js';
import {restart} from './steps/restart.js';
import {setMode} from './steps/set-mode.js';
import {stopClock, verify} from './steps/verify.js';

interface StepHandler {
	id: string;
	when(ctx: RunContext): boolean;
	run(ctx: RunContext): Promise<void>;
}

const always = () => true;
const goingAhead = (ctx: RunContext) => ctx.flow.proceed;
const modeSet = (ctx: RunContext) => ctx.flow.proceed && !ctx.flow.setModeFailed;

const STEPS: readonly StepHandler[] = [
	{id: 'preflight', when: always, run: preflight},
	{id: 'confirm', when: always, run: confirm},
	{id: 'set-mode', when: goingAhead, run: setMode},
	{id: 'restart', when: modeSet, run: restart},
	{id: 'verify', when: ctx => modeSet(ctx) && !ctx.stopped() && ctx.services.length > 0, run: verify},
	{id: 'stop-clock', when: goingAhead, run: stopClock},
	// Not after a cancel: stop means stop.
	{id: 'capture', when: ctx => goingAhead(ctx) && !ctx.stopped(), run: capture},
	{id: 'record', when: shouldRecord, run: record},
	{id: 'evidence', when: always, run: evidence},
];

export async function runRollback(input: RunnerInput, fx: RollbackEffects): Promise<RunOutcome> {
	const ctx = await openRun(input, fx);
	try {
		for (const step of STEPS) {
			if (step.when(ctx)) await step.run(ctx);
		}
		return ctx.outcome();
	} finally {
		await ctx.close();
	}
}
