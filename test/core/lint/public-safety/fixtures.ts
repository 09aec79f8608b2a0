import type {StringValue} from '../../../../source/core/json/document.js';

/**
 * Test secrets are generated at run time from a seed: no realistic token literal sits in the
 * repository (push protection and secret scanners stay quiet), and the property test can plant a
 * fresh random one in every run.
 */

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const DIGITS = '0123456789';
export const BASE64URL = `${ALNUM}_-`;
export const BASE64 = `${ALNUM}+/`;

/** mulberry32: tiny, deterministic, good enough to make high-entropy strings. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Random characters from `alphabet`, with upper, lower and digit forced in when the alphabet has them. */
export function randomChars(seed: number, length: number, alphabet = ALNUM): string {
	const next = prng(seed);
	const chars = Array.from({length}, () => alphabet[Math.floor(next() * alphabet.length)]!);
	const force = ['Q', 'k', '7'].filter(c => alphabet.includes(c));
	if (length >= 8) force.forEach((c, i) => (chars[1 + i * 3] = c));
	return chars.join('');
}

export interface PlantedSecret {
	kind: string;
	/** The full text planted in a string. */
	text: string;
	/** The generated part: nothing 8+ characters long from it may appear in any output. */
	random: string;
	/** Rules any of which counts as finding it. */
	rules: string[];
}

const ps = (name: string) => `public-safety/${name}`;

/** One realistic secret of each supported kind, its random part derived from `seed`. */
export function plantedSecrets(seed: number): PlantedSecret[] {
	const r = (n: number, alphabet = ALNUM, salt = 0) => randomChars(seed * 31 + salt, n, alphabet);
	const secrets: PlantedSecret[] = [];
	const add = (kind: string, prefix: string, random: string, suffix: string, rules: string[]) =>
		secrets.push({kind, text: `${prefix}${random}${suffix}`, random, rules: rules.map(ps)});

	add('aws', 'AK' + 'IA', r(16, UPPER_DIGITS), '', ['aws-access-key']);
	add('aws-session', 'AS' + 'IA', r(16, UPPER_DIGITS, 1), '', ['aws-access-key']);
	add('github', 'gh' + 'p_', r(36), '', ['github-token']);
	add('github-fine-grained', 'github' + '_pat_', `${r(22, ALNUM, 2)}_${r(59, ALNUM, 3)}`, '', ['github-token']);
	add('gitlab', 'gl' + 'pat-', r(20), '', ['gitlab-token']);
	add('npm', 'np' + 'm_', r(36), '', ['npm-token']);
	add('slack', 'xo' + 'xb-', `${r(12, DIGITS, 4)}-${r(13, DIGITS, 5)}-${r(24)}`, '', ['slack-token']);
	add('slack-webhook', 'https://hooks.slack' + '.com/services/', `T${r(10, UPPER_DIGITS, 6)}/B${r(10, UPPER_DIGITS, 7)}/${r(24)}`, '', ['slack-webhook', 'slack-token']);
	add('stripe', 'sk' + '_live_', r(24), '', ['stripe-key']);
	add('stripe-restricted', 'rk' + '_live_', r(24, ALNUM, 8), '', ['stripe-key']);
	add('openai', 'sk' + '-proj-', r(48), '', ['openai-key']);
	add('anthropic', 'sk' + '-ant-api03-', r(93, BASE64URL), 'AA', ['anthropic-key']);
	add('google', 'AI' + 'za', r(35, BASE64URL), '', ['google-api-key']);
	add('jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJ', `${r(30, BASE64URL, 9)}.${r(43, BASE64URL, 10)}`, '', ['jwt']);
	add('pem', '-----BEGIN RSA PRIV' + 'ATE KEY-----\n', `${r(64, BASE64, 11)}\n${r(64, BASE64, 12)}`, '\n-----END RSA PRIVATE KEY-----', ['private-key']);
	add('bearer', 'Authorization: Bearer ', r(32, ALNUM, 13), '', ['authorization-header']);
	add('url-password', 'https://deploy:', r(16, ALNUM, 14), '@db.acme.io/app', ['credentials-in-url']);
	add('query-token', 'https://api.acme.io/v1/items?token=', r(24, ALNUM, 15), '&page=2', ['secret-in-query']);
	add('password', 'password=', r(14, ALNUM, 16), '', ['secret-assignment']);
	add('client-secret', 'client_secret: ', r(32, ALNUM, 17), '', ['secret-assignment']);
	add('aws-secret', 'aws_secret_access_key = ', r(40, BASE64, 18), '', ['aws-secret-key']);
	return secrets;
}

