/**
 * How a restarted service is verified: what counts as "reports mode disabled", and the backoff
 * schedule of the polls, bounded by the recovery budget. Pure: `io/verify-poller.ts` does the I/O.
 */
import type {ProbeResult} from '../dashboard/probe.js';
import {normaliseMode as normaliseCavraMode} from '../readiness/settings.js';

export interface BackoffPolicy {
	/** First wait after a poll that did not yet succeed. */
	initialMs: number;
	factor: number;
	/** Longest wait between two polls. */
	maxMs: number;
	/** Per-request timeout when the service config sets none. */
	requestTimeoutMs: number;
	/** Hard cap on polls, so even a zero-cost failing probe cannot spin. */
	maxAttempts: number;
}

export const defaultBackoff: BackoffPolicy = {initialMs: 250, factor: 2, maxMs: 4000, requestTimeoutMs: 3000, maxAttempts: 10_000};

/** The wait after the `attempt`-th failed poll (1-based): initial × factor^(attempt-1), capped. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = defaultBackoff): number {
	const exponent = Math.max(0, attempt - 1);
	const delay = policy.initialMs * policy.factor ** exponent;
	return Math.min(policy.maxMs, Number.isFinite(delay) ? delay : policy.maxMs);
}

/**
 * The next wait, never past the deadline: undefined when no poll fits before it any more
 * (the verify step then fails instead of hanging).
 */
export function nextPollDelay(attempt: number, remainingMs: number, policy: BackoffPolicy = defaultBackoff): number | undefined {
	if (attempt >= policy.maxAttempts || remainingMs <= 0) return undefined;
	return Math.min(backoffDelay(attempt, policy), remainingMs);
}

/** A request's timeout: the configured one, never past the deadline, at least 1 ms. */
export function requestTimeout(configuredMs: number | undefined, remainingMs: number, policy: BackoffPolicy = defaultBackoff): number {
	return Math.max(1, Math.min(configuredMs ?? policy.requestTimeoutMs, Math.max(1, remainingMs)));
}

/** CAVRA's mode normalisation (contract §1): trim, lower-case; empty or unknown → disabled. */
export function normaliseMode(value: unknown): string {
	return normaliseCavraMode(typeof value === 'string' ? value : '');
}

export type VerifyVerdict =
	/** The service answered with the expected mode. */
	| {kind: 'verified'; mode: string; message: string}
	/** It answered, with another mode: the old process (or the old env) is still serving. */
	| {kind: 'wrong-mode'; mode: string; message: string}
	/** It answered, but not with a readiness document that has a `mode`. */
	| {kind: 'malformed'; message: string}
	/** Nothing answered yet (restarting): connection refused, timeout, HTTP error. */
	| {kind: 'not-answering'; message: string};

/**
 * Judge one poll. The endpoint is CAVRA's `/runtime/go-pilot/rollback-readiness` (or one with the
 * same `mode` key): its `mode` is the mode the running process sees. The raw value is compared
 * exactly (after trim/lower-case) so a typo is not silently read as "disabled".
 */
export function judgeVerifyAnswer(result: ProbeResult, expectMode: string): VerifyVerdict {
	switch (result.kind) {
		case 'ok': {
			const body = result.body;
			if (typeof body !== 'object' || body === null || Array.isArray(body) || !('mode' in body)) {
				return {kind: 'malformed', message: `HTTP ${result.status}, but the answer has no "mode" key`};
			}
			const raw = (body as {mode: unknown}).mode;
			if (typeof raw !== 'string') return {kind: 'malformed', message: `HTTP ${result.status}, but "mode" is not a string`};
			const mode = raw.trim().toLowerCase();
			if (mode === expectMode) return {kind: 'verified', mode, message: `answers mode: ${mode}`};
			return {kind: 'wrong-mode', mode: safeWord(mode), message: `still answers mode: ${safeWord(mode)} (expected ${expectMode})`};
		}
		case 'unreachable':
			return {kind: 'not-answering', message: `not answering: ${result.message}`};
		case 'timeout':
			return {kind: 'not-answering', message: `no answer within ${result.timeoutMs} ms`};
		case 'http-error':
			return {kind: 'not-answering', message: `HTTP ${result.status} ${result.statusText}`};
		case 'malformed':
			return {kind: 'malformed', message: `malformed answer: ${result.message}`};
		case 'refused':
			return {kind: 'not-answering', message: `refused: ${result.message}`};
	}
}

/** A mode word from a remote answer, shortened so nothing arbitrary lands in evidence. */
function safeWord(value: string): string {
	const cleaned = value.replace(/[^a-z0-9_.-]/g, '?');
	return cleaned.length > 24 ? `${cleaned.slice(0, 24)}…` : cleaned;
}
