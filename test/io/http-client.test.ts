import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {getJson, isLoopbackAddress, isLoopbackHost, sameOrigin, tokenFromEnv, urlRefusal, withUnreachableHint} from '../../source/io/http-client.js';

const TOKEN = 'tok_live_9f8e7d6c5b4a3f2e1d0c';

let server: Server;
let base: string;
const seenAuth: Array<string | undefined> = [];
const pending = new Set<ServerResponse>();

function handler(request: IncomingMessage, response: ServerResponse) {
	seenAuth.push(request.headers.authorization);
	const url = request.url ?? '/';
	if (url === '/ok') return void response.writeHead(200, {'content-type': 'application/json'}).end('{"status":"ready","n":1}');
	if (url === '/slow') {
		pending.add(response);
		return;
	}
	if (url === '/500') return void response.writeHead(500, {'content-type': 'text/plain'}).end('Internal Server Error');
	if (url === '/garbage') return void response.writeHead(200, {'content-type': 'application/json'}).end('<html>oops</html>');
	if (url === '/empty') return void response.writeHead(200, {'content-type': 'application/json'}).end('');
	if (url === '/redirect') return void response.writeHead(302, {location: 'http://example.invalid/steal'}).end();
	// A misbehaving server that echoes the credentials it received.
	if (url === '/echo-auth-500') return void response.writeHead(500).end(`bad token ${request.headers.authorization ?? ''}`);
	if (url === '/echo-auth-garbage') return void response.writeHead(200).end(`not json ${request.headers.authorization ?? ''}`);
	if (url === '/echo-auth-ok') return void response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({status: 'ready', received: {headers: request.headers}, note: `you sent ${request.headers.authorization ?? ''}`}));
	// The token sits across the 200-character preview cut.
	if (url === '/echo-auth-long') return void response.writeHead(503).end(`${'x'.repeat(190)} ${request.headers.authorization ?? ''} tail`);
	if (url === '/big') return void response.writeHead(200, {'content-type': 'application/json'}).end(`"${'x'.repeat(5000)}"`);
	if (url === '/reset') return void request.socket.destroy();
	response.writeHead(404).end('{"detail":"Not Found"}');
}

beforeAll(async () => {
	server = createServer(handler);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const response of pending) response.destroy();
	server.closeAllConnections();
	await new Promise(resolve => server.close(resolve));
});

