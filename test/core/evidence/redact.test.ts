import {describe, expect, it} from 'vitest';
import {isSecretName, redactArgv, redactText, REDACTED, secretValuesFrom} from '../../../source/core/evidence/redact.js';

describe('secretValuesFrom', () => {
	it('takes the values of secret-looking names, skipping trivial ones, longest first', () => {
		const values = secretValuesFrom(
			{CAVRA_API_TOKEN: 'tok-123456', DB_PASSWORD: 'pw-abcdefgh', HOME: '/root', FEATURE_KEY: 'true', SHORT_SECRET: 'ab'},
			{AWS_SECRET_ACCESS_KEY: 'aws-very-long-secret-value', CAVRA_GO_BACKEND_MODE: 'disabled', UNSET_TOKEN: undefined},
		);
		expect(values).toEqual(['aws-very-long-secret-value', 'pw-abcdefgh', 'tok-123456']);
	});

	it('recognises the usual names', () => {
		for (const name of ['GITHUB_TOKEN', 'API_KEY', 'DB_PASSWORD', 'DB_PASSWD', 'CLIENT_SECRET', 'GOOGLE_APPLICATION_CREDENTIALS', 'HTTP_AUTH', 'SSH_PRIVATE_KEY', 'PGPW']) {
			expect(isSecretName(name), name).toBe(name !== 'PGPW');
		}
		for (const name of ['PATH', 'HOME', 'CAVRA_GO_BACKEND_MODE', 'LANG']) expect(isSecretName(name), name).toBe(false);
	});
});

describe('redactText', () => {
	it.each([
		['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', `Authorization: Bearer ${REDACTED}`],
		['curl -H "Authorization: Basic dXNlcjpwYXNz"', `curl -H "Authorization: Basic ${REDACTED}"`],
		['password=hunter22 next', `password=${REDACTED} next`],
		['DB_PASSWORD="with spaces" ok', `DB_PASSWORD=${REDACTED} ok`],
		['api_key: abc123, region: eu', `api_key: ${REDACTED}, region: eu`],
		['https://user:pa55@example.com/x', `https://user:${REDACTED}@example.com/x`],
		['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', `-----BEGIN PRIVATE KEY----- ${REDACTED}`],
		['Restarted cavra-api.service.', 'Restarted cavra-api.service.'],
		['deployment "cavra-api" successfully rolled out', 'deployment "cavra-api" successfully rolled out'],
	])('%j', (input, expected) => {
		expect(redactText(input)).toBe(expected);
	});

	it('hides known values wherever they appear', () => {
		expect(redactText('a tok-123456 b tok-123456', ['tok-123456'])).toBe(`a ${REDACTED} b ${REDACTED}`);
	});
});

describe('redactArgv', () => {
	it('hides secret flags, assignments and known values; leaves the rest', () => {
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
		expect(redactArgv(['/opt/restart', 'sekrit-value'], ['sekrit-value'])).toEqual(['/opt/restart', REDACTED]);
	});
});
