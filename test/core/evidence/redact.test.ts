import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isSecretKey, isSecretName, redactArgv, redactJson, redactStrings, redactText, REDACTED, runSecretValues, screenRedactor, secretValuesFrom} from '../../../source/core/evidence/redact.js';
import {ALNUM, adversarialInputs, plantedSecrets, randomChars} from '../lint/public-safety/fixtures.js';

const r = (n: number, seed = 3) => randomChars(seed, n, ALNUM);

/** Every 8-character run of `secret` that is absent from `output` (a leak would leave one behind). */
function leakedRuns(output: string, secret: string): string[] {
	const runs: string[] = [];
	for (let i = 0; i + 8 <= secret.length; i++) if (output.includes(secret.slice(i, i + 8))) runs.push(secret.slice(i, i + 8));
	return runs;
}

describe('secretValuesFrom and runSecretValues', () => {
	it('takes the values of secret-looking names, skipping trivial ones, longest first', () => {
		const values = secretValuesFrom(
			{CAVRA_API_TOKEN: 'tok-123456', DB_PASSWORD: 'pw-abcdefgh', HOME: '/root', FEATURE_KEY: 'true', SHORT_SECRET: 'ab'},
			{AWS_SECRET_ACCESS_KEY: 'aws-very-long-secret-value', CAVRA_GO_BACKEND_MODE: 'disabled', UNSET_TOKEN: undefined},
		);
		expect(values).toEqual(['aws-very-long-secret-value', 'pw-abcdefgh', 'tok-123456']);
	});

	it('recognises the usual names, bearer and pass included', () => {
		for (const name of ['GITHUB_TOKEN', 'API_KEY', 'DB_PASSWORD', 'DB_PASSWD', 'DB_PASS', 'CLIENT_SECRET', 'GOOGLE_APPLICATION_CREDENTIALS', 'HTTP_AUTH', 'SSH_PRIVATE_KEY', 'CAVRA_API_BEARER']) {
			expect(isSecretName(name), name).toBe(true);
		}
		for (const name of ['PATH', 'HOME', 'CAVRA_GO_BACKEND_MODE', 'LANG', 'PGPW', 'COMPASS', 'XDG_SESSION_CLASS', 'DESKTOP_SESSION', 'SSH_AUTH_SOCK', 'CAVRA_API_TOKEN_ENV']) {
			expect(isSecretName(name), name).toBe(false);
		}
		// A root shell's session bookkeeping (XDG_SESSION_CLASS=user) must not shred "--user" in every output.
		expect(redactArgv(['systemctl', '--user', 'restart', 'x'], secretValuesFrom({XDG_SESSION_CLASS: 'user', DESKTOP_SESSION: 'ubuntu'}))).toEqual(['systemctl', '--user', 'restart', 'x']);
	});

	it('holds the API token whatever its variable is called (api.tokenEnv: X)', () => {
		const token = `opaque.${r(20)}`;
		const values = runSecretValues({env: {X: ` ${token}\n`, HOME: '/root'}, tokenEnv: 'X'});
		expect(values).toContain(token);
		expect(redactText(`server said: you sent ${token}`, values)).toBe(`server said: you sent ${REDACTED}`);
		// Without tokenEnv the name X says nothing, so nothing is known.
		expect(runSecretValues({env: {X: token}})).toEqual([]);
	});

	it('hides a known value also URL-encoded and JSON-escaped', () => {
		const token = `a/b+c"d${r(12)}`;
		const values = runSecretValues({env: {CAVRA_API_BEARER: token}});
		const text = `raw ${token} url ${encodeURIComponent(token)} json ${JSON.stringify(token)}`;
		const out = redactText(text, values);
		expect(leakedRuns(out, token)).toEqual([]);
		expect(leakedRuns(out, encodeURIComponent(token))).toEqual([]);
	});

	it('ignores values too short or too common to hide everywhere', () => {
		expect(runSecretValues({env: {X: 'abc'}, tokenEnv: 'X', extra: ['true', 'none']})).toEqual([]);
	});
});

