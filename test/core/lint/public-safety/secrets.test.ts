import {describe, expect, it} from 'vitest';
import {ALNUM, BASE64, BASE64URL, DIGITS, UPPER_DIGITS, plantedSecrets, randomChars} from './fixtures.js';
import {hitsOf, rulesOf} from './helpers.js';

const r = (n: number, alphabet = ALNUM, seed = 7) => randomChars(seed, n, alphabet);

describe('provider credentials', () => {
	it.each(plantedSecrets(42).map(s => [s.kind, s] as const))('finds a planted %s secret on its own and inside a sentence', (_kind, secret) => {
		expect(rulesOf(secret.text).some(rule => secret.rules.includes(`public-safety/${rule}`))).toBe(true);
		const inSentence = rulesOf(`Before the rollback, use ${secret.text} to log in.`);
		expect(inSentence.some(rule => secret.rules.includes(`public-safety/${rule}`))).toBe(true);
	});

	it('AWS access key ids anywhere, also glued to an underscore or after =', () => {
		const key = `AKIA${r(16, UPPER_DIGITS)}`;
		expect(rulesOf(key)).toEqual(['aws-access-key']);
		expect(rulesOf(`aws_key_${key}`)).toEqual(['aws-access-key']);
		expect(rulesOf(`AWS_ACCESS_KEY_ID=${key}`)).toEqual(['aws-access-key']);
		expect(rulesOf(`ASIA${r(16, UPPER_DIGITS, 8)}`)).toEqual(['aws-access-key']);
	});

	it('AWS: part of a longer upper-case run is not a key; the documented sample key is a placeholder', () => {
		expect(rulesOf(`X${'AKIA'}${r(16, UPPER_DIGITS)}`)).toEqual([]);
		expect(rulesOf(`AKIA${r(17, UPPER_DIGITS)}`)).toEqual([]);
		expect(rulesOf('AKIA' + 'IOSFODNN7EXAMPLE')).toEqual([]);
	});

	it('GitHub classic and fine-grained tokens; placeholders are not', () => {
		for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) expect(rulesOf(`${prefix}${r(36)}`)).toEqual(['github-token']);
		expect(rulesOf(`github_pat_${r(22)}_${r(59, ALNUM, 9)}`)).toEqual(['github-token']);
		expect(rulesOf(`ghp_${'x'.repeat(36)}`)).toEqual([]);
		expect(rulesOf('ghp_<your token>')).toEqual([]);
	});

	it('GitLab, npm, Slack tokens and webhooks, Stripe keys', () => {
		expect(rulesOf(`glpat-${r(20)}`)).toEqual(['gitlab-token']);
		expect(rulesOf(`npm_${r(36)}`)).toEqual(['npm-token']);
		expect(rulesOf(`xoxb-${r(12, DIGITS)}-${r(13, DIGITS)}-${r(24)}`)).toEqual(['slack-token']);
		expect(rulesOf(`xoxp-${r(12, DIGITS)}-${r(12, DIGITS)}-${r(13, DIGITS)}-${r(32, 'abcdef0123456789')}`)).toEqual(['slack-token']);
		expect(rulesOf('xoxb-your-bot-token-here')).toEqual([]);
		expect(rulesOf(`POST https://hooks.slack.com/services/T${r(10, UPPER_DIGITS)}/B${r(10, UPPER_DIGITS)}/${r(24)}`)).toEqual(['slack-webhook']);
		expect(rulesOf(`sk_live_${r(24)}`)).toEqual(['stripe-key']);
		expect(rulesOf(`rk_live_${r(24)}`)).toEqual(['stripe-key']);
	});

	it('OpenAI-style sk- keys need the mixed-case random body; Anthropic keys get their own rule', () => {
		expect(rulesOf(`sk-${r(48)}`)).toEqual(['openai-key']);
		expect(rulesOf(`sk-proj-${r(48)}`)).toEqual(['openai-key']);
		expect(rulesOf(`sk-ant-api03-${r(93, BASE64URL)}AA`)).toEqual(['anthropic-key']);
		expect(rulesOf('sk-rollback-runbook-for-the-go-backend-mode')).toEqual([]);
	});

	it('Google API keys are exactly AIza + 35 characters', () => {
		expect(rulesOf(`key AIza${r(35, BASE64URL)} here`)).toEqual(['google-api-key']);
		expect(rulesOf(`AIza${r(34, BASE64URL)}`)).toEqual([]);
	});

	it('JWTs: three base64url segments, the first starting eyJ (an empty signature still counts)', () => {
		const header = 'eyJhbGciOiJIUzI1NiJ9';
		expect(rulesOf(`${header}.eyJ${r(30, BASE64URL)}.${r(43, BASE64URL)}`)).toEqual(['jwt']);
		expect(rulesOf(`${header}.eyJ${r(30, BASE64URL)}.`)).toEqual(['jwt']);
		expect(rulesOf(`${header}.${header}`)).toEqual([]);
		expect(rulesOf('eyJ.eyJ.eyJ')).toEqual([]);
	});
});

