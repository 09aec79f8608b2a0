import {describe, expect, it} from 'vitest';
import {
	evaluateAllReports,
	productionReadinessRollbackChecks,
	productionReadinessRollbackSection,
	settingsFromEnvironment,
	toPlainJson,
} from '../../../source/core/readiness/index.js';
import {toPythonJson} from '../../../source/format/python-json.js';
import {caseFiles, caseSettings, goldenText, loadCases} from './helpers.js';

const ROLLBACK = 'Promoted Go backend mode requires an approved rollback plan back to Python-only mode.';
const REHEARSAL = 'Promoted Go backend mode requires rollback rehearsal evidence and dashboard visibility.';
const DRILLS = 'Promoted Go backend mode requires fresh operational drill history for returning to Python-only mode.';

describe('production readiness: the rollback checks (contract §9.3)', () => {
	it('with no reports: all three pass as not_requested, mode disabled', () => {
		expect(toPythonJson(productionReadinessRollbackChecks({}))).toBe(`[
  {
    "id": "go_backend_rollback_controls",
    "status": "pass",
    "message": "${ROLLBACK}",
    "mode": "disabled",
    "go_rollback_status": "not_requested"
  },
  {
    "id": "go_backend_rollback_rehearsal",
    "status": "pass",
    "message": "${REHEARSAL}",
    "mode": "disabled",
    "go_rollback_rehearsal_status": "not_requested"
  },
  {
    "id": "go_backend_rollback_drill_history",
    "status": "pass",
    "message": "${DRILLS}",
    "mode": "disabled",
    "go_rollback_drill_history_status": "not_requested"
  }
]`);
	});

	it('needs_attention warns, ready passes; mode comes from the pilot report, not the rollback report', async () => {
		const promoted = loadCases().find(entry => entry.name === 'all/mixed')!;
		const settings = caseSettings(promoted);
		const reports = evaluateAllReports(settings, await caseFiles(settings));
		expect([reports.rollback.status, reports.rehearsal.status, reports.drills.status]).toEqual(['needs_attention', 'needs_attention', 'ready']);
		const checks = productionReadinessRollbackChecks({pilotMode: 'shadow', rollback: reports.rollback, rehearsal: reports.rehearsal, drills: reports.drills});
		expect(checks).toEqual([
			{id: 'go_backend_rollback_controls', status: 'warn', message: ROLLBACK, mode: 'shadow', go_rollback_status: 'needs_attention'},
			{id: 'go_backend_rollback_rehearsal', status: 'warn', message: REHEARSAL, mode: 'shadow', go_rollback_rehearsal_status: 'needs_attention'},
			{id: 'go_backend_rollback_drill_history', status: 'pass', message: DRILLS, mode: 'shadow', go_rollback_drill_history_status: 'ready'},
		]);
		// The pilot report is not passed: mode reads disabled even for a promoted rollback report.
		expect(productionReadinessRollbackChecks({rollback: reports.rollback})[0]).toMatchObject({mode: 'disabled', status: 'warn'});
	});

	it('reads only `status`, from typed or plain reports; an empty report or one without status counts as not_requested', () => {
		const checks = productionReadinessRollbackChecks({rollback: {}, rehearsal: {mode: 'promoted'}, drills: {status: 'due_soon'}});
		expect(checks.map(check => [check.status, Object.values(check).at(-1)])).toEqual([
			['pass', 'not_requested'],
			['pass', 'not_requested'],
			['warn', 'due_soon'],
		]);
	});
});

describe('production readiness: the go_backend_rollback section', () => {
	it('is the rollback report itself when there is one', async () => {
		const entry = loadCases().find(item => item.name === 'rollback/ready')!;
		const settings = caseSettings(entry);
		const report = evaluateAllReports(settings, await caseFiles(settings)).rollback;
		expect(productionReadinessRollbackSection(report)).toBe(report);
		expect(toPythonJson(productionReadinessRollbackSection(report), {trailingNewline: true})).toBe(goldenText('rollback/ready'));
		expect(toPlainJson(productionReadinessRollbackSection(toPlainJson(report) as Record<string, unknown>))).toEqual(toPlainJson(report));
	});

	it('is the stub when the report is missing or empty', () => {
		const stub = '{\n  "schema_version": "cavra.go-backend-pilot.rollback-readiness.v1",\n  "mode": "disabled",\n  "status": "not_requested",\n  "checks": []\n}';
		expect(toPythonJson(productionReadinessRollbackSection(undefined))).toBe(stub);
		expect(toPythonJson(productionReadinessRollbackSection({}))).toBe(stub);
	});

	it('matches what CAVRA’s API reports with nothing configured', () => {
		const settings = settingsFromEnvironment({}, new Date('2026-11-29T12:00:00Z'));
		const none = {kind: 'unconfigured'} as const;
		const reports = evaluateAllReports(settings, {plan: none, rehearsal: none, drillHistory: none, drillSchedule: none});
		expect(productionReadinessRollbackChecks({pilotMode: 'disabled', ...reports}).every(check => check.status === 'pass')).toBe(true);
		expect(productionReadinessRollbackSection(reports.rollback)).toMatchObject({mode: 'disabled', status: 'not_requested'});
	});
});
