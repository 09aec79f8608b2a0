import {agree} from '../text/quantities.js';
import type {PromotionLink} from '../evidence/promotion.js';
import type {Finding} from '../lint/finding.js';
import {visible} from '../text/sanitize.js';
import {isRecord, readProductionAnswer, readRollbackAnswer, serviceMode} from './answers.js';
import {basename, clockTime, formatDays, numberOrUndefined, plural, statusTone, toneSymbols, worstTone, type Tone} from './format.js';
import {describeProbe, probeDetail, probeWords} from './probe.js';
import {apiEndpoints, normaliseMode, type ApiEndpoint, type DashboardState, type EndpointState, type FleetHostView, type FleetState, type ModeName, type PanelId, type Report} from './state.js';

/**
 * The view model: one `PanelView` per panel, with a status word, a one-line summary, a note,
 * extra lines for roomy terminals, and the full details behind `enter`. The Ink screen, the
 * plain line mode and `--once` text all render these, so they always say the same thing.
 */

export interface PanelLine {
	tone?: Tone;
	text: string;
}

export interface DetailSection {
	title: string;
	lines: PanelLine[];
	/** Raw JSON (pretty-printed) shown verbatim below the lines. */
	json?: string;
}

export interface PanelView {
	id: PanelId;
	title: string;
	tone: Tone;
	/** The status word: `ready`, `needs_attention`, `unreachable`, `disagree`, … */
	word: string;
	summary: string;
	note?: string;
	changedAt?: number;
	/** More lines, shown when the terminal has room. */
	extra: PanelLine[];
	details: DetailSection[];
}

export const panelTitles: Record<PanelId, string> = {
	mode: 'Mode',
	plan: 'Plan',
	rehearsal: 'Rehearsal',
	drills: 'Drills',
	schedule: 'Schedule',
	api: 'API',
	services: 'Services',
};

const checkLine = (check: {id: string; status: string; message: string}): PanelLine => ({
	tone: statusTone(check.status),
	text: `${toneSymbols[statusTone(check.status)]} ${check.status} ${check.id}: ${check.message}`,
});

function json(value: unknown): string {
	try {
		return JSON.stringify(value, null, 2) ?? String(value);
	} catch {
		return String(value);
	}
}

function passing(report: Report): string {
	return `${report.checks.filter(check => check.status === 'pass').length}/${report.checks.length} ${agree(report.checks.length, 'check passes', 'checks pass')}`;
}

function firstWarn(report: Report): {id: string; message: string} | undefined {
	return report.checks.find(check => check.status !== 'pass' && !check.id.endsWith('_requested'));
}

// ─── mode ────────────────────────────────────────────────────────────────────

export interface ModeEntry {
	/** "cavra.env", "CAVRA_GO_BACKEND_MODE (this shell)", "API". */
	label: string;
	kind: 'env-file' | 'process-env' | 'api';
	state: 'set' | 'unset' | 'missing' | 'unreadable' | 'unknown';
	mode?: ModeName;
	raw?: string;
	message?: string;
}

export interface ModeReading {
	entries: ModeEntry[];
	/** True when every source that gives a mode gives the same one. */
	agree: boolean;
	/** What the env files say (CAVRA reads them at start-up), else this shell, else CAVRA's default. */
	configured: ModeName;
	/** What the API says it runs, when it answered. */
	running?: ModeName;
}

export function readModes(state: DashboardState): ModeReading {
	const entries: ModeEntry[] = [];
	for (const source of state.modeSources?.sources ?? []) {
		entries.push({
			label: source.kind === 'env-file' ? source.label : `${source.label} (this shell)`,
			kind: source.kind,
			state: source.state,
			...(source.mode !== undefined && {mode: source.mode}),
			...(source.raw !== undefined && {raw: source.raw}),
			...(source.message !== undefined && {message: source.message}),
		});
	}
	let running: ModeName | undefined;
	const rollback = state.api?.['rollback-readiness'];
	if (rollback) {
		const answer = rollback.last?.kind === 'ok' ? readRollbackAnswer(rollback.last.body) : undefined;
		if (answer) running = normaliseMode(answer.mode);
		entries.push(
			answer
				? {label: 'API', kind: 'api', state: 'set', mode: normaliseMode(answer.mode), raw: answer.mode}
				: {label: 'API', kind: 'api', state: 'unknown', message: rollback.last ? probeWords[rollback.last.kind] : 'waiting'},
		);
	}
	const modes = new Set(entries.filter(entry => entry.state === 'set').map(entry => entry.mode));
	const fromFiles = entries.find(entry => entry.kind === 'env-file' && entry.state === 'set')?.mode;
	const fromShell = entries.find(entry => entry.kind === 'process-env' && entry.state === 'set')?.mode;
	return {entries, agree: modes.size <= 1, configured: fromFiles ?? fromShell ?? 'disabled', ...(running !== undefined && {running})};
}

