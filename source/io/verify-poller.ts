/**
 * Poll a restarted service's `verify.url` until it answers with the expected mode, with backoff,
 * never past the deadline (the recovery budget). A service that does not come back ends the
 * poll with `verified: false`; it never hangs. Clock, sleep and HTTP are injectable.
 */
import type {ProbeResult} from '../core/dashboard/probe.js';
import {defaultBackoff, judgeVerifyAnswer, nextPollDelay, requestTimeout, type BackoffPolicy, type VerifyVerdict} from '../core/rollback/verify-policy.js';
import {getJson} from './http-client.js';

export type HttpGet = (url: string, options: {timeoutMs: number; token?: string; allowInsecureHttp?: boolean; signal?: AbortSignal}) => Promise<ProbeResult>;

export interface PollOptions {
	url: string;
	expectMode: string;
	/** Epoch ms after which no new poll starts. */
	deadlineMs: number;
	/** The service's `verify.timeoutMs` (per request). */
	requestTimeoutMs?: number;
	token?: string;
	allowInsecureHttp?: boolean;
	/** Stops the poll early (Ctrl-C); the result then says `aborted`. */
	signal?: AbortSignal;
	policy?: BackoffPolicy;
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	get?: HttpGet;
	onAttempt?: (attempt: number, verdict: VerifyVerdict) => void;
}

export interface PollOutcome {
	verified: boolean;
	/** Why the poll ended. */
	reason: 'verified' | 'deadline' | 'aborted' | 'max-attempts';
	attempts: number;
	/** The last answer's verdict (what the service said, or why nothing answered). */
	last: VerifyVerdict | undefined;
	elapsedMs: number;
	/** The mode the service last reported, when it answered with one. */
	mode: string | undefined;
}

export const defaultGet: HttpGet = (url, options) =>
	getJson(url, {timeoutMs: options.timeoutMs, token: options.token, allowInsecureHttp: options.allowInsecureHttp, signal: options.signal});

/** A sleep that wakes early when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, {once: true});
	});
}

export async function pollUntilMode(options: PollOptions): Promise<PollOutcome> {
	const now = options.now ?? Date.now;
	const sleep = options.sleep ?? abortableSleep;
	const get = options.get ?? defaultGet;
	const policy = options.policy ?? defaultBackoff;
	const started = now();
	let attempts = 0;
	let last: VerifyVerdict | undefined;
	let mode: string | undefined;
	const finish = (reason: PollOutcome['reason']): PollOutcome => ({verified: reason === 'verified', reason, attempts, last, elapsedMs: now() - started, mode});

	for (;;) {
		if (options.signal?.aborted) return finish('aborted');
		const remaining = options.deadlineMs - now();
		// Always one poll, even when the restart ate the whole budget: "late" is better than "unknown".
		if (remaining <= 0 && attempts > 0) return finish('deadline');
		attempts++;
		const timeoutMs = remaining > 0 ? requestTimeout(options.requestTimeoutMs, remaining, policy) : options.requestTimeoutMs ?? policy.requestTimeoutMs;
		const result = await get(options.url, {timeoutMs, token: options.token, allowInsecureHttp: options.allowInsecureHttp, signal: options.signal});
		last = judgeVerifyAnswer(result, options.expectMode);
		if (last.kind === 'verified' || last.kind === 'wrong-mode') mode = last.mode;
		options.onAttempt?.(attempts, last);
		if (last.kind === 'verified') return finish('verified');
		if (options.signal?.aborted) return finish('aborted');
		const delay = nextPollDelay(attempts, options.deadlineMs - now(), policy);
		if (delay === undefined) return finish(attempts >= policy.maxAttempts ? 'max-attempts' : 'deadline');
		await sleep(delay, options.signal);
	}
}

/** One probe with a short timeout: what the service reports right now (preflight, resume). */
export async function probeModeOnce(options: {url: string; expectMode: string; timeoutMs: number; token?: string; allowInsecureHttp?: boolean; signal?: AbortSignal; get?: HttpGet}): Promise<VerifyVerdict> {
	const get = options.get ?? defaultGet;
	const result = await get(options.url, {timeoutMs: options.timeoutMs, token: options.token, allowInsecureHttp: options.allowInsecureHttp, signal: options.signal});
	return judgeVerifyAnswer(result, options.expectMode);
}
