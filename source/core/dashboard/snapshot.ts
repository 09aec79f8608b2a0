import {NOT_READY_TITLE} from '../rollback/what-blocks.js';
import {readProductionAnswer, readRollbackAnswer, serviceMode} from './answers.js';
import {visible} from '../text/sanitize.js';
import {wrapLines} from '../text/wrap.js';
import {displayPanels, displayVerdict} from './display.js';
import {clockTime, toneSymbols} from './format.js';
import {buildPanels, digestEndpoint, digestLint, drillFreshness, readModes, scheduleDue, type PanelView} from './panels.js';
import {describeProbe} from './probe.js';
import {apiEndpoints, panelIds, type DashboardState, type EndpointState, type PanelId} from './state.js';
import {computeVerdict, type Verdict} from './verdict.js';

/**
 * What `dashboard --once` and the non-TTY line mode print: a JSON snapshot with a stable
 * schema, a text snapshot, and one line per state change. Pure: built from state alone.
 */

export const SNAPSHOT_SCHEMA_VERSION = 'cavra-rollback.dashboard-snapshot.v1';

const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());

function endpointJson(state: EndpointState) {
	const last = state.last;
	return {
		url: state.url,
		state: last?.kind ?? 'pending',
		...(last && last.kind !== 'ok' && {error: describeProbe(last)}),
		...(last && (last.kind === 'ok' || last.kind === 'http-error' || last.kind === 'malformed') && {http_status: last.status}),
		checked_at: iso(state.checkedAt),
		since: iso(state.since),
		last_good_at: iso(state.lastGood?.at),
	};
}

export function buildSnapshot(state: DashboardState) {
	const verdict = computeVerdict(state);
	const panels = buildPanels(state);
	const panel = (id: PanelId) => panels.find(view => view.id === id)!;
	const changed = (id: PanelId) => iso(state.panels[id].changedAt);
	const local = state.local;
	const modes = readModes(state);
	const lint = digestLint(state);
	const fresh = drillFreshness(state);
	const due = scheduleDue(state);
	const checks = (id: 'rollback' | 'rehearsal' | 'drills' | 'schedule') =>
		local?.reports[id].checks.map(check => ({id: check.id, status: check.status, message: check.message})) ?? [];
	const lintValue = state.lint?.value;

	let api: Record<string, unknown> | null = null;
	if (state.api) {
		const rollbackState = state.api['rollback-readiness'];
		const productionState = state.api['production-readiness'];
		const rollbackAnswer = rollbackState.lastGood ? readRollbackAnswer(rollbackState.lastGood.body) : undefined;
		const productionAnswer = productionState.lastGood ? readProductionAnswer(productionState.lastGood.body) : undefined;
		api = {
			url: state.config.apiUrl,
			tone: panel('api').tone,
			changed_at: changed('api'),
			rollback_readiness: {
				...endpointJson(rollbackState),
				summary: digestEndpoint('rollback-readiness', rollbackState).text,
				// From the last good answer, which is the current one when state is "ok".
				status: rollbackAnswer?.status ?? null,
				mode: rollbackAnswer?.mode ?? null,
				checks: rollbackAnswer?.checks.map(check => ({id: check.id, status: check.status, message: check.message})) ?? [],
			},
			production_readiness: {
				...endpointJson(productionState),
				summary: digestEndpoint('production-readiness', productionState).text,
				status: productionAnswer?.status ?? null,
				go_backend_rollback: productionAnswer?.rollbackSection
					? {status: productionAnswer.rollbackSection.status, mode: productionAnswer.rollbackSection.mode ?? null}
					: null,
				go_backend_rollback_controls: productionAnswer?.rollbackChecks.find(check => check.id === 'go_backend_rollback_controls') ?? null,
				rollback_checks: productionAnswer?.rollbackChecks ?? [],
			},
		};
	}

	return {
		schema_version: SNAPSHOT_SCHEMA_VERSION,
		generated_at: new Date(state.now).toISOString(),
		config: state.config.path ?? null,
		verdict: {status: verdict.status, summary: verdict.headline, next: verdict.next, blockers: verdict.blockers, exit_code: verdict.exitCode},
		mode: {
			agree: modes.agree,
			configured: modes.configured,
			running: modes.running ?? null,
			sources: modes.entries.map(entry => ({source: entry.kind, label: entry.label, state: entry.state, value: entry.raw ?? null, mode: entry.mode ?? null})),
			changed_at: changed('mode'),
		},
		plan: {
			path: local?.settings.planPath || null,
			status: local?.reports.rollback.status ?? null,
			checks: checks('rollback'),
			lint: {
				state: lintValue?.kind ?? 'pending',
				ok: lintValue?.kind === 'ok' ? lintValue.report.ok : null,
				errors: lint.errors,
				warnings: lint.warnings,
				findings: lintValue?.kind === 'ok' ? lintValue.report.findings.length : 0,
				worst: lint.worst
					? {rule: lint.worst.rule, severity: lint.worst.severity, message: lint.worst.message, line: lint.worst.line, column: lint.worst.column, pointer: lint.worst.pointer}
					: null,
				...(lintValue?.kind === 'unreadable' && {error: lintValue.message}),
			},
			changed_at: changed('plan'),
		},
		rehearsal: {path: local?.settings.rehearsalPath || null, status: local?.reports.rehearsal.status ?? null, checks: checks('rehearsal'), changed_at: changed('rehearsal')},
		drills: {
			path: local?.settings.drillHistoryPath || null,
			status: local?.reports.drills.status ?? null,
			latest_drill_id: fresh?.latestId ?? null,
			drill_count: fresh?.count ?? 0,
			age_days: fresh?.ageDays ?? null,
			max_age_days: fresh?.maxAgeDays ?? null,
			days_left: fresh?.daysLeft === undefined ? null : Math.round(fresh.daysLeft * 10_000) / 10_000,
			checks: checks('drills'),
			changed_at: changed('drills'),
		},
		schedule: {
			path: local?.settings.drillSchedulePath || null,
			status: local?.reports.schedule.status ?? null,
			next_due_at: due?.nextDueAt ?? null,
			days_until_due: due?.daysUntilDue ?? null,
			due_soon: due?.dueSoon ?? false,
			stale: due?.stale ?? false,
			checks: checks('schedule'),
			changed_at: changed('schedule'),
		},
		api,
		services: state.services.map(service => ({
			name: service.name,
			...endpointJson(service.endpoint),
			mode: service.endpoint.last?.kind === 'ok' ? (serviceMode(service.endpoint.last.body) ?? null) : null,
			expect_mode: service.expectMode ?? null,
		})),
		...(state.fleets && {
			fleets: state.fleets.map(fleet => ({
			name: fleet.name,
			checked_at: fleet.checkedAt === undefined ? null : new Date(fleet.checkedAt).toISOString(),
			ok: fleet.ok ?? null,
			detail: fleet.detail ?? null,
			hosts: fleet.hosts.map(host => ({host: host.host, env_file_mode: host.envMode, answers_mode: host.answers ?? null, problem: host.problem ?? null})),
			})),
		}),
		...(state.localError && {error: state.localError.message}),
	};
}

