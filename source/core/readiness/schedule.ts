import {DRILL_SCHEDULE_SCHEMA_VERSION} from '../plan/constants.js';
import type {MetadataCheck} from './metadata.js';
import {addDays, daysBetween, formatIsoUtc, parseCavraTimestamp, type Instant} from './py-datetime.js';
import {isDict, isPositiveNumber, isStringList, PyDict, pyStr, type PyValue} from './py-value.js';
import type {RollbackDrillHistorySummary, RollbackDrillScheduleSummary} from './types.js';

/** CAVRA's `_rollback_drill_schedule_summary` (contract §14). */

export const SCHEDULE_MESSAGES = {
	schema: 'rollback drill schedule has an invalid schema_version',
	scheduleId: 'rollback drill schedule must include schedule_id',
	runbook: 'rollback drill schedule must include runbook_ref',
	owners: 'rollback drill schedule owners must be a non-empty list of strings',
	providers: 'rollback drill notification_providers must be a non-empty list of strings',
	ownerRoutes: 'rollback drill owner_routes must be an object or list when configured',
	maintenanceWindows: 'rollback drill maintenance_windows must be a list when configured',
	ownerCalendars: 'rollback drill owner_calendars must be an object when configured',
	/** Ours: where CAVRA crashes with OverflowError computing the due date. */
	dueDateOutOfRange: 'rollback drill schedule interval_days puts the next due date out of range',
	ready: 'Rollback drill schedule is active and notification routes are configured.',
	active: 'Rollback drill schedule is active.',
	inactive: 'rollback drill schedule must set status=active',
	unusable: 'rollback drill schedule is missing or inactive',
	cadenceOk: 'Rollback drill cadence is configured.',
	cadenceBad: 'rollback drill schedule must include positive interval_days',
	dueOk: 'Next rollback drill due date is known.',
	dueBad: 'rollback drill schedule must include next_due_at or usable latest drill history',
	notStale: 'Rollback drill schedule is not stale.',
	stale: 'rollback drill schedule is stale and requires notification',
	routesOk: 'Rollback drill notification routes are configured.',
	routesBad: 'rollback drill schedule must include owners and notification_providers',
} as const;

function emptySchedule(message: string): RollbackDrillScheduleSummary {
	return {
		valid: false,
		schema_version: '',
		schedule_id: '',
		environment: '',
		status: '',
		active: false,
		cadence_valid: false,
		interval_days: null,
		next_due_at: '',
		days_until_due: null,
		stale: true,
		due_soon: false,
		notification_routes_valid: false,
		owners: [],
		notification_providers: [],
		owner_routes: [],
		maintenance_windows: [],
		owner_calendars: new PyDict(),
		runbook_ref: '',
		message,
		active_message: SCHEDULE_MESSAGES.unusable,
		cadence_message: SCHEDULE_MESSAGES.cadenceBad,
		next_due_message: SCHEDULE_MESSAGES.dueBad,
		stale_message: SCHEDULE_MESSAGES.stale,
		notification_message: SCHEDULE_MESSAGES.routesBad,
	};
}