export function strings(...values: string[]): StringValue[] {
	return values.map((value, i) => ({pointer: `/rollback_steps/${i}`, value, offset: 0}));
}

/** The seed example plan, as CAVRA's documentation gives it. */
export const SEED_PLAN_STRINGS = [
	'cavra.go-backend-rollback-plan.v1',
	'ready',
	'disabled',
	'apr_go_backend_rollback',
	'python-fallback-available',
	'promoted-mode-disable-tested',
	'rollback-approval-recorded',
	'operator-runbook-linked',
	'evidence-capture-enabled',
	'Set CAVRA_GO_BACKEND_MODE=disabled.',
	'Restart API, CI runner, or workstation process using CAVRA.',
	'Capture rollback readiness and production readiness reports.',
	'go-rollback-readiness://ci/ready',
	'go-promotion-rollback-runbook://docs/current',
];

/** ~100 KB strings built to make naive patterns backtrack or rescan. */
export function adversarialInputs(size = 100_000): Array<[string, string]> {
	const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
	return [
		['a*', fill('a')],
		['1*', fill('1')],
		['AKIA*', fill('AKIA')],
		['-----BEGIN *', fill('-----BEGIN ')],
		['PEM header*', fill('-----BEGIN RSA PRIVATE KEY-----')],
		['-----BEGIN +A*', `-----BEGIN ${fill('A')}`],
		['@*', fill('@')],
		['a@*', fill('a@')],
		['a*@', `${fill('a').slice(1)}@`],
		['1.*', fill('1.')],
		['10.0.0.1 *', fill('10.0.0.1 ')],
		['x:*', fill('x:')],
		['base64*', randomChars(1, size, BASE64)],
		['eyJ.*', fill('eyJ.')],
		['eyJ+a*.', fill(`eyJ${'a'.repeat(20)}.`)],
		['1 *', fill('1 ')],
		['1-*', fill('1-')],
		['(1) *', fill('(1) ')],
		['password=*', fill('password=')],
		['password="*', fill('password="')],
		['token: x*', `token: ${fill('x')}`],
		['--token *', fill('--token ')],
		[':// *', fill('://')],
		['a://a:*', fill('a://a:')],
		['https://u:p@*', fill('https://u:p@')],
		['?token=*', fill('?token=')],
		['&key=a1*', fill('&key=a1')],
		['a.*', fill('a.')],
		['a.local *', fill('a.local ')],
		['a-*', fill('a-')],
		['fd00:*', fill('fd00:')],
		['fe80::*', fill('fe80::')],
		['/tenants/*', fill('/tenants/')],
		['tenantId=*', fill('tenantId=')],
		['DE89*', fill('DE89')],
		['DE89 1234 *', fill('DE89 1234 ')],
		['sk-*', fill('sk-')],
		['sk-+A1*', `sk-${fill('A1b')}`],
		['ghp_+a*', `ghp_${fill('a')}`],
		['Bearer *', fill('Bearer ')],
		['Authorization: *', fill('Authorization: ')],
		['Basic +b64*', `Basic ${fill('QUJD')}`],
		['vpce-*', fill('vpce-')],
		['vpce-0123abcd *', fill('vpce-0123abcd ')],
		['account number: 1*', `account number: ${fill('1')}`],
		['4111 *', fill('4111 ')],
		['unicode*', fill('é😀\u0000\ud800')],
	];
}
