import {Buffer} from 'node:buffer';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {findSensitiveSpans} from '../../../../source/core/lint/public-safety/detectors.js';
import {parseInetAton} from '../../../../source/core/lint/public-safety/endpoints.js';
import {LiteralSet} from '../../../../source/core/lint/public-safety/gates.js';
import {stripInvisible} from '../../../../source/core/lint/public-safety/hidden.js';
import {isFiller} from '../../../../source/core/lint/public-safety/values.js';
import {ALNUM, BASE64, DIGITS, UPPER_DIGITS, randomChars} from './fixtures.js';
import {hitsOf, rulesOf} from './helpers.js';

const r = (n: number, alphabet = ALNUM, seed = 21) => randomChars(seed, n, alphabet);

describe('a token split by an invisible character is still found', () => {
	const token = 'gh' + 'p_' + r(36);
	it.each([
		['zero-width space', '\u200b'],
		['ESC', '\u001b'],
		['right-to-left override', '\u202e'],
		['word joiner', '\u2060'],
	])('%s', (_label, ch) => {
		const split = `${token.slice(0, 12)}${ch}${token.slice(12)}`;
		const [hit] = hitsOf(`export GITHUB_TOKEN=${split}`);
		expect(hit?.rule).toBe('public-safety/github-token');
		// Same fingerprint as the clean token: one lint.allow entry, one rotation, whatever the disguise.
		expect(hit?.fingerprint).toBe(hitsOf(token)[0]!.fingerprint);
		// The redactor's span covers the whole disguised token in the original text.
		const text = `use ${split} now`;
		const [span] = findSensitiveSpans(text);
		expect(text.slice(span!.start, span!.end)).toBe(split);
	});

	it('offsets map back across several removed characters', () => {
		const stripped = stripInvisible('a\u200bb\u202ec');
		expect(stripped.text).toBe('abc');
		expect(stripped.original).toEqual([0, 2, 4, 5]);
	});
});

