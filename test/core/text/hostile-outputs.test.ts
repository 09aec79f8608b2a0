import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {formatReadinessText} from '../../../source/commands/readiness.js';
import {textReport} from '../../../source/commands/evidence.js';
import {buildSnapshot, changeLine, formatSnapshotText} from '../../../source/core/dashboard/index.js';
import {ConfigError, errorText} from '../../../source/core/errors.js';
import {lintPlan} from '../../../source/core/lint/lint-plan.js';
import {evaluateAllReports, REPORT_NAMES} from '../../../source/core/readiness/index.js';
import {budgetFromPlan, buildSteps, initialState as rollbackState, reduce} from '../../../source/core/rollback/machine.js';
import {planFactsFromSummary, previewLines, type RollbackPreview} from '../../../source/core/rollback/preview.js';
import {progressLines, summaryLines} from '../../../source/core/rollback/progress-lines.js';
import {createStyle} from '../../../source/format/style.js';
import {formatLintJson} from '../../../source/format/lint-json.js';
import {formatLintSarif} from '../../../source/format/lint-sarif.js';
import {formatLintText} from '../../../source/format/lint-text.js';
import {allRules} from '../../../source/core/lint/catalog.js';
import {readReadinessFiles} from '../../../source/io/readiness-files.js';
import {detailsFrame, frameText, summaryFrame} from '../../../source/ui/screens/dashboard/layout.js';
import {HOSTILE, SHOWN, expectNoRaw, expectShown} from '../../helpers/hostile.js';
import {hostileDashboardStore} from '../../helpers/hostile-dashboard.js';

/*
 * Every plain-text output, walked with one hostile plan / env file / config / API answer:
 * no raw control, bidi or zero-width character reaches the text, and each payload is visible.
 */

const hostilePlan = JSON.stringify(
	{
		schema_version: 'cavra.go-backend-rollback-plan.v1',
		status: 'ready',
		approved: true,
		approval_id: HOSTILE.approvalId,
		target_mode: 'disabled',
		max_recovery_minutes: 15,
		controls: ['evidence-capture-enabled', 'operator-runbook-linked', 'promoted-mode-disable-tested', 'python-fallback-available', 'rollback-approval-recorded'],
		rollback_steps: [HOSTILE.step, HOSTILE.red, HOSTILE.rlo],
		evidence_refs: ['go-promotion-rollback-runbook://docs/current'],
		[`owner${HOSTILE.zw}`]: HOSTILE.csi8,
	},
	null,
	2,
);

describe('lint', () => {
	const file = `plan${HOSTILE.rlo}.json`;
	it('reports every hidden character as an error at the pointer, keys included', async () => {
		const report = await lintPlan({path: file, bytes: hostilePlan});
		const hidden = report.findings.filter(finding => finding.rule === 'syntax/hidden-characters');
		expect(hidden.map(finding => finding.pointer)).toEqual(['/approval_id', '/rollback_steps/0', '/rollback_steps/1', '/rollback_steps/2', '/owne…', '/owne…']);
		expect(hidden.every(finding => finding.severity === 'error')).toBe(true);
		expect(report.ok).toBe(false);
		const rlo = hidden.find(finding => finding.pointer === '/rollback_steps/2')!;
		expect(rlo.message).toContain('contains U+202E (right-to-left override) at character 9');
		// The exact character, whether the file holds it raw (the override) or escaped (`\u001b`).
		const lineOf = (finding: {line: number}) => hostilePlan.split('\n')[finding.line - 1]!;
		expect(lineOf(rlo)[rlo.column - 1]).toBe('\u202e');
		const osc = hidden.find(finding => finding.pointer === '/approval_id')!;
		expect(lineOf(osc).slice(osc.column - 1, osc.column + 5)).toBe('\\u001b');
		expect(osc.message).toContain('contains U+001B (escape) at character 6 (and 1 more hidden character)');
		const key = hidden.find(finding => finding.message.startsWith('the key'))!;
		expect(key.message).toContain('U+200B (zero-width space) at character 11');
	});

	it('text: paths and messages shown escaped', async () => {
		const report = await lintPlan({path: file, bytes: hostilePlan});
		const text = formatLintText([report], {color: false});
		expectNoRaw(text);
		expect(text).toContain(`plan${SHOWN.rlo}.json:`);
		expect(text).toContain('syntax/hidden-characters');
	});

	it('JSON and SARIF: JSON escapes, not double escapes; the values round-trip exactly', async () => {
		const report = await lintPlan({path: file, bytes: hostilePlan});
		const json = formatLintJson([report]);
		expectNoRaw(json.replace(/\n/g, ' '));
		expect(json).toContain('"path": "planrestart \\u202eecivres.json"');
		expect((JSON.parse(json) as {files: Array<{path: string}>}).files[0]!.path).toBe(file);
		const sarif = formatLintSarif([report], {rules: allRules, version: '0.0.0', cwd: '/'});
		expectNoRaw(sarif.replace(/\n/g, ' '));
		const log = JSON.parse(sarif) as {runs: Array<{results: Array<{ruleId: string; message: {text: string}}>; artifacts: Array<{location: {uri: string}}>}>};
		expect(log.runs[0]!.results.filter(result => result.ruleId === 'syntax/hidden-characters')).toHaveLength(6);
	});
});

