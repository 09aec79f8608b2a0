import {EvidenceRun} from '../../../source/io/evidence-store.js';

export const RUN_ID = 'rb-20260101T120000Z-1a2b3c';

/**
 * A sealed bundle like a rollback writes: 14 journal records (7 steps, before and after),
 * 5 files (4 reports and a notes file), then `trailing` records after the seal.
 */
export async function makeBundle(dir: string, options: {trailing?: number} = {}): Promise<EvidenceRun> {
	const run = await EvidenceRun.create(dir, {runId: RUN_ID});
	let second = 0;
	const journal = await run.openJournal(() => new Date(Date.UTC(2026, 0, 1, 12, 0, second++)));
	const steps = ['preflight', 'set-mode:/etc/cavra/cavra.env', 'restart:api', 'restart:worker', 'verify:api', 'capture', 'evidence'];
	for (const step of steps.slice(0, -1)) {
		await journal.append({step, phase: 'before'});
		await journal.append({step, phase: 'after', status: 'done'});
	}
	await journal.append({step: 'evidence', phase: 'before'});
	await run.writeReport('before/rollback-readiness.json', '{"status": "ready"}\n');
	await run.writeReport('before/production-readiness.json', '{"status": "ready"}\n');
	await run.writeReport('after/rollback-readiness.json', '{"status": "ready", "mode": "disabled"}\n');
	await run.writeReport('after/production-readiness.json', '{"status": "ready"}\n');
	await run.writeFile('notes.txt', 'restarted api and worker\n');
	await journal.append({step: 'evidence', phase: 'after', status: 'done'});
	await run.writeEvidence({
		kind: 'rollback',
		started_at: '2026-01-01T12:00:00.000Z',
		ended_at: '2026-01-01T12:00:14.000Z',
		recovery_seconds: 9,
		max_recovery_minutes: 15,
		within_target: true,
		result: 'recovered',
		plan: {path: '/etc/cavra/go-backend-rollback-plan.json', sha256: null, approval_id: 'CHG-1', valid: true},
		targets: [{target: '/etc/cavra/cavra.env', mode_before: 'promoted', mode_after: 'disabled'}],
		services: [{name: 'api', kind: 'systemd', outcome: 'recovered', duration_ms: 2100, verified: true}],
		reports: {before: 'before/rollback-readiness.json', after: 'after/rollback-readiness.json'},
		journal: {head_sha256: journal.headSha256, records: journal.records},
	});
	for (let index = 0; index < (options.trailing ?? 0); index++) await journal.append({step: 'closing', phase: 'after', status: 'done'});
	await journal.close();
	return run;
}