function modeEntryText(entry: ModeEntry, short: boolean): string {
	const label = short && entry.kind === 'env-file' ? basename(entry.label) : short && entry.kind === 'process-env' ? 'shell' : entry.label;
	switch (entry.state) {
		case 'set':
			return `${label}=${entry.mode}${entry.raw !== undefined && entry.raw !== entry.mode ? ` ("${entry.raw}")` : ''}`;
		case 'unset':
			return `${label} unset`;
		case 'missing':
			return `${label} missing`;
		case 'unreadable':
			return `${label} unreadable`;
		case 'unknown':
			return `${label} ${entry.message ?? '?'}`;
	}
}

function modePanel(state: DashboardState): PanelView {
	const reading = readModes(state);
	const base = {id: 'mode' as const, title: panelTitles.mode, changedAt: state.panels.mode.changedAt};
	if (!state.modeSources) return {...base, tone: 'pending', word: 'reading', summary: 'reading env files…', extra: [], details: []};
	const set = reading.entries.filter(entry => entry.state === 'set');
	const trouble = reading.entries.some(entry => entry.state === 'missing' || entry.state === 'unreadable');
	let tone: Tone;
	let word: string;
	if (!reading.agree) {
		tone = 'bad';
		word = 'disagree';
	} else if (set.length === 0) {
		tone = trouble ? 'warn' : 'neutral';
		word = 'disabled';
	} else {
		tone = trouble ? 'warn' : 'ok';
		word = set[0]!.mode!;
	}
	const summary = reading.entries.map(entry => modeEntryText(entry, true)).join(' · ') || 'no env files configured';
	let note: string;
	if (!reading.agree) {
		note = reading.running && reading.running !== reading.configured
			? `the API runs ${reading.running} but the env files say ${reading.configured}: restart it`
			: 'the sources name different modes';
	} else if (set.length === 0) note = 'nothing sets CAVRA_GO_BACKEND_MODE: CAVRA defaults to disabled';
	else note = reading.running ? 'env files and the API agree' : 'as configured';
	const lines = reading.entries.map(entry => ({
		tone: (entry.state === 'set' ? (reading.agree ? 'ok' : 'bad') : entry.state === 'unset' ? 'neutral' : 'warn') as Tone,
		text: `${entry.state === 'set' ? (reading.agree ? toneSymbols.ok : toneSymbols.bad) : entry.state === 'unset' ? toneSymbols.neutral : toneSymbols.warn} ${modeEntryText(entry, false)}${entry.message && entry.state !== 'unknown' ? `: ${entry.message}` : ''}`,
	}));
	return {
		...base,
		tone,
		word,
		summary,
		note,
		extra: lines,
		details: [
			{
				title: 'CAVRA_GO_BACKEND_MODE, by source',
				lines: [
					...lines,
					{tone: 'neutral', text: 'CAVRA reads the env file when it starts: after editing it, restart the service and the API shows the new mode.'},
				],
			},
		],
	};
}

// ─── plan ────────────────────────────────────────────────────────────────────

export interface LintDigest {
	tone: Tone;
	text: string;
	errors: number;
	warnings: number;
	worst?: Finding;
}

