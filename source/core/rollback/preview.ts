/**
 * The preview shown before anything changes (and all a `--dry-run` does): the plan as the
 * runbook, what each env file will look like (a diff), every command for every service in
 * order, and the recovery budget. Pure: the runner gathers the facts, this shapes and words them.
 * Env files hold secrets next to the mode, so every diff is redacted to the mode lines plus
 * key names; restart argv is redacted the same way it is in evidence.
 */
import {plural} from '../text/quantities.js';
import {REDACTED, redactPlanText} from '../evidence/redact.js';
import {visible} from '../text/sanitize.js';
import type {RecoveryBudget, RunKind} from './machine.js';

export const MODE_KEY = 'CAVRA_GO_BACKEND_MODE';
export const TARGET_MODE = 'disabled';

export type PlanState = 'ready' | 'not-approved' | 'invalid' | 'missing' | 'not-configured';

export interface PlanFacts {
	/** The configured path (config `plan`, else $CAVRA_GO_ROLLBACK_PLAN), or null. */
	path: string | null;
	state: PlanState;
	/** CAVRA's own words about the plan (its `rollback.message`, or the approval message). */
	message: string;
	/** sha256 of the plan file's bytes, when it could be read. */
	sha256: string | null;
	approvalId: string;
	maxRecoveryMinutes: number | null;
	rollbackSteps: string[];
	evidenceRefs: string[];
}

/** The subset of CAVRA's plan summary (contract §6) the rollback reads. */
export interface CavraPlanSummary {
	valid: boolean;
	approved: boolean;
	approval_id: string;
	message: string;
	approval_message: string;
	/** A Python int arrives as a bigint from the evaluator, a float as a number. */
	max_recovery_minutes: number | bigint | null;
	rollback_steps: unknown[];
	evidence_refs: unknown[];
}

/**
 * The plan as the rollback repeats it. Plan values are public text anyone may have contributed:
 * whatever the linter flags in them (secrets, private endpoints, personal data) is masked here,
 * once, so the preview, journal, evidence and rehearsal files built from these facts never carry it.
 */
export function planFactsFromSummary(summary: CavraPlanSummary | undefined, path: string | null, sha256: string | null): PlanFacts {
	const strings = (values: unknown[] | undefined) => (values ?? []).filter((value): value is string => typeof value === 'string').map(value => redactPlanText(value));
	if (!path) {
		return {path: null, state: 'not-configured', message: 'no rollback plan is configured (config "plan" or $CAVRA_GO_ROLLBACK_PLAN)', sha256: null, approvalId: '', maxRecoveryMinutes: null, rollbackSteps: [], evidenceRefs: []};
	}
	if (!summary) {
		return {path, state: 'missing', message: 'metadata file is missing', sha256, approvalId: '', maxRecoveryMinutes: null, rollbackSteps: [], evidenceRefs: []};
	}
	const missing = summary.message.startsWith('metadata ');
	let state: PlanState;
	let message = summary.message;
	if (missing) state = sha256 === null ? 'missing' : 'invalid';
	else if (!summary.valid) state = 'invalid';
	else if (!summary.approved) {
		state = 'not-approved';
		message = summary.approval_message;
	} else state = 'ready';
	return {
		path,
		state,
		message: redactPlanText(message),
		sha256,
		approvalId: redactPlanText(summary.approval_id),
		maxRecoveryMinutes: typeof summary.max_recovery_minutes === 'number' ? summary.max_recovery_minutes : typeof summary.max_recovery_minutes === 'bigint' ? Number(summary.max_recovery_minutes) : null,
		rollbackSteps: strings(summary.rollback_steps),
		evidenceRefs: strings(summary.evidence_refs),
	};
}

/** The loud lines for a plan that is not ready. The rollback still runs: it is the safety net. */
export function planNotices(plan: PlanFacts, budget: RecoveryBudget): string[] {
	const notices: string[] = [];
	if (plan.state !== 'ready') {
		const what = {
			'not-configured': 'NO ROLLBACK PLAN IS CONFIGURED',
			missing: `THE ROLLBACK PLAN IS MISSING (${plan.path})`,
			invalid: `THE ROLLBACK PLAN IS INVALID (${plan.path})`,
			'not-approved': `THE ROLLBACK PLAN IS NOT APPROVED (${plan.path})`,
			ready: '',
		}[plan.state];
		notices.push(`${what}: ${plan.message}. The rollback continues (it is the safety net); this is recorded in the evidence.`);
	}
	if (budget.source === 'default') {
		notices.push(`The plan gives no valid max_recovery_minutes: the recovery budget defaults to ${budget.maxRecoveryMinutes} minutes.`);
	}
	return notices;
}