describe('redactText: command-line and header shapes', () => {
	it.each([
		['mysql -u root -pS3cretPass1 cavra', `mysql -u root -p${REDACTED} cavra`],
		['mysql -p hunter2 cavra', `mysql -p ${REDACTED} cavra`],
		['mysqldump --password hunter cavra', `mysqldump --password ${REDACTED} cavra`],
		['mysqldump --password=hunter cavra', `mysqldump --password=${REDACTED} cavra`],
		['tool --pass "two words" next', `tool --pass "${REDACTED}" next`],
		['vault login --token abc', `vault login --token ${REDACTED}`],
		['curl -u deploy:hunter2 https://api.example.com', `curl -u deploy:${REDACTED} https://api.example.com`],
		['curl -udeploy:hunter2 https://api.example.com', `curl -udeploy:${REDACTED} https://api.example.com`],
		['curl --user=deploy:hunter2 x', `curl --user=deploy:${REDACTED} x`],
		['Authorization: Bearer abc', `Authorization: Bearer ${REDACTED}`],
		['authorization: token x y z', `authorization: token ${REDACTED}`],
		['Authorization: Digest username="u", response="abc"', `Authorization: Digest ${REDACTED}`],
		['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${REDACTED}`],
		['Authorization: s3cr3t-without-scheme', `Authorization: ${REDACTED}`],
		['curl -H "Authorization: Basic dXNlcjpwYXNz" x', `curl -H "Authorization: Basic ${REDACTED}" x`],
		['Cookie: session=abc; theme=dark', `Cookie: ${REDACTED}`],
		['Set-Cookie: sid=abc123; HttpOnly', `Set-Cookie: ${REDACTED}`],
		['{"password": "hunter", "user": "ops"}', `{"password": "${REDACTED}", "user": "ops"}`],
		['{"db": {"api_key":"abc"}}', `{"db": {"api_key":"${REDACTED}"}}`],
		['password=hunter22 next', `password=${REDACTED} next`],
		['DB_PASSWORD="with spaces" ok', `DB_PASSWORD="${REDACTED}" ok`],
		['api_key: abc123, region: eu', `api_key: ${REDACTED}, region: eu`],
		['https://user:pa55w0rd@example.com/x', `https://user:${REDACTED}@example.com/x`],
	])('%j', (input, expected) => {
		expect(redactText(input)).toBe(expected);
	});

	it('leaves what is not a secret alone: ports, paths after -p, plain output, names of secrets', () => {
		for (const text of [
			'ssh -p 2222 host',
			'mkdir -p /var/run/cavra',
			'Restarted cavra-api.service.',
			'deployment "cavra-api" successfully rolled out',
			'systemctl --user restart cavra-api.service',
			'api.tokenEnv: CAVRA_API_TOKEN',
			'--password-stdin < file',
			'signing_key: ~/.ssh/id_ed25519',
			'CAVRA_GO_BACKEND_MODE=disabled',
		]) {
			expect(redactText(text), text).toBe(text);
		}
	});

	it('hides a private key block whole', () => {
		const body = `${r(64, 5)}\n${r(64, 6)}`;
		const out = redactText(`key:\n-----BEGIN RSA PRIV${'ATE KEY-----'}\n${body}\n-----END RSA PRIVATE KEY-----\nafter`);
		expect(out).toBe(`key:\n${REDACTED}\nafter`);
	});
});

describe('redactText: whatever the engine flags', () => {
	it.each(plantedSecrets(11).map(s => [s.kind, s] as const))('%s: no 8-character run survives, alone, in a sentence, in JSON', (_kind, secret) => {
		for (const text of [secret.text, `using ${secret.text} for the restart`, JSON.stringify({note: secret.text})]) {
			const out = redactText(text);
			expect(leakedRuns(out, secret.random), out).toEqual([]);
			expect(out).toContain(REDACTED);
		}
	});

	it('is idempotent on every shape and planted secret', () => {
		const samples = [
			...plantedSecrets(12).map(s => `x ${s.text} y`),
			'mysql -pS3cret -u a:b --password c Authorization: Bearer d Cookie: e {"password": "f"} token=abcdef123456',
			'curl -H "Authorization: Digest a=1, b=2" -u me:pw https://u:p@h/',
		];
		for (const sample of samples) {
			const once = redactText(sample, ['S3cret']);
			expect(redactText(once, ['S3cret']), sample).toBe(once);
		}
	});

	it('property: a random token under any variable name never survives, and redaction is idempotent', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
				fc.stringMatching(/^[A-Za-z0-9._~+/-]{12,40}$/),
				fc.constantFrom('Bearer %', '{"headers":{"authorization":"Bearer %"}}', 'echo %', 'GET /x?access_token=%', 'value: "%"', '%'),
				(name, token, shape) => {
					const values = runSecretValues({env: {[name]: token}, tokenEnv: name});
					const out = redactText(shape.replace('%', token), values);
					expect(leakedRuns(out, token)).toEqual([]);
					expect(redactText(out, values)).toBe(out);
				},
			),
			{numRuns: 200},
		);
	});

	it('stays linear on adversarial input (completes, nothing thrown)', () => {
		for (const [, text] of adversarialInputs(20_000)) expect(typeof redactText(text)).toBe('string');
		expect(typeof redactText(`${'a-'.repeat(10_000)}authorization: x`)).toBe('string');
		expect(typeof redactText(`${'-p '.repeat(10_000)}`)).toBe('string');
	});
});

