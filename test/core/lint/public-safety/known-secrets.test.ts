import {describe, expect, it} from 'vitest';
import {scanPublicSafety, scanPublicSafetySync} from '../../../../source/core/lint/public-safety/index.js';
import {lintPlanSync} from '../../../../source/core/lint/lint-plan.js';

const token = 'zq81Lr0xVbN3kd7Q';

describe('secrets this machine holds', () => {
	it('are flagged wherever they occur in a value, masked, in the wizard (sync) and full scans alike', async () => {
		const values = ['nothing here', `call it with ${token} and again ${token}`];
		for (const hits of [scanPublicSafetySync(values, [token]), await scanPublicSafety(values, [token])]) {
			const known = hits.filter(hit => hit.rule === 'public-safety/known-secret-value');
			expect(known.map(hit => hit.index)).toEqual([1]);
			expect(JSON.stringify(known)).not.toContain(token);
			expect(known[0]!.preview.length).toBeLessThan(token.length);
		}
	});

	it('need no pattern: without the known value the same text is clean', () => {
		expect(scanPublicSafetySync([`call it with ${token}`])).toEqual([]);
	});

	it('shorter than 8 characters are left to the patterns (a "true" or a port must not flag innocent text)', () => {
		expect(scanPublicSafetySync(['set it to true on port 8080'], ['true', '8080'])).toEqual([]);
	});

	it('reach a plan lint as an error finding with a pointer', () => {
		const report = lintPlanSync({path: 'plan.json', bytes: JSON.stringify({rollback_steps: [`export X=${token}`]})}, {knownSecrets: [token]});
		const finding = report.findings.find(f => f.rule === 'public-safety/known-secret-value');
		expect(finding?.severity).toBe('error');
		expect(finding?.pointer).toBe('/rollback_steps/0');
		expect(JSON.stringify(report)).not.toContain(token);
	});
});
