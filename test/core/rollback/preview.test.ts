import {describe, expect, it} from 'vitest';
import {budgetFromPlan} from '../../../source/core/rollback/machine.js';
import {
	formatArgv,
	planFactsFromSummary,
	planNotices,
	previewLines,
	redactArgv,
	redactEnvDiff,
	redactEnvLine,
	type CavraPlanSummary,
	type RollbackPreview,
} from '../../../source/core/rollback/preview.js';

const readySummary: CavraPlanSummary = {
	valid: true,
	approved: true,
	approval_id: 'apr_1',
	message: 'Rollback plan is ready for promoted Go backend pilots.',
	approval_message: 'Rollback approval is recorded.',
	max_recovery_minutes: 15,
	rollback_steps: ['Set CAVRA_GO_BACKEND_MODE=disabled.', 'Restart API.'],
	evidence_refs: ['go-promotion-rollback-runbook://docs/current'],
};

describe('env diff redaction', () => {
	it('keeps the mode lines exact and only key names of every other line', () => {
		const diff = [
			'--- /etc/cavra.env',
			'+++ /etc/cavra.env',
			'@@ -1,4 +1,4 @@',
			' # database: postgres://admin:hunter2@db',
			' export DB_PASSWORD="hunter2"',
			'-CAVRA_GO_BACKEND_MODE=promoted',
			'+CAVRA_GO_BACKEND_MODE=disabled',
			' API_TOKEN = abc123',
			' garbage line with sk_live_secret',
			'',
		].join('\n');
		const redacted = redactEnvDiff(diff);
		expect(redacted).not.toMatch(/hunter2|abc123|sk_live|postgres/);
		expect(redacted).toContain('-CAVRA_GO_BACKEND_MODE=promoted');
		expect(redacted).toContain('+CAVRA_GO_BACKEND_MODE=disabled');
		expect(redacted).toContain(' export DB_PASSWORD=…');
		expect(redacted).toContain(' API_TOKEN = …');
		expect(redacted).toContain(' # …');
		expect(redacted).toContain(' …');
		expect(redacted.split('\n').slice(0, 3)).toEqual(diff.split('\n').slice(0, 3));
	});

	it('keeps CRLF endings and an export-prefixed mode line', () => {
		expect(redactEnvLine('SECRET=x\r')).toBe('SECRET=…\r');
		expect(redactEnvLine('export CAVRA_GO_BACKEND_MODE="promoted"')).toBe('export CAVRA_GO_BACKEND_MODE="promoted"');
		expect(redactEnvLine('   ')).toBe('   ');
	});
});

describe('argv redaction and display', () => {
	it('masks secret flags, assignments and URL credentials', () => {
		expect(redactArgv(['/bin/restart', '--token', 'abc', '--api-key=xyz', 'PASSWORD=p', 'https://u:pw@host/x', 'plain', 'has-s3cr3t-inside'], ['s3cr3t'])).toEqual([
			'/bin/restart',
			'--token',
			'<redacted>',
			'--api-key=<redacted>',
			'PASSWORD=<redacted>',
			'https://u:<redacted>@host/x',
			'plain',
			'has-<redacted>-inside',
		]);
		expect(formatArgv(['x', '--token', '<redacted>'])).toBe('x --token <redacted>');
		expect(redactArgv(['systemctl', 'restart', 'cavra-api.service'])).toEqual(['systemctl', 'restart', 'cavra-api.service']);
	});

	it('quotes only words that need it', () => {
		expect(formatArgv(['kubectl', 'set', 'env', 'deployment/cavra-api', 'CAVRA_GO_BACKEND_MODE=disabled'])).toBe('kubectl set env deployment/cavra-api CAVRA_GO_BACKEND_MODE=disabled');
		expect(formatArgv(['echo', "it's here", ''])).toBe(`echo 'it'\\''s here' ''`);
	});
});

