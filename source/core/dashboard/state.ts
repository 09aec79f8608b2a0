import type {PromotionLink} from '../evidence/promotion.js';
import type {FileReport} from '../lint/finding.js';
import type {ProbeResult} from './probe.js';
import {normaliseMode as normaliseCavraMode} from '../readiness/settings.js';

/**
 * The dashboard's state model: everything the screen, the plain line mode and `--once` show,
 * built only from events (files evaluated, plan linted, env read, API answered). Pure data.
 * Times are epoch milliseconds from an injected clock.
 */

export const backendModeNames = ['disabled', 'shadow', 'enforce', 'promoted'] as const;
export type ModeName = (typeof backendModeNames)[number];

/** CAVRA's normalisation (contract §1): trim, lower-case, anything unknown is `disabled`. */
export function normaliseMode(raw: string): ModeName {
	return normaliseCavraMode(raw);
}

/** A check entry of any CAVRA report: id, pass/warn, message, then extras. */
export interface ReportCheck {
	id: string;
	status: string;
	message: string;
	[extra: string]: unknown;
}

/** The parts of a CAVRA readiness report the dashboard reads; the rest is kept for raw views. */
export interface Report {
	schema_version?: string;
	mode?: string;
	status: string;
	checks: ReportCheck[];
	[key: string]: unknown;
}

export const localReportKeys = ['rollback', 'rehearsal', 'drills', 'schedule'] as const;
export type LocalReportKey = (typeof localReportKeys)[number];
export type LocalReports = Record<LocalReportKey, Report>;

/** The settings the local evaluation ran with (paths as configured; days as numbers). */
export interface LocalSettings {
	mode: string;
	planPath: string;
	rehearsalPath: string;
	drillHistoryPath: string;
	drillSchedulePath: string;
	drillMaxAgeDays: number;
	drillDueSoonDays: number;
}

export type PlanLint =
	| {kind: 'ok'; report: FileReport}
	| {kind: 'not-configured'}
	| {kind: 'missing'; path: string}
	| {kind: 'unreadable'; path: string; message: string};

/** One place the backend mode is read from. */
export interface ModeSource {
	kind: 'env-file' | 'process-env';
	/** The env file's path, or the variable name. */
	label: string;
	state: 'set' | 'unset' | 'missing' | 'unreadable';
	/** The value as written. */
	raw?: string;
	/** The value as CAVRA reads it. */
	mode?: ModeName;
	message?: string;
}

export const apiEndpoints = ['rollback-readiness', 'production-readiness'] as const;
export type ApiEndpoint = (typeof apiEndpoints)[number];
export const apiPaths: Record<ApiEndpoint, string> = {
	'rollback-readiness': '/runtime/go-pilot/rollback-readiness',
	'production-readiness': '/deployment/production-readiness',
};

/** A polled URL: its latest result, the last good answer, and since when things are as they are. */
export interface EndpointState {
	url: string;
	last?: ProbeResult;
	/** When the latest result arrived. */
	checkedAt?: number;
	lastGood?: {at: number; body: unknown; text: string};
	/** When the current kind of result (ok, unreachable, …) began. */
	since?: number;
}

export interface ServiceTarget {
	name: string;
	url: string;
	expectMode?: ModeName;
}

export interface ServiceState extends ServiceTarget {
	endpoint: EndpointState;
}

/** One host of a fleet (an Ansible service), as its read-only probe found it; strings escaped and redacted by the adapter. */
export interface FleetHostView {
	host: string;
	/** The mode its env file sets (null: the key is absent). */
	envMode: string | null;
	/** The mode its verify URL answered; null when it gave none; absent without a verify URL. */
	answers?: string | null;
	/** Why the host could not be read (unreachable, env file missing…). */
	problem?: string;
}

/** A fleet in the Services panel: one row, a detail line per host. */
export interface FleetState {
	name: string;
	/** Absent until the first probe came back. */
	checkedAt?: number;
	ok?: boolean;
	detail?: string;
	hosts: FleetHostView[];
}

export type PanelId = 'mode' | 'plan' | 'rehearsal' | 'drills' | 'schedule' | 'api' | 'services';
export const panelIds: readonly PanelId[] = ['mode', 'plan', 'rehearsal', 'drills', 'schedule', 'api', 'services'];

export interface DashboardConfig {
	/** True until the config file has been read (the screen is up before that). */
	pending?: boolean;
	/** The config file the settings came from, if any. */
	path?: string;
	apiUrl?: string;
	intervalSeconds: number;
	timeoutMs: number;
	envFiles: string[];
	services: ServiceTarget[];
	/** Fleet services (kind: ansible), probed through Ansible rather than one URL. */
	fleets?: string[];
}

export interface DashboardState {
	/** The clock at the latest event. */
	now: number;
	startedAt: number;
	config: DashboardConfig;
	configError?: {message: string; at: number};
	/** `promotion`: whether CAVRA's promotion evidence carries the current plan (evidence attach). */
	local?: {reports: LocalReports; settings: LocalSettings; stamps: Partial<Record<LocalReportKey, string>>; at: number; promotion?: PromotionLink};
	/** The evaluator failed (a bug, or an unreadable file it does not report on): shown, not fatal. */
	localError?: {message: string; at: number};
	lint?: {value: PlanLint; at: number};
	modeSources?: {sources: ModeSource[]; at: number};
	api?: Record<ApiEndpoint, EndpointState>;
	services: ServiceState[];
	fleets?: FleetState[];
	/** A refresh was asked for and its API round has not finished yet. */
	refreshing: boolean;
	/** Number of completed API/service poll rounds. */
	polls: number;
	/** When each panel's content last changed, and the signature that decided it. */
	panels: Record<PanelId, {changedAt?: number; signature?: string}>;
}

export type DashboardEvent =
	| {type: 'config'; at: number; config: DashboardConfig}
	| {type: 'config-error'; at: number; message: string}
	| {type: 'local'; at: number; reports: LocalReports; settings: LocalSettings; stamps?: Partial<Record<LocalReportKey, string>>; promotion?: PromotionLink}
	| {type: 'local-error'; at: number; message: string}
	| {type: 'lint'; at: number; lint: PlanLint}
	| {type: 'mode-sources'; at: number; sources: ModeSource[]}
	| {type: 'api'; at: number; endpoint: ApiEndpoint; result: ProbeResult}
	| {type: 'service'; at: number; name: string; result: ProbeResult}
	| {type: 'fleet'; at: number; name: string; ok: boolean; detail: string; hosts: FleetHostView[]}
	| {type: 'refresh-requested'; at: number}
	| {type: 'poll-finished'; at: number}
	| {type: 'tick'; at: number};
