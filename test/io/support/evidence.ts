import {sealSummary} from '../../../source/core/evidence/cross-check.js';
import {EvidenceRun} from '../../../source/io/evidence-store.js';

export const RUN_ID = 'rb-20260101T120000Z-1a2b3c';

/** evidence.json's story of the fixture run: api verified, worker restarted (no verify.url). */
export const RECOVERED_STORY = {
	result: 'recovered',
	exit_code: 0,
	recovery_seconds: 9,
	within_target: true,
	services: [
		{name: 'api', kind: 'systemd', outcome: 'recovered', duration_ms: 2100, verified: true},
		{name: 'worker', kind: 'command', outcome: 'restarted-unverified', duration_ms: 300, verified: null},
	],
	reports: {before: 'before/rollback-readiness.json', after: 'after/rollback-readiness.json'},
};

/** The same run where worker's restart failed (exit 1): partial, exit code 3. */
export const PARTIAL_STORY: typeof RECOVERED_STORY = {
	...RECOVERED_STORY,
	result: 'partial',
	exit_code: 3,
	within_target: false,
	services: [RECOVERED_STORY.services[0]!, {...RECOVERED_STORY.services[1]!, outcome: 'restart-failed'}],
};

/**
 * A sealed bundle shaped like the rollback runner's: 13 journal records (preflight, set-mode,
 * restart:api, restart:worker, verify, capture before/after, then the evidence step's "before"
 * record carrying the seal summary), 5 files (4 reports and a notes file), evidence.json sealed at
 * record 13, then the evidence step's closing record (unless `closing: false`) and `trailing`
 * stray records after it. `partial`: worker's restart failed. `signer` names a principal in evidence.json and the seal summary.
 */
export async function makeBundle(dir: string, options: {trailing?: number; closing?: boolean; signer?: string; partial?: boolean} = {}): Promise<EvidenceRun> {
	const FIXTURE_STORY = options.partial ? PARTIAL_STORY : RECOVERED_STORY;
	const worker = options.partial ? {status: 'failed', exit_code: 1} : {status: 'done', exit_code: 0};
	const run = await EvidenceRun.create(dir, {runId: RUN_ID});
	let second = 0;
	const journal = await run.openJournal(() => new Date(Date.UTC(2026, 0, 1, 12, 0, second++)));
	const pair = async (step: string, detail?: Record<string, unknown>) => {
		await journal.append({step, phase: 'before'});
		await journal.append({step, phase: 'after', status: 'done', ...(detail && {detail})});
	};
	await pair('preflight');
	await pair('set-mode:/etc/cavra/cavra.env');
	await pair('restart:api', {services: {api: {status: 'done', exit_code: 0}}});
	await pair('restart:worker', {services: {worker}});
	await pair('verify', {services: {api: {status: 'done', mode: 'disabled'}, worker: options.partial ? {status: 'skipped', skip_reason: 'blocked'} : {status: 'skipped', skip_reason: 'not-configured'}}});
	await run.writeReport('before/rollback-readiness.json', '{"status": "ready"}\n');
	await run.writeReport('before/production-readiness.json', '{"status": "ready"}\n');
	await pair('capture');
	await run.writeReport('after/rollback-readiness.json', '{"status": "ready", "mode": "disabled"}\n');
	await run.writeReport('after/production-readiness.json', '{"status": "ready"}\n');
	await run.writeFile('notes.txt', 'restarted api and worker\n');
	const signer = options.signer ?? null;
	await journal.append({step: 'evidence', phase: 'before', detail: {...sealSummary({...FIXTURE_STORY, signer})}});
	await run.writeEvidence({
		kind: 'rollback',
		started_at: '2026-01-01T12:00:00.000Z',
		ended_at: '2026-01-01T12:00:14.000Z',
		recovery_seconds: FIXTURE_STORY.recovery_seconds,
		max_recovery_minutes: 15,
		within_target: FIXTURE_STORY.within_target,
		result: FIXTURE_STORY.result,
		plan: {path: '/etc/cavra/go-backend-rollback-plan.json', sha256: null, approval_id: 'CHG-1', valid: true},
		targets: [{target: '/etc/cavra/cavra.env', mode_before: 'promoted', mode_after: 'disabled'}],
		services: FIXTURE_STORY.services.map(service => ({...service})),
		reports: {...FIXTURE_STORY.reports},
		journal: {head_sha256: journal.headSha256, records: journal.records},
		exit_code: FIXTURE_STORY.exit_code,
		...(signer !== null && {signature: {namespace: 'cavra-rollback-evidence', signer, file: 'evidence.json.sig'}}),
	});
	if (options.closing !== false) {
		await journal.append({step: 'evidence', phase: 'after', status: 'done', detail: {result: FIXTURE_STORY.result, exit_code: FIXTURE_STORY.exit_code, recovery_seconds: FIXTURE_STORY.recovery_seconds}});
	}
	for (let index = 0; index < (options.trailing ?? 0); index++) await journal.append({step: 'closing', phase: 'after', status: 'done'});
	await journal.close();
	return run;
}