describe('plan facts', () => {
	it('reads a ready plan from CAVRA\'s summary', () => {
		expect(planFactsFromSummary(readySummary, '/p.json', 'ab'.repeat(32))).toMatchObject({state: 'ready', approvalId: 'apr_1', maxRecoveryMinutes: 15, rollbackSteps: readySummary.rollback_steps});
		expect(planNotices(planFactsFromSummary(readySummary, '/p.json', 'ab'), budgetFromPlan(15))).toEqual([]);
		// The evaluator gives a Python int as a bigint.
		expect(planFactsFromSummary({...readySummary, max_recovery_minutes: 20n}, '/p.json', 'ab').maxRecoveryMinutes).toBe(20);
	});

	it('masks whatever the linter flags in plan values (secrets, private endpoints, personal data) before anything repeats them', () => {
		const token = `gh${'p_'}${'Zk7QmW2xR9'.repeat(4)}`;
		const summary = {
			...readySummary,
			approval_id: 'apr_1 by jane.doe@corp-mail.net',
			rollback_steps: [`Login with ${token}`, 'curl http://10.20.30.40:8000/health', 'Set CAVRA_GO_BACKEND_MODE=disabled.'],
			evidence_refs: ['runbook://wiki.corp.internal/rollback', 'go-promotion-rollback-runbook://docs/current'],
		};
		const facts = planFactsFromSummary(summary, '/p.json', 'ab');
		const text = JSON.stringify(facts);
		for (const flagged of [token.slice(4, 12), 'jane.doe', '10.20.30.40', 'wiki.corp']) expect(text).not.toContain(flagged);
		expect(facts.rollbackSteps).toEqual(['Login with <redacted>', 'curl http://<redacted>:8000/health', 'Set CAVRA_GO_BACKEND_MODE=disabled.']);
		expect(facts.evidenceRefs[1]).toBe('go-promotion-rollback-runbook://docs/current');
		expect(facts.approvalId).toBe('apr_1 by <redacted>');
	});

	it('missing, invalid, not approved and not configured are loud but not fatal', () => {
		const missing = planFactsFromSummary({...readySummary, valid: false, approved: false, message: 'metadata file is missing', max_recovery_minutes: null, rollback_steps: []}, '/p.json', null);
		expect(missing.state).toBe('missing');
		expect(planNotices(missing, budgetFromPlan(null)).join('\n')).toMatch(/MISSING[\s\S]*continues[\s\S]*defaults to 15 minutes/);
		const invalidJson = planFactsFromSummary({...readySummary, valid: false, message: 'metadata JSON is invalid: Expecting value: line 1 column 1 (char 0)'}, '/p.json', 'ff');
		expect(invalidJson.state).toBe('invalid');
		const notApproved = planFactsFromSummary({...readySummary, approved: false, approval_message: 'rollback plan must be approved'}, '/p.json', 'ff');
		expect(notApproved).toMatchObject({state: 'not-approved', message: 'rollback plan must be approved'});
		expect(planNotices(notApproved, budgetFromPlan(15))[0]).toMatch(/NOT APPROVED/);
		expect(planFactsFromSummary(undefined, null, null).state).toBe('not-configured');
	});
});

describe('preview lines', () => {
	it('shows the runbook, the diff, every command in order, parallel batches, verify targets and the budget', () => {
		const preview: RollbackPreview = {
			runId: 'rb-20260101T000000Z-abcdef',
			kind: 'rollback',
			configPath: '/etc/cavra/.cavrarc.yaml',
			plan: planFactsFromSummary(readySummary, '/p.json', 'ab'.repeat(32)),
			budget: budgetFromPlan(15),
			envFiles: [
				{path: '/etc/cavra.env', modeBefore: 'promoted', action: 'replace', diff: '--- a\n+++ b\n@@ -1 +1 @@\n-CAVRA_GO_BACKEND_MODE=promoted\n+CAVRA_GO_BACKEND_MODE=disabled\n'},
				{path: '/etc/other.env', modeBefore: null, action: 'append', diff: ''},
				{path: '/etc/broken.env', modeBefore: null, action: 'unchanged', diff: '', error: 'permission denied'},
			],
			batches: [
				[{name: 'api', kind: 'systemd', batch: 0, describe: 'unit cavra-api.service', commands: [{argv: ['systemctl', 'restart', 'cavra-api.service'], timeoutMs: 60_000}], verifyUrl: 'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness', expectMode: 'disabled', modeNow: 'promoted'}],
				[
					{name: 'runner', kind: 'command', group: 'edge', batch: 1, describe: '', commands: [{argv: ['/opt/restart', '--token', 'x']}], expectMode: 'disabled'},
					{name: 'pm', kind: 'pm2', group: 'edge', batch: 1, describe: '', commands: [{argv: ['pm2', 'restart', 'cavra-api', '--update-env'], env: {CAVRA_GO_BACKEND_MODE: 'disabled'}}], expectMode: 'disabled'},
				],
			],
			serviceFilter: [],
			notices: ['a notice'],
		};
		const text = previewLines(preview).join('\n');
		expect(text).toContain('!! a notice');
		expect(text).toContain('  2. Restart API.');
		expect(text).toContain('recovery budget: 15 min');
		expect(text).toContain('-CAVRA_GO_BACKEND_MODE=promoted');
		expect(text).toContain('/etc/broken.env: CANNOT READ: permission denied');
		expect(text).toContain('(not set: CAVRA defaults to disabled); a line will be added');
		expect(text).toMatch(/batch 1:\n\s+api \[systemd\][\s\S]*\$ systemctl restart cavra-api.service  \(timeout 60 s\)/);
		expect(text).toMatch(/batch 2 \(in parallel, group edge\)/);
		expect(text).toContain('$ CAVRA_GO_BACKEND_MODE=disabled pm2 restart cavra-api --update-env');
		expect(text).toContain('runner: NOT VERIFIABLE');
		expect(text).toContain('api: poll http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness until mode: disabled (now: promoted)');
	});
});
