/**
 * A fleet through Ansible: `ansible-playbook` (never our own SSH) runs two playbooks we generate
 * (core/ansible/playbook.ts) into a private temp folder with our callback plugin. The probe reads
 * each host's env file; TypeScript patches it with the same editor as local env files; the apply
 * playbook checks the file did not change meanwhile, copies the patched bytes (owner and mode of
 * the existing file kept, backup made), restarts and verifies, in `serial` batches where one
 * failure stops the rest. Ansible's own output never reaches the operator: results come from the
 * callback's JSON lines, redacted and shown escaped.
 */
import {formatDuration, plural} from '../core/text/quantities.js';
import {createHash} from 'node:crypto';
import {readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {CALLBACK_NAME} from '../core/ansible/callback-plugin.js';
import {appliedHosts, checkedHosts, parseEvents, probedHosts, type AnsibleEvent, type AppliedHost, type CheckedHost, type ProbedHost} from '../core/ansible/events.js';
import {applyPlaybook, checkPlaybook, DEFAULT_VERIFY_SECONDS, probePlaybook} from '../core/ansible/playbook.js';
import {endedBatches, fleetProgress, type FleetProgress, type FleetShape} from '../core/ansible/progress.js';
import {splitBatches} from '../core/ansible/serial.js';
import type {AnsibleService} from '../core/config/schema.js';
import {getEnvValue} from '../core/env-file/parse.js';
import {setEnvValue, unifiedDiff} from '../core/env-file/patch.js';
import {redactEnvDiff} from '../core/rollback/preview.js';
import {redactText} from '../core/evidence/redact.js';
import {normaliseMode as normaliseCavraMode} from '../core/readiness/settings.js';
import {visible} from '../core/text/sanitize.js';
import type {CommandRunner, RunResult} from '../io/process-runner.js';
import {tailEvents} from './ansible-events-tail.js';
import {openWorkspace} from './ansible-workspace.js';
import {passEnvFor, timeoutFor, type AdapterResult, type FleetHost, type RestartContext, type ServiceAdapter} from './types.js';

const MODE_KEY = 'CAVRA_GO_BACKEND_MODE';
/** Reading a file on every host is quick; a slow SSH handshake is not a reason to wait long. */
const PROBE_TIMEOUT_MS = 120_000;

export interface ProbeOutcome {
	ok: boolean;
	detail: string;
	hosts: ProbedHost[];
	run: RunResult;
}

export const ansibleAdapter: ServiceAdapter<AnsibleService> = {
	kind: 'ansible',
	describe: service => `Ansible hosts ${service.hosts} of ${service.inventory}${service.serial !== undefined ? ` (serial ${service.serial})` : ''}`,
	plan(service, options) {
		const timeoutMs = timeoutFor(service, options);
		return [
			{argv: ['ansible-playbook', '-i', service.inventory, 'probe.json'], timeoutMs: PROBE_TIMEOUT_MS, note: `reads ${service.envFile} on every host; nothing changes`},
			{
				argv: ['ansible-playbook', '-i', service.inventory, '-e', '@vars.json', 'apply.json'],
				timeoutMs,
				note: `per host in batches of ${service.serial ?? 'all'}: ${MODE_KEY}=${options.mode} in ${service.envFile} (backup kept), ${service.systemd ? `systemd restart ${service.systemd}` : `run ${service.restart!.join(' ')}`}${service.verify ? `, verify ${service.verify.url}` : ''}; a failed host stops the rest`,
			},
		];
	},
	async preflight(service, context) {
		const workspace = await openWorkspace();
		try {
			const probe = await runProbe(service, context.runner, workspace, context);
			const secrets = context.secretValues ?? [];
			const mode = context.mode ?? 'disabled';
			const check = probe.ok ? await runCheck(service, context, workspace, probe.hosts, mode) : undefined;
			return {
				ok: probe.ok,
				detail: check ? `${probe.detail}; ${check.note}` : probe.detail,
				hosts: probe.hosts.map(host => {
					const checked = check?.hosts.get(host.host);
					const diff = previewDiff(service, host, checked, mode);
					const problem = host.problem ?? (checked?.problem && `ansible --check: ${checked.problem}`);
					return {host: shown(host.host, secrets), batch: 0, state: host.unreachable ? 'unreachable' : 'not-touched', modeBefore: modeOf(host), ...(problem && {message: shown(problem, secrets)}), ...(diff && {diff: redactText(diff, secrets)})};
				}),
			};
		} finally {
			await rm(workspace, {recursive: true, force: true});
		}
	},
	async restart(service, context) {
		const started = performance.now();
		const secrets = context.secretValues ?? [];
		const mode = context.mode ?? 'disabled';
		const workspace = await openWorkspace();
		const finish = (ok: boolean, detail: string, commands: RunResult[], hosts: FleetHost[]): AdapterResult => ({service: service.name, kind: 'ansible', ok, commands, durationMs: Math.round(performance.now() - started), detail: shown(detail, secrets), hosts});
		try {
			const probe = await runProbe(service, context.runner, workspace, {...context, verify: context.resume !== undefined});
			if (!probe.ok) return finish(false, `nothing changed: ${probe.detail}`, [probe.run], probe.hosts.map(host => ({host: shown(host.host, secrets), batch: 0, state: host.unreachable ? 'unreachable' : 'not-touched', modeBefore: modeOf(host), ...(host.problem && {message: shown(host.problem, secrets)})})));
			const already = context.resume ? probe.hosts.filter(host => alreadyDone(service, host, mode, context.resume!.doneHosts)).map(host => host.host) : [];
			const order = probe.hosts.map(host => host.host).filter(host => !already.includes(host));
			const skipped = probe.hosts.filter(host => already.includes(host.host)).map(host => skippedHost(host, secrets));
			if (already.length > 0) context.onLine?.(`resumed: ${plural(already.length, 'host')} already done (re-probed), ${order.length} to go`, 'stdout');
			if (order.length === 0) return finish(true, `${already.length === 1 ? 'the 1 host' : `all ${already.length} hosts`} already done (re-probed); nothing run`, [probe.run], skipped);
			const batches = splitBatches(order, service.serial);
			const budgetEnd = context.verifyDeadlineMs ?? Date.now() + DEFAULT_VERIFY_SECONDS * 1000;
			await writePatched(workspace, probe.hosts.filter(candidate => order.includes(candidate.host)), mode, {cavra_verify_deadline: Math.floor(budgetEnd / 1000)});
			await writeFile(path.join(workspace, 'apply.json'), JSON.stringify(applyPlaybook(service, {mode, timeoutMs: timeoutFor(service, context), verifySeconds: Math.max(1, Math.ceil((budgetEnd - Date.now()) / 1000))})), {mode: 0o600});
			// A resumed run continues with the hosts not done: Ansible reads them from a file (no host name on a command line).
			const limit = already.length > 0 ? ['--limit', `@${path.join(workspace, 'limit.txt')}`] : [];
			if (limit.length > 0) await writeFile(path.join(workspace, 'limit.txt'), `${order.join('\n')}\n`, {mode: 0o600});
			context.onLine?.(`${plural(order.length, 'host')} in ${plural(batches.length, 'batch', 'batches')}`, 'stdout');
			const shape = {batches, hasVerify: service.verify !== undefined, skipped: already};
			const live = followFleet(path.join(workspace, 'apply-events.ndjson'), shape, context, secrets);
			// The whole fleet's budget: each batch may take the service's restart timeout.
			const run = await context
				.runner(['ansible-playbook', '-i', service.inventory, ...limit, '-e', `@${path.join(workspace, 'vars.json')}`, path.join(workspace, 'apply.json')], {
					timeoutMs: Math.min(2 ** 31 - 1, timeoutFor(service, context) * batches.length + PROBE_TIMEOUT_MS),
					env: ansibleEnvironment(workspace, live.file),
					passEnv: passedVariables(service),
					...(context.signal && {signal: context.signal}),
				})
				.catch(async (error: unknown) => {
					// Its timers must not outlive the run, whatever happened.
					await live.stop();
					throw error;
				});
			const events = await live.stop();
			const batchOf = new Map(batches.flatMap((batch, index) => batch.map(host => [host, index + 1] as const)));
			const applied = appliedHosts(events, order, service.verify !== undefined);
			const hosts = [...skipped, ...applied.map(host => fleetHost(host, probe.hosts.find(candidate => candidate.host === host.host)!, batchOf.get(host.host) ?? 0, batches.length, mode, secrets))];
			// Without a live view (a direct call), a line per host tells the outcome.
			if (!context.onFleet) for (const host of hosts) context.onLine?.(hostLine(host, batches.length), host.state === 'done' ? 'stdout' : 'stderr');
			const failed = hosts.filter(host => host.state === 'failed' || host.state === 'unreachable');
			const untouched = hosts.filter(host => host.state === 'not-touched');
			const ok = run.ok && failed.length === 0 && untouched.length === 0;
			const resumedNote = already.length > 0 ? ` (${already.length} already done before)` : '';
			const detail = ok
				? `${hosts.length}/${plural(hosts.length, 'host')} set, restarted${service.verify ? ' and verified' : ''} in ${plural(batches.length, 'batch', 'batches')}${resumedNote}`
				: failed.length > 0
					? `${failed.map(host => `${host.host} ${host.state} at ${host.failedStep ?? 'restart'}: ${host.message ?? ''}`).join('; ')}; ${plural(untouched.length, 'host')} not touched`
					: `ansible-playbook ${run.error ?? `exit ${run.exitCode}`}: ${lastLine(run.stderrTail) ?? 'no host result'}; ${plural(untouched.length, 'host')} not touched`;
			return finish(ok, detail, [probe.run, run], hosts);
		} catch (error) {
			return finish(false, `nothing more changed: ${error instanceof Error ? error.message : String(error)}`, [], []);
		} finally {
			// The patched copies hold every host's env file: they never outlive the run.
			await rm(workspace, {recursive: true, force: true});
		}
	},
};

/** A fleet's state now, read-only (the dashboard): each host's env file mode and what its verify URL answers. Nothing changes. */
export async function probeFleet(service: AnsibleService, context: Pick<RestartContext, 'runner' | 'signal' | 'secretValues'>): Promise<{ok: boolean; detail: string; hosts: Array<{host: string; envMode: string | null; answers?: string | null; problem?: string}>}> {
	const secrets = context.secretValues ?? [];
	const workspace = await openWorkspace();
	try {
		const probe = await runProbe(service, context.runner, workspace, {...context, verify: service.verify !== undefined});
		return {
			ok: probe.ok,
			// Shown on the dashboard: escaped and redacted here like every host field (twice changes nothing).
			detail: shown(probe.detail, secrets),
			hosts: probe.hosts.map(host => ({
				host: shown(host.host, secrets),
				envMode: modeOf(host),
				...(service.verify && !host.problem && {answers: host.answersMode === undefined || host.answersMode === null ? null : shown(host.answersMode, secrets)}),
				...(host.problem && {problem: shown(host.problem, secrets)}),
			})),
		};
	} finally {
		await rm(workspace, {recursive: true, force: true});
	}
}

/**
 * Follow the apply's events while it runs: the live rows go to `onFleet`, each batch that ends to
 * `onBatch` (in order, once). `stop` reads the rest, reports the last batch and returns every event.
 */
function followFleet(file: string, shape: FleetShape, context: RestartContext, secrets: readonly string[]): {file: string; stop(): Promise<readonly AnsibleEvent[]>} {
	let reported = 0;
	let batches: Promise<void> = Promise.resolve();
	const publish = (events: readonly AnsibleEvent[], running: boolean) => {
		context.onFleet?.(shownProgress(fleetProgress(events, shape, Date.now() / 1000, running), secrets));
		for (const record of endedBatches(events, shape, running).slice(reported)) {
			reported = record.batch;
			const shownRecord = {...record, hosts: record.hosts.map(host => ({...host, host: shown(host.host, secrets)}))};
			batches = batches.then(() => context.onBatch?.(shownRecord)).catch(() => undefined);
		}
	};
	context.onFleet?.(shownProgress(fleetProgress([], shape, Date.now() / 1000, true), secrets));
	const tail = tailEvents(file, events => publish(events, true));
	// The elapsed time of running hosts moves even when no event arrives.
	const clock = setInterval(() => publish(tail.events(), true), 1000);
	return {
		file,
		async stop() {
			clearInterval(clock);
			const events = await tail.stop();
			publish(events, false);
			await batches;
			return events;
		},
	};
}

function shownProgress(progress: FleetProgress, secrets: readonly string[]): FleetProgress {
	return {
		...progress,
		rows: progress.rows.map(row => ({
			...row,
			host: shown(row.host, secrets),
			...(row.detail !== undefined && {detail: shown(row.detail, secrets)}),
			...(row.stderrTail !== undefined && {stderrTail: shownLines(row.stderrTail, secrets)}),
		})),
	};
}

/**
 * A resumed run's host that needs nothing more: its env file already sets the mode, and its
 * verify URL answers it now (or, without a verify URL, the journal recorded it done).
 */
function alreadyDone(service: AnsibleService, host: ProbedHost, mode: string, doneHosts: readonly string[]): boolean {
	if (modeOf(host) !== normaliseCavraMode(mode)) return false;
	if (service.verify) return host.answersMode === (service.verify.expectMode ?? mode);
	return doneHosts.includes(host.host);
}

function skippedHost(host: ProbedHost, secrets: readonly string[]): FleetHost {
	return {host: shown(host.host, secrets), batch: 0, state: 'done', modeBefore: modeOf(host), modeAfter: modeOf(host), ...(host.fileMode && {fileMode: host.fileMode}), message: 'already done before this resume (re-probed); not run again', durationMs: 0};
}

/**
 * The patched copy of each host's env file (our editor's bytes, what `copy` writes) and the
 * playbook variables: the run folder and each host's probed checksum (a file changed since is
 * not overwritten).
 */
async function writePatched(workspace: string, hosts: readonly ProbedHost[], mode: string, extraVars: Record<string, unknown> = {}): Promise<void> {
	const expect: Record<string, string> = {};
	for (const host of hosts) {
		await writeFile(path.join(workspace, `${sha1(host.host)}.env`), setEnvValue(host.text!, MODE_KEY, mode).text, {mode: 0o600});
		expect[host.host] = host.checksum!;
	}
	await writeFile(path.join(workspace, 'vars.json'), JSON.stringify({cavra_dir: workspace, cavra_expect: expect, ...extraVars}), {mode: 0o600});
}

/**
 * The preview through Ansible's own `--check --diff`: the apply's `copy` of the same patched
 * bytes reports each file before and after and writes nothing (no restart, no verify run). When
 * it cannot run, the preview falls back to our own diff of the probed bytes, and says so.
 */
async function runCheck(service: AnsibleService, context: RestartContext, workspace: string, hosts: readonly ProbedHost[], mode: string): Promise<{hosts: Map<string, CheckedHost>; note: string}> {
	await writePatched(workspace, hosts, mode);
	await writeFile(path.join(workspace, 'check.json'), JSON.stringify(checkPlaybook(service)), {mode: 0o600});
	const events = path.join(workspace, 'check-events.ndjson');
	const run = await context.runner(['ansible-playbook', '--check', '--diff', '-i', service.inventory, '-e', `@${path.join(workspace, 'vars.json')}`, path.join(workspace, 'check.json')], {
		timeoutMs: PROBE_TIMEOUT_MS,
		env: ansibleEnvironment(workspace, events),
		passEnv: passedVariables(service),
		...(context.signal && {signal: context.signal}),
	});
	const checked = checkedHosts(parseEvents(await readFile(events, 'utf8').catch(() => '')));
	// `copy` reports no diff for a file it would leave as is.
	const missing = hosts.filter(host => {
		const entry = checked.get(host.host);
		return !entry || entry.problem !== undefined || (entry.changed && entry.after === undefined);
	}).length;
	const note = run.ok && missing === 0 ? 'diffs from ansible-playbook --check --diff' : `ansible-playbook --check --diff ${run.ok ? `gave no diff for ${plural(missing, 'host')}` : `failed (${run.error ?? `exit ${run.exitCode}`})`}: those diffs are cavra-rollback's own, from the bytes read`;
	return {hosts: checked, note};
}

/** Read every host's env file (and, `verify`, ask its verify URL once). Not ok (and nothing will change) when a host cannot be read or none matches. */
export async function runProbe(service: AnsibleService, runner: CommandRunner, workspace: string, context: {signal?: AbortSignal; secretValues?: readonly string[]; verify?: boolean}): Promise<ProbeOutcome> {
	const events = path.join(workspace, 'probe-events.ndjson');
	await writeFile(path.join(workspace, 'probe.json'), JSON.stringify(probePlaybook(service, {verify: context.verify === true})), {mode: 0o600});
	const run = await runner(['ansible-playbook', '-i', service.inventory, path.join(workspace, 'probe.json')], {
		timeoutMs: PROBE_TIMEOUT_MS,
		env: ansibleEnvironment(workspace, events),
		passEnv: passedVariables(service),
		...(context.signal && {signal: context.signal}),
	});
	const parsed = parseEvents(await readFile(events, 'utf8').catch(() => ''));
	const hosts = probedHosts(parsed);
	const secrets = context.secretValues ?? [];
	if (run.error && hosts.length === 0) return {ok: false, detail: run.error.includes('not found') ? 'ansible-playbook is not installed (install ansible-core) or not on PATH' : run.error, hosts, run};
	if (hosts.length === 0) {
		const why = parsed.some(event => event.event === 'no-hosts') ? `no host in ${service.inventory} matches ${service.hosts}` : `ansible-playbook exit ${run.exitCode ?? run.signal}: ${lastLine(run.stderrTail) ?? 'no output'}`;
		return {ok: false, detail: shown(why, secrets), hosts, run};
	}
	const bad = hosts.filter(host => host.problem || host.text === undefined);
	if (bad.length > 0) return {ok: false, detail: shown(bad.map(host => `${host.host}: ${host.problem ?? 'the env file was not read'}`).join('; '), secrets), hosts, run};
	if (!run.ok) return {ok: false, detail: shown(`ansible-playbook exit ${run.exitCode ?? run.signal}: ${lastLine(run.stderrTail) ?? 'no output'}`, secrets), hosts, run};
	return {ok: true, detail: `${plural(hosts.length, 'host')} reachable; modes now: ${summariseModes(hosts)}`, hosts, run};
}

/** The operator's variables Ansible may see besides the runner's minimal set: the kind's (SSH agent), the service's passEnv and their own ANSIBLE_* settings (ours override those we set). Never the CAVRA API token. */
export function passedVariables(service: AnsibleService, from: NodeJS.ProcessEnv = process.env): string[] {
	return [...(passEnvFor(service).passEnv ?? []), ...Object.keys(from).filter(name => name.startsWith('ANSIBLE_'))];
}

/** Our callback and quiet, strict settings; the runner adds the minimal inherited set. */
export function ansibleEnvironment(workspace: string, eventsFile: string): Record<string, string> {
	return {
		ANSIBLE_CALLBACK_PLUGINS: path.join(workspace, 'callback_plugins'),
		ANSIBLE_STDOUT_CALLBACK: CALLBACK_NAME,
		ANSIBLE_LOAD_CALLBACK_PLUGINS: '1',
		ANSIBLE_NOCOLOR: '1',
		ANSIBLE_FORCE_COLOR: '0',
		ANSIBLE_RETRY_FILES_ENABLED: '0',
		// A broken inventory is an error, not "no hosts".
		ANSIBLE_INVENTORY_UNPARSED_FAILED: '1',
		ANSIBLE_LOCALHOST_WARNING: '0',
		ANSIBLE_DEPRECATION_WARNINGS: '0',
		CAVRA_ANSIBLE_EVENTS: eventsFile,
	};
}

function fleetHost(host: AppliedHost, probed: ProbedHost, batch: number, batches: number, mode: string, secrets: readonly string[]): FleetHost {
	const modeBefore = modeOf(probed);
	return {
		host: shown(host.host, secrets),
		batch,
		batches,
		state: host.state,
		modeBefore,
		modeAfter: host.setMode ? mode : modeBefore,
		...(probed.fileMode && {fileMode: probed.fileMode}),
		...(host.setMode && {envFileChanged: host.setMode.changed, backup: host.setMode.backup === null ? null : shown(host.setMode.backup, secrets)}),
		...(host.restart && {restart: {status: host.restart.status, exitCode: host.restart.exitCode, stderrTail: shownLines(host.restart.stderrTail, secrets), stdoutTail: shownLines(host.restart.stdoutTail, secrets)}}),
		...(host.verify && {verify: host.verify}),
		...(host.failedStep && {failedStep: host.failedStep}),
		...(host.message && {message: shown(host.message, secrets)}),
		durationMs: host.durationMs,
	};
}

/** Ansible's check-mode before/after when it gave them (none: `copy` would leave the file as is), else our own diff of the probed bytes. */
function previewDiff(service: AnsibleService, host: ProbedHost, checked: CheckedHost | undefined, mode: string): string | undefined {
	if (checked && !checked.problem && checked.before !== undefined && checked.after !== undefined) return textDiff(service, host.host, checked.before, checked.after);
	if (checked && !checked.problem && !checked.changed) return '';
	return host.text === undefined ? undefined : hostDiff(service, host.host, host.text, mode);
}

/** What the write would change on this host, as a unified diff with the mode value redacted like local env files; '' when nothing. */
function hostDiff(service: AnsibleService, host: string, text: string, mode: string): string {
	return textDiff(service, host, text, setEnvValue(text, MODE_KEY, mode).text);
}

function textDiff(service: AnsibleService, host: string, before: string, after: string): string {
	return before === after ? '' : redactEnvDiff(unifiedDiff(`${host}:${service.envFile}`, before, after));
}

function hostLine(host: FleetHost, batches: number): string {
	const elapsed = host.durationMs === null || host.durationMs === undefined ? '' : ` (${formatDuration(host.durationMs)})`;
	const why = host.state === 'done' ? `${host.modeBefore ?? '(unset)'} → ${host.modeAfter}` : `${host.failedStep ?? ''}${host.message ? `: ${host.message}` : ''}`;
	return `batch ${host.batch}/${batches} ${host.host}: ${host.state}${elapsed} ${why}`.trimEnd();
}

function modeOf(host: ProbedHost): string | null {
	if (host.text === undefined) return null;
	const value = getEnvValue(host.text, MODE_KEY);
	return value === undefined ? null : normaliseCavraMode(value);
}

function summariseModes(hosts: readonly ProbedHost[]): string {
	const counts = new Map<string, number>();
	for (const host of hosts) counts.set(modeOf(host) ?? '(unset)', (counts.get(modeOf(host) ?? '(unset)') ?? 0) + 1);
	return [...counts].map(([mode, count]) => `${count} ${mode}`).join(', ');
}

/** One line of outside text, redacted then escaped. */
function shown(text: string, secrets: readonly string[]): string {
	return visible(redactText(text, secrets));
}

function shownLines(text: string, secrets: readonly string[]): string {
	return text.split('\n').map(line => shown(line, secrets)).join('\n');
}

function lastLine(text: string): string | undefined {
	return text.split('\n').map(line => line.trim()).filter(Boolean).at(-1);
}

function sha1(text: string): string {
	return createHash('sha1').update(text).digest('hex');
}
