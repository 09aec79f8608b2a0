import {ExitCode, type ExitCodeValue} from '../exit-codes.js';
import {readProductionAnswer, readRollbackAnswer} from './answers.js';
import {formatDays, type Tone} from './format.js';
import {digestEndpoint, digestLint, drillFreshness, readModes, scheduleDue} from './panels.js';
import {describeProbe} from './probe.js';
import {apiEndpoints, normaliseMode, type DashboardState, type Report} from './state.js';

/**
 * The overall verdict and the one thing to do next. Blockers are ranked by what an on-call
 * engineer can act on first: the plan, its safety, the proof (rehearsal, drills, schedule),
 * then what the running system says (API, mode, services). When nothing blocks, the nearest
 * deadline becomes the next step ("drill history is 12 days from stale").
 */

export type VerdictStatus = 'ready' | 'not_requested' | 'needs_attention' | 'checking' | 'config_error';

export interface Verdict {
	status: VerdictStatus;
	tone: Tone;
	/** Upper-case headline word(s), e.g. "READY", "NEEDS ATTENTION". */
	headline: string;
	/** The one thing to do next. */
	next: string;
	/** Every blocker, most urgent first (the details of the verdict panel). */
	blockers: string[];
	/** `dashboard --once`: 0 ready/not_requested, 1 needs_attention, 2 config, 3 API configured but failing. */
	exitCode: ExitCodeValue;
}

const headlines: Record<VerdictStatus, string> = {
	ready: 'READY',
	not_requested: 'NOT REQUESTED',
	needs_attention: 'NEEDS ATTENTION',
	checking: 'CHECKING',
	config_error: 'CONFIG ERROR',
};

function failing(report: Report) {
	return report.checks.filter(check => check.status !== 'pass' && !check.id.endsWith('_requested'));
}

function planAction(report: Report): string | undefined {
	if (report.status !== 'needs_attention') return undefined;
	const check = failing(report)[0];
	if (!check) return `fix the rollback plan (${report.status})`;
	switch (check.id) {
		case 'go_rollback_plan':
			if (check.message === 'metadata path is not configured') return 'configure the rollback plan: set "plan" in .cavrarc or CAVRA_GO_ROLLBACK_PLAN';
			if (check.message === 'metadata file is missing') return `write the rollback plan ${typeof check['path'] === 'string' && check['path'] ? check['path'] : ''} (cavra-rollback author)`.replace('  ', ' ');
			// A plan that fails only on target_mode or controls still carries CAVRA's success text.
			if (check.message.startsWith('Rollback plan is ready')) {
				const next = failing(report)[1];
				if (next) return planCheckAction(next.id, next.message);
			}
			return `fix the plan: ${check.message}`;
		default:
			return planCheckAction(check.id, check.message);
	}
}

function planCheckAction(id: string, message: string): string {
	switch (id) {
		case 'go_rollback_approval':
			return message === 'rollback plan is missing or invalid' ? 'fix the rollback plan first' : 'approve the plan (approved: true, with its approval_id)';
		case 'go_rollback_disable_path':
			return 'set target_mode to "disabled" in the plan';
		case 'go_rollback_controls':
			return message.startsWith('rollback plan is missing controls: ') ? `add the missing controls: ${message.slice('rollback plan is missing controls: '.length)}` : `fix the plan's controls: ${message}`;
		default:
			return `fix the plan: ${message}`;
	}
}