export function digestLint(state: DashboardState): LintDigest {
	const lint = state.lint?.value;
	if (!lint) return {tone: 'pending', text: 'lint …', errors: 0, warnings: 0};
	switch (lint.kind) {
		case 'not-configured':
			return {tone: 'neutral', text: 'lint – no plan configured', errors: 0, warnings: 0};
		case 'missing':
			return {tone: 'neutral', text: 'lint – no plan file', errors: 0, warnings: 0};
		case 'unreadable':
			return {tone: 'bad', text: `lint ✖ unreadable: ${lint.message}`, errors: 1, warnings: 0};
		case 'ok': {
			const findings = lint.report.findings;
			const errors = findings.filter(finding => finding.severity === 'error').length;
			const warnings = findings.length - errors;
			const worst = findings.find(finding => finding.severity === 'error') ?? findings[0];
			if (!worst) return {tone: 'ok', text: `lint ✔ clean${lint.report.suppressed ? ` (${lint.report.suppressed} allowed)` : ''}`, errors, warnings};
			const tone: Tone = errors > 0 ? 'bad' : 'warn';
			const counts = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
			return {tone, text: `lint ${toneSymbols[tone]} ${counts} · worst: ${worst.rule} line ${worst.line}`, errors, warnings, worst};
		}
	}
}

function findingLine(finding: Finding): PanelLine {
	const tone: Tone = finding.severity === 'error' ? 'bad' : 'warn';
	return {tone, text: `${toneSymbols[tone]} ${finding.severity} ${finding.line}:${finding.column} ${finding.rule}: ${finding.message}${finding.preview ? ` (${finding.preview})` : ''}`};
}

function planPanel(state: DashboardState): PanelView {
	const base = {id: 'plan' as const, title: panelTitles.plan, changedAt: state.panels.plan.changedAt};
	const lint = digestLint(state);
	const report = state.local?.reports.rollback;
	if (!report) {
		if (state.localError) return {...base, tone: 'bad', word: 'error', summary: state.localError.message, note: lint.text, extra: [], details: [{title: 'Error', lines: [{tone: 'bad', text: state.localError.message}]}]};
		return {...base, tone: 'pending', word: 'reading', summary: 'evaluating the plan…', extra: [], details: []};
	}
	const warn = firstWarn(report);
	// CAVRA's verdict and the lint's are separate: a plan CAVRA accepts can still be unsafe to publish.
	const unsafe = lint.errors > 0 && report.status !== 'needs_attention';
	const summary = `${unsafe ? `CAVRA ${report.status} · ` : ''}${passing(report)}${warn ? ` · ${warn.message}` : ''}`;
	const planPath = state.local?.settings.planPath;
	const lintLines = state.lint?.value.kind === 'ok' ? state.lint.value.report.findings.map(findingLine) : [{tone: lint.tone, text: lint.text}];
	const rollback = isRecord(report['rollback']) ? report['rollback'] : {};
	const facts: PanelLine[] = [
		{text: `path: ${planPath || '(not configured)'}`},
		{text: `approval_id: ${String(rollback['approval_id'] ?? '') || '(none)'}`},
		{text: `max_recovery_minutes: ${rollback['max_recovery_minutes'] === null || rollback['max_recovery_minutes'] === undefined ? '(invalid)' : String(rollback['max_recovery_minutes'])}`},
		{text: `rollback_steps: ${Array.isArray(rollback['rollback_steps']) ? rollback['rollback_steps'].length : 0}`},
	];
	const promotion = promotionLine(state.local?.promotion);
	if (promotion) facts.push(promotion);
	return {
		...base,
		tone: worstTone(statusTone(report.status), lint.tone),
		word: unsafe ? 'unsafe' : report.status,
		summary,
		note: `${lint.text}${planPath ? ` · ${basename(planPath)}` : ''}`,
		extra: [...report.checks.filter(check => check.status !== 'pass').map(checkLine), ...(promotion ? [promotion] : [])],
		details: [
			{title: `CAVRA rollback readiness: ${report.status} (${passing(report)})`, lines: report.checks.map(checkLine)},
			{title: `Public-safety lint (${plural(lint.errors, 'error')}, ${plural(lint.warnings, 'warning')})`, lines: lintLines.length > 0 ? lintLines : [{tone: 'ok', text: `${toneSymbols.ok} no findings`}]},
			{title: 'Plan', lines: facts},
			{title: 'Report JSON (as CAVRA would answer)', lines: [], json: json(report)},
		],
	};
}

