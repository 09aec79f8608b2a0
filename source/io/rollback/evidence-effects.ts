import {readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {isRunId, REPORTS_DIR, serializeEvidence, type EvidenceBundle} from '../../core/evidence/bundle.js';
import {journalLines, verifyChain, type JournalRecord} from '../../core/evidence/journal.js';
import {redactJson, redactPlanJson} from '../../core/evidence/redact.js';
import {acquireEvidenceLock} from '../evidence-lock.js';
import {signEvidence} from '../evidence-signing.js';
import {EvidenceRun as EvidenceFolder} from '../evidence-store.js';
import {UsageError} from '../../core/errors.js';
import type {JournalWriter} from '../journal-writer.js';
import type {EvidenceEffects, JournalRecordInput} from './effects.js';

/**
 * The evidence folder through the store and the journal writer, under the evidence folder's lock
 * (io/evidence-lock.ts): taken before the preflight (so two operators cannot both reach the
 * question and confirm), released by `close()`. A new run's folder is created only by `keep()`,
 * when the operator confirms: until then its journal records (with their own times) and reports
 * are held in memory, so a process killed at the question (kill -9, a closed terminal) leaves no
 * run to list or resume, only a lock the next run takes over (its pid is gone). `secretValues`
 * (the API token, secret env values) are hidden in every file of the bundle, on top of what the
 * redactor finds.
 */
export function createEvidenceEffects(dir: string, now: () => number = Date.now, secretValues: readonly string[] = [], resumeCommand?: (runId: string) => string): EvidenceEffects {
	return {
		async open(runId, options) {
			const lock = await acquireEvidenceLock(dir, {runId, now: () => new Date(now()), ...(resumeCommand && {resumeCommand})});
			let folder: EvidenceFolder | undefined;
			let writer: Awaited<ReturnType<EvidenceFolder['openJournal']>> | undefined;
			// A new run before keep(): what its folder will hold, in order.
			const pendingRecords: Array<{record: JournalRecordInput; at: Date}> = [];
			const pendingReports = new Map<string, string>();
			try {
				if (options.resume) {
					folder = await EvidenceFolder.open(dir, runId, {secretValues});
					writer = await folder.openJournal(() => new Date(now()));
				} else if (!isRunId(runId)) {
					throw new UsageError(`"${runId}" is not a run id`, 'run ids look like rb-20260101T120000Z-1a2b3c');
				}
			} catch (error) {
				await lock.release();
				throw error;
			}
			let keeping: Promise<{folder: EvidenceFolder; writer: JournalWriter}> | undefined;
			const keep = (): Promise<{folder: EvidenceFolder; writer: JournalWriter}> => {
				if (folder && writer) return Promise.resolve({folder, writer});
				keeping ??= (async () => {
					const created = await EvidenceFolder.create(dir, {runId, secretValues});
					const opened = await created.openJournal(() => new Date(now()));
					for (const {record, at} of pendingRecords.splice(0)) await opened.append(journalEntry(record), at);
					for (const [name, text] of pendingReports) await created.writeReport(name, text);
					pendingReports.clear();
					folder = created;
					writer = opened;
					return {folder, writer};
				})();
				return keeping;
			};
			const runPath = path.resolve(dir, runId);
			let closed = false;
			return {
				dir: runPath,
				notices: lock.notice ? [lock.notice] : [],
				keep: async () => void (await keep()),
				async journal(record) {
					if (!keeping && !writer) {
						pendingRecords.push({record, at: new Date(now())});
						return null;
					}
					return (await (await keep()).writer.append(journalEntry(record))).sha256;
				},
				async readJournal() {
					if (!folder) return [];
					const text = await readFile(folder.journalPath, 'utf8');
					const chain = verifyChain(journalLines(text), {runId, complete: text === '' || text.endsWith('\n')});
					if (!chain.ok) throw new Error(`the journal is damaged at record ${chain.firstBad?.record ?? '?'} (${chain.firstBad?.reason ?? 'unknown'})`);
					return journalLines(text).map(line => {
						const record = JSON.parse(line) as JournalRecord;
						const detail: Record<string, unknown> | undefined =
							record.detail === undefined ? undefined : typeof record.detail === 'string' ? {message: record.detail} : (record.detail as Record<string, unknown>);
						return {seq: record.seq, at: record.at, run_id: record.run_id, sha256: record.sha256, step: record.step, phase: record.phase, ...(record.status !== undefined && {status: record.status}), ...(detail && {detail})};
					});
				},
				async writeReports(when, reports) {
					// CAVRA's report and the API's answers repeat the plan's values: what lint flags in them is masked, as in the plan facts.
					const text = `${JSON.stringify(redactPlanJson(reports, secretValues), null, 2)}\n`;
					if (!keeping && !folder) {
						pendingReports.set(`${when}.json`, text);
						return `${when}.json`;
					}
					const written = await (await keep()).folder.writeReport(`${when}.json`, text);
					return written.relative.slice(`${REPORTS_DIR}/`.length);
				},
				async hasReports(when) {
					if (!folder) return pendingReports.has(`${when}.json`) ? `${when}.json` : undefined;
					try {
						return (await stat(path.join(folder.reportsPath, `${when}.json`))).isFile() ? `${when}.json` : undefined;
					} catch {
						return undefined;
					}
				},
				async writeEvidence(sealed, extras) {
					const {folder} = await keep();
					// The store's serializer fixes the sealed fields' order; the rollback's own details follow them.
					const bundle: EvidenceBundle = {...sealed, files: await folder.hashFiles()};
					const document = redactJson({...(JSON.parse(serializeEvidence(bundle)) as Record<string, unknown>), ...extras}, secretValues);
					await folder.writeSealText(`${JSON.stringify(document, null, 2)}\n`);
					return {path: folder.evidencePath, document};
				},
				sign: async options => signEvidence((await keep()).folder.evidencePath, options),
				journalInfo: () => (writer ? {records: writer.records, headSha256: writer.headSha256} : {records: pendingRecords.length, headSha256: null}),
				async close() {
					if (closed) return;
					closed = true;
					try {
						await keeping?.catch(() => undefined);
						await writer?.close();
					} finally {
						await lock.release();
					}
				},
				async discard() {
					if (closed) return;
					closed = true;
					try {
						await keeping?.catch(() => undefined);
						await writer?.close().catch(() => undefined);
						// Only a folder this run created (a new run is never on disk before keep()), named by a checked
						// run id: rm removes links inside it, never what they point to.
						if (folder) await rm(folder.path, {recursive: true, force: true});
					} finally {
						await lock.release();
					}
				},
			};
		},
	};
}

function journalEntry(record: JournalRecordInput) {
	return {
		step: record.step,
		phase: record.phase,
		...(record.status !== undefined && {status: record.status}),
		...(record.detail !== undefined && {detail: record.detail}),
	};
}