export function computeVerdict(state: DashboardState): Verdict {
	const blockers: string[] = [];
	let exitCode: ExitCodeValue = ExitCode.ok;
	const block = (text: string | undefined) => {
		if (text && !blockers.includes(text)) blockers.push(text);
	};

	if (state.configError) {
		return {status: 'config_error', tone: 'bad', headline: headlines.config_error, next: `fix the config: ${state.configError.message}`, blockers: [state.configError.message], exitCode: ExitCode.usage};
	}
	const local = state.local;
	if (!local) {
		if (state.localError) {
			return {status: 'needs_attention', tone: 'bad', headline: headlines.needs_attention, next: `fix what stops the evaluation: ${state.localError.message}`, blockers: [state.localError.message], exitCode: ExitCode.findings};
		}
		return {status: 'checking', tone: 'pending', headline: headlines.checking, next: 'wait: reading files', blockers: [], exitCode: ExitCode.ok};
	}

	const {rollback, rehearsal, drills, schedule} = local.reports;
	block(planAction(rollback));

	const lint = digestLint(state);
	if (lint.errors > 0) {
		const worst = lint.worst;
		block(worst ? `make the plan safe to publish: ${worst.message} (line ${worst.line})` : `make the plan readable: ${lint.text}`);
	}

	if (rehearsal.status === 'needs_attention') {
		const check = failing(rehearsal)[0];
		block(`record rollback rehearsal evidence: ${check?.message ?? 'the rehearsal is not ready'}`);
	}

	const fresh = drillFreshness(state);
	if (drills.status === 'needs_attention') {
		if (fresh?.daysLeft !== undefined && fresh.daysLeft < 0) block(`run a rollback drill: the latest is ${formatDays(fresh.ageDays!)} old (max ${fresh.maxAgeDays})`);
		else block(`fix the drill history: ${failing(drills)[0]?.message ?? 'it is not ready'}`);
	}

	const due = scheduleDue(state);
	if (schedule.status === 'needs_attention') {
		if (due?.daysUntilDue !== undefined && due.daysUntilDue < 0) block(`the scheduled rollback drill is ${formatDays(-due.daysUntilDue)} overdue: run it`);
		else block(`fix the drill schedule: ${failing(schedule)[0]?.message ?? 'it is not ready'}`);
	}

	if (state.api) {
		for (const endpoint of apiEndpoints) {
			const endpointState = state.api[endpoint];
			const digest = digestEndpoint(endpoint, endpointState);
			if (digest.failing) {
				block(`check the CAVRA API: ${endpoint} ${describeProbe(endpointState.last!)}`);
				exitCode = ExitCode.external;
			}
		}
		const rollbackLast = state.api['rollback-readiness'].last;
		const answer = rollbackLast?.kind === 'ok' ? readRollbackAnswer(rollbackLast.body) : undefined;
		if (answer?.status === 'needs_attention') {
			const check = answer.checks.find(entry => entry.status !== 'pass' && !entry.id.endsWith('_requested'));
			block(`the API reports needs_attention${check ? `: ${check.message}` : ''}${rollback.status === 'ready' ? ' (does it read the same plan?)' : ''}`);
		}
		const productionLast = state.api['production-readiness'].last;
		const production = productionLast?.kind === 'ok' ? readProductionAnswer(productionLast.body) : undefined;
		for (const check of production?.rollbackChecks ?? []) {
			if (check.status !== 'pass') block(`production readiness: ${check.id} is ${check.status}`);
		}
	}

	const modes = readModes(state);
	if (!modes.agree) {
		if (modes.running && modes.running !== modes.configured) block(`the API runs ${modes.running} but the env files say ${modes.configured}: restart the API`);
		else block(`mode sources disagree: ${modes.entries.filter(entry => entry.state === 'set').map(entry => `${entry.kind === 'process-env' ? 'this shell' : entry.label} ${entry.mode}`).join(', ')}`);
	}

	for (const service of state.services) {
		const last = service.endpoint.last;
		if (last && last.kind !== 'ok') block(`service ${service.name} does not answer: ${describeProbe(last)}`);
		else if (last?.kind === 'ok' && state.modeSources) {
			const body = last.body as {mode?: unknown};
			const mode = normaliseMode(typeof body.mode === 'string' ? body.mode : '');
			if (mode !== modes.configured) block(`service ${service.name} runs ${mode} but the env files say ${modes.configured}: restart it`);
		}
	}

	if (blockers.length > 0) {
		return {status: 'needs_attention', tone: 'bad', headline: headlines.needs_attention, next: blockers[0]!, blockers, exitCode: exitCode === ExitCode.ok ? ExitCode.findings : exitCode};
	}

	// Nothing blocks: the nearest deadline is the next step.
	const dueSoonDays = local.settings.drillDueSoonDays;
	const deadlines: Array<{days: number; text: string}> = [];
	if (drills.status === 'ready' && fresh?.daysLeft !== undefined && fresh.daysLeft <= dueSoonDays) {
		deadlines.push({days: fresh.daysLeft, text: `drill history is ${formatDays(fresh.daysLeft)} from stale: run a rollback drill`});
	}
	if ((schedule.status === 'due_soon' || due?.dueSoon) && due?.daysUntilDue !== undefined) {
		deadlines.push({days: due.daysUntilDue, text: `the next rollback drill is due in ${formatDays(due.daysUntilDue)}`});
	}
	deadlines.sort((a, b) => a.days - b.days);
	const pendingApi = state.api ? apiEndpoints.some(endpoint => !state.api![endpoint].last) : false;

	if (rollback.status === 'not_requested') {
		return {
			status: 'not_requested',
			tone: 'neutral',
			headline: headlines.not_requested,
			next: deadlines[0]?.text ?? `nothing to do: no rollback plan is requested (mode ${modes.configured})`,
			blockers: [],
			exitCode: ExitCode.ok,
		};
	}
	return {
		status: 'ready',
		tone: deadlines.length > 0 || pendingApi ? 'warn' : 'ok',
		headline: headlines.ready,
		next: deadlines[0]?.text ?? (pendingApi ? 'wait: asking the API' : 'nothing to do: rollback to Python-only mode is ready'),
		blockers: [],
		exitCode: ExitCode.ok,
	};
}