/** Whether CAVRA's promotion evidence carries this plan (`evidence attach`), and since when; nothing when none is configured. */
export function promotionLine(link: PromotionLink | undefined): PanelLine | undefined {
	if (!link || link.kind === 'not-configured') return undefined;
	const fix = 'run: cavra-rollback evidence attach';
	switch (link.kind) {
		case 'missing':
		case 'unreadable':
		case 'invalid':
			return {tone: 'warn', text: `${toneSymbols.warn} promotion evidence ${link.kind}: ${visible(link.message)}`};
		case 'not-attached':
			return {tone: 'warn', text: `${toneSymbols.warn} promotion evidence does not carry the rollback plan; ${fix}`};
		case 'attached': {
			const when = link.attachedAt ? `attached ${visible(link.attachedAt)}` : 'attached (no time)';
			if (!link.carriesPlan) return {tone: 'warn', text: `${toneSymbols.warn} promotion evidence carries an older plan (${when}); ${fix}`};
			return {tone: link.forced ? 'warn' : 'ok', text: `${link.forced ? toneSymbols.warn : toneSymbols.ok} promotion evidence carries this plan (${when}${link.forced ? ', forced' : ''})`};
		}
	}
}

// ─── rehearsal, drills, schedule ─────────────────────────────────────────────

function localPending(state: DashboardState, id: PanelId): PanelView | undefined {
	if (state.local) return undefined;
	const base = {id, title: panelTitles[id], changedAt: state.panels[id].changedAt, extra: [], details: []};
	if (state.localError) return {...base, tone: 'bad', word: 'error', summary: state.localError.message};
	return {...base, tone: 'pending', word: 'reading', summary: 'evaluating…'};
}

/** Rehearsal, drills and schedule: one CAVRA report from one metadata file, shown the same way. */
function reportPanel(
	state: DashboardState,
	id: 'rehearsal' | 'drills' | 'schedule',
	report: Report,
	options: {what: string; path: string; summary: string; tone?: Tone; note?: string; detailLines?: PanelLine[]},
): PanelView {
	const warn = firstWarn(report);
	const {path} = options;
	return {
		id,
		title: panelTitles[id],
		changedAt: state.panels[id].changedAt,
		tone: options.tone ?? statusTone(report.status),
		word: report.status,
		summary: options.summary,
		note: warn ? warn.message : (options.note ?? (path ? basename(path) : undefined)),
		extra: report.checks.filter(check => check.status !== 'pass').map(checkLine),
		details: [
			{title: `CAVRA ${options.what}: ${report.status} (${passing(report)})`, lines: [...report.checks.map(checkLine), ...(options.detailLines ?? []), {text: `path: ${path || '(not configured)'}`}]},
			{title: 'Report JSON', lines: [], json: json(report)},
		],
	};
}

function rehearsalPanel(state: DashboardState): PanelView {
	const pending = localPending(state, 'rehearsal');
	if (pending) return pending;
	const report = state.local!.reports.rehearsal;
	const rehearsal = isRecord(report['rehearsal']) ? report['rehearsal'] : {};
	const recovery = numberOrUndefined(rehearsal['recovery_minutes']);
	const max = numberOrUndefined(rehearsal['max_recovery_minutes']);
	let summary: string;
	if (report.status === 'not_requested') summary = 'no rehearsal evidence configured';
	else summary = `${passing(report)}${recovery !== undefined && max !== undefined ? ` · recovered in ${recovery} of ${max} min` : ''}`;
	return reportPanel(state, 'rehearsal', report, {what: 'rollback rehearsal', path: state.local!.settings.rehearsalPath, summary});
}

export interface DrillFreshness {
	ageDays?: number;
	maxAgeDays: number;
	/** maxAge − age: how long until the proof of rollback goes stale (negative: stale). */
	daysLeft?: number;
	latestId?: string;
	count: number;
}

export function drillFreshness(state: DashboardState): DrillFreshness | undefined {
	const local = state.local;
	if (!local) return undefined;
	const report = local.reports.drills;
	const history = isRecord(report['history']) ? report['history'] : {};
	const maxAgeDays = numberOrUndefined(report['rollback_drill_max_age_days']) ?? local.settings.drillMaxAgeDays;
	const ageDays = numberOrUndefined(history['age_days']);
	const latestId = typeof history['latest_drill_id'] === 'string' && history['latest_drill_id'] ? history['latest_drill_id'] : undefined;
	return {
		...(ageDays !== undefined && {ageDays, daysLeft: maxAgeDays - ageDays}),
		maxAgeDays,
		...(latestId !== undefined && {latestId}),
		count: numberOrUndefined(history['drill_count']) ?? 0,
	};
}

