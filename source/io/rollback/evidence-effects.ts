import {readFile, rm, stat} from 'node:fs/promises';
import path from 'node:path';
import {REPORTS_DIR, serializeEvidence, type EvidenceBundle} from '../../core/evidence/bundle.js';
import {journalLines, verifyChain, type JournalRecord} from '../../core/evidence/journal.js';
import {redactJson, redactPlanJson} from '../../core/evidence/redact.js';
import {acquireEvidenceLock} from '../evidence-lock.js';
import {signEvidence} from '../evidence-signing.js';
import {EvidenceRun as EvidenceFolder} from '../evidence-store.js';
import type {EvidenceEffects} from './effects.js';

/**
 * The evidence folder through the store and the journal writer, under the evidence folder's lock
 * (io/evidence-lock.ts): taken before the run folder is created or a journal is read, released
 * by `close()`. `secretValues` (the API token,
 * secret env values) are hidden in every file of the bundle, on top of what the redactor finds.
 */
export function createEvidenceEffects(dir: string, now: () => number = Date.now, secretValues: readonly string[] = [], resumeCommand?: (runId: string) => string): EvidenceEffects {
	return {
		async open(runId, options) {
			const lock = await acquireEvidenceLock(dir, {runId, now: () => new Date(now()), ...(resumeCommand && {resumeCommand})});
			let folder: EvidenceFolder;
			let writer: Awaited<ReturnType<EvidenceFolder['openJournal']>>;
			try {
				folder = options.resume ? await EvidenceFolder.open(dir, runId, {secretValues}) : await EvidenceFolder.create(dir, {runId, secretValues});
				writer = await folder.openJournal(() => new Date(now()));
			} catch (error) {
				await lock.release();
				throw error;
			}
			let closed = false;
			return {
				dir: folder.path,
				notices: lock.notice ? [lock.notice] : [],
				async journal(record) {
					const written = await writer.append({
						step: record.step,
						phase: record.phase,
						...(record.status !== undefined && {status: record.status}),
						...(record.detail !== undefined && {detail: record.detail}),
					});
					return written.sha256;
				},
				async readJournal() {
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
					const written = await folder.writeReport(`${when}.json`, `${JSON.stringify(redactPlanJson(reports, secretValues), null, 2)}\n`);
					return written.relative.slice(`${REPORTS_DIR}/`.length);
				},
				async hasReports(when) {
					try {
						return (await stat(path.join(folder.reportsPath, `${when}.json`))).isFile() ? `${when}.json` : undefined;
					} catch {
						return undefined;
					}
				},
				async writeEvidence(sealed, extras) {
					// The store's serializer fixes the sealed fields' order; the rollback's own details follow them.
					const bundle: EvidenceBundle = {...sealed, files: await folder.hashFiles()};
					const document = redactJson({...(JSON.parse(serializeEvidence(bundle)) as Record<string, unknown>), ...extras}, secretValues);
					await folder.writeSealText(`${JSON.stringify(document, null, 2)}\n`);
					return {path: folder.evidencePath, document};
				},
				sign: options => signEvidence(folder.evidencePath, options),
				journalInfo: () => ({records: writer.records, headSha256: writer.headSha256}),
				async close() {
					if (closed) return;
					closed = true;
					try {
						await writer.close();
					} finally {
						await lock.release();
					}
				},
				async discard() {
					if (closed) return;
					closed = true;
					try {
						await writer.close().catch(() => undefined);
						// Our own folder, named by a checked run id: rm removes links inside it, never what they point to.
						await rm(folder.path, {recursive: true, force: true});
					} finally {
						await lock.release();
					}
				},
			};
		},
	};
}