describe('private keys', () => {
	const body = `${r(64, BASE64)}\n${r(64, BASE64, 3)}`;
	it.each(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'DSA PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'])('a %s block is a finding', label => {
		expect(rulesOf(`-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`)).toEqual(['private-key']);
	});

	it('a header alone is a finding; the preview shows the header, never the body', () => {
		expect(rulesOf('-----BEGIN RSA PRIVATE KEY-----')).toEqual(['private-key']);
		const [hit] = hitsOf(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`);
		expect(hit!.preview).toContain('BEGIN PRIVATE KEY');
		expect(hit!.preview).not.toContain(body.slice(0, 8));
	});

	it('public keys and certificates are not findings', () => {
		expect(rulesOf(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`)).toEqual([]);
		expect(rulesOf(`-----BEGIN RSA PUBLIC KEY-----\n${body}\n-----END RSA PUBLIC KEY-----`)).toEqual([]);
		expect(rulesOf(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`)).toEqual([]);
	});

	it('a redacted body is an example, not a key', () => {
		expect(rulesOf('-----BEGIN PRIVATE KEY-----\n<REDACTED>\n-----END PRIVATE KEY-----')).toEqual([]);
	});

	it('two blocks in one value are two findings', () => {
		const block = (b: string) => `-----BEGIN PRIVATE KEY-----\n${b}\n-----END PRIVATE KEY-----`;
		expect(rulesOf(`${block(r(64, BASE64, 4))}\n${block(r(64, BASE64, 5))}`)).toEqual(['private-key', 'private-key']);
	});
});

describe('authorization headers', () => {
	it('Authorization: Bearer / token / Basic with a credential', () => {
		expect(rulesOf(`curl -H "Authorization: Bearer ${r(32)}" https://api.acme.io`)).toEqual(['authorization-header']);
		expect(rulesOf(`Authorization: token ${r(40)}`)).toEqual(['authorization-header']);
		expect(rulesOf(`Authorization: Basic ${Buffer.from('deploy:Hunter2pass').toString('base64')}`)).toEqual(['authorization-header']);
	});

	it('bare Bearer tokens and Basic credentials', () => {
		expect(rulesOf(`send Bearer ${r(32)} with the request`)).toEqual(['authorization-header']);
		expect(rulesOf(`Basic ${Buffer.from('admin:s3cr3t-Pa55').toString('base64')}`)).toEqual(['authorization-header']);
	});

	it('references and prose are not credentials', () => {
		expect(rulesOf('curl -H "Authorization: Bearer ${CAVRA_API_TOKEN}" http://127.0.0.1:8000/x')).toEqual([]);
		expect(rulesOf('Authorization: Bearer $TOKEN')).toEqual([]);
		expect(rulesOf('Authorization: Bearer <REDACTED>')).toEqual([]);
		expect(rulesOf('Use a Bearer token from the secret store.')).toEqual([]);
		expect(rulesOf('Bearer authentication is required')).toEqual([]);
		expect(rulesOf('Basic checks must pass before the restart.')).toEqual([]);
		expect(rulesOf(`Basic ${Buffer.from('no colon in here').toString('base64')}`)).toEqual([]);
	});

	it('a JWT in a Bearer header is reported once, as a JWT', () => {
		expect(rulesOf(`Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJ${r(30, BASE64URL)}.${r(43, BASE64URL)}`)).toEqual(['jwt']);
	});
});