function drillsPanel(state: DashboardState): PanelView {
	const pending = localPending(state, 'drills');
	if (pending) return pending;
	const report = state.local!.reports.drills;
	const fresh = drillFreshness(state)!;
	const dueSoon = state.local!.settings.drillDueSoonDays;
	let tone = statusTone(report.status);
	let summary: string;
	if (report.status === 'not_requested') summary = 'no drill history configured';
	else if (fresh.daysLeft === undefined) summary = `${plural(fresh.count, 'drill')} · no dated latest drill`;
	else if (fresh.daysLeft >= 0) {
		summary = `${formatDays(fresh.daysLeft)} left · latest drill ${formatDays(fresh.ageDays!)} old (max ${fresh.maxAgeDays})`;
		if (tone === 'ok' && fresh.daysLeft <= dueSoon) tone = 'warn';
	} else summary = `stale for ${formatDays(-fresh.daysLeft)} · latest drill ${formatDays(fresh.ageDays!)} old (max ${fresh.maxAgeDays})`;
	const path = state.local!.settings.drillHistoryPath;
	return reportPanel(state, 'drills', report, {
		what: 'rollback drill history',
		path,
		summary,
		tone,
		note: [fresh.latestId, plural(fresh.count, 'drill'), path ? basename(path) : ''].filter(Boolean).join(' · '),
		detailLines: [
			{text: `freshness window: ${fresh.maxAgeDays} days${fresh.daysLeft !== undefined ? `; ${fresh.daysLeft >= 0 ? `${formatDays(fresh.daysLeft)} left` : `stale for ${formatDays(-fresh.daysLeft)}`}` : ''}`},
		],
	});
}

export interface ScheduleDue {
	daysUntilDue?: number;
	nextDueAt?: string;
	dueSoon: boolean;
	stale: boolean;
}

export function scheduleDue(state: DashboardState): ScheduleDue | undefined {
	const report = state.local?.reports.schedule;
	if (!report) return undefined;
	const schedule = isRecord(report['schedule']) ? report['schedule'] : {};
	const days = numberOrUndefined(schedule['days_until_due']);
	const nextDueAt = typeof schedule['next_due_at'] === 'string' && schedule['next_due_at'] ? schedule['next_due_at'] : undefined;
	return {...(days !== undefined && {daysUntilDue: days}), ...(nextDueAt !== undefined && {nextDueAt}), dueSoon: schedule['due_soon'] === true, stale: schedule['stale'] === true};
}

function schedulePanel(state: DashboardState): PanelView {
	const pending = localPending(state, 'schedule');
	if (pending) return pending;
	const report = state.local!.reports.schedule;
	const due = scheduleDue(state)!;
	let summary: string;
	if (report.status === 'not_requested') summary = 'no drill schedule configured';
	else if (due.daysUntilDue === undefined) summary = 'no due date: stale';
	else if (due.daysUntilDue >= 0) summary = `next drill due in ${formatDays(due.daysUntilDue)}${due.dueSoon ? ' (due soon)' : ''}${due.nextDueAt ? ` · ${due.nextDueAt.slice(0, 10)}` : ''}`;
	else summary = `stale: the drill was due ${formatDays(-due.daysUntilDue)} ago${due.nextDueAt ? ` · ${due.nextDueAt.slice(0, 10)}` : ''}`;
	return reportPanel(state, 'schedule', report, {what: 'rollback drill schedule', path: state.local!.settings.drillSchedulePath, summary});
}

// ─── API ─────────────────────────────────────────────────────────────────────

export interface EndpointDigest {
	endpoint: ApiEndpoint;
	tone: Tone;
	/** The answer's status when it answered, else the failure word. */
	word: string;
	failing: boolean;
	text: string;
}

