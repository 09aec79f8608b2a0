/**
 * evidence.json must tell the same story as the journal. The hash chain proves the journal is
 * whole; these checks prove evidence.json agrees with it: the run's result, exit code,
 * within_target and recovery time (from the seal summary the runner journals just before it
 * seals), every service's outcome (re-derived from the restart and verify records), the reports
 * named (each listed with its hash), and nothing journaled after the seal but the evidence step's
 * own closing record. Pure.
 */
import {serviceStatus, type ServiceStatus} from '../rollback/evidence.js';
import type {SkipReason, StepState} from '../rollback/machine.js';
import type {JournalRecord} from './journal.js';

/** The journal step whose "before" record carries the seal summary, and whose "after" record closes the run. */
export const EVIDENCE_STEP = 'evidence';

/**
 * What the runner journals in the evidence step's "before" record, immediately before writing
 * evidence.json (that record is the sealed head): the facts verify holds evidence.json to.
 */
export interface SealSummary {
	result: string;
	exit_code: number | null;
	recovery_seconds: number | null;
	within_target: boolean | null;
	/** Service name → outcome, as evidence.json's services[].outcome. */
	services: Record<string, string>;
	reports: {before: string | null; after: string | null};
	/** The principal the bundle will be signed as (null: no signing key configured). */
	signer: string | null;
}

export interface CrossCheckProblem {
	kind: 'journal' | 'evidence';
	/** 1-based journal record, for journal problems. */
	record?: number;
	reason: string;
}

/** The fields of evidence.json the checks read (the document is validated loosely: it is input). */
interface SealedDocument {
	kind?: unknown;
	result?: unknown;
	exit_code?: unknown;
	recovery_seconds?: unknown;
	max_recovery_minutes?: unknown;
	within_target?: unknown;
	services?: unknown;
	reports?: unknown;
	files?: unknown;
	signature?: unknown;
}

/** Build the summary from evidence.json's fields (the runner journals exactly this). */
export function sealSummary(document: {
	result: string;
	exit_code: number | null;
	recovery_seconds: number | null;
	within_target: boolean | null;
	services: ReadonlyArray<{name: string; outcome: string}>;
	reports: {before: string | null; after: string | null};
	signer: string | null;
}): SealSummary {
	return {
		result: document.result,
		exit_code: document.exit_code,
		recovery_seconds: document.recovery_seconds,
		within_target: document.within_target,
		services: Object.fromEntries(document.services.map(service => [service.name, service.outcome])),
		reports: {before: document.reports.before, after: document.reports.after},
		signer: document.signer,
	};
}

/** The principal evidence.json says it is signed as (its `signature.signer`), if any. */
export function declaredSigner(document: unknown): string | null {
	const signature = (document as SealedDocument | null)?.signature;
	if (typeof signature !== 'object' || signature === null) return null;
	const signer = (signature as {signer?: unknown}).signer;
	return typeof signer === 'string' && signer !== '' ? signer : null;
}

/**
 * Every disagreement between evidence.json and the journal's first `sealedRecords` records (the
 * chain is already verified), and any record after the seal that does not belong there.
 */