describe('redactArgv', () => {
	it('hides secret flags, assignments, -p and -u values and known values; leaves the rest', () => {
		expect(redactArgv(['kubectl', '--token', 'abc', '--password=x', 'API_KEY=y', '-n', 'cavra', 'CAVRA_GO_BACKEND_MODE=disabled', 'https://u:p4ss@h/'])).toEqual([
			'kubectl',
			'--token',
			REDACTED,
			`--password=${REDACTED}`,
			`API_KEY=${REDACTED}`,
			'-n',
			'cavra',
			'CAVRA_GO_BACKEND_MODE=disabled',
			`https://u:${REDACTED}@h/`,
		]);
		expect(redactArgv(['mysql', '-p', 'hunter2', '-pS3cret', '--pass', 'x', '-u', 'me:pw', '--user', 'me', 'db'])).toEqual([
			'mysql',
			'-p',
			REDACTED,
			`-p${REDACTED}`,
			'--pass',
			REDACTED,
			'-u',
			`me:${REDACTED}`,
			'--user',
			'me',
			'db',
		]);
		expect(redactArgv(['ssh', '-p', '2222', 'host'])).toEqual(['ssh', '-p', '2222', 'host']);
		expect(redactArgv(['mkdir', '-p', '/var/run/cavra'])).toEqual(['mkdir', '-p', '/var/run/cavra']);
		expect(redactArgv(['curl', '-H', 'Authorization: Bearer abc', '-H', 'Cookie: a=b'])).toEqual(['curl', '-H', `Authorization: Bearer ${REDACTED}`, '-H', `Cookie: ${REDACTED}`]);
		expect(redactArgv(['/opt/restart', 'sekrit-value'], ['sekrit-value'])).toEqual(['/opt/restart', REDACTED]);
	});

	it('is idempotent', () => {
		const argv = ['mysql', '-p', 'hunter2', '-pS3cret', '--token=abc', '-u', 'me:pw', 'Authorization: Bearer x'];
		expect(redactArgv(redactArgv(argv))).toEqual(redactArgv(argv));
	});
});

describe('redactJson', () => {
	it('hides values under secret keys (any type), keeps the scheme word of Authorization, and stays valid JSON of the same shape', () => {
		const token = `tok-${r(24, 8)}`;
		const answer = {
			status: 'ready',
			received: {headers: {authorization: `Bearer ${token}`, cookie: 'sid=1', 'x-api-key': 'k-123', accept: 'application/json'}},
			db: {password: 'hunter', pin_password: 12345678, passwordRotationDays: 30, signingKey: '~/.ssh/id_ed25519'},
			notes: [`token=${token}`, 'fine'],
			empty: {token: ''},
		};
		const out = redactJson(answer, [token]);
		const text = JSON.stringify(out);
		expect(JSON.parse(text)).toEqual(out);
		expect(leakedRuns(text, token)).toEqual([]);
		expect(out.received.headers).toEqual({authorization: `Bearer ${REDACTED}`, cookie: REDACTED, 'x-api-key': REDACTED, accept: 'application/json'});
		expect(out.db).toEqual({password: REDACTED, pin_password: REDACTED, passwordRotationDays: 30, signingKey: '~/.ssh/id_ed25519'});
		expect(out.notes).toEqual([`token=${REDACTED}`, 'fine']);
		expect(out.empty).toEqual({token: ''});
		expect(out.status).toBe('ready');
		expect(redactJson(out, [token])).toEqual(out);
	});

	it('redacts keys too, without two keys collapsing into one', () => {
		const a = `gh${'p_'}${r(36, 9)}`;
		const b = `gh${'p_'}${r(36, 10)}`;
		const out = redactJson({[a]: 1, [b]: 2});
		expect(Object.values(out).sort()).toEqual([1, 2]);
		expect(JSON.stringify(out)).not.toContain(a.slice(4, 12));
	});

	it('names what counts as a secret key', () => {
		for (const key of ['password', 'DB_PASSWORD', 'apiKey', 'client_secret', 'authorization', 'Set-Cookie', 'x-api-key', 'token']) expect(isSecretKey(key), key).toBe(true);
		for (const key of ['tokenEnv', 'max_tokens', 'status', 'sha256', 'signature', 'key_file', 'password_rotation']) expect(isSecretKey(key), key).toBe(false);
	});
});

describe('redactStrings and screenRedactor (what the screens receive)', () => {
	const redact = screenRedactor(runSecretValues({env: {MY_CAVRA_TOKEN: 'zq81Lr0xVbN3kd7'}, tokenEnv: 'MY_CAVRA_TOKEN'}));

	it('masks every string of plain data, keys included, and keeps its shape, numbers and booleans', () => {
		const state = {runId: 'rb-1', tail: ['echo zq81Lr0xVbN3kd7'], steps: [{id: 'restart:api', detail: 'exit 0', endedAtMs: 5, ok: true, skip: undefined}], hosts: {'zq81Lr0xVbN3kd7': 'up'}};
		expect(redactStrings(state, redact)).toEqual({runId: 'rb-1', tail: ['echo <redacted>'], steps: [{id: 'restart:api', detail: 'exit 0', endedAtMs: 5, ok: true, skip: undefined}], hosts: {'<redacted>': 'up'}});
	});

	it('unlike redactJson, hides nothing for its key\'s name alone', () => {
		expect(redactStrings({token: 'plain words', budget: 15}, redact)).toEqual({token: 'plain words', budget: 15});
	});

	it('answers the same as redactText with the same values, the second time from memory', () => {
		const text = 'Authorization: Bearer zq81Lr0xVbN3kd7';
		expect(redact(text)).toBe(redactText(text, ['zq81Lr0xVbN3kd7']));
		expect(redact(text)).toBe('Authorization: Bearer <redacted>');
	});
});