export interface EnvFileChange {
	path: string;
	/** The mode the file sets now (CAVRA-normalised), or null when the key is absent or the file missing. */
	modeBefore: string | null;
	/** What setting the mode will do: replace the line, append one, or nothing (already disabled). */
	action: 'replace' | 'append' | 'unchanged' | 'create';
	/** Unified diff of the change, redacted: only the mode lines keep their values. */
	diff: string;
	/** Why the file cannot be previewed (unreadable); set-mode will fail on it. */
	error?: string;
}

export interface PlannedCommandView {
	/** argv, redacted; never a shell string. */
	argv: string[];
	timeoutMs?: number;
	/** Environment the adapter adds (names and values; only the mode is ever set). */
	env?: Record<string, string>;
	note?: string;
}

export interface ServicePreview {
	name: string;
	kind: string;
	group?: string;
	batch: number;
	/** One line from the adapter: what it restarts (unit, label, deployment, process). */
	describe: string;
	commands: PlannedCommandView[];
	verifyUrl?: string;
	expectMode: string;
	/** The mode the running service reports now (probed at preflight), or a word for why unknown. */
	modeNow?: string;
	/** A fleet: each host, its env file's mode now and the change the rollback would make. */
	hosts?: Array<{host: string; modeNow: string | null; diff?: string; problem?: string}>;
}

export interface RollbackPreview {
	runId: string;
	kind: RunKind;
	configPath: string | null;
	plan: PlanFacts;
	budget: RecoveryBudget;
	envFiles: EnvFileChange[];
	batches: ServicePreview[][];
	/** `--service NAME` limits; empty when every configured service runs. */
	serviceFilter: string[];
	notices: string[];
}

/** argv with secret-looking flags, assignments and URL credentials masked: evidence's own rule, one implementation. */
export {redactArgv} from '../evidence/redact.js';