export function crossCheckEvidence(document: unknown, records: readonly JournalRecord[], sealedRecords: number): CrossCheckProblem[] {
	const doc = (typeof document === 'object' && document !== null ? document : {}) as SealedDocument;
	const problems: CrossCheckProblem[] = [];
	const evidence = (reason: string) => problems.push({kind: 'evidence', reason});
	const sealed = records.slice(0, sealedRecords);

	// 1. After the seal: at most the evidence step's closing record, agreeing with evidence.json.
	const trailing = records.slice(sealedRecords);
	trailing.forEach((record, index) => {
		const position = sealedRecords + index + 1;
		if (index > 0 || record.step !== EVIDENCE_STEP || record.phase !== 'after') {
			problems.push({kind: 'journal', record: position, reason: `written after evidence.json was sealed and not the evidence step's closing record (${record.step} ${record.phase})`});
			return;
		}
		const detail = objectDetail(record);
		for (const key of ['result', 'exit_code', 'recovery_seconds'] as const) {
			if (detail && key in detail && !same(detail[key], doc[key])) {
				problems.push({kind: 'journal', record: position, reason: `the closing record says ${key} ${show(detail[key])}, evidence.json ${show(doc[key])}`});
			}
		}
	});

	// 2. The seal summary: the last evidence "before" record, which must be the sealed head.
	const summaryIndex = findLastIndex(sealed, record => record.step === EVIDENCE_STEP && record.phase === 'before' && objectDetail(record)?.['result'] !== undefined);
	if (summaryIndex >= 0) {
		if (summaryIndex !== sealed.length - 1) evidence(`sealed at journal record ${sealed.length}, not at the evidence step's record ${summaryIndex + 1}`);
		compareSummary(objectDetail(sealed[summaryIndex]!)!, doc, evidence);
	}

	// 3. Internal consistency, which needs no summary: a rewrite of one field shows.
	const services = serviceList(doc.services);
	const derived = deriveServiceOutcomes(sealed);
	for (const service of services) {
		const fromJournal = derived.get(service.name) ?? 'not-run';
		if (service.outcome !== fromJournal) evidence(`services[${show(service.name)}].outcome is ${show(service.outcome)}; the journal's restart and verify records say ${show(fromJournal)}`);
	}
	const listed = new Set(services.map(service => service.name));
	for (const name of derived.keys()) if (!listed.has(name)) evidence(`service ${show(name)} is in the journal but not in evidence.json's services`);
	checkResultAgainstOutcomes(doc, services, evidence);
	checkWithinTarget(doc, evidence);
	checkReportsListed(doc, evidence);
	return problems;
}

function compareSummary(summary: Record<string, unknown>, doc: SealedDocument, evidence: (reason: string) => void): void {
	for (const key of ['result', 'exit_code', 'recovery_seconds', 'within_target'] as const) {
		if (key in summary && !same(summary[key], doc[key])) evidence(`${key} is ${show(doc[key])}; the journal sealed ${show(summary[key])}`);
	}
	if (isRecord(summary['services'])) {
		const journaled = summary['services'] as Record<string, unknown>;
		const documented = Object.fromEntries(serviceList(doc.services).map(service => [service.name, service.outcome]));
		for (const name of new Set([...Object.keys(journaled), ...Object.keys(documented)])) {
			if (!(name in documented)) evidence(`service ${show(name)} was sealed in the journal (${show(journaled[name])}) but is missing from evidence.json`);
			else if (!(name in journaled)) evidence(`service ${show(name)} is in evidence.json but was not in the journal's seal`);
			else if (journaled[name] !== documented[name]) evidence(`services[${show(name)}].outcome is ${show(documented[name])}; the journal sealed ${show(journaled[name])}`);
		}
	}
	if (isRecord(summary['reports'])) {
		const sealedReports = summary['reports'] as Record<string, unknown>;
		const reports = isRecord(doc.reports) ? (doc.reports as Record<string, unknown>) : {};
		for (const when of ['before', 'after'] as const) {
			if (!same(sealedReports[when], reports[when] ?? null)) evidence(`reports.${when} is ${show(reports[when] ?? null)}; the journal sealed ${show(sealedReports[when])}`);
		}
	}
	if ('signer' in summary && !same(summary['signer'], declaredSigner(doc))) {
		evidence(`signature.signer is ${show(declaredSigner(doc))}; the journal sealed ${show(summary['signer'])}`);
	}
}

/** recovered means every service came back; previewed and cancelled have their own exit codes. */
function checkResultAgainstOutcomes(doc: SealedDocument, services: Array<{name: string; outcome: string}>, evidence: (reason: string) => void): void {
	const back = new Set<string>(['recovered', 'restarted-unverified', 'already-disabled'] satisfies ServiceStatus[]);
	if (doc.result === 'recovered') {
		const down = services.filter(service => !back.has(service.outcome));
		if (down.length > 0) evidence(`result is "recovered" but ${down.map(service => `${show(service.name)} is ${show(service.outcome)}`).join(', ')}`);
	}
	const allowed: Record<string, number[]> = {recovered: [0, 2], previewed: [0], cancelled: [130], partial: [1, 2, 3], failed: [1, 2, 3]};
	const codes = typeof doc.result === 'string' ? allowed[doc.result] : undefined;
	if (codes && 'exit_code' in doc && !codes.includes(doc.exit_code as number)) evidence(`exit_code ${show(doc.exit_code)} does not go with result ${show(doc.result)}`);
}