describe('credentials in URLs', () => {
	it('user:password@host in any scheme', () => {
		expect(rulesOf(`https://deploy:${r(16)}@git.acme.io/repo.git`)).toEqual(['credentials-in-url']);
		expect(rulesOf(`postgres://app:${r(12)}@db.acme.io:5432/app`)).toEqual(['credentials-in-url']);
		expect(rulesOf(`redis://:${r(12)}@cache.acme.io:6379`)).toEqual(['credentials-in-url']);
		expect(rulesOf(`https://deploy:${r(6)}@${r(4)}@git.acme.io/`)).toEqual(['credentials-in-url']);
	});

	it('a provider token as the password is reported as that token', () => {
		expect(rulesOf(`https://x-access-token:ghp_${r(36)}@github.com/org/repo.git`)).toEqual(['github-token']);
	});

	it('no password, or a placeholder password, is not a finding', () => {
		expect(rulesOf('https://deploy@git.acme.io/repo.git')).toEqual([]);
		expect(rulesOf('git@github.com:org/repo.git')).toEqual([]);
		expect(rulesOf('https://user:${DB_PASSWORD}@db.acme.io')).toEqual([]);
		expect(rulesOf('https://user:<password>@db.acme.io')).toEqual([]);
		expect(rulesOf('https://user:****@db.acme.io')).toEqual([]);
		expect(rulesOf('https://user:pass@db.acme.io')).toEqual([]);
		expect(rulesOf('http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness')).toEqual([]);
	});
});

describe('secrets in query parameters', () => {
	it.each(['token', 'access_token', 'sig', 'signature', 'key', 'api_key', 'secret', 'X-Amz-Signature'])('?%s=<value> is a finding', name => {
		expect(rulesOf(`https://files.acme.io/a.tar.gz?v=1&${name}=${r(24)}`)).toEqual(['secret-in-query']);
	});

	it('?password=<value> is a finding', () => {
		expect(rulesOf(`https://acme.io/login?user=ops&password=${r(10)}`)).toEqual(['secret-in-query']);
	});

	it('placeholders, short words and other parameters are not', () => {
		expect(rulesOf('https://acme.io/x?token=${API_TOKEN}')).toEqual([]);
		expect(rulesOf('https://acme.io/x?key=rollback')).toEqual([]);
		expect(rulesOf(`https://acme.io/x?page=${r(24)}`)).toEqual([]);
		expect(rulesOf('https://acme.io/x?token=')).toEqual([]);
	});
});