export function digestEndpoint(endpoint: ApiEndpoint, state: EndpointState): EndpointDigest {
	const last = state.last;
	if (!last) return {endpoint, tone: 'pending', word: 'checking', failing: false, text: 'waiting for the first answer'};
	if (last.kind !== 'ok') return {endpoint, tone: 'bad', word: probeWords[last.kind], failing: true, text: describeProbe(last)};
	if (endpoint === 'rollback-readiness') {
		const answer = readRollbackAnswer(last.body)!;
		return {endpoint, tone: statusTone(answer.status), word: answer.status, failing: false, text: `${answer.status} (mode ${answer.mode})`};
	}
	const answer = readProductionAnswer(last.body)!;
	const controls = answer.rollbackChecks.find(check => check.id === 'go_backend_rollback_controls');
	const rollbackTone = worstTone('ok', ...answer.rollbackChecks.map(check => (check.status === 'pass' ? 'ok' : 'bad') as Tone));
	const tone = answer.status === 'ready' ? rollbackTone : worstTone(rollbackTone, 'warn');
	return {endpoint, tone, word: answer.status, failing: false, text: `${answer.status}, rollback controls ${controls?.status ?? 'missing'}`};
}

/** Times first (they matter most and must survive truncation), then what went wrong. */
function failureNote(state: EndpointState, now: number): string {
	const since = state.since !== undefined ? `${probeWords[state.last!.kind]} since ${clockTime(state.since, now)}` : probeWords[state.last!.kind];
	const good = state.lastGood ? `last good ${clockTime(state.lastGood.at, now)}` : 'no good answer yet';
	return `${since} · ${good} · ${probeDetail(state.last!)}`;
}

function endpointSection(endpoint: ApiEndpoint, state: EndpointState, now: number): DetailSection[] {
	const digest = digestEndpoint(endpoint, state);
	const lines: PanelLine[] = [
		{tone: digest.tone, text: `${toneSymbols[digest.tone]} ${digest.word}: ${digest.text}`},
		{text: `GET ${state.url}`},
	];
	if (state.checkedAt !== undefined) lines.push({text: `checked ${clockTime(state.checkedAt, now)}${state.since !== undefined && state.last ? `; ${probeWords[state.last.kind]} since ${clockTime(state.since, now)}` : ''}`});
	lines.push({text: state.lastGood ? `last good answer ${clockTime(state.lastGood.at, now)}` : 'no good answer yet'});
	const last = state.last;
	if (last && (last.kind === 'http-error' || last.kind === 'malformed') && last.bodyPreview) lines.push({tone: 'warn', text: `body: ${last.bodyPreview}`});
	if (endpoint === 'production-readiness' && state.lastGood) {
		const answer = readProductionAnswer(state.lastGood.body);
		if (answer) {
			lines.push({text: `go_backend_rollback section: ${answer.rollbackSection?.status ?? '(missing)'}${answer.rollbackSection?.mode ? ` (mode ${answer.rollbackSection.mode})` : ''}; checks passing ${answer.checksPassing}/${answer.checksTotal}`});
			for (const check of answer.rollbackChecks) {
				const extras = Object.entries(check)
					.filter(([key]) => !['id', 'status', 'message'].includes(key))
					.map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
					.join(', ');
				lines.push({...checkLine(check), text: `${checkLine(check).text}${extras ? ` [${extras}]` : ''}`});
			}
		}
	}
	if (endpoint === 'rollback-readiness' && state.lastGood) {
		const answer = readRollbackAnswer(state.lastGood.body);
		if (answer) lines.push(...answer.checks.map(checkLine));
	}
	const sections: DetailSection[] = [{title: `${endpoint === 'rollback-readiness' ? 'Rollback readiness' : 'Production readiness'} (API)`, lines}];
	if (state.lastGood) {
		const current = last?.kind === 'ok';
		sections.push({title: current ? `Raw JSON answer (${clockTime(state.lastGood.at, now)})` : `Raw JSON of the last good answer (${clockTime(state.lastGood.at, now)})`, lines: [], json: json(state.lastGood.body)});
	}
	return sections;
}

