/**
 * The one HTTP client: GET a JSON document with a per-request timeout, and tell the caller
 * exactly what happened as data. It never throws, never follows redirects (a redirect could
 * carry the bearer token to another host), and never puts the token in anything it returns:
 * an answer that echoes the Authorization header (or holds any secret the linter's engine
 * flags) comes back redacted, body and text, so no caller can store or print it.
 *
 * Plain http:// goes only to a loopback ADDRESS (the token would travel unencrypted): a name such
 * as `api.localhost` is resolved here, every address it resolves to must be loopback, and the
 * connection is pinned to the address that was checked (no second DNS answer can move it), then
 * checked once more on the socket before the request, and its token, is written.
 */

import {lookup as dnsLookup} from 'node:dns/promises';
import {request as httpRequest, type IncomingMessage} from 'node:http';
import {request as httpsRequest} from 'node:https';
import {isIP, type LookupFunction, type Socket} from 'node:net';
import type {ProbeResult} from '../core/dashboard/probe.js';
import {redactJson, redactText} from '../core/evidence/redact.js';
import {visible} from '../core/text/sanitize.js';

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
	/** Host name to addresses; default dns.lookup (tests inject one). Never called for an IP literal. */
	resolve?: ResolveHost;
	now?: () => number;
}

export type ResolveHost = (hostname: string) => Promise<Array<{address: string; family: number}>>;

const systemResolve: ResolveHost = hostname => dnsLookup(hostname, {all: true, verbatim: true});

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const PREVIEW_CHARS = 200;

/** A loopback IP address (127.0.0.0/8, ::1, or 127.x as an IPv4-mapped IPv6 address). */
export function isLoopbackAddress(address: string): boolean {
	const host = address.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
	if (/^(?::|0:0:0:0:0):ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
	return isIP(host) === 4 && host.startsWith('127.');
}

/**
 * Hosts that plain http:// may be addressed to without `allowInsecureHttp`: a loopback address, or
 * `localhost` / `*.localhost`, which must then also RESOLVE to loopback only (checked in getJson).
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	return isLoopbackAddress(host);
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
	if (parsed.hash || url.includes('#')) return 'a #fragment in the URL is refused (it is never sent; the URL is probably not what was meant)';
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

/**
 * `api.unreachableHint` after a connection failure of api.url's origin (the API and the verify
 * URLs it serves), e.g. how to start it; any other result, or another origin, as it was.
 */
export function withUnreachableHint(result: ProbeResult, url: string, api: {url: string; unreachableHint?: string | undefined} | undefined): ProbeResult {
	if (result.kind !== 'unreachable' || !api?.unreachableHint || !sameOrigin(url, api.url)) return result;
	// First: a narrow screen cuts the end of a line, and the hint is what the user acts on.
	return {...result, message: `${api.unreachableHint}; ${result.message}`};
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

	let response: IncomingMessage;
	try {
		const target = await vettedAddress(new URL(url), options.allowInsecureHttp ?? false, options.resolve ?? systemResolve, signal);
		if (typeof target === 'string') return {kind: 'refused', message: target, elapsedMs: elapsed()};
		response = await send(new URL(url), target, headers, signal);
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

	const status = response.statusCode ?? 0;
	// Redacted before it is cut: a token straddling the cut would leave its first half behind.
	const bodyPreview = preview(scrub(text));
	if (status < 200 || status > 299) {
		return {kind: 'http-error', status, statusText: scrub(response.statusMessage || statusWord(status)), bodyPreview, elapsedMs: elapsed()};
	}
	if (tooLarge) {
		return {kind: 'malformed', status, message: `answer larger than ${options.maxBytes ?? DEFAULT_MAX_BYTES} bytes`, bodyPreview, elapsedMs: elapsed()};
	}
	try {
		const body = JSON.parse(text) as unknown;
		return {kind: 'ok', status, body: redactJson(body, known), text: scrub(text), elapsedMs: elapsed()};
	} catch (error) {
		const message = text.trim() === '' ? 'empty body' : `not JSON (${error instanceof Error ? error.message : String(error)})`;
		return {kind: 'malformed', status, message: scrub(message), bodyPreview, elapsedMs: elapsed()};
	}
}

interface Target {
	address: string;
	family: number;
}

/**
 * The one address this request may connect to, or why none may: for plain http without
 * allowInsecureHttp, every address the name resolves to must be loopback (`evil.localhost` pointing
 * at 10.0.0.5 is refused, not trusted for its name).
 */
async function vettedAddress(url: URL, allowInsecureHttp: boolean, resolve: ResolveHost, signal: AbortSignal): Promise<Target | string> {
	const host = url.hostname.replace(/^\[|\]$/g, '');
	const family = isIP(host);
	const addresses = family ? [{address: host, family}] : await abortable(resolve(host), signal);
	const first = addresses[0];
	if (!first) throw Object.assign(new Error('host name not found'), {code: 'ENOTFOUND'});
	if (url.protocol === 'http:' && !allowInsecureHttp) {
		const outside = addresses.find(candidate => !isLoopbackAddress(candidate.address));
		if (outside) {
			return `plain http:// to ${visible(host)} is refused: it resolves to ${visible(outside.address)}, which is not a loopback address (the token would leave this machine unencrypted); use https://, or set api.allowInsecureHttp: true`;
		}
	}
	return {address: first.address, family: first.family === 6 ? 6 : 4};
}

/** GET over a fresh connection pinned to `target`; the socket's peer is checked before anything is written. */
function send(url: URL, target: Target, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
	const pinned: LookupFunction = (_hostname, options, callback) => {
		if ((options as {all?: boolean}).all) (callback as (error: null, addresses: Target[]) => void)(null, [target]);
		else callback(null, target.address, target.family);
	};
	const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
		protocol: url.protocol,
		// The name stays the host (Host header, TLS server name and certificate check); only the address is pinned.
		hostname: url.hostname.replace(/^\[|\]$/g, ''),
		port: url.port || undefined,
		path: `${url.pathname}${url.search}`,
		method: 'GET',
		headers,
		signal,
		agent: false,
		lookup: pinned,
	});
	return new Promise((resolve, reject) => {
		request.once('socket', (socket: Socket) => {
			// Runs before the socket flushes the request written while it was connecting.
			socket.prependOnceListener('connect', () => {
				if (!sameAddress(socket.remoteAddress, target.address)) socket.destroy(Object.assign(new Error('connected to an address that was not checked'), {code: 'EPINNED'}));
			});
		});
		request.once('response', resolve);
		request.once('error', reject);
		request.end();
	});
}

function sameAddress(actual: string | undefined, expected: string): boolean {
	if (actual === undefined) return false;
	const strip = (address: string) => address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
	return strip(actual) === strip(expected);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<{text: string; truncated: boolean}> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of response as AsyncIterable<Buffer>) {
		total += chunk.byteLength;
		if (total > maxBytes) {
			response.destroy();
			return {text: Buffer.concat(chunks).toString('utf8'), truncated: true};
		}
		chunks.push(chunk);
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
