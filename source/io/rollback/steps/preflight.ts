/**
 * Step 1, preflight: read each env file's mode and change (nothing written), CAVRA's readiness
 * before, the plan's budget, and each service's commands and current mode; build the preview.
 * Fails (and nothing changes) when an env file cannot be read or there is nothing to roll back.
 */
import type {ServiceConfig} from '../../../core/config/schema.js';
import {budgetFromPlan} from '../../../core/rollback/machine.js';
import {planFactsFromSummary, planNotices, redactArgv, type EnvFileChange, type PlannedCommandView, type ServicePreview} from '../../../core/rollback/preview.js';
import {probeModeOnce} from '../../verify-poller.js';
import type {RunContext} from '../context.js';
import {describeError} from '../describe-error.js';
import {DEFAULT_PROBE_TIMEOUT_MS} from '../input.js';
import {saveReports} from '../reports.js';
import {expectModeOf, isFleet} from '../services.js';

export async function preflight(ctx: RunContext): Promise<void> {
	const {input, resume, envFiles, services, planPath, facts} = ctx;
	await ctx.beginStep('preflight', {
		kind: ctx.kind,
		started_at: new Date(resume?.startedAtMs ?? ctx.startedAtMs).toISOString(),
		...(resume && {resume_of: resume.runId, resumed_at: new Date(ctx.startedAtMs).toISOString()}),
		config: input.configPath,
		plan_path: planPath,
		env_files: envFiles,
		services: services.map(service => service.name),
	});
	let preflightOk = true;
	let preflightDetail = '';
	try {
		const modesBefore = await Promise.all(
			envFiles.map(path => ctx.fx.envFiles.preview(path).catch((error: unknown): EnvFileChange => ({path, modeBefore: null, action: 'unchanged', diff: '', error: describeError(error)}))),
		);
		modesBefore.forEach((change, index) => {
			facts.env[index]!.modeBefore = change.modeBefore;
		});
		const modeNow = modesBefore.find(change => change.modeBefore !== null)?.modeBefore ?? input.env['CAVRA_GO_BACKEND_MODE']?.trim().toLowerCase() ?? 'disabled';
		const sha = planPath ? await ctx.fx.readiness.planSha256(planPath).catch(() => null) : null;
		const before = await ctx.fx.readiness.cavraRollbackReport({mode: modeNow, planPath});
		facts.plan = planFactsFromSummary(before.summary, planPath, sha);
		const budget = budgetFromPlan(facts.plan.maxRecoveryMinutes ?? undefined);
		ctx.dispatch({type: 'budget', budget});
		for (const notice of planNotices(facts.plan, budget)) ctx.dispatch({type: 'notice', message: notice});
		await saveReports(ctx, 'before', before.report, resume !== undefined);

		const servicePreviews = await Promise.all(ctx.batches.map((batch, index) => Promise.all(batch.map(service => previewService(ctx, service, index)))));
		const serviceNames = resume?.serviceNames;
		facts.preview = {
			runId: ctx.runId,
			kind: ctx.kind,
			configPath: input.configPath,
			plan: facts.plan,
			budget,
			envFiles: modesBefore,
			batches: servicePreviews,
			serviceFilter: input.serviceFilter.length > 0 ? input.serviceFilter : serviceNames && serviceNames.length !== (ctx.config.services ?? []).length ? serviceNames : [],
			notices: ctx.state.notices,
		};
		if (envFiles.length === 0 && services.length === 0) {
			preflightOk = false;
			preflightDetail = 'nothing to roll back: the config names no mode.envFiles and no services';
		}
		const fleetProblems = await fleetPreflight(ctx);
		if (fleetProblems.length > 0) {
			preflightOk = false;
			preflightDetail = fleetProblems.join('; ');
		}
		const unreadable = modesBefore.filter(change => change.error);
		if (unreadable.length > 0) {
			preflightOk = false;
			preflightDetail = unreadable.map(change => `${change.path}: ${change.error}`).join('; ');
		}
		if (preflightOk && unreadable.length === 0 && fleetProblems.length === 0) preflightDetail = `plan ${facts.plan.state}; budget ${budget.maxRecoveryMinutes} min; mode now ${modeNow}`;
		input.onPreview?.(facts.preview);
	} catch (error) {
		preflightOk = false;
		preflightDetail = describeError(error);
	}
	ctx.flow.preflightOk = preflightOk;
	await ctx.endStep('preflight', preflightOk ? 'done' : 'failed', {
		detail: preflightDetail,
		journalDetail: {
			plan_state: facts.plan.state,
			plan_sha256: facts.plan.sha256,
			approval_id: facts.plan.approvalId,
			max_recovery_minutes: ctx.state.budget.maxRecoveryMinutes,
			budget_source: ctx.state.budget.source,
			env_modes_before: Object.fromEntries(facts.env.map(file => [file.path, file.modeBefore])),
			service_modes_before: Object.fromEntries([...facts.services.values()].map(service => [service.name, service.modeBefore])),
		},
	});
}

