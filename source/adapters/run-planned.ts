/** The restart every adapter shares: run the planned commands in order, stop at the first failure. */
import {performance} from 'node:perf_hooks';
import type {ServiceConfig} from '../core/config/schema.js';
import {formatDuration} from '../core/text/quantities.js';
import type {RunResult} from '../io/process-runner.js';
import {passEnvFor, type AdapterResult, type PlannedCommand, type PlanOptions, type RestartContext, type ServiceAdapter} from './types.js';

/** An adapter's restart: exactly its plan, run. */
export function restartPlanned<S extends ServiceConfig>(adapter: ServiceAdapter<S>, service: S, context: RestartContext): Promise<AdapterResult> {
	const options: PlanOptions = {
		mode: context.mode ?? 'disabled',
		...(context.daemonReload !== undefined && {daemonReload: context.daemonReload}),
		...(context.timeoutMs !== undefined && {timeoutMs: context.timeoutMs}),
	};
	return runPlanned(service, adapter.plan(service, options), context);
}

export async function runPlanned(service: ServiceConfig, commands: PlannedCommand[], context: RestartContext): Promise<AdapterResult> {
	const started = performance.now();
	const results: RunResult[] = [];
	for (const command of commands) {
		const result = await context.runner(command.argv, {
			timeoutMs: command.timeoutMs,
			...(command.env && {env: command.env}),
			...passEnvFor(service),
			...(context.signal && {signal: context.signal}),
			...(context.onLine && {onLine: context.onLine}),
		});
		results.push(result);
		if (!result.ok) break;
	}
	const ok = results.length === commands.length && results.every(result => result.ok);
	return {service: service.name, kind: service.kind, ok, commands: results, durationMs: Math.round(performance.now() - started), detail: describeOutcome(results, commands.length)};
}

/** `exit 0`, or what went wrong with the failing command and the last line it printed. */
function describeOutcome(results: RunResult[], planned: number): string {
	const failed = results.find(result => !result.ok);
	if (!failed) return planned === 0 ? 'nothing to run' : `${planned === 1 ? 'exit 0' : `${planned} commands, all exit 0`} (${formatDuration(results.reduce((sum, result) => sum + result.durationMs, 0))})`;
	const what = failed.error ?? (failed.exitCode !== null ? `exit ${failed.exitCode}` : `killed by ${failed.signal ?? 'a signal'}`);
	const lastLine = lastNonEmpty(failed.stderrTail) ?? lastNonEmpty(failed.stdoutTail);
	return `${failed.argv.slice(0, 3).join(' ')}: ${what}${lastLine ? `: ${lastLine.slice(0, 200)}` : ''}`;
}

function lastNonEmpty(text: string): string | undefined {
	return text.split('\n').map(line => line.trim()).filter(Boolean).at(-1);
}

