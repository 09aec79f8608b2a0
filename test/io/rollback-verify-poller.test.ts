import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import type {ProbeResult} from '../../source/core/dashboard/probe.js';
import {backoffDelay, defaultBackoff, judgeVerifyAnswer, nextPollDelay, normaliseMode, requestTimeout} from '../../source/core/rollback/verify-policy.js';
import {pollUntilMode, probeModeOnce, type HttpGet} from '../../source/io/verify-poller.js';

const ok = (mode: unknown): ProbeResult => ({kind: 'ok', status: 200, body: {schema_version: 'x', mode}, text: '', elapsedMs: 1});
const refused: ProbeResult = {kind: 'unreachable', message: 'connection refused', elapsedMs: 1};

/** A fake clock that sleep() advances: polls take no real time. */
function fakeTime(start = 1_000_000) {
	let now = start;
	const sleeps: number[] = [];
	return {
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		advance: (ms: number) => (now += ms),
		sleeps,
	};
}

describe('verify policy', () => {
	it('backs off exponentially up to a cap, never past the deadline', () => {
		expect([1, 2, 3, 4, 5, 6, 7].map(attempt => backoffDelay(attempt))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
		expect(backoffDelay(10_000)).toBe(defaultBackoff.maxMs);
		expect(nextPollDelay(3, 300)).toBe(300);
		expect(nextPollDelay(3, 0)).toBeUndefined();
		expect(nextPollDelay(defaultBackoff.maxAttempts, 10_000)).toBeUndefined();
		expect(requestTimeout(undefined, 100_000)).toBe(3000);
		expect(requestTimeout(10_000, 500)).toBe(500);
		expect(requestTimeout(undefined, -5)).toBe(1);
	});

	it('judges answers: exact mode after trim/lower-case; other modes, malformed and silence are not verified', () => {
		expect(judgeVerifyAnswer(ok('disabled'), 'disabled').kind).toBe('verified');
		expect(judgeVerifyAnswer(ok(' Disabled '), 'disabled').kind).toBe('verified');
		expect(judgeVerifyAnswer(ok('promoted'), 'disabled')).toMatchObject({kind: 'wrong-mode', mode: 'promoted'});
		expect(judgeVerifyAnswer(ok('disabledx'), 'disabled').kind).toBe('wrong-mode');
		expect(judgeVerifyAnswer(ok(7), 'disabled').kind).toBe('malformed');
		expect(judgeVerifyAnswer({kind: 'ok', status: 200, body: [1], text: '', elapsedMs: 1}, 'disabled').kind).toBe('malformed');
		expect(judgeVerifyAnswer(refused, 'disabled').kind).toBe('not-answering');
		expect(judgeVerifyAnswer({kind: 'timeout', timeoutMs: 5, elapsedMs: 5}, 'disabled').message).toMatch(/5 ms/);
		expect(judgeVerifyAnswer({kind: 'http-error', status: 503, statusText: 'x', bodyPreview: '', elapsedMs: 1}, 'disabled').kind).toBe('not-answering');
		// A hostile mode string is shortened and cleaned before it can reach evidence.
		const long = judgeVerifyAnswer(ok('<script>'.repeat(10)), 'disabled');
		expect(long.kind === 'wrong-mode' && long.mode.length).toBeLessThanOrEqual(25);
		expect(normaliseMode(' PROMOTED ')).toBe('promoted');
		expect(normaliseMode('bogus')).toBe('disabled');
	});
});

describe('pollUntilMode', () => {
	it('polls until the restarted service reports disabled', async () => {
		const time = fakeTime();
		const answers = [refused, refused, ok('promoted'), ok('disabled')];
		const get: HttpGet = async () => answers.shift() ?? ok('disabled');
		const outcome = await pollUntilMode({url: 'http://127.0.0.1:1/x', expectMode: 'disabled', deadlineMs: time.now() + 60_000, get, now: time.now, sleep: time.sleep});
		expect(outcome).toMatchObject({verified: true, reason: 'verified', attempts: 4, mode: 'disabled'});
		expect(time.sleeps).toEqual([250, 500, 1000]);
	});

	it('a service that never reports disabled fails at the deadline instead of hanging', async () => {
		const time = fakeTime();
		const get: HttpGet = async () => ok('promoted');
		const outcome = await pollUntilMode({url: 'http://127.0.0.1:1/x', expectMode: 'disabled', deadlineMs: time.now() + 20_000, get, now: time.now, sleep: time.sleep});
		expect(outcome).toMatchObject({verified: false, reason: 'deadline', mode: 'promoted'});
		expect(outcome.last?.message).toMatch(/still answers mode: promoted/);
		expect(time.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
	});

	it('polls once even when the budget is already spent', async () => {
		const time = fakeTime();
		let calls = 0;
		const get: HttpGet = async () => (calls++, ok('disabled'));
		const outcome = await pollUntilMode({url: 'http://127.0.0.1:1/x', expectMode: 'disabled', deadlineMs: time.now() - 1, get, now: time.now, sleep: time.sleep});
		expect(outcome.verified).toBe(true);
		expect(calls).toBe(1);
	});

	it('stops early when aborted (Ctrl-C)', async () => {
		const time = fakeTime();
		const controller = new AbortController();
		const get: HttpGet = async () => {
			controller.abort();
			return refused;
		};
		const outcome = await pollUntilMode({url: 'http://127.0.0.1:1/x', expectMode: 'disabled', deadlineMs: time.now() + 60_000, get, now: time.now, sleep: time.sleep, signal: controller.signal});
		expect(outcome).toMatchObject({verified: false, reason: 'aborted', attempts: 1});
	});

	it('is bounded by maxAttempts even with a clock that never moves', async () => {
		const get: HttpGet = async () => refused;
		const outcome = await pollUntilMode({url: 'u', expectMode: 'disabled', deadlineMs: 10, now: () => 0, sleep: async () => undefined, get, policy: {...defaultBackoff, maxAttempts: 5}});
		expect(outcome).toMatchObject({verified: false, reason: 'max-attempts', attempts: 5});
	});
});

describe('pollUntilMode against a real loopback server', () => {
	let server: Server | undefined;
	afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())));

	it('reads the mode from the answer, with the bearer token, and one probe reports the current mode', async () => {
		let mode = 'promoted';
		let auth: string | undefined;
		server = createServer((request, response) => {
			auth = request.headers.authorization;
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify({schema_version: 'cavra.go-backend-pilot.rollback-readiness.v1', mode}));
		});
		await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/runtime/go-pilot/rollback-readiness`;
		expect(await probeModeOnce({url, expectMode: 'disabled', timeoutMs: 2000})).toMatchObject({kind: 'wrong-mode', mode: 'promoted'});
		setTimeout(() => (mode = 'disabled'), 0);
		const outcome = await pollUntilMode({url, expectMode: 'disabled', deadlineMs: Date.now() + 5000, token: 'tok-123', sleep: async () => undefined});
		expect(outcome.verified).toBe(true);
		expect(auth).toBe('Bearer tok-123');
	});
});