/** Display form of argv: words quoted only when needed, so it reads like the command it is (it is never run through a shell). */
export function formatArgv(argv: readonly string[]): string {
	return argv.map(arg => (arg.includes(REDACTED) || /^[A-Za-z0-9_@%+=:,./*-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const ENV_LINE = /^(\s*)(export\s+)?([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*)(.*)$/;

/**
 * Redact a unified diff of an env file: header and hunk lines stay; the mode's own lines stay
 * exact; every other line keeps only its key (`DB_PASSWORD=…`) or becomes `# …` / `…`.
 */
export function redactEnvDiff(diff: string, key = MODE_KEY): string {
	return diff
		.split('\n')
		.map(line => {
			if (line.startsWith('---') || line.startsWith('+++') || line.startsWith('@@') || line.startsWith('\\')) return line;
			const marker = line[0];
			if (marker !== ' ' && marker !== '-' && marker !== '+') return line;
			return marker + redactEnvLine(line.slice(1), key);
		})
		.join('\n');
}

export function redactEnvLine(content: string, key = MODE_KEY): string {
	const text = content.replace(/\r$/, '');
	const cr = content.endsWith('\r') ? '\r' : '';
	if (text.trim() === '') return content;
	if (text.trimStart().startsWith('#')) return `${text.slice(0, text.indexOf('#'))}# …${cr}`;
	const match = ENV_LINE.exec(text);
	if (!match) return `…${cr}`;
	if (match[3] === key) return content;
	return `${match[1]}${match[2] ?? ''}${match[3]}${match[4]}…${cr}`;
}

/**
 * The preview as plain lines (the `--plain`/non-TTY renderer, the dry-run and the Ink screen print
 * these). It quotes the plan (approval id, runbook steps), env files, config and paths, so every
 * line leaves through `visible`: this is what the operator confirms, and it must be what they get.
 */
export function previewLines(preview: RollbackPreview): string[] {
	const lines: string[] = [];
	const title = preview.kind === 'rehearsal' ? 'Rollback REHEARSAL preview' : preview.kind === 'dry-run' ? 'Rollback preview (dry run: nothing will change)' : 'Rollback preview';
	lines.push(`${title}: run ${preview.runId}`);
	lines.push(`config: ${preview.configPath ?? 'none found'}`);
	for (const notice of preview.notices) lines.push(`!! ${notice}`);
	const plan = preview.plan;
	lines.push(`plan: ${plan.path ?? '(none)'}: ${plan.state}${plan.approvalId ? `, approval ${plan.approvalId}` : ''}${plan.sha256 ? `, sha256 ${plan.sha256.slice(0, 12)}…` : ''}`);
	if (plan.rollbackSteps.length > 0) {
		lines.push('runbook (the plan\'s rollback_steps):');
		plan.rollbackSteps.forEach((step, index) => lines.push(`  ${index + 1}. ${step}`));
	}
	lines.push(`recovery budget: ${preview.budget.maxRecoveryMinutes} min (${preview.budget.source === 'plan' ? "the plan's max_recovery_minutes" : 'default: the plan gives none'})`);
	lines.push('');
	lines.push(`1. set ${MODE_KEY}=${TARGET_MODE} in ${plural(preview.envFiles.length, 'env file')}:`);
	if (preview.envFiles.length === 0) lines.push('   (no mode.envFiles configured)');
	for (const file of preview.envFiles) {
		if (file.error) {
			lines.push(`   ${file.path}: CANNOT READ: ${file.error}`);
			continue;
		}
		lines.push(`   ${file.path}: mode now ${file.modeBefore ?? '(not set: CAVRA defaults to disabled)'}; ${actionWords[file.action]}`);
		// A CRLF file's line ends are not hidden text; a CR anywhere else is shown.
		if (file.diff) for (const line of file.diff.replace(/\n$/, '').split('\n')) lines.push(`     ${line.replace(/\r$/, '')}`);
	}
	lines.push('');
	const services = preview.batches.flat();
	lines.push(`2. restart ${plural(services.length, 'service')}, in this order${preview.serviceFilter.length > 0 ? ` (--service ${preview.serviceFilter.join(', ')})` : ''}:`);
	if (services.length === 0) lines.push('   (no services configured)');
	preview.batches.forEach((batch, index) => {
		const parallel = batch.length > 1 ? ` (in parallel, group ${batch[0]?.group ?? ''})` : '';
		lines.push(`   batch ${index + 1}${parallel}:`);
		for (const service of batch) {
			lines.push(`     ${service.name} [${service.kind}] ${service.describe}`);
			for (const command of service.commands) {
				const env = command.env && Object.keys(command.env).length > 0 ? `${Object.entries(command.env).map(([k, v]) => `${k}=${v}`).join(' ')} ` : '';
				lines.push(`       $ ${env}${formatArgv(command.argv)}${command.timeoutMs ? `  (timeout ${Math.round(command.timeoutMs / 1000)} s)` : ''}`);
				if (command.note) lines.push(`         ${command.note}`);
			}
			for (const host of service.hosts ?? []) {
				lines.push(`       host ${host.host}: ${host.problem ? `CANNOT ROLL BACK: ${host.problem}` : `mode now ${host.modeNow ?? '(not set)'}${host.diff ? '' : '; unchanged'}`}`);
				if (host.diff) for (const line of host.diff.replace(/\n$/, '').split('\n')) lines.push(`         ${line.replace(/\r$/, '')}`);
			}
		}
	});
	lines.push('');
	lines.push('3. verify each service reports mode disabled:');
	for (const service of services) {
		lines.push(
			service.verifyUrl
				? `   ${service.name}: poll ${service.verifyUrl} until mode: ${service.expectMode}${service.modeNow ? ` (now: ${service.modeNow})` : ''}`
				: `   ${service.name}: NOT VERIFIABLE (no verify.url): a successful restart is the only proof`,
		);
	}
	lines.push('4. capture readiness reports after, and write the evidence bundle');
	return lines.map(visible);
}

const actionWords: Record<EnvFileChange['action'], string> = {
	replace: 'the line will be replaced',
	append: 'a line will be added',
	unchanged: 'already disabled: no change',
	create: 'the file will be created',
};