describe('getJson', () => {
	it('returns the parsed body of a 2xx JSON answer, and sends the bearer token when given one', async () => {
		seenAuth.length = 0;
		const result = await getJson(`${base}/ok`, {timeoutMs: 2000, token: TOKEN});
		expect(result).toMatchObject({kind: 'ok', status: 200, body: {status: 'ready', n: 1}});
		expect(seenAuth).toEqual([`Bearer ${TOKEN}`]);
	});

	it('sends no Authorization header without a token', async () => {
		seenAuth.length = 0;
		await getJson(`${base}/ok`, {timeoutMs: 2000});
		expect(seenAuth).toEqual([undefined]);
	});

	it('reports a slow answer as a timeout, not an exception', async () => {
		const result = await getJson(`${base}/slow`, {timeoutMs: 100});
		expect(result).toMatchObject({kind: 'timeout', timeoutMs: 100});
	});

	it('reports connection refused as unreachable', async () => {
		const closed = createServer();
		await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise(resolve => closed.close(resolve));
		const result = await getJson(`http://127.0.0.1:${port}/x`, {timeoutMs: 2000});
		expect(result).toMatchObject({kind: 'unreachable', message: 'connection refused'});
		// api.unreachableHint leads the message for that origin (the API and its verify URLs) only.
		const api = {url: `http://127.0.0.1:${port}`, unreachableHint: 'run npm start'};
		expect(withUnreachableHint(result, `http://127.0.0.1:${port}/runtime/go-pilot/rollback-readiness`, api)).toMatchObject({kind: 'unreachable', message: 'run npm start; connection refused'});
		expect(withUnreachableHint(result, `http://127.0.0.1:${port + 1}/x`, api)).toBe(result);
		expect(withUnreachableHint(result, `http://127.0.0.1:${port}/x`, {url: api.url})).toBe(result);
		const timedOut = await getJson(`${base}/slow`, {timeoutMs: 50});
		expect(withUnreachableHint(timedOut, `${base}/slow`, {url: base, unreachableHint: 'run npm start'})).toBe(timedOut);
	});

	it('reports a dropped connection as unreachable', async () => {
		const result = await getJson(`${base}/reset`, {timeoutMs: 2000});
		expect(result.kind).toBe('unreachable');
	});

	it('reports non-2xx as http-error with a body preview', async () => {
		expect(await getJson(`${base}/500`, {timeoutMs: 2000})).toMatchObject({kind: 'http-error', status: 500, bodyPreview: 'Internal Server Error'});
		expect(await getJson(`${base}/nope`, {timeoutMs: 2000})).toMatchObject({kind: 'http-error', status: 404});
	});

	it('never follows a redirect (it could carry the token elsewhere)', async () => {
		const result = await getJson(`${base}/redirect`, {timeoutMs: 2000, token: TOKEN});
		expect(result).toMatchObject({kind: 'http-error', status: 302});
	});

	it('reports a non-JSON, empty or oversized 2xx body as malformed', async () => {
		expect(await getJson(`${base}/garbage`, {timeoutMs: 2000})).toMatchObject({kind: 'malformed', status: 200, bodyPreview: '<html>oops</html>'});
		expect(await getJson(`${base}/empty`, {timeoutMs: 2000})).toMatchObject({kind: 'malformed', message: 'empty body'});
		expect(await getJson(`${base}/big`, {timeoutMs: 2000, maxBytes: 1000})).toMatchObject({kind: 'malformed', message: 'answer larger than 1000 bytes'});
	});

	it('never returns the token in any text, even when the server echoes it', async () => {
		for (const path of ['/echo-auth-500', '/echo-auth-garbage', '/echo-auth-long']) {
			const result = await getJson(`${base}${path}`, {timeoutMs: 2000, token: TOKEN});
			expect(result.kind).not.toBe('ok');
			for (let i = 0; i + 8 <= TOKEN.length; i++) expect(JSON.stringify(result)).not.toContain(TOKEN.slice(i, i + 8));
			expect(JSON.stringify(result)).toContain(path === '/echo-auth-long' ? 'Bearer <r' : '<redacted>');
		}
	});

	it('hands back a 2xx answer that echoes the Authorization header redacted, body and text, still parsed JSON', async () => {
		const result = await getJson(`${base}/echo-auth-ok`, {timeoutMs: 2000, token: TOKEN});
		expect(result.kind).toBe('ok');
		if (result.kind !== 'ok') return;
		expect(JSON.stringify(result.body)).not.toContain(TOKEN.slice(8, 16));
		expect(result.text).not.toContain(TOKEN.slice(8, 16));
		expect(JSON.parse(result.text)).toMatchObject({status: 'ready'});
		expect(result.body).toMatchObject({status: 'ready', received: {headers: {authorization: 'Bearer <redacted>'}}, note: 'you sent Bearer <redacted>'});
	});

	it('refuses plain http:// to a non-loopback host unless allowed, without resolving or sending anything', async () => {
		let resolved = 0;
		const resolve = async () => {
			resolved++;
			throw Object.assign(new Error('getaddrinfo ENOTFOUND'), {code: 'ENOTFOUND'});
		};
		const refused = await getJson('http://cavra.example.com/runtime', {timeoutMs: 100, token: TOKEN, resolve});
		expect(refused.kind).toBe('refused');
		expect(resolved).toBe(0);
		const allowed = await getJson('http://cavra.example.com/runtime', {timeoutMs: 100, token: TOKEN, allowInsecureHttp: true, resolve});
		expect(allowed).toMatchObject({kind: 'unreachable', message: 'host name not found'});
		expect(resolved).toBe(1);
		expect(JSON.stringify(allowed)).not.toContain(TOKEN);
	});

	it('never throws, whatever the resolver does', async () => {
		const resolve = (async () => {
			throw 'a string, not an Error';
		}) as never;
		await expect(getJson('https://cavra.example.com/x', {timeoutMs: 100, resolve})).resolves.toMatchObject({kind: 'unreachable'});
		await expect(getJson('https://cavra.example.com/x', {timeoutMs: 100, resolve: async () => []})).resolves.toMatchObject({kind: 'unreachable', message: 'host name not found'});
		// A resolver that never answers is bounded by the request timeout.
		await expect(getJson('https://cavra.example.com/x', {timeoutMs: 50, resolve: () => new Promise(() => undefined)})).resolves.toMatchObject({kind: 'timeout'});
	});
});

