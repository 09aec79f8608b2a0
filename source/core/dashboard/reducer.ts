import {classifyAnswer, classifyServiceAnswer, readProductionAnswer, readRollbackAnswer, serviceMode} from './answers.js';
import type {ProbeResult} from './probe.js';
import {
	apiEndpoints,
	apiPaths,
	panelIds,
	type ApiEndpoint,
	type DashboardConfig,
	type DashboardEvent,
	type DashboardState,
	type EndpointState,
	type PanelId,
	type Report,
	type ServiceState,
} from './state.js';

/** The URL of one of CAVRA's endpoints under `api.url` (which may carry a path prefix). */
export function endpointUrl(apiUrl: string, endpoint: ApiEndpoint): string {
	return `${apiUrl.replace(/\/+$/, '')}${apiPaths[endpoint]}`;
}

export function initialState(config: DashboardConfig, now: number): DashboardState {
	const state: DashboardState = {
		now,
		startedAt: now,
		config,
		services: [],
		refreshing: false,
		polls: 0,
		panels: Object.fromEntries(panelIds.map(id => [id, {}])) as DashboardState['panels'],
	};
	return applyConfig(state, config);
}

function applyConfig(state: DashboardState, config: DashboardConfig): DashboardState {
	const api = config.apiUrl
		? (Object.fromEntries(
				apiEndpoints.map(endpoint => {
					const url = endpointUrl(config.apiUrl!, endpoint);
					const previous = state.api?.[endpoint];
					return [endpoint, previous && previous.url === url ? previous : {url}];
				}),
			) as Record<ApiEndpoint, EndpointState>)
		: undefined;
	const services: ServiceState[] = config.services.map(service => {
		const previous = state.services.find(old => old.name === service.name && old.url === service.url);
		return {...service, endpoint: previous?.endpoint ?? {url: service.url}};
	});
	const fleets = (config.fleets ?? []).map(name => state.fleets?.find(old => old.name === name) ?? {name, hosts: []});
	return {...state, config, api, services, ...(fleets.length > 0 ? {fleets} : {fleets: undefined})};
}

function recordResult(endpoint: EndpointState, result: ProbeResult, at: number): EndpointState {
	const kindChanged = endpoint.last?.kind !== result.kind;
	return {
		...endpoint,
		last: result,
		checkedAt: at,
		since: kindChanged || endpoint.since === undefined ? at : endpoint.since,
		lastGood: result.kind === 'ok' ? {at, body: result.body, text: result.text} : endpoint.lastGood,
	};
}

/** The one state transition. Pure; `changedAt` of a panel moves only when what it shows changed. */
export function reduce(state: DashboardState, event: DashboardEvent): DashboardState {
	let next: DashboardState = {...state, now: Math.max(state.now, event.at)};
	switch (event.type) {
		case 'config': {
			const {configError: _dropped, ...rest} = next;
			next = applyConfig(rest, event.config);
			break;
		}
		case 'config-error':
			next.configError = {message: event.message, at: event.at};
			break;
		case 'local': {
			const {localError: _dropped, ...rest} = next;
			next = {...rest, local: {reports: event.reports, settings: event.settings, stamps: event.stamps ?? {}, at: event.at, ...(event.promotion && {promotion: event.promotion})}};
			break;
		}
		case 'local-error':
			next.localError = {message: event.message, at: event.at};
			break;
		case 'lint':
			next.lint = {value: event.lint, at: event.at};
			break;
		case 'mode-sources':
			next.modeSources = {sources: event.sources, at: event.at};
			break;
		case 'api': {
			if (!next.api) return next;
			const current = next.api[event.endpoint];
			next.api = {...next.api, [event.endpoint]: recordResult(current, classifyAnswer(event.endpoint, event.result), event.at)};
			break;
		}
		case 'service': {
			const index = next.services.findIndex(service => service.name === event.name);
			if (index < 0) return next;
			const services = [...next.services];
			const service = services[index]!;
			services[index] = {...service, endpoint: recordResult(service.endpoint, classifyServiceAnswer(event.result), event.at)};
			next.services = services;
			break;
		}
		case 'fleet':
			next.fleets = (next.fleets ?? []).map(fleet => (fleet.name === event.name ? {name: fleet.name, checkedAt: event.at, ok: event.ok, detail: event.detail, hosts: event.hosts} : fleet));
			break;
		case 'refresh-requested':
			next.refreshing = true;
			break;
		case 'poll-finished':
			next.refreshing = false;
			next.polls = state.polls + 1;
			break;
		case 'tick':
			break;
	}
	return stampPanels(state, next, event.at);
}