export type DashboardSnapshot = ReturnType<typeof buildSnapshot>;

/** A panel's lines, whole: the caller wraps them at words (a cut line could end "200…" for 2000 ms). */
function panelText(view: PanelView, now: number): string[] {
	const lines = [`${view.title.padEnd(10)} ${toneSymbols[view.tone]} ${view.word} · ${view.summary}`];
	const changed = view.changedAt !== undefined ? `changed ${clockTime(view.changedAt, now)}` : '';
	if (view.note) lines.push(`${' '.repeat(PANEL_INDENT)}${view.note}${changed ? ` · ${changed}` : ''}`);
	else if (changed) lines.push(`${' '.repeat(PANEL_INDENT)}${changed}`);
	return lines;
}

const PANEL_INDENT = 13;

export function verdictLine(verdict: Verdict): string {
	return `${toneSymbols[verdict.tone]} ${verdict.headline} — next: ${verdict.next}`;
}

/** The `--once` text snapshot: verdict, every panel, then every check that is not passing. */
export function formatSnapshotText(state: DashboardState, options: {width?: number} = {}): string {
	const width = options.width ?? 120;
	const verdict = displayVerdict(state);
	const lines = wrapLines([`cavra-rollback dashboard · ${new Date(state.now).toISOString()}${state.config.path ? ` · ${visible(state.config.path)}` : ''}`, verdictLine(verdict), ''], width);
	for (const view of displayPanels(state)) {
		const extras = view.id === 'plan' || view.id === 'rehearsal' || view.id === 'drills' || view.id === 'schedule' ? view.extra.map(extra => `${' '.repeat(PANEL_INDENT)}${extra.text}`) : [];
		lines.push(...wrapLines([...panelText(view, state.now), ...extras], width, {hanging: PANEL_INDENT}));
	}
	if (verdict.blockers.length > 1) {
		lines.push('', `${NOT_READY_TITLE}, most urgent first:`);
		lines.push(...wrapLines(verdict.blockers.map(blocker => `  ${toneSymbols.bad} ${blocker}`), width));
	}
	return `${lines.join('\n')}\n`;
}

/** Panels whose content changed between two states. */
export function changedPanels(before: DashboardState | undefined, after: DashboardState): PanelId[] {
	return panelIds.filter(id => before?.panels[id].changedAt !== after.panels[id].changedAt);
}

/** One line for the non-TTY line mode: the time, the verdict, and what changed, or null when nothing did. */
export function changeLine(before: DashboardState | undefined, after: DashboardState, previousVerdict?: Verdict): string | null {
	const panels = changedPanels(before, after);
	const verdict = displayVerdict(after);
	const verdictChanged = !previousVerdict || previousVerdict.status !== verdict.status || visible(previousVerdict.next) !== verdict.next;
	if (panels.length === 0 && !verdictChanged) return null;
	const views = displayPanels(after);
	const parts = panels.map(id => {
		const view = views.find(candidate => candidate.id === id)!;
		return `${id} ${toneSymbols[view.tone]} ${view.word}: ${view.summary}`;
	});
	return `${clockTime(after.now, after.now)} ${verdict.headline} · next: ${verdict.next}${parts.length ? ` | ${parts.join(' | ')}` : ''}`;
}

/** True when nothing has arrived yet that the line mode would want to wait for. */
export function isSettled(state: DashboardState): boolean {
	if (!state.local && !state.localError) return false;
	if (!state.lint || !state.modeSources) return false;
	if (state.api && apiEndpoints.some(endpoint => !state.api![endpoint].last)) return false;
	return state.services.every(service => service.endpoint.last !== undefined) && (state.fleets ?? []).every(fleet => fleet.checkedAt !== undefined);
}
