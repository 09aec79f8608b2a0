/**
 * The one HTTP client: GET a JSON document with a per-request timeout, and tell the caller
 * exactly what happened as data. It never throws, never follows redirects (a redirect could
 * carry the bearer token to another host), and never puts the token in anything it returns:
 * an answer that echoes the Authorization header (or holds any secret the linter's engine
 * flags) comes back redacted, body and text, so no caller can store or print it.
 */

import type {ProbeResult} from '../core/dashboard/probe.js';
import {redactJson, redactText} from '../core/evidence/redact.js';

export type HttpResult = ProbeResult;
export type HttpResultKind = ProbeResult['kind'];
export {describeProbe as describeHttpResult} from '../core/dashboard/probe.js';

export interface GetJsonOptions {
	timeoutMs: number;
	/** Sent as `Authorization: Bearer …`. The caller decides whether this URL may receive it. */
	token?: string | undefined;
	allowInsecureHttp?: boolean;
	/** Aborts the request early (e.g. the dashboard quit); reported as unreachable. */
	signal?: AbortSignal;
	/** Bodies larger than this are malformed, not buffered forever. */
	maxBytes?: number;
	fetch?: typeof globalThis.fetch;
	now?: () => number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const PREVIEW_CHARS = 200;

/** Hosts that plain http:// may reach without `allowInsecureHttp`. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
	if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
	return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why a URL may not be fetched, or undefined when it may. */
export function urlRefusal(url: string, allowInsecureHttp = false): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'not a valid URL';
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${parsed.protocol} URLs are not supported (http or https only)`;
	if (parsed.username || parsed.password) return 'credentials in the URL are refused; use api.tokenEnv';
	if (parsed.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(parsed.hostname)) {
		return `plain http:// to ${parsed.hostname} is refused (the token would travel unencrypted); use https://, or set api.allowInsecureHttp: true`;
	}
	return undefined;
}

/** True when two URLs share scheme, host and port: the only URLs that may receive the API token. */
export function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

/** The token from the variable named by `api.tokenEnv`, if any. Empty counts as absent. */
export function tokenFromEnv(env: NodeJS.ProcessEnv, tokenEnv: string | undefined): string | undefined {
	if (!tokenEnv) return undefined;
	const value = env[tokenEnv];
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export async function getJson(url: string, options: GetJsonOptions): Promise<HttpResult> {
	const now = options.now ?? (() => performance.now());
	const started = now();
	const elapsed = () => Math.round(now() - started);
	const known = options.token ? [options.token] : [];
	const scrub = (text: string) => redactText(text, known);

	const refusal = urlRefusal(url, options.allowInsecureHttp);
	if (refusal) return {kind: 'refused', message: refusal, elapsedMs: 0};

	const timeout = AbortSignal.timeout(options.timeoutMs);
	const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
	const headers: Record<string, string> = {accept: 'application/json'};
	if (options.token) headers['authorization'] = `Bearer ${options.token}`;
	const doFetch = options.fetch ?? globalThis.fetch;

	let response: Response;
	try {
		response = await doFetch(url, {method: 'GET', headers, signal, redirect: 'manual'});
	} catch (error) {
		if (timeout.aborted) return {kind: 'timeout', timeoutMs: options.timeoutMs, elapsedMs: elapsed()};
		return {kind: 'unreachable', message: scrub(describeNetworkError(error)), elapsedMs: elapsed()};
	}

	let text: string;
	let tooLarge = false;
	try {
		const read = await readCapped(response, options.maxBytes ?? DEFAULT_MAX_BYTES);
		text = read.text;
		tooLarge = read.truncated;
	} catch (error) {
		if (timeout.aborted) return {kind: 'timeout', timeoutMs: options.timeoutMs, elapsedMs: elapsed()};
		return {kind: 'unreachable', message: scrub(`connection lost while reading the answer (${describeNetworkError(error)})`), elapsedMs: elapsed()};
	}

	// Redacted before it is cut: a token straddling the cut would leave its first half behind.
	const bodyPreview = preview(scrub(text));
	if (response.status < 200 || response.status > 299) {
		return {kind: 'http-error', status: response.status, statusText: scrub(response.statusText || statusWord(response.status)), bodyPreview, elapsedMs: elapsed()};
	}
	if (tooLarge) {
		return {kind: 'malformed', status: response.status, message: `answer larger than ${options.maxBytes ?? DEFAULT_MAX_BYTES} bytes`, bodyPreview, elapsedMs: elapsed()};
	}
	try {
		const body = JSON.parse(text) as unknown;
		return {kind: 'ok', status: response.status, body: redactJson(body, known), text: scrub(text), elapsedMs: elapsed()};
	} catch (error) {
		const message = text.trim() === '' ? 'empty body' : `not JSON (${error instanceof Error ? error.message : String(error)})`;
		return {kind: 'malformed', status: response.status, message: scrub(message), bodyPreview, elapsedMs: elapsed()};
	}
}

async function readCapped(response: Response, maxBytes: number): Promise<{text: string; truncated: boolean}> {
	if (!response.body) return {text: '', truncated: false};
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const {done, value} = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel().catch(() => undefined);
			return {text: Buffer.concat(chunks).toString('utf8'), truncated: true};
		}
		chunks.push(value);
	}
	return {text: Buffer.concat(chunks).toString('utf8'), truncated: false};
}

function describeNetworkError(error: unknown): string {
	const cause = (error as {cause?: unknown} | undefined)?.cause;
	const source = (cause ?? error) as {code?: unknown; message?: unknown; name?: unknown} | undefined;
	const code = typeof source?.code === 'string' ? source.code : undefined;
	switch (code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host name not found';
		case 'ECONNRESET':
		case 'UND_ERR_SOCKET':
			return 'connection reset';
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'UND_ERR_CONNECT_TIMEOUT':
			return 'connect timed out';
		case 'CERT_HAS_EXPIRED':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return `TLS certificate rejected (${code})`;
		default:
			break;
	}
	if (source?.name === 'AbortError') return 'request cancelled';
	const message = typeof source?.message === 'string' ? source.message : String(error);
	return code ? `${code}: ${message}` : message;
}

function preview(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > PREVIEW_CHARS ? `${oneLine.slice(0, PREVIEW_CHARS)}…` : oneLine;
}

function statusWord(status: number): string {
	if (status >= 300 && status < 400) return 'redirect (not followed)';
	return status >= 500 ? 'server error' : 'client error';
}
