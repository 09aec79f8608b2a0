/**
 * Reading what our callback plugin wrote (one JSON object a line) into per-host facts. Every
 * string from Ansible or a host is outside text: it is shown through `visible()` and redacted by
 * the caller before it reaches a screen or evidence. Pure.
 */
import {editRefusal} from '../env-file/edit-safety.js';
import {TASK} from './playbook.js';

export interface AnsibleEvent {
	event: 'play' | 'result' | 'no-hosts';
	t?: number;
	status?: 'ok' | 'failed' | 'unreachable' | 'skipped';
	host?: string;
	task?: string;
	result?: Record<string, unknown>;
}

/** Lines that are not JSON objects (a torn last line after a kill) are ignored. */
export function parseEvents(text: string): AnsibleEvent[] {
	const events: AnsibleEvent[] = [];
	for (const line of text.split('\n')) {
		if (!line.trim()) continue;
		try {
			const value = JSON.parse(line) as unknown;
			if (value && typeof value === 'object' && !Array.isArray(value)) events.push(value as AnsibleEvent);
		} catch {
			// torn line
		}
	}
	return events;
}

const MODE_KEY = 'CAVRA_GO_BACKEND_MODE';

export interface ProbedHost {
	host: string;
	/** The env file's bytes as text, when it could be read. */
	text?: string;
	checksum?: string;
	/** Octal permission bits and owner, as Ansible reported them (kept by the write). */
	fileMode?: string;
	uid?: number;
	/** The mode its verify URL answered (the probe of a resumed run), null when it gave none. */
	answersMode?: string | null;
	/** Why the host cannot be rolled back (unreachable, file missing or unreadable). */
	problem?: string;
	unreachable?: boolean;
}

/** The probe's result for each host it reached (or failed to), in play (inventory) order. */
export function probedHosts(events: readonly AnsibleEvent[]): ProbedHost[] {
	const hosts = new Map<string, ProbedHost>();
	const order = events.find(event => event.task === TASK.order && Array.isArray(event.result?.['msg']))?.result?.['msg'] as unknown[] | undefined;
	for (const host of order ?? []) if (typeof host === 'string') hosts.set(host, {host});
	for (const event of events) {
		if (event.event !== 'result' || !event.host || event.task === TASK.order) continue;
		const entry = hosts.get(event.host) ?? {host: event.host};
		hosts.set(event.host, entry);
		const result = event.result ?? {};
		if (event.task === TASK.probeVerify) {
			entry.answersMode = modeIn(result);
			continue;
		}
		if (event.status === 'unreachable') {
			entry.unreachable = true;
			entry.problem = `unreachable: ${messageOf(result)}`;
		} else if (event.status === 'failed') {
			entry.problem ??= `${event.task === TASK.slurp ? 'cannot read the env file' : 'cannot stat the env file'}: ${messageOf(result)}`;
		} else if (event.task === TASK.stat) {
			const stat = (result['stat'] ?? {}) as Record<string, unknown>;
			if (stat['exists'] !== true) entry.problem = 'the env file does not exist on this host';
			else if (stat['isreg'] !== true) entry.problem = 'the env file is not a regular file on this host';
			if (typeof stat['checksum'] === 'string') entry.checksum = stat['checksum'];
			if (typeof stat['mode'] === 'string') entry.fileMode = stat['mode'];
			if (typeof stat['uid'] === 'number') entry.uid = stat['uid'];
		} else if (event.task === TASK.slurp && typeof result['content'] === 'string') {
			const bytes = Buffer.from(result['content'], 'base64');
			const text = bytes.toString('utf8');
			const refusal = editRefusal(text, MODE_KEY);
			if (!Buffer.from(text, 'utf8').equals(bytes)) entry.problem = 'the env file is not UTF-8 text; it is left alone';
			else if (refusal) entry.problem = `the env file cannot be edited safely: line ${refusal.line} ${refusal.reason}`;
			else entry.text = text;
		}
	}
	return [...hosts.values()];
}

/** What `copy` in check mode said it would write, per host: the file's text before and after (Ansible's --diff), or why not. */
export interface CheckedHost {
	before?: string;
	after?: string;
	changed: boolean;
	problem?: string;
}

export function checkedHosts(events: readonly AnsibleEvent[]): Map<string, CheckedHost> {
	const hosts = new Map<string, CheckedHost>();
	for (const event of events) {
		if (event.event !== 'result' || !event.host) continue;
		const result = event.result ?? {};
		if (event.status === 'failed' || event.status === 'unreachable') {
			hosts.set(event.host, {changed: false, problem: `${STEP_OF[event.task ?? ''] ?? 'check'}: ${messageOf(result)}`});
		} else if (event.task === TASK.setMode) {
			const diff = (Array.isArray(result['diff']) ? result['diff'][0] : result['diff']) as Record<string, unknown> | undefined;
			const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
			const before = text(diff?.['before']);
			const after = text(diff?.['after']);
			hosts.set(event.host, {changed: result['changed'] === true, ...(before !== undefined && {before}), ...(after !== undefined && {after})});
		}
	}
	return hosts;
}

export type HostState = 'done' | 'failed' | 'unreachable' | 'not-touched';

