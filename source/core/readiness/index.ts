/**
 * CAVRA-compatible readiness evaluation (DESIGN.md "Readiness"; contract §2–§14). Pure: no fs,
 * network or process access; files arrive as bytes (io/readiness-files.ts) and the clock is
 * in the settings. Serialise reports with format/python-json.ts to print what CAVRA prints.
 */
export {checkMetadata, METADATA_MESSAGES, type MetadataCheck, type MetadataRead, type ReadinessFiles} from './metadata.js';
export {
	evaluateAllReports,
	OPERATOR_NOTES,
	REQUESTED_MESSAGES,
	rollbackDrillHistoryReport,
	rollbackDrillScheduleReport,
	rollbackReadinessReport,
	rollbackRehearsalReport,
} from './reports.js';
export {
	PRODUCTION_CHECK_MESSAGES,
	productionReadinessRollbackChecks,
	productionReadinessRollbackSection,
	type ProductionCheck,
	type ProductionRollbackInputs,
	type RollbackSectionStub,
	type StatusCarrier,
} from './production.js';
export {
	CAVRA_ENVIRONMENT,
	DEFAULT_DRILL_DUE_SOON_DAYS,
	DEFAULT_DRILL_MAX_AGE_DAYS,
	floatFromEnvironment,
	normaliseMode,
	settingsFromEnvironment,
	type ReadinessSettings,
} from './settings.js';
export {toPlainJson, type PlainJson} from './plain.js';
export {formatIsoUtc, parseCavraTimestamp, type Instant} from './py-datetime.js';
export {PyDict, floatRepr, parsePyFloat, pyRepr, pyStr, type PyValue} from './py-value.js';
export {parsePythonJson} from './py-json.js';
export {
	REPORT_NAMES,
	type AllReports,
	type CheckStatus,
	type PyNumber,
	type ReadinessCheck,
	type ReadinessStatus,
	type ReportName,
	type ReportObject,
	type ReportValue,
	type RollbackDrillHistoryReport,
	type RollbackDrillHistorySummary,
	type RollbackDrillScheduleReport,
	type RollbackDrillScheduleSummary,
	type RollbackPlanSummary,
	type RollbackReadinessReport,
	type RollbackRehearsalReport,
	type RollbackRehearsalSummary,
	type ScheduleStatus,
} from './types.js';
