import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseJsonDocument} from '../../../../source/core/json/document.js';
import {scanPublicSafety, scanPublicSafetySync} from '../../../../source/core/lint/public-safety/index.js';
import {SEED_PLAN_STRINGS, strings} from './fixtures.js';
import {rulesOfAsync} from './helpers.js';

/** Text that looks a little like what we detect, and must stay clean: false positives block saving. */
const NEAR_MISSES = [
	'CAVRA_GO_BACKEND_MODE=disabled',
	'CAVRA_API_TOKEN',
	'Set CAVRA_API_TOKEN in the environment, never in the plan.',
	'${VAR}',
	'${CAVRA_API_TOKEN}',
	'<REDACTED>',
	'token=${CAVRA_API_TOKEN}',
	'password rotation runbook',
	'rotate the API token',
	'secret store',
	'Read the token from the secret store; do not paste it here.',
	'systemctl restart cavra-api.service',
	'systemctl --user restart cavra-agent.service',
	'kubectl -n cavra rollout restart deployment/cavra-api',
	'pm2 restart cavra-api --update-env',
	'launchctl kickstart -k gui/501/com.cavra.agent',
	'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness',
	'curl http://127.0.0.1:8000/deployment/production-readiness',
	'curl -fsS http://localhost:8000/deployment/production-readiness | jq .go_backend_rollback',
	'cavra runtime go-rollback-readiness --json',
	'Confirm GET /runtime/go-pilot/rollback-readiness on the restarted API reports mode disabled.',
	'Watch https://status.example.com and mail ops@example.com.',
	'Test against 192.0.2.10, 198.51.100.7, 203.0.113.5 and 2001:db8::10.',
	'max_recovery_minutes: 15',
	'Wait 30s, then retry up to 3 times within 15 minutes.',
	'Deploy v1.2.3.4 built on 2024-01-15 at 10:30.',
	'Approved in CHANGE-2024-0117 by the change advisory board.',
	'apr_go_backend_rollback',
	'cavra.go-backend-rollback-plan.v1',
	'production-readiness://api/after-rollback',
	'ci-canary-pipeline://go-rollback/latest',
	'device-compliance-report://cavra-agent/go-rollback',
	'image ghcr.io/acme/cavra-api@sha256:4f1c0e3b2a9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b',
	'run 3f0c2a1e-8b7d-4c6e-9a5f-1d2e3c4b5a69 is the reference drill',
	'git revert 9fceb02d0ae598e95dc970b74767f19372d61af8',
	'--password-file /run/secrets/db',
	'KEY_FILE=/run/secrets/x',
	'token: ${{ secrets.CAVRA_API_TOKEN }}',
	'password: ********',
	'-----BEGIN PUBLIC KEY-----',
	'http://[::1]:8000/health',
	'Rollback target mode: disabled (python-only).',
];

describe('near-misses stay clean', () => {
	it('the seed example plan has no findings, with or without secretlint', async () => {
		expect(scanPublicSafetySync(strings(...SEED_PLAN_STRINGS))).toEqual([]);
		expect(await scanPublicSafety(strings(...SEED_PLAN_STRINGS))).toEqual([]);
	});

	it.each(NEAR_MISSES)('%s', async text => {
		expect(await rulesOfAsync(text)).toEqual([]);
	});

	it('every shipped template is clean (templates are what authors start from)', async () => {
		const dir = fileURLToPath(new URL('../../../../templates/', import.meta.url));
		const files = readdirSync(dir).filter(name => name.endsWith('.json'));
		expect(files.length).toBeGreaterThan(0);
		for (const name of files) {
			const document = parseJsonDocument(readFileSync(`${dir}${name}`));
			expect(await scanPublicSafety(document.strings()), name).toEqual([]);
		}
	});
});