describe('secrets wrapped in base64', () => {
	it('a base64-encoded JWT is a JWT; base64 of plain prose is not a finding', () => {
		const jwt = 'eyJhbGciOiJIUzI1NiJ9' + '.eyJ' + r(40) + '.' + r(43);
		expect(rulesOf(`token blob ${Buffer.from(jwt).toString('base64')}`)).toEqual(['jwt']);
		expect(rulesOf(`payload=${Buffer.from('Restart the API service after the rollback.').toString('base64')}`)).toEqual([]);
	});

	it('a credential base64-encoded in a URL parameter is found as an encoded secret', () => {
		const inner = Buffer.from(`postgres://app:${r(16)}@db.acme.io/app`).toString('base64url');
		expect(rulesOf(`https://hooks.acme.io/notify?cfg=${inner}`)).toEqual(['encoded-secret']);
	});

	it('docker auth is a finding when it decodes to user:password', () => {
		const auth = Buffer.from(`deploy:${r(18)}`).toString('base64');
		expect(rulesOf(`{"auths": {"registry.acme.io": {"auth": "${auth}"}}}`)).toContain('secret-assignment');
		expect(rulesOf('{"auths": {"registry.acme.io": {"auth": "${REGISTRY_AUTH}"}}}')).toEqual([]);
	});

	it('every value of a Kubernetes Secret is a finding, whatever the key; templates and other kinds are not', () => {
		const value = Buffer.from(r(20)).toString('base64');
		const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  settings.yaml: ${value}\n  replica: ${Buffer.from('db-primary-7').toString('base64')}\n`;
		expect(hitsOf(secret).filter(h => h.rule === 'public-safety/secret-assignment')).toHaveLength(2);
		expect(rulesOf('kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n')).toEqual([]);
		expect(rulesOf(`kind: ConfigMap\ndata:\n  settings.yaml: ${value}\n`)).toEqual([]);
	});
});

describe('IPv4 addresses in other notations', () => {
	it('reads inet_aton forms', () => {
		expect(parseInetAton('2852039166')).toEqual([169, 254, 169, 254]);
		expect(parseInetAton('0xa9fea9fe')).toEqual([169, 254, 169, 254]);
		expect(parseInetAton('0251.0376.0251.0376')).toEqual([169, 254, 169, 254]);
		expect(parseInetAton('169.254.43518')).toEqual([169, 254, 169, 254]);
		expect(parseInetAton('10.1')).toEqual([10, 0, 0, 1]);
		expect(parseInetAton('1.2.3.4.5')).toBeUndefined();
		expect(parseInetAton('08.1')).toBeUndefined();
	});

	it('private forms are findings in URLs and when written in hex or octal; versions and counts are not', () => {
		for (const text of ['curl http://2852039166/latest/meta-data/', 'curl http://10.1:8080/health', 'ping 0xc0a80001', 'http://0300.0250.0.1/']) expect(rulesOf(text), text).toEqual(['private-ip']);
		for (const text of ['upgrade to 10.1 then 10.1.2', 'timeout 2852039166 is wrong', 'curl http://0x08080808/', 'curl http://134744072/']) {
			expect(rulesOf(text), text).toEqual(text.includes('timeout') ? ['private-ip'] : []);
		}
	});
});

describe('placeholders are judged on the matched span', () => {
	it('an AWS example key id does not silence a real secret next to it', () => {
		const secret = r(40, `${ALNUM}/+`);
		expect(rulesOf(`AWS_ACCESS_KEY_ID=AKIA${'IOSFODNN7EXAMPLE'} AWS_SECRET_ACCESS_KEY=${secret}`)).toEqual(['aws-secret-key']);
		expect(rulesOf(`creds AKIA${'IOSFODNN7EXAMPLE'}:${'AK' + 'IA'}${r(16, UPPER_DIGITS)}`)).toEqual(['aws-access-key']);
	});

	it('typed filler is not a credential', () => {
		for (const v of ['abcdef123456', '111111111111', 'abcabcabcabc', '0123456789abcdef', 'qwertyuiop12']) expect(isFiller(v), v).toBe(true);
		for (const v of [r(16), r(12, DIGITS, 3), 'Tr0ub4dor&3x']) expect(isFiller(v), v).toBe(false);
	});
});

describe('gate literals', () => {
	it('finds overlapping and prefix-sharing literals in one pass', () => {
		for (const shortText of [0, 512]) {
			const set = new LiteralSet(['pat', 'pat-na1-', 'AC', 'ACCA', 'CA'], {shortText});
			expect([...set.present('x pat-na1- ACCA')].sort()).toEqual(['AC', 'ACCA', 'CA', 'pat', 'pat-na1-']);
			expect([...set.present('nothing here')]).toEqual([]);
		}
	});

	it('reports exactly the literals a plain `includes` finds, for any literals and text', () => {
		const unit = fc.constantFrom('a', 'b', 'c', '-', '.');
		const literals = fc.array(fc.string({unit, maxLength: 5}), {maxLength: 12});
		// Text made of the literals themselves (cut or whole) and noise, so prefixes and overlaps are common.
		const textOf = (list: string[]) => fc.array(fc.oneof(fc.constantFrom('', ...list), fc.string({unit, maxLength: 3})), {maxLength: 8}).map(parts => parts.join(''));
		fc.assert(
			fc.property(literals.chain(list => fc.tuple(fc.constant(list), textOf(list))), ([list, text]) => {
				const expected = [...new Set(list)].filter(l => l.length > 0 && text.includes(l)).sort();
				// Both ways of reading: pair by pair (short texts) and the regex (long ones).
				expect([...new LiteralSet(list).present(text)].sort()).toEqual(expected);
				expect([...new LiteralSet(list, {shortText: 0}).present(text)].sort()).toEqual(expected);
			}),
			{numRuns: 500},
		);
	});
});

describe('messages never carry the matched value', () => {
	it('for every new rule', () => {
		const secret = 'sq0' + 'csp-' + r(43);
		const keyed = r(32, 'abcdef0123456789');
		for (const hit of [...hitsOf(secret), ...hitsOf(`SENTRY_TOKEN=${keyed}${keyed}`), ...hitsOf(`<password>${r(14)}</password>`)]) {
			expect(hit.message).not.toContain(secret.slice(7, 20));
			expect(hit.message).not.toContain(keyed.slice(0, 12));
			expect(hit.preview.length).toBeLessThan(40);
		}
	});
});

void BASE64;

describe('short IPv4 forms name a host only where a host is expected', () => {
	it.each(['curl 10.1:8080/health', 'ssh -p 2222 10.1', 'ping 192.168.1', 'deploy@10.1', 'host=172.16.5', 'redis-cli -h 10.1'])('%s is a finding', text => {
		expect(rulesOf(text)).toEqual(['private-ip']);
	});
	it.each(['Upgrade to 10.1 first', 'version 10.1', 'retry 10.1 times', 'ping the on-call, then wait 10.5 minutes'])('%s is not', text => {
		expect(rulesOf(text)).toEqual([]);
	});
	it('base64 of user:password in a URL is an encoded secret', () => {
		const blob = Buffer.from(`deploy:${r(16)}`).toString('base64');
		expect(rulesOf(`https://acme.io/hook?c=${blob}`)).toEqual(['encoded-secret']);
	});
});
