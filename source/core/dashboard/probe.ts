/**
 * What one HTTP request came to, as data. `io/http-client.ts` produces it; the dashboard's
 * reducer, panels and snapshot consume it. Every failure is a state with its own word.
 */
export type ProbeResult =
	| {kind: 'ok'; status: number; body: unknown; text: string; elapsedMs: number}
	/** Connection refused, DNS failure, reset: nothing answered. */
	| {kind: 'unreachable'; message: string; elapsedMs: number}
	| {kind: 'timeout'; timeoutMs: number; elapsedMs: number}
	/** An answer, but not 2xx (redirects count: they are never followed). */
	| {kind: 'http-error'; status: number; statusText: string; bodyPreview: string; elapsedMs: number}
	/** 2xx, but the body is not JSON, too large, or not the document the endpoint promises. */
	| {kind: 'malformed'; status: number; message: string; bodyPreview: string; elapsedMs: number}
	/** Not attempted: the URL is not allowed (plain http:// to a non-loopback host, bad URL). */
	| {kind: 'refused'; message: string; elapsedMs: number};

export type ProbeKind = ProbeResult['kind'];

/** The word shown for each kind: colour is never the only signal. */
export const probeWords: Record<ProbeKind, string> = {
	ok: 'ok',
	unreachable: 'unreachable',
	timeout: 'timed out',
	'http-error': 'HTTP error',
	malformed: 'malformed',
	refused: 'refused',
};

/** A one-line description of a result, for panels and plain output. */
export function describeProbe(result: ProbeResult): string {
	switch (result.kind) {
		case 'ok':
			return `HTTP ${result.status} in ${result.elapsedMs} ms`;
		case 'unreachable':
			return `unreachable: ${result.message}`;
		case 'timeout':
			return `timed out after ${result.timeoutMs} ms`;
		case 'http-error':
			return `HTTP ${result.status} ${result.statusText}`;
		case 'malformed':
			return `malformed answer: ${result.message}`;
		case 'refused':
			return `refused: ${result.message}`;
	}
}

/** What went wrong, without the kind's word (for lines that already name it). */
export function probeDetail(result: ProbeResult): string {
	switch (result.kind) {
		case 'ok':
			return `HTTP ${result.status}`;
		case 'unreachable':
		case 'refused':
			return result.message;
		case 'timeout':
			return `no answer within ${result.timeoutMs} ms`;
		case 'http-error':
			return `HTTP ${result.status} ${result.statusText}`;
		case 'malformed':
			return result.message;
	}
}
