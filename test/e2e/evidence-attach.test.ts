/**
 * `cavra-rollback evidence attach` end to end through the built CLI (`node dist/cli.js`): real
 * files in a temp folder, a real sealed bundle, the config naming them all.
 */
import {spawnSync} from 'node:child_process';
import {chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {seedPlan, seedWith} from '../helpers/plans.js';
import {makeBundle, RUN_ID} from '../io/support/evidence.js';
import {promotionFixtures} from '../fixtures/promotion/files.js';

const PROMOTION = promotionFixtures[0]!.text;

let dir: string;
let promotion: string;

async function writePlan(plan: Record<string, unknown>): Promise<void> {
	await writeFile(path.join(dir, 'plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
}

beforeEach(async () => {
	dir = await mkdtemp(path.join(tmpdir(), 'cavra-attach-'));
	promotion = path.join(dir, 'promotion.json');
	await writePlan(seedPlan());
	await writeFile(
		path.join(dir, 'rehearsal.json'),
		JSON.stringify({
			schema_version: 'cavra.go-backend-rollback-rehearsal.v1',
			status: 'pass',
			rehearsal_id: 'rb-20261201T100000Z-0a1b2c',
			executed_at: '2026-12-01T10:00:00Z',
			plan_approval_id: 'apr_go_backend_rollback',
			simulated: true,
			fallback_verified: true,
			recovery_minutes: 4.25,
			max_recovery_minutes: 15,
			runbook_ref: 'go-promotion-rollback-runbook://docs/current',
			evidence_refs: ['cavra-rollback-evidence://rb-20261201T100000Z-0a1b2c/evidence.json'],
		}),
	);
	await makeBundle(path.join(dir, 'cavra-evidence'));
	await writeFile(promotion, PROMOTION);
	await writeFile(
		path.join(dir, '.cavrarc.json'),
		JSON.stringify({plan: 'plan.json', rehearsalEvidence: 'rehearsal.json', promotionEvidence: 'promotion.json', evidence: {dir: 'cavra-evidence'}}),
	);
});

const attach = (...args: string[]) => runCli(['evidence', 'attach', ...args], {cwd: dir, watchUi: true, env: {CAVRA_GO_PROMOTION_EVIDENCE: undefined}});
const promotionText = () => readFile(promotion, 'utf8');

describe('evidence attach', () => {
	it('attaches plan, approval, rehearsal and the latest bundle; the result lints clean; a second run changes nothing', async () => {
		const result = attach('--json');
		expect(result.stderr).not.toContain('LOADED-UI-MODULE');
		expect(result.code).toBe(0);
		const report = JSON.parse(result.stdout) as {result: string; run_id: string; added_refs: string[]; attachment: Record<string, any>};
		expect(report.result).toBe('attached');
		expect(report.run_id).toBe(RUN_ID);

		const text = await promotionText();
		const document = JSON.parse(text) as {evidence_refs: string[]; rollback_attachment: Record<string, any>};
		const planSha = report.attachment['plan'].sha256 as string;
		expect(planSha).toMatch(/^[0-9a-f]{64}$/);
		expect(document.evidence_refs.slice(0, 2)).toEqual(['go-runtime-parity://ci/run-id', 'go-deployment-readiness://release/package-id']);
		expect(document.evidence_refs).toContain(`go-rollback-plan://sha256/${planSha}`);
		expect(document.evidence_refs).toContain('go-rollback-approval://apr_go_backend_rollback');
		expect(document.evidence_refs).toContain('go-rollback-rehearsal://rb-20261201T100000Z-0a1b2c');
		const bundleSha = document.rollback_attachment['evidence'].evidence_sha256 as string;
		expect(document.evidence_refs).toContain(`go-rollback-evidence://${RUN_ID}/sha256/${bundleSha}`);
		expect(bundleSha).toMatch(/^[0-9a-f]{64}$/);
		expect(document.rollback_attachment).toMatchObject({
			forced: false,
			plan: {approval_id: 'apr_go_backend_rollback', approved: true, max_recovery_minutes: 15, cavra_status: 'ready'},
			rehearsal: {rehearsal_id: 'rb-20261201T100000Z-0a1b2c', executed_at: '2026-12-01T10:00:00Z', recovery_minutes: 4.25, max_recovery_minutes: 15, within_target: true},
			evidence: {run_id: RUN_ID, kind: 'rollback', result: 'recovered', verified: true, signed_by: null},
		});
		// No path of this machine in a public file.
		expect(text).not.toContain(dir);
		expect(text).not.toMatch(/\/(tmp|var|etc|home)\//);

		const lint = runCli(['lint', '--format', 'json', promotion], {cwd: dir});
		expect(lint.code).toBe(0);
		expect((JSON.parse(lint.stdout) as {files: Array<{findings: unknown[]}>}).files[0]!.findings).toEqual([]);

		const again = attach();
		expect(again.code).toBe(0);
		expect(again.stdout).toMatch(/^already attached to /);
		expect(await promotionText()).toBe(text);
	});

	it('prints a readable summary and keeps the file mode', async () => {
		await chmod(promotion, 0o640);
		const result = attach();
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`attached to ${promotion}`);
		expect(result.stdout).toMatch(/plan {7}sha256 [0-9a-f]{64}, approval apr_go_backend_rollback, max 15 min, CAVRA ready/);
		expect(result.stdout).toContain(`evidence   ${RUN_ID} rollback recovered`);
		expect((await stat(promotion)).mode & 0o777).toBe(0o640);
	});

	it('a CRLF file stays CRLF, and a newer bundle replaces the older attachment', async () => {
		await writeFile(promotion, PROMOTION.replaceAll('\n', '\r\n'));
		expect(attach().code).toBe(0);
		const first = await promotionText();
		expect(first.replaceAll('\r\n', '')).not.toContain('\n');

		const newer = 'rb-20270101T120000Z-ffeedd';
		await rm(path.join(dir, 'cavra-evidence'), {recursive: true});
		await makeBundle(path.join(dir, 'cavra-evidence'));
		const {EvidenceRun} = await import('../../source/io/evidence-store.js');
		const run = await EvidenceRun.create(path.join(dir, 'cavra-evidence'), {runId: newer});
		await run.writeEvidence({kind: 'rehearsal', result: 'recovered', recovery_seconds: 120, within_target: true, journal: {head_sha256: null, records: 0}});
		expect(attach().code).toBe(0);
		const refs = (JSON.parse(await promotionText()) as {evidence_refs: string[]}).evidence_refs;
		expect(refs.filter(ref => ref.startsWith('go-rollback-evidence://'))).toEqual([expect.stringMatching(new RegExp(`^go-rollback-evidence://${newer}/sha256/`))]);
		// A run named explicitly is attached instead of the latest.
		expect(attach(RUN_ID).code).toBe(0);
		expect(await promotionText()).toContain(`go-rollback-evidence://${RUN_ID}/`);
	});

	it('with allowed signers configured, an unsigned bundle is refused and a signed one records its signer', async () => {
		const key = path.join(dir, 'signing-key');
		expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', key]).status).toBe(0);
		const principal = 'release-signing@example.org';
		await writeFile(path.join(dir, 'allowed_signers'), `${principal} ${(await readFile(`${key}.pub`, 'utf8')).trim()}\n`);
		await writeFile(
			path.join(dir, '.cavrarc.json'),
			JSON.stringify({plan: 'plan.json', rehearsalEvidence: 'rehearsal.json', promotionEvidence: 'promotion.json', evidence: {dir: 'cavra-evidence', allowedSigners: 'allowed_signers'}}),
		);
		const unsigned = attach();
		expect(unsigned.code).toBe(1);
		expect(unsigned.stdout).toMatch(new RegExp(`evidence bundle ${RUN_ID} does not verify: evidence.json.sig: unsigned`));
		expect(await promotionText()).toBe(PROMOTION);

		const {signEvidence} = await import('../../source/io/evidence-signing.js');
		expect((await signEvidence(path.join(dir, 'cavra-evidence', RUN_ID, 'evidence.json'), {key, signer: principal})).status).toBe('signed');
		const signed = attach();
		expect(signed.code).toBe(0);
		expect(signed.stdout).toContain(`signed by ${principal}`);
		expect((JSON.parse(await promotionText()) as {rollback_attachment: {evidence: {signed_by: string}}}).rollback_attachment.evidence.signed_by).toBe(principal);
		expect(runCli(['lint', promotion], {cwd: dir}).code).toBe(0);
	});

	it('the dashboard says whether the promotion evidence carries the current plan', async () => {
		const before = runCli(['dashboard', '--once'], {cwd: dir});
		expect(before.stdout).toContain('promotion evidence does not carry the rollback plan; run: cavra-rollback evidence attach');
		expect(attach().code).toBe(0);
		expect(runCli(['dashboard', '--once'], {cwd: dir}).stdout).toMatch(/✔ promotion evidence carries this plan \(attached \d{4}-\d\d-\d\dT[\d:]+Z\)/);
		await writePlan(seedWith({max_recovery_minutes: 10}));
		expect(runCli(['dashboard', '--once'], {cwd: dir}).stdout).toContain('promotion evidence carries an older plan');
	});

	it('--dry-run shows the diff and writes nothing', async () => {
		const result = attach('--dry-run');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('+  "rollback_attachment": {');
		expect(result.stdout).toContain('+    "go-rollback-approval://apr_go_backend_rollback",');
		expect(result.stdout).toContain('would attach to');
		expect(await promotionText()).toBe(PROMOTION);
	});

	describe('refuses with exit 1 and leaves the file untouched', () => {
		const refusals: Array<[string, () => Promise<void>, RegExp]> = [
			['the plan is not ready', () => writePlan(seedWith({status: 'draft'})), /go_rollback_plan: rollback plan must record status=ready/],
			['the plan is not approved', () => writePlan(seedWith({approved: false})), /go_rollback_approval: rollback plan must be approved/],
			[
				'the bundle was tampered with',
				async () => {
					const file = path.join(dir, 'cavra-evidence', RUN_ID, 'reports', 'after', 'rollback-readiness.json');
					await writeFile(file, '{"status": "ready", "mode": "promoted"}\n');
				},
				new RegExp(`evidence bundle ${RUN_ID} does not verify: reports/after/rollback-readiness.json: sha256 mismatch`),
			],
			['there is no bundle', () => rm(path.join(dir, 'cavra-evidence'), {recursive: true}), /no rollback or rehearsal evidence bundle in evidence\.dir/],
		];
		for (const [name, arrange, reason] of refusals) {
			it(name, async () => {
				await arrange();
				const result = attach();
				expect(result.code).toBe(1);
				expect(result.stdout).toMatch(/^refused: nothing was attached to /);
				expect(result.stdout).toMatch(reason);
				expect(await promotionText()).toBe(PROMOTION);
				const json = attach('--json');
				expect(json.code).toBe(1);
				expect(JSON.parse(json.stdout)).toMatchObject({result: 'refused', reasons: [expect.stringMatching(reason)]});
			});
		}
	});

	it('--force attaches anyway and the block says why', async () => {
		await writePlan(seedWith({approved: false}));
		await rm(path.join(dir, 'cavra-evidence'), {recursive: true});
		const result = attach('--force');
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('(FORCED)');
		const block = (JSON.parse(await promotionText()) as {rollback_attachment: Record<string, unknown>}).rollback_attachment;
		expect(block).toMatchObject({forced: true, evidence: null, plan: {approved: false, cavra_status: 'needs_attention'}});
		expect(block['force_reasons']).toEqual(['plan go_rollback_approval: rollback plan must be approved', 'no rollback or rehearsal evidence bundle in evidence.dir']);
		// Reasons recorded in a public file name no path of this machine.
		expect(await promotionText()).not.toContain(dir);
	});

	it('never publishes what is not public-safe, not even with --force', async () => {
		await writePlan(seedWith({evidence_refs: ['go-rollback-readiness://ci/ready', 'go-rollback-readiness://ci/10.1.2.3/ready']}));
		const result = attach('--force');
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/not public-safe: public-safety\/private-ip at \/evidence_refs\/\d+/);
		expect(result.stdout).not.toContain('10.1.2.3');
		expect(await promotionText()).toBe(PROMOTION);
	});

	it('refuses a symlinked target, and names what is missing (exit 2)', async () => {
		const real = path.join(dir, 'real-promotion.json');
		await writeFile(real, PROMOTION);
		await rm(promotion);
		await symlink(real, promotion);
		const linked = attach();
		expect(linked.code).toBe(2);
		expect(linked.stderr).toMatch(/is a symbolic link .*refusing to write through it/);
		expect(await readFile(real, 'utf8')).toBe(PROMOTION);

		await writeFile(path.join(dir, '.cavrarc.json'), JSON.stringify({plan: 'plan.json'}));
		const unnamed = attach();
		expect(unnamed.code).toBe(2);
		expect(unnamed.stderr).toMatch(/no promotion evidence file to attach to/);
		const viaEnv = runCli(['evidence', 'attach', '--dry-run'], {cwd: dir, env: {CAVRA_GO_PROMOTION_EVIDENCE: real}});
		expect(viaEnv.stdout).toContain(`would attach to ${real}`);
		await mkdir(path.join(dir, 'folder.json'));
		expect(attach('--promotion-evidence', 'folder.json').code).toBe(2);
		expect(attach('--promotion-evidence', real, 'not-a-run').stderr).toMatch(/"not-a-run" is not a run id/);
	});

	it('refuses a file that is not promotion evidence (exit 2), naming the problem', async () => {
		await writeFile(promotion, '{"schema_version": "cavra.go-backend-promotion-evidence.v1", "approved": false, "approved": true}\n');
		const result = attach();
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/cannot attach: line 1, column \d+: duplicate key "approved"/);
	});
});