/** What restarting one service will run, and (one probe) the mode it answers now. */
async function previewService(ctx: RunContext, service: ServiceConfig, batch: number): Promise<ServicePreview> {
	const {input} = ctx;
	const facts = ctx.facts.services.get(service.name)!;
	let commands: PlannedCommandView[] = [];
	let describe = '';
	try {
		// Redacted here too, whatever the adapter does: these go on screen and into evidence.
		commands = ctx.fx.services.plan(service).map(command => ({...command, argv: redactArgv(command.argv)}));
		describe = ctx.fx.services.describe(service);
	} catch (error) {
		describe = `cannot plan: ${describeError(error)}`;
	}
	facts.commands = commands.map(command => command.argv);
	const view: ServicePreview = {name: service.name, kind: service.kind, batch, describe, commands, expectMode: expectModeOf(service)};
	if (service.group) view.group = service.group;
	if (service.verify?.url && isFleet(service)) {
		view.verifyUrl = service.verify.url;
	} else if (service.verify?.url) {
		view.verifyUrl = service.verify.url;
		const verdict = await probeModeOnce({
			url: service.verify.url,
			expectMode: expectModeOf(service),
			timeoutMs: Math.min(service.verify.timeoutMs ?? input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, input.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS),
			get: ctx.fx.http,
			signal: ctx.control.abortSignal,
			...ctx.tokenOption(service.verify.url),
		});
		view.modeNow = verdict.kind === 'verified' || verdict.kind === 'wrong-mode' ? verdict.mode : verdict.message;
		facts.modeBefore = verdict.kind === 'verified' || verdict.kind === 'wrong-mode' ? verdict.mode : null;
	} else {
		ctx.dispatch({type: 'notice', message: `Service ${service.name} has no verify.url: its restart cannot be verified (a successful restart is the only proof).`});
	}
	return view;
}

/** Each fleet service's own checks (Ansible: the tool, the inventory, every host and its env file), before anything changes. */
async function fleetPreflight(ctx: RunContext): Promise<string[]> {
	const check = ctx.fx.services.preflight;
	if (!check) return [];
	const fleets = ctx.services.filter(isFleet);
	const results = await Promise.all(fleets.map(async service => ({service, result: await check(service, {signal: ctx.control.abortSignal}).catch((error: unknown) => ({ok: false, detail: describeError(error), hosts: undefined}))})));
	const problems: string[] = [];
	for (const {service, result} of results) {
		if (!result) continue;
		const facts = ctx.facts.services.get(service.name)!;
		const modes = [...new Set((result.hosts ?? []).map(host => host.modeBefore ?? '(unset)'))];
		facts.modeBefore = modes.length === 1 ? modes[0]! : modes.length > 1 ? 'mixed' : null;
		ctx.dispatch({type: 'notice', message: `Fleet ${service.name}: ${result.detail}`});
		const view = ctx.facts.preview?.batches.flat().find(candidate => candidate.name === service.name);
		if (view) view.hosts = (result.hosts ?? []).map(host => ({host: host.host, modeNow: host.modeBefore, ...(host.diff && {diff: host.diff}), ...(host.message && {problem: host.message})}));
		if (!result.ok) problems.push(`${service.name}: ${result.detail}`);
	}
	return problems;
}