function apiPanel(state: DashboardState): PanelView {
	const base = {id: 'api' as const, title: panelTitles.api, changedAt: state.panels.api.changedAt};
	if (state.config.pending) return {...base, tone: 'pending', word: 'reading', summary: 'reading the config…', extra: [], details: []};
	if (!state.api) {
		return {...base, tone: 'neutral', word: 'off', summary: 'no api.url in the config: local files only', extra: [], details: [{title: 'API', lines: [{text: 'Set api.url (and api.tokenEnv) in the config to compare with what CAVRA itself reports.'}]}]};
	}
	const api = state.api;
	const digests = apiEndpoints.map(endpoint => digestEndpoint(endpoint, api[endpoint]));
	const [rollback, production] = digests as [EndpointDigest, EndpointDigest];
	const failing = digests.filter(digest => digest.failing);
	const tone = worstTone(...digests.map(digest => digest.tone));
	const word = failing[0]?.word ?? (digests.some(digest => digest.tone === 'pending') ? 'checking' : rollback.word);
	const rollbackAnswer = api['rollback-readiness'].last?.kind === 'ok' ? readRollbackAnswer(api['rollback-readiness'].last.body) : undefined;
	const productionAnswer = api['production-readiness'].last?.kind === 'ok' ? readProductionAnswer(api['production-readiness'].last.body) : undefined;
	const controls = productionAnswer?.rollbackChecks.find(check => check.id === 'go_backend_rollback_controls');
	const parts = [
		rollbackAnswer ? `mode ${rollbackAnswer.mode}` : `rollback ${rollback.word}`,
		`production ${production.word}`,
		...(productionAnswer ? [`controls ${controls?.status ?? 'missing'}`] : []),
	];
	let note: string;
	const firstFailing = apiEndpoints.find(endpoint => digestEndpoint(endpoint, api[endpoint]).failing);
	if (firstFailing) note = failureNote(api[firstFailing], state.now);
	else {
		// No per-poll timestamp here: an unchanged answer must not redraw the screen (details show it).
		const answering = apiEndpoints.every(endpoint => api[endpoint].since !== undefined);
		const since = Math.max(...apiEndpoints.map(endpoint => api[endpoint].since ?? 0));
		note = answering ? `answering since ${clockTime(since, state.now)} · polled every ${state.config.intervalSeconds}s` : `polling every ${state.config.intervalSeconds}s…`;
	}
	return {
		...base,
		tone,
		word,
		summary: parts.join(' · '),
		note,
		extra: digests.map(digest => ({tone: digest.tone, text: `${toneSymbols[digest.tone]} ${digest.endpoint}: ${digest.text}`})),
		details: apiEndpoints.flatMap(endpoint => endpointSection(endpoint, api[endpoint], state.now)),
	};
}

// ─── services ────────────────────────────────────────────────────────────────

function servicesPanel(state: DashboardState): PanelView {
	const base = {id: 'services' as const, title: panelTitles.services, changedAt: state.panels.services.changedAt};
	if (state.config.pending) return {...base, tone: 'pending', word: 'reading', summary: 'reading the config…', extra: [], details: []};
	const fleets = state.fleets ?? [];
	if (state.services.length === 0 && fleets.length === 0) {
		return {...base, tone: 'neutral', word: 'none', summary: 'no services with a verify URL in the config', extra: [], details: [{title: 'Services', lines: [{text: 'Add services[].verify.url to see each service answer with its mode.'}]}]};
	}
	const configured = readModes(state).configured;
	const rows = state.services.map(service => {
		const last = service.endpoint.last;
		const mode = last?.kind === 'ok' ? serviceMode(last.body) : undefined;
		let tone: Tone;
		let text: string;
		if (!last) {
			tone = 'pending';
			text = `${service.name} checking`;
		} else if (last.kind !== 'ok') {
			tone = 'bad';
			text = `${service.name} ${probeWords[last.kind]}`;
		} else {
			const normalised = normaliseMode(mode ?? '');
			tone = state.modeSources && normalised !== configured ? 'warn' : 'ok';
			text = `${service.name} ${normalised}`;
		}
		const detail: PanelLine[] = [
			{tone, text: `${toneSymbols[tone]} ${text}${tone === 'warn' ? ` (env files say ${configured}: restart it)` : ''}`},
			{text: `  verify: GET ${service.url}${service.expectMode ? ` · after a rollback expect mode ${service.expectMode}` : ''}`},
		];
		if (last && last.kind !== 'ok') detail.push({tone: 'bad', text: `  ${failureNote(service.endpoint, state.now)}`});
		else if (service.endpoint.checkedAt !== undefined) detail.push({text: `  answered ${clockTime(service.endpoint.checkedAt, state.now)}`});
		return {tone, text, detail};
	});
	rows.push(...fleets.map(fleet => fleetRow(fleet, state.now)));
	const answering = rows.filter(row => row.tone === 'ok' || row.tone === 'warn').length;
	const tone = worstTone(...rows.map(row => row.tone));
	const failing = rows.some(row => row.tone === 'bad');
	return {
		...base,
		tone,
		word: failing ? 'failing' : rows.some(row => row.tone === 'pending') ? 'checking' : tone === 'warn' ? 'stale mode' : 'answering',
		summary: `${answering}/${rows.length} answering · ${rows.map(row => row.text).join(', ')}`,
		note: failing ? failingNote(state) : undefined,
		extra: rows.map(row => ({tone: row.tone, text: `${toneSymbols[row.tone]} ${row.text}`})),
		details: [{title: fleets.length > 0 ? 'Services (verify URLs; fleets per host)' : 'Services (verify URLs)', lines: rows.flatMap(row => row.detail)}],
	};
}