describe('readiness text', () => {
	let dir: string;
	beforeAll(async () => {
		dir = await mkdtemp(path.join(tmpdir(), 'cavra-hostile-'));
	});
	afterAll(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	it('a hostile plan, mode value and file names: CAVRA verdict and the lint section shown escaped', async () => {
		const planPath = path.join(dir, `plan${HOSTILE.red}.json`);
		await writeFile(planPath, hostilePlan);
		const settingsIn = {
			mode: `promoted${HOSTILE.red}`,
			rollbackPlanPath: planPath,
			rollbackRehearsalPath: path.join(dir, `rehearsal${HOSTILE.rlo}.json`),
			rollbackDrillHistoryPath: '',
			rollbackDrillMaxAgeDays: 90,
			rollbackDrillSchedulePath: '',
			rollbackDrillDueSoonDays: 14,
			now: new Date('2030-01-01T00:00:00Z'),
		};
		const all = evaluateAllReports(settingsIn, await readReadinessFiles(settingsIn));
		const text = formatReadinessText(all, REPORT_NAMES, {style: createStyle(false), ascii: false});
		expectNoRaw(text.replace(/\n/g, ' '));
		// CAVRA itself quotes nothing hostile here; a hand-made report that does is shown escaped.
		const forged = {...all, rollback: {...all.rollback, mode: HOSTILE.approvalId, checks: [{id: HOSTILE.zw, status: 'warn', message: HOSTILE.step}]}};
		const forgedText = formatReadinessText(forged as typeof all, ['rollback'], {style: createStyle(false), ascii: false});
		expectNoRaw(forgedText.replace(/\n/g, ' '));
		expectShown(forgedText, ['approvalId', 'zw', 'step']);
	});
});

describe('dashboard text (--once and line mode)', () => {
	const T0 = Date.UTC(2030, 0, 1, 9, 30, 0);
	const hostileState = () => hostileDashboardStore(T0).getState();

	it('--once text, the change line, and every frame of the screen model show payloads escaped', () => {
		const state = hostileState();
		const once = formatSnapshotText(state, {width: 400});
		expectNoRaw(once.replace(/\n/g, ' '));
		expectShown(once, ['rlo']);
		const line = changeLine(undefined, state)!;
		expectNoRaw(line);
		const summary = frameText(summaryFrame({state, view: {mode: 'summary', selected: 0, scroll: 0}, width: 400, height: 60}));
		expectNoRaw(summary.replace(/\n/g, ' '));
		let details = '';
		for (let selected = 0; selected <= 7; selected++) details += frameText(detailsFrame({state, view: {mode: 'details', selected, scroll: 0}, width: 400, height: 200}));
		expectNoRaw(details.replace(/\n/g, ' '));
		expectShown(details, ['approvalId', 'step', 'red', 'zw', 'csi8']);
	});

	it('--json keeps the raw values under JSON escaping', () => {
		const snapshot = buildSnapshot(hostileState());
		const text = JSON.stringify(snapshot);
		expect(text).toContain('\\u001b]52');
		expect(JSON.parse(text).config).toBe(`/etc/cavra/${HOSTILE.rlo}.yaml`);
	});
});

describe('rollback text (--plain, non-TTY, dry run)', () => {
	const preview: RollbackPreview = {
		runId: 'rb-20300101T000000Z-abcdef',
		kind: 'rollback',
		configPath: `/etc/cavra/${HOSTILE.rlo}.yaml`,
		plan: planFactsFromSummary(
			{valid: true, approved: true, approval_id: HOSTILE.approvalId, message: 'ok', approval_message: 'ok', max_recovery_minutes: 15, rollback_steps: [HOSTILE.step, HOSTILE.red], evidence_refs: []},
			`/etc/cavra/plan${HOSTILE.zw}.json`,
			'ab'.repeat(32),
		),
		budget: budgetFromPlan(15),
		envFiles: [{path: '/etc/cavra.env', modeBefore: `promoted${HOSTILE.red}`, action: 'replace', diff: `--- a\r\n+++ b\r\n@@ -1 +1 @@\r\n-CAVRA_GO_BACKEND_MODE=promoted${HOSTILE.csi8}\r\n+CAVRA_GO_BACKEND_MODE=disabled\r\n`}],
		batches: [[{name: HOSTILE.zw, kind: 'command', batch: 0, describe: HOSTILE.rlo, commands: [{argv: ['/opt/restart', HOSTILE.red]}], verifyUrl: `http://127.0.0.1/${HOSTILE.approvalId}`, expectMode: 'disabled'}]],
		serviceFilter: [],
		notices: [`plan says: ${HOSTILE.step}`],
	};

	it('the preview the operator confirms: approval id, runbook, diff and services shown escaped', () => {
		const text = previewLines(preview).join('\n');
		expectNoRaw(text.replace(/\n/g, ' '));
		expectShown(text, ['approvalId', 'step', 'red', 'rlo', 'zw', 'csi8']);
		// A CRLF env file's line ends are not flagged on every line.
		expect(text).toContain('+CAVRA_GO_BACKEND_MODE=disabled\n');
	});

	it('progress and summary lines', () => {
		const steps = buildSteps({envFiles: [`/etc/${HOSTILE.rlo}.env`], batches: [[{name: HOSTILE.zw, kind: 'command'}]]});
		let state = rollbackState({runId: 'rb-x', kind: 'rollback', steps, budget: budgetFromPlan(15), nowMs: 0});
		const lines: string[] = [...progressLines(undefined, state)];
		let previous = state;
		state = reduce(state, {type: 'notice', message: HOSTILE.approvalId});
		state = reduce(state, {type: 'step-started', id: 'preflight', atMs: 1});
		state = reduce(state, {type: 'step-finished', id: 'preflight', status: 'failed', detail: HOSTILE.step, atMs: 2});
		lines.push(...progressLines(previous, state));
		previous = state;
		lines.push(...summaryLines(state, {runDir: `/evidence/${HOSTILE.red}`}));
		const text = lines.join('\n');
		expectNoRaw(text.replace(/\n/g, ' '));
		expectShown(text, ['approvalId', 'step', 'red']);
	});
});

describe('evidence verify text and error messages', () => {
	it('tampered bundle file names and reasons are shown escaped', () => {
		const text = textReport({
			ok: false,
			intact: false,
			signature: {status: 'invalid', signer: `oncall${HOSTILE.zw}@example.com`, reason: HOSTILE.red},
			runDir: '/evidence/run',
			evidencePath: '/evidence/run/evidence.json',
			runId: 'rb-x',
			records: 3,
			sealedRecords: 3,
			headSha256: null,
			files: 2,
			problems: [{kind: 'file', file: `report${HOSTILE.rlo}.json`, reason: `hash differs ${HOSTILE.approvalId}`}],
			unlisted: [`x${HOSTILE.step}`],
		});
		expectNoRaw(text.replace(/\n/g, ' '));
		expectShown(text, ['rlo', 'approvalId', 'step']);
		expect(text).not.toContain('\u200b');
	});

	it('config errors quoting a hostile value', () => {
		const text = errorText(new ConfigError(`/etc/.cavrarc.yaml: services[0].name: expected a word, got "${HOSTILE.red}"`, {hint: `file ${HOSTILE.approvalId}`}));
		expectNoRaw(text.replace(/\n/g, ' '));
		expectShown(text, ['red', 'approvalId']);
		expect(text.split('\n')).toHaveLength(3);
	});
});
