import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {CavraConfig} from '../../source/core/config/schema.js';
import {createStore, initialState, type ProbeResult} from '../../source/core/dashboard/index.js';
import {createDashboardSources, toDashboardConfig} from '../../source/io/dashboard-sources.js';

/*
 * The dashboard screen draws its store. A service's verify endpoint is not api.url's origin, so
 * the HTTP client does not know the API token there: an answer echoing it (a service holding the
 * same token in its own environment) must still reach the store masked, like every other string.
 */

// The token under api.tokenEnv=MY_CAVRA_TOKEN: a random word no secret pattern recognises.
const TOKEN = 'zq81Lr0xVbN3kd7';
let dir: string;

afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe('dashboard sources mask the run\'s secret values before the store', () => {
	it('no probe answer, error or file path in the state holds the api.tokenEnv token', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-dash-redact-'));
		const envFile = path.join(dir, 'cavra.env');
		writeFileSync(envFile, 'CAVRA_GO_BACKEND_MODE=disabled\n');
		const config: CavraConfig = {
			api: {url: 'http://127.0.0.1:9/', tokenEnv: 'MY_CAVRA_TOKEN'},
			mode: {envFiles: [envFile]},
			plan: path.join(dir, `plan-${TOKEN}.json`),
			services: [{name: 'api', kind: 'command', restart: ['/bin/true'], verify: {url: 'http://127.0.0.1:9/svc/api'}}],
		} as CavraConfig;
		const loaded = {config, filepath: undefined};
		const store = createStore(initialState(toDashboardConfig(loaded, 60), Date.now()));
		const get = async (url: string): Promise<ProbeResult> =>
			url.endsWith('/svc/api')
				? {kind: 'http-error', status: 500, statusText: 'Internal Server Error', bodyPreview: `restart failed for token ${TOKEN}`, elapsedMs: 1}
				: {kind: 'unreachable', message: `connect refused (sent ${TOKEN})`, elapsedMs: 1};
		const sources = createDashboardSources({store, loaded, env: {MY_CAVRA_TOKEN: TOKEN}, intervalSeconds: 60, live: false, get});
		try {
			await sources.start();
		} finally {
			await sources.stop();
		}
		const state = JSON.stringify(store.getState());
		// The answers did arrive, masked.
		expect(state).toContain('restart failed for token <redacted>');
		expect(state).not.toContain(TOKEN);
	});
});