export function drillScheduleSummary(check: MetadataCheck, history: RollbackDrillHistorySummary, dueSoonDays: number, now: Instant): RollbackDrillScheduleSummary {
	if (!check.valid) return emptySchedule(check.message);
	const payload = check.payload;
	const schema = pyStr(payload.get('schema_version', ''));
	const scheduleId = pyStr(payload.get('schedule_id', ''));
	const status = pyStr(payload.get('status', ''));
	const active = status === 'active';
	const intervalDays = payload.get('interval_days');
	const cadenceValid = isPositiveNumber(intervalDays);
	const owners = payload.get('owners', []);
	const providers = payload.get('notification_providers', []);
	const ownersValid = isStringList(owners) && owners.length > 0;
	const providersValid = isStringList(providers) && providers.length > 0;
	const ownerRoutes = payload.has('owner_routes') ? payload.get('owner_routes') : payload.get('routing_rules', []);
	const maintenanceWindows = payload.get('maintenance_windows', []);
	const ownerCalendars = payload.get('owner_calendars', new PyDict());
	const ownerRoutesValid = isDict(ownerRoutes) || Array.isArray(ownerRoutes);
	const maintenanceWindowsValid = Array.isArray(maintenanceWindows);
	const ownerCalendarsValid = isDict(ownerCalendars);
	const runbookRef = pyStr(payload.get('runbook_ref', ''));
	const latestExecuted = parseCavraTimestamp(history.latest_executed_at);
	const explicitDue = parseCavraTimestamp(pyStr(payload.get('next_due_at', '')));
	let nextDue = explicitDue;
	let dueOutOfRange = false;
	if (nextDue === undefined && latestExecuted !== undefined && cadenceValid) {
		nextDue = addDays(latestExecuted, intervalDays);
		dueOutOfRange = nextDue === undefined;
	}
	let daysUntilDue: number | null = null;
	let stale = true;
	let dueSoon = false;
	if (nextDue !== undefined) {
		daysUntilDue = daysBetween(nextDue, now);
		stale = daysUntilDue < 0;
		dueSoon = !stale && isPositiveNumber(dueSoonDays) && daysUntilDue <= dueSoonDays;
	}
	const valid =
		schema === DRILL_SCHEDULE_SCHEMA_VERSION &&
		scheduleId !== '' &&
		active &&
		cadenceValid &&
		nextDue !== undefined &&
		!stale &&
		ownersValid &&
		providersValid &&
		ownerRoutesValid &&
		maintenanceWindowsValid &&
		ownerCalendarsValid &&
		runbookRef !== '';
	const messages: string[] = [];
	if (schema !== DRILL_SCHEDULE_SCHEMA_VERSION) messages.push(SCHEDULE_MESSAGES.schema);
	if (scheduleId === '') messages.push(SCHEDULE_MESSAGES.scheduleId);
	if (runbookRef === '') messages.push(SCHEDULE_MESSAGES.runbook);
	if (!ownersValid) messages.push(SCHEDULE_MESSAGES.owners);
	if (!providersValid) messages.push(SCHEDULE_MESSAGES.providers);
	if (!ownerRoutesValid) messages.push(SCHEDULE_MESSAGES.ownerRoutes);
	if (!maintenanceWindowsValid) messages.push(SCHEDULE_MESSAGES.maintenanceWindows);
	if (!ownerCalendarsValid) messages.push(SCHEDULE_MESSAGES.ownerCalendars);
	if (dueOutOfRange) messages.push(SCHEDULE_MESSAGES.dueDateOutOfRange);
	return {
		valid,
		schema_version: schema,
		schedule_id: scheduleId,
		environment: pyStr(payload.get('environment', '')),
		status,
		active,
		cadence_valid: cadenceValid,
		interval_days: cadenceValid ? intervalDays : null,
		next_due_at: nextDue !== undefined ? formatIsoUtc(nextDue) : '',
		days_until_due: daysUntilDue,
		stale,
		due_soon: dueSoon,
		notification_routes_valid: ownersValid && providersValid,
		owners: ownersValid ? owners : [],
		notification_providers: providersValid ? providers : [],
		owner_routes: ownerRoutesValid ? ownerRoutes : [],
		maintenance_windows: maintenanceWindowsValid ? (maintenanceWindows as PyValue[]) : [],
		owner_calendars: ownerCalendarsValid ? ownerCalendars : new PyDict(),
		runbook_ref: runbookRef,
		message: messages.length > 0 ? messages.join('; ') : SCHEDULE_MESSAGES.ready,
		active_message: active ? SCHEDULE_MESSAGES.active : SCHEDULE_MESSAGES.inactive,
		cadence_message: cadenceValid ? SCHEDULE_MESSAGES.cadenceOk : SCHEDULE_MESSAGES.cadenceBad,
		next_due_message: nextDue !== undefined ? SCHEDULE_MESSAGES.dueOk : SCHEDULE_MESSAGES.dueBad,
		stale_message: stale ? SCHEDULE_MESSAGES.stale : SCHEDULE_MESSAGES.notStale,
		notification_message: ownersValid && providersValid ? SCHEDULE_MESSAGES.routesOk : SCHEDULE_MESSAGES.routesBad,
	};
}