function checkWithinTarget(doc: SealedDocument, evidence: (reason: string) => void): void {
	if (!('within_target' in doc)) return;
	const seconds = doc.recovery_seconds;
	const minutes = doc.max_recovery_minutes;
	const expected =
		doc.kind === 'dry-run' ? null : doc.result === 'recovered' && typeof seconds === 'number' && typeof minutes === 'number' && seconds <= minutes * 60;
	if (doc.within_target !== expected) evidence(`within_target is ${show(doc.within_target)} but result ${show(doc.result)}, recovery_seconds ${show(seconds)} and max_recovery_minutes ${show(minutes)} make it ${show(expected)}`);
}

/** A report evidence.json names must be one of its files (so its hash is checked). */
function checkReportsListed(doc: SealedDocument, evidence: (reason: string) => void): void {
	if (!isRecord(doc.reports)) return;
	const files = isRecord(doc.files) ? (doc.files as Record<string, unknown>) : {};
	for (const when of ['before', 'after'] as const) {
		const name = (doc.reports as Record<string, unknown>)[when];
		if (typeof name === 'string' && !(`reports/${name}` in files)) evidence(`reports.${when} names ${show(name)} but files has no "reports/${name}" (the report is missing)`);
	}
}

/**
 * Each service's outcome as the journal tells it: the last restart and verify "after" records
 * naming it (batches carry `detail.services`; a step of its own is `restart:<name>`), classified
 * exactly as the runner classifies them for evidence.json.
 */
export function deriveServiceOutcomes(records: readonly JournalRecord[]): Map<string, ServiceStatus> {
	const restart = new Map<string, {status: string; skipReason?: string}>();
	const verify = new Map<string, {status: string; skipReason?: string}>();
	for (const record of records) {
		if (record.phase !== 'after') continue;
		const target = record.step.startsWith('restart') ? restart : record.step.startsWith('verify') ? verify : undefined;
		if (!target) continue;
		const detail = objectDetail(record);
		if (detail && isRecord(detail['services'])) {
			for (const [name, value] of Object.entries(detail['services'] as Record<string, unknown>)) {
				if (!isRecord(value)) continue;
				const entry = value as {status?: unknown; skip_reason?: unknown};
				target.set(name, {status: String(entry.status), ...(typeof entry.skip_reason === 'string' && {skipReason: entry.skip_reason})});
			}
		} else {
			const name = /^(?:restart|verify):(.+)$/.exec(record.step)?.[1];
			const skipReason = detail?.['skip_reason'];
			if (name !== undefined) target.set(name, {status: record.status ?? 'done', ...(typeof skipReason === 'string' && {skipReason})});
		}
	}
	// The steps as the runner's state held them (a step never journaled was closed as not run).
	const step = (kind: 'restart' | 'verify', name: string, entry: {status: string; skipReason?: string} | undefined): StepState => ({
		id: `${kind}:${name}`,
		kind,
		label: `${kind} ${name}`,
		target: name,
		status: (entry?.status ?? 'cancelled') as StepState['status'],
		...(entry?.skipReason !== undefined && {skipReason: entry.skipReason as SkipReason}),
	});
	const names = [...restart.keys()];
	const steps = names.flatMap(name => [step('restart', name, restart.get(name)), step('verify', name, verify.get(name))]);
	return new Map(names.map(name => [name, serviceStatus(steps, name)]));
}

function serviceList(value: unknown): Array<{name: string; outcome: string}> {
	if (!Array.isArray(value)) return [];
	return value.filter(isRecord).map(item => ({name: String((item as {name?: unknown}).name), outcome: String((item as {outcome?: unknown}).outcome)}));
}

function objectDetail(record: JournalRecord): Record<string, unknown> | undefined {
	return isRecord(record.detail) ? (record.detail as Record<string, unknown>) : undefined;
}

function isRecord(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
	for (let index = items.length - 1; index >= 0; index--) if (test(items[index]!)) return index;
	return -1;
}

function same(a: unknown, b: unknown): boolean {
	return a === b || (a === undefined && b === null) || (a === null && b === undefined);
}

function show(value: unknown): string {
	return value === undefined ? 'missing' : JSON.stringify(value);
}