describe('a *.localhost name counts as loopback only if it resolves to loopback', () => {
	it('a name resolving to 127.0.0.1 gets the request and the token, on the address that was checked', async () => {
		seenAuth.length = 0;
		const asked: string[] = [];
		const resolve = async (hostname: string) => {
			asked.push(hostname);
			return [{address: '127.0.0.1', family: 4}];
		};
		const port = new URL(base).port;
		const result = await getJson(`http://cavra-api.localhost:${port}/ok`, {timeoutMs: 2000, token: TOKEN, resolve});
		expect(result).toMatchObject({kind: 'ok', body: {status: 'ready'}});
		expect(asked).toEqual(['cavra-api.localhost']);
		expect(seenAuth).toEqual([`Bearer ${TOKEN}`]);
	});

	it('a name resolving elsewhere (even one address of several) is refused before any connection', async () => {
		seenAuth.length = 0;
		const port = new URL(base).port;
		for (const addresses of [[{address: '10.0.0.5', family: 4}], [{address: '127.0.0.1', family: 4}, {address: '203.0.113.9', family: 4}], [{address: 'fe80::1', family: 6}]]) {
			const result = await getJson(`http://evil.localhost:${port}/ok`, {timeoutMs: 2000, token: TOKEN, resolve: async () => addresses});
			expect(result.kind).toBe('refused');
			expect(result.kind === 'refused' && result.message).toMatch(/plain http:\/\/ to evil\.localhost is refused: it resolves to .+, which is not a loopback address/);
			expect(JSON.stringify(result)).not.toContain(TOKEN);
		}
		expect(seenAuth).toEqual([]);
	});

	it('any other name needs allowInsecureHttp for plain http, and then connects to the address it resolved', async () => {
		const port = new URL(base).port;
		const resolve = async () => [{address: '127.0.0.1', family: 4}];
		expect((await getJson(`http://cavra.internal:${port}/ok`, {timeoutMs: 2000, resolve})).kind).toBe('refused');
		expect(await getJson(`http://cavra.internal:${port}/ok`, {timeoutMs: 2000, allowInsecureHttp: true, resolve})).toMatchObject({kind: 'ok'});
	});
});

describe('URL refusals', () => {
	it('refuses user:password@ and #fragment URLs without sending anything', async () => {
		seenAuth.length = 0;
		const port = new URL(base).port;
		for (const url of [`http://user:pw@127.0.0.1:${port}/ok`, `http://user@127.0.0.1:${port}/ok`, `http://127.0.0.1:${port}/ok#frag`, `http://127.0.0.1:${port}/ok#`]) {
			const result = await getJson(url, {timeoutMs: 2000, token: TOKEN});
			expect(result.kind, url).toBe('refused');
		}
		expect(seenAuth).toEqual([]);
	});
});

describe('URL policy', () => {
	it('knows loopback hosts', () => {
		for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'api.localhost']) expect(isLoopbackHost(host), host).toBe(true);
		for (const host of ['10.0.0.1', 'example.com', '128.0.0.1', 'localhost.example.com', '[fe80::1]']) expect(isLoopbackHost(host), host).toBe(false);
		for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(address), address).toBe(true);
		for (const address of ['localhost', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '0.0.0.0', '127.example.com']) expect(isLoopbackAddress(address), address).toBe(false);
	});

	it('refuses insecure, credentialed and non-http URLs', () => {
		expect(urlRefusal('http://127.0.0.1:8000')).toBeUndefined();
		expect(urlRefusal('https://cavra.example.com')).toBeUndefined();
		expect(urlRefusal('http://cavra.example.com')).toMatch(/refused/);
		expect(urlRefusal('http://cavra.example.com', true)).toBeUndefined();
		expect(urlRefusal('https://user:pw@cavra.example.com')).toMatch(/credentials/);
		expect(urlRefusal('ftp://cavra.example.com')).toMatch(/not supported/);
		expect(urlRefusal('http://127.0.0.1:8000/#x')).toMatch(/fragment/);
		expect(urlRefusal('not a url')).toBe('not a valid URL');
	});

	it('sends the token only to the API origin', () => {
		expect(sameOrigin('http://127.0.0.1:8000/runtime/x', 'http://127.0.0.1:8000')).toBe(true);
		expect(sameOrigin('http://127.0.0.1:8001/runtime/x', 'http://127.0.0.1:8000')).toBe(false);
		expect(sameOrigin('https://127.0.0.1:8000/', 'http://127.0.0.1:8000')).toBe(false);
	});

	it('reads the token from the named variable only', () => {
		expect(tokenFromEnv({CAVRA_API_TOKEN: ' abc '}, 'CAVRA_API_TOKEN')).toBe('abc');
		expect(tokenFromEnv({CAVRA_API_TOKEN: ''}, 'CAVRA_API_TOKEN')).toBeUndefined();
		expect(tokenFromEnv({CAVRA_API_TOKEN: 'abc'}, undefined)).toBeUndefined();
	});
});