export interface AppliedHost {
	host: string;
	/** 1-based batch (serial) the host ran in; 0 when it never ran. */
	batch: number;
	state: HostState;
	/** The task that failed, in our words, and Ansible's message. */
	failedStep?: 'env file changed' | 'set mode' | 'restart' | 'verify' | 'connection';
	message?: string;
	setMode?: {changed: boolean; backup: string | null};
	restart?: {status: string; exitCode: number | null; stderrTail: string; stdoutTail: string};
	verify?: {status: string; attempts: number | null; mode: string | null};
	durationMs: number | null;
}

const STEP_OF: Record<string, AppliedHost['failedStep']> = {
	[TASK.unchanged]: 'env file changed',
	[`${TASK.unchanged} (stat)`]: 'env file changed',
	[TASK.setMode]: 'set mode',
	[TASK.restart]: 'restart',
	[TASK.verify]: 'verify',
};

/** What the events say so far: each host that has a result, and when each batch (play) started (epoch seconds). */
export interface HostResults {
	byHost: Map<string, AppliedHost>;
	batchStarts: number[];
}

export function collectHostResults(events: readonly AnsibleEvent[]): HostResults {
	const byHost = new Map<string, AppliedHost>();
	const firstSeen = new Map<string, number>();
	const batchStarts: number[] = [];
	for (const event of events) {
		if (event.event === 'play') {
			batchStarts.push(event.t ?? Number.NaN);
			continue;
		}
		if (event.event !== 'result' || !event.host) continue;
		const batchStart = batchStarts.at(-1);
		const entry = byHost.get(event.host) ?? {host: event.host, batch: batchStarts.length, state: 'done' as HostState, durationMs: null};
		byHost.set(event.host, entry);
		if (!firstSeen.has(event.host) && batchStart !== undefined && Number.isFinite(batchStart)) firstSeen.set(event.host, batchStart);
		const start = firstSeen.get(event.host);
		if (start !== undefined && event.t !== undefined) entry.durationMs = Math.max(0, Math.round((event.t - start) * 1000));
		const result = event.result ?? {};
		if (event.status === 'unreachable') {
			entry.state = 'unreachable';
			entry.failedStep = 'connection';
			entry.message = messageOf(result);
			continue;
		}
		if (event.task === TASK.setMode && event.status === 'ok') entry.setMode = {changed: result['changed'] === true, backup: typeof result['backup_file'] === 'string' ? result['backup_file'] : null};
		if (event.task === TASK.restart) {
			entry.restart = {status: event.status ?? 'ok', exitCode: typeof result['rc'] === 'number' ? result['rc'] : null, stderrTail: tail(result['stderr']), stdoutTail: tail(result['stdout'])};
		}
		if (event.task === TASK.verify) {
			entry.verify = {status: event.status ?? 'ok', attempts: typeof result['attempts'] === 'number' ? result['attempts'] : null, mode: modeIn(result)};
		}
		if (event.status === 'failed') {
			entry.state = 'failed';
			entry.failedStep = STEP_OF[event.task ?? ''] ?? 'set mode';
			entry.message = event.task === TASK.verify && entry.verify ? `not back in the expected mode before the recovery budget ran out (${entry.verify.attempts ?? '?'} tries, last answer ${entry.verify.mode ? `mode ${entry.verify.mode}` : messageOf(result)})` : messageOf(result);
		}
	}
	return {byHost, batchStarts};
}

/** Every task of the host ran (restart, and verify when configured) or one failed. */
export function hostFinished(entry: AppliedHost, hasVerify: boolean): boolean {
	return entry.state !== 'done' || (entry.restart !== undefined && (!hasVerify || entry.verify !== undefined));
}

/** Per host: the batch it ran in, how far it got, and why it stopped. Hosts with no event were not touched. */
export function appliedHosts(events: readonly AnsibleEvent[], hostOrder: readonly string[], hasVerify: boolean): AppliedHost[] {
	const {byHost} = collectHostResults(events);
	return hostOrder.map(host => {
		const entry = byHost.get(host);
		if (!entry) return {host, batch: 0, state: 'not-touched', durationMs: null};
		// A host that finished every task but verify never ran (the play stopped) is not done.
		if (!hostFinished(entry, hasVerify)) return {...entry, state: 'failed', failedStep: entry.failedStep ?? 'restart', message: entry.message ?? 'stopped before it finished (another host of its batch failed)'};
		return entry;
	});
}

/** The `mode` of a verify answer, as CAVRA compares it. */
function modeIn(result: Record<string, unknown>): string | null {
	const json = result['json'] as Record<string, unknown> | undefined;
	return typeof json?.['mode'] === 'string' ? json['mode'].trim().toLowerCase().slice(0, 24) : null;
}

function messageOf(result: Record<string, unknown>): string {
	const msg = typeof result['msg'] === 'string' ? result['msg'] : '';
	const stderr = tail(result['stderr']).split('\n').filter(Boolean).at(-1) ?? '';
	return [msg, stderr].filter(Boolean).join(': ').slice(0, 400) || 'no message';
}

/** The last 20 lines of a stream. */
function tail(value: unknown): string {
	return typeof value === 'string' ? value.split('\n').slice(-20).join('\n') : '';
}