describe('keyword assignments', () => {
	it.each([
		['password=', r(12)],
		['passwd: ', r(12)],
		['DB_PASSWORD=', r(12)],
		['secret=', r(24)],
		['token=', r(24)],
		['api_key=', r(24)],
		['apikey: ', r(24)],
		['API-KEY = ', r(24)],
		['client_secret: ', r(32)],
		['clientSecret=', r(32)],
		['"password": "', `${r(12)}"`],
		['export CAVRA_API_TOKEN=', r(32)],
		['--password ', r(12)],
		['--token=', r(32)],
	])('%s<real-looking value> is a finding', (assignment, value) => {
		expect(rulesOf(`${assignment}${value}`)).toEqual(['secret-assignment']);
	});

	it('a human password needs only two character classes', () => {
		expect(rulesOf('password=hunter2')).toEqual(['secret-assignment']);
		expect(rulesOf('password: Hunter2pass!')).toEqual(['secret-assignment']);
	});

	it('a quoted value with spaces is read to its closing quote', () => {
		expect(rulesOf('password="correct Horse 9attery staple"')).toEqual(['secret-assignment']);
	});

	it('a key that is not itself a secret does not swallow the next assignment', () => {
		expect(rulesOf(`db: password=${r(12)}`)).toEqual(['secret-assignment']);
	});

	it('aws_secret_access_key has its own rule', () => {
		expect(rulesOf(`aws_secret_access_key = ${r(40, BASE64)}`)).toEqual(['aws-secret-key']);
		expect(rulesOf(`AWS_SECRET_ACCESS_KEY="${r(40, BASE64)}"`)).toEqual(['aws-secret-key']);
	});

	it('names of secrets, references and placeholders are not findings', () => {
		for (const text of [
			'CAVRA_API_TOKEN',
			'token=${CAVRA_API_TOKEN}',
			'token=$CAVRA_API_TOKEN',
			'token: ${{ secrets.CAVRA_API_TOKEN }}',
			'password=<REDACTED>',
			'password: ********',
			'secret=xxxx',
			'api_key=XXXXXXXXXXXXXXXX',
			'password=changeme',
			'password=change-me',
			'token=your-token-here',
			'password: disabled',
			'token: required',
			'secret: see the secret store',
		]) {
			expect(rulesOf(text), text).toEqual([]);
		}
	});

	it('paths to secret files are how plans should refer to secrets', () => {
		for (const text of [
			'KEY_FILE=/run/secrets/x',
			'--password-file /run/secrets/db',
			'password=/run/secrets/db_password',
			'api_key=~/.config/acme/key',
			'PRIVATE_KEY=./keys/deploy.pem',
			'SECRET_NAME=db-password',
			'token_type=Bearer',
			'max_tokens=4096',
		]) {
			expect(rulesOf(text), text).toEqual([]);
		}
	});

	it('phrases about secrets are not secrets', () => {
		for (const text of ['Follow the password rotation runbook.', 'Rotate the API token after the rollback.', 'Store it in the secret store.', 'The token expires in 15m.']) {
			expect(rulesOf(text), text).toEqual([]);
		}
	});
});

describe('digests, commit ids and UUIDs', () => {
	const sha256 = r(64, 'abcdef0123456789');
	const sha1 = r(40, 'abcdef0123456789', 2);
	const uuid = '3f0c2a1e-8b7d-4c6e-9a5f-1d2e3c4b5a69';

	it('labelled digests and run-id UUIDs are not findings', () => {
		expect(rulesOf(`sha256:${sha256}`)).toEqual([]);
		expect(rulesOf(`ghcr.io/acme/cavra-api@sha256:${sha256}`)).toEqual([]);
		expect(rulesOf(`Deploy commit ${sha1} again.`)).toEqual([]);
		expect(rulesOf(`run ${uuid}`)).toEqual([]);
		expect(rulesOf(`run_id=${uuid}`)).toEqual([]);
		expect(rulesOf(sha256)).toEqual([]);
	});

	it('the same values after a secret keyword are findings', () => {
		expect(rulesOf(`token=${uuid}`)).toEqual(['secret-assignment']);
		expect(rulesOf(`secret: sha256:${sha256}`)).toEqual(['secret-assignment']);
		expect(rulesOf(`api_key=${sha1}`)).toEqual(['secret-assignment']);
	});

	it('random long words on their own are never flagged (entropy needs a keyword)', () => {
		expect(rulesOf(r(64))).toEqual([]);
		expect(rulesOf(`Capture ${r(48)} now`)).toEqual([]);
	});
});
