/** `reports/<when>.json`: CAVRA's own rollback report and (when configured) the API's two answers. */
import type {ProbeResult} from '../../core/dashboard/probe.js';
import type {RunContext} from './context.js';

const API_ROUTES: ReadonlyArray<[string, string]> = [
	['api_rollback_readiness', '/runtime/go-pilot/rollback-readiness'],
	['api_production_readiness', '/deployment/production-readiness'],
];

/** Capture the reports of this moment; `keepExisting`: a resumed run keeps the before-reports it wrote. */
export async function saveReports(ctx: RunContext, when: 'before' | 'after', cavraReport: unknown, keepExisting: boolean): Promise<void> {
	const {reports} = ctx.facts;
	const document: Record<string, unknown> = {captured_at: new Date(ctx.clock.now()).toISOString(), when, cavra_rollback_readiness: cavraReport};
	reports.statuses[when]['cavra_rollback_readiness'] = statusOf(cavraReport);
	const api = ctx.config.api;
	if (api) {
		const base = api.url.replace(/\/+$/, '');
		const timeoutMs = api.timeoutMs ?? 3000;
		const answers = await Promise.all(
			API_ROUTES.map(async ([name, route]) => {
				const url = `${base}${route}`;
				const result = await ctx.fx.http(url, {timeoutMs, ...ctx.tokenOption(url), ...(api.allowInsecureHttp !== undefined && {allowInsecureHttp: api.allowInsecureHttp}), signal: ctx.control.abortSignal});
				if (result.kind !== 'ok') ctx.dispatch({type: 'notice', message: `API ${route} (${when}): ${summariseFailure(result)}; recorded as unavailable.`});
				reports.statuses[when][name] = summariseProbe(result);
				return [name, result.kind === 'ok' ? result.body : {unavailable: result.kind, route, reason: summariseFailure(result)}] as const;
			}),
		);
		for (const [name, value] of answers) document[name] = value;
	}
	if (keepExisting) {
		const existing = await ctx.run.hasReports(when);
		if (existing) {
			reports[when] = existing;
			return;
		}
	}
	reports[when] = await ctx.run.writeReports(when, document);
}

function summariseProbe(result: ProbeResult | undefined): string | null {
	if (!result) return null;
	if (result.kind === 'ok') {
		const body = result.body as {status?: unknown} | null;
		return typeof body?.status === 'string' ? body.status : 'ok';
	}
	return result.kind;
}

function statusOf(value: unknown): string | null {
	const status = (value as {status?: unknown} | null | undefined)?.status;
	return typeof status === 'string' ? status : null;
}

function summariseFailure(result: ProbeResult): string {
	switch (result.kind) {
		case 'ok':
			return 'ok';
		case 'unreachable':
			return `unreachable (${result.message})`;
		case 'timeout':
			return `no answer within ${result.timeoutMs} ms`;
		case 'http-error':
			return `HTTP ${result.status}`;
		case 'malformed':
			return `malformed answer (${result.message})`;
		case 'refused':
			return `refused (${result.message})`;
	}
}