/** Why the first failing service or fleet fails. */
function failingNote(state: DashboardState): string | undefined {
	const service = state.services.find(candidate => candidate.endpoint.last && candidate.endpoint.last.kind !== 'ok');
	if (service) return failureNote(service.endpoint, state.now);
	const fleet = state.fleets?.find(candidate => candidate.checkedAt !== undefined && (candidate.hosts.length === 0 || candidate.hosts.some(host => host.problem)));
	return fleet ? `${fleet.name}: ${fleet.detail ?? 'cannot be probed'}` : undefined;
}

/**
 * A fleet is one row (how many hosts in which mode) and a detail line per host: the mode its env
 * file sets and the one its verify URL answers. A host that cannot be read is bad; one answering
 * another mode than its env file sets (not restarted since), or a fleet in mixed modes, is a warning.
 */
function fleetRow(fleet: FleetState, now: number): {tone: 'ok' | 'pending' | 'warn' | 'bad'; text: string; detail: PanelLine[]} {
	if (fleet.checkedAt === undefined) return {tone: 'pending', text: `${fleet.name} checking`, detail: [{tone: 'pending', text: `${toneSymbols.pending} ${fleet.name} checking (Ansible probe of every host)`}]};
	if (fleet.hosts.length === 0) {
		const text = `${fleet.name} ${fleet.ok ? 'no hosts' : 'cannot be probed'}`;
		return {tone: 'bad', text, detail: [{tone: 'bad', text: `${toneSymbols.bad} ${text}`}, {tone: 'bad', text: `  ${fleet.detail ?? ''}`}]};
	}
	const modeOf = (host: FleetHostView) => (host.problem ? 'unreadable' : (host.answers ?? host.envMode ?? '(unset)'));
	const counts = new Map<string, number>();
	for (const host of fleet.hosts) counts.set(modeOf(host), (counts.get(modeOf(host)) ?? 0) + 1);
	const stale = fleet.hosts.filter((host: FleetHostView) => !host.problem && host.answers !== undefined && host.answers !== null && host.answers !== host.envMode);
	const tone = fleet.hosts.some(host => host.problem) ? 'bad' : stale.length > 0 || counts.size > 1 ? 'warn' : 'ok';
	const modes = counts.size === 1 ? `${fleet.hosts.length}/${fleet.hosts.length} ${[...counts.keys()][0]}` : [...counts].map(([mode, count]) => `${count} ${mode}`).join(', ');
	const text = `${fleet.name} (${plural(fleet.hosts.length, 'host')}) ${modes}`;
	const lines: PanelLine[] = [{tone, text: `${toneSymbols[tone]} ${text}${stale.length > 0 ? ` (${stale.length} answer another mode than their env file: restart them)` : ''}`}];
	for (const host of fleet.hosts) {
		if (host.problem) lines.push({tone: 'bad', text: `  ${host.host}: ${host.problem}`});
		else lines.push({tone: stale.includes(host) ? 'warn' : undefined, text: `  ${host.host}: env file ${host.envMode ?? '(unset)'}${host.answers === undefined ? ' · no verify URL' : ` · answers ${host.answers ?? 'nothing'}`}`});
	}
	lines.push({text: `  probed ${clockTime(fleet.checkedAt, now)}`});
	return {tone, text, detail: lines};
}

export function buildPanels(state: DashboardState): PanelView[] {
	return [modePanel(state), planPanel(state), rehearsalPanel(state), drillsPanel(state), schedulePanel(state), apiPanel(state), servicesPanel(state)];
}
