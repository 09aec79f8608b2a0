/**
 * The real effects: env files on disk, the service adapters and their process runner, HTTP,
 * CAVRA's readiness from the files, the evidence folder and the rehearsal writer. The rollback's
 * composition root.
 */
import {createHash, randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {describeService, planService, preflightService, restartService} from '../../adapters/index.js';
import type {CavraConfig} from '../../core/config/schema.js';
import {runSecretValues} from '../../core/evidence/redact.js';
import {rollbackReadinessReport, settingsFromEnvironment, toPlainJson, type ReadinessSettings} from '../../core/readiness/index.js';
import {planRestartBatches} from '../../core/rollback/restart-plan.js';
import {redactArgv, redactEnvDiff, TARGET_MODE, type EnvFileChange} from '../../core/rollback/preview.js';
import {previewModeChange, readEnvMode, setModeInEnvFile, type SetModeAction} from '../env-files.js';
import {sameOrigin, withUnreachableHint} from '../http-client.js';
import {runCommand, type CommandRunner} from '../process-runner.js';
import {readReadinessFiles} from '../readiness-files.js';
import {createRehearsalWriter} from '../rehearsal-writer.js';
import {abortableSleep, defaultGet, type HttpGet} from '../verify-poller.js';
import {describeError} from './describe-error.js';
import type {RollbackEffects} from './effects.js';
import {createEvidenceEffects} from './evidence-effects.js';

export interface DefaultEffectsOptions {
	config: CavraConfig;
	/** The process environment: restart commands inherit only PATH, HOME, locale, TZ and their passEnv from it; its secrets (and the API token under api.tokenEnv, whatever its name) are redacted from everything the run keeps or shows. */
	env: NodeJS.ProcessEnv;
	evidenceDir: string;
	/** How a run busy in this evidence folder is continued, for the lock's hint (carries this invocation's --config). */
	resumeCommand?: (runId: string) => string;
	/** Test seam: the command runner every adapter uses. */
	runner?: CommandRunner;
	/** Test seam: the HTTP GET of verify and the API. */
	http?: HttpGet;
	now?: () => number;
}

function envChange(result: {action: SetModeAction; diff: string; before: string | null}, path: string, reading: {value?: string; mode: string}): EnvFileChange {
	const action = ({replaced: 'replace', added: 'append', unchanged: 'unchanged', created: 'create'} as const)[result.action];
	return {path, modeBefore: reading.value === undefined ? null : reading.mode, action, diff: redactEnvDiff(result.diff)};
}

export function createDefaultEffects(options: DefaultEffectsOptions): RollbackEffects {
	const {config} = options;
	const now = options.now ?? Date.now;
	const secretValues = runSecretValues({env: options.env, tokenEnv: config.api?.tokenEnv});
	const baseRunner = options.runner ?? runCommand;
	// Commands inherit only INHERITED_ENV and their passEnv, taken from the run's environment.
	const runner: CommandRunner = (argv, runOptions) => baseRunner(argv, {parentEnv: options.env, ...runOptions, secretValues: [...(runOptions.secretValues ?? []), ...secretValues]});
	return {
		clock: {now, sleep: abortableSleep},
		randomHex: () => randomBytes(3).toString('hex'),
		envFiles: {
			async preview(path) {
				try {
					const [reading, change] = await Promise.all([readEnvMode(path), previewModeChange(path, TARGET_MODE)]);
					return envChange(change, path, reading);
				} catch (error) {
					return {path, modeBefore: null, action: 'unchanged', diff: '', error: describeError(error).replace(`${path}: `, '')};
				}
			},
			async readMode(path) {
				const reading = await readEnvMode(path);
				return reading.value === undefined ? null : reading.mode;
			},
			async setDisabled(path) {
				const result = await setModeInEnvFile(path, TARGET_MODE, {backup: true});
				const action = ({replaced: 'replace', added: 'append', unchanged: 'unchanged', created: 'create'} as const)[result.action];
				return {action, backupPath: result.backupPath ?? null};
			},
		},
		services: {
			describe: service => describeService(service),
			plan: service =>
				planService(service, {mode: TARGET_MODE}).map(command => ({
					argv: redactArgv(command.argv, secretValues),
					timeoutMs: command.timeoutMs,
					...(command.env && {env: command.env}),
					...(command.note && {note: command.note}),
				})),
			batches: services => planRestartBatches(services).map(batch => batch.services),
			async restart(service, context) {
				const result = await restartService(service, {
					runner,
					mode: TARGET_MODE,
					signal: context.signal,
					...(context.timeoutMs !== undefined && {timeoutMs: context.timeoutMs}),
					onLine: line => context.onOutput([line]),
					secretValues,
					...(context.onFleet && {onFleet: context.onFleet}),
					...(context.onBatch && {onBatch: context.onBatch}),
					...(context.resume && {resume: context.resume}),
					...(context.verifyDeadlineMs !== undefined && {verifyDeadlineMs: context.verifyDeadlineMs}),
				});
				const last = result.commands.at(-1);
				return {
					ok: result.ok,
					detail: result.detail,
					exitCode: last?.exitCode ?? null,
					signal: last?.signal ?? null,
					timedOut: result.commands.some(command => command.timedOut),
					durationMs: result.durationMs,
					aborted: result.commands.some(command => command.cancelled),
					stdoutTail: result.commands.map(command => command.stdoutTail).filter(Boolean).join('\n'),
					stderrTail: result.commands.map(command => command.stderrTail).filter(Boolean).join('\n'),
					...(result.hosts && {hosts: result.hosts}),
				};
			},
			preflight: (service, context) => preflightService(service, {runner, signal: context.signal, secretValues}) ?? Promise.resolve(undefined),
		},
		http: options.http ?? (async (url, request) => withUnreachableHint(await defaultGet(url, {...request, ...(config.api?.allowInsecureHttp && config.api.url && sameOrigin(url, config.api.url) && {allowInsecureHttp: true})}), url, config.api)),
		readiness: {
			async cavraRollbackReport(input) {
				const settings: ReadinessSettings = {
					...settingsFromEnvironment({}, new Date(now())),
					mode: input.mode,
					rollbackPlanPath: input.planPath ?? '',
				};
				const report = rollbackReadinessReport(settings, await readReadinessFiles(settings));
				return {report: toPlainJson(report), summary: report.rollback};
			},
			async planSha256(path) {
				try {
					return createHash('sha256').update(await readFile(path)).digest('hex');
				} catch {
					return null;
				}
			},
		},
		evidence: createEvidenceEffects(options.evidenceDir, now, secretValues, options.resumeCommand),
		rehearsal: createRehearsalWriter(),
	};
}