function stampPanels(before: DashboardState, after: DashboardState, at: number): DashboardState {
	let panels = after.panels;
	for (const id of panelIds) {
		const signature = panelSignature(after, id);
		const previous = before.panels[id];
		if (previous.signature !== signature) {
			if (panels === after.panels) panels = {...panels};
			panels[id] = {signature, changedAt: at};
		}
	}
	return panels === after.panels ? after : {...after, panels};
}

function checksSignature(report: Report | undefined): string {
	if (!report) return '-';
	return `${report.status}|${report.checks.map(check => `${check.id}:${check.status}:${check.message}`).join('|')}`;
}

function probeSignature(endpoint: EndpointState | undefined, read: (body: unknown) => string): string {
	const last = endpoint?.last;
	if (!last) return 'pending';
	switch (last.kind) {
		case 'ok':
			return `ok|${read(last.body)}`;
		case 'http-error':
			return `http-error|${last.status}`;
		case 'malformed':
			return `malformed|${last.message}`;
		case 'timeout':
			return 'timeout';
		case 'unreachable':
			return `unreachable|${last.message}`;
		case 'refused':
			return `refused|${last.message}`;
	}
}

/**
 * What a panel shows, minus the clock: time-derived numbers (age in days, days until due) move on
 * every evaluation and are not "a change"; the files' stamps and every check's verdict are.
 */
export function panelSignature(state: DashboardState, id: PanelId): string {
	const local = state.local;
	const stamp = (key: keyof NonNullable<typeof local>['stamps']) => local?.stamps[key] ?? '';
	switch (id) {
		case 'mode': {
			const sources = state.modeSources?.sources.map(source => `${source.label}=${source.state}:${source.raw ?? ''}`).join('|') ?? 'pending';
			const apiMode = probeSignature(state.api?.['rollback-readiness'], body => readRollbackAnswer(body)?.mode ?? '?');
			return `${sources}#${state.config.apiUrl ? apiMode : 'no-api'}`;
		}
		case 'plan': {
			const lint = state.lint?.value;
			const lintSignature = !lint
				? 'pending'
				: lint.kind === 'ok'
					? `${lint.report.ok}|${lint.report.findings.map(finding => `${finding.rule}@${finding.line}:${finding.column}`).join(',')}`
					: lint.kind;
			return `${checksSignature(local?.reports.rollback)}#${stamp('rollback')}#${lintSignature}#${state.localError?.message ?? ''}#${JSON.stringify(local?.promotion ?? null)}`;
		}
		case 'rehearsal':
			return `${checksSignature(local?.reports.rehearsal)}#${stamp('rehearsal')}`;
		case 'drills':
			return `${checksSignature(local?.reports.drills)}#${stamp('drills')}`;
		case 'schedule':
			return `${checksSignature(local?.reports.schedule)}#${stamp('schedule')}`;
		case 'api': {
			if (state.config.pending) return 'pending';
			if (!state.api) return 'not-configured';
			const rollback = probeSignature(state.api['rollback-readiness'], body => {
				const answer = readRollbackAnswer(body);
				return answer ? `${answer.mode}|${checksSignature({status: answer.status, checks: answer.checks})}` : '?';
			});
			const production = probeSignature(state.api['production-readiness'], body => {
				const answer = readProductionAnswer(body);
				if (!answer) return '?';
				return `${answer.status}|${answer.rollbackSection?.status ?? '-'}|${answer.rollbackChecks.map(check => `${check.id}:${check.status}`).join(',')}`;
			});
			return `${rollback}#${production}`;
		}
		case 'services':
			if (state.config.pending) return 'pending';
			return (
				[
					...state.services.map(service => `${service.name}=${probeSignature(service.endpoint, body => serviceMode(body) ?? '?')}`),
					...(state.fleets ?? []).map(fleet => `${fleet.name}=${fleet.checkedAt === undefined ? 'pending' : `${fleet.ok}:${fleet.hosts.map(host => `${host.host}/${host.envMode}/${host.answers}/${host.problem ?? ''}`).join(',')}`}`),
				].join('|') || 'none'
			);
	}
}
