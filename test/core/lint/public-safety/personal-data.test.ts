import {describe, expect, it} from 'vitest';
import {ibanValid, luhnValid} from '../../../../source/core/lint/public-safety/personal-data.js';
import {hitsOf, rulesOf} from './helpers.js';

describe('email addresses', () => {
	it('an address at a real domain is a finding, masked', () => {
		expect(rulesOf('Page jane.doe@acme-corp.com if the restart fails.')).toEqual(['email']);
		expect(rulesOf('mailto:oncall+cavra@acme.io')).toEqual(['email']);
		expect(hitsOf('jane.doe@acme-corp.com')[0]!.preview).toBe('j***@a***.com');
		// The domain names the customer and the host part an internal machine: neither shows.
		expect(hitsOf('r.doe@fabrikam-payments.com')[0]!.preview).toBe('r***@f***.com');
		expect(hitsOf('deploy@jenkins-02.local').map(h => h.preview)).toEqual(['d***@j***.local', 'j***.local']);
	});

	it('documentation domains are not findings', () => {
		for (const text of ['ops@example.com', 'ops@mail.example.org', 'a@example.net', 'a@cavra.test', 'a@host.example', 'a@nowhere.invalid']) expect(rulesOf(text), text).toEqual([]);
	});

	it('things with an @ that are not addresses', () => {
		for (const text of [
			'git@github.com:acme/cavra.git',
			'ghcr.io/acme/cavra-api@sha256:0f2c',
			'npm install cavra@1.2.3',
			'@acme/cavra',
			'user@localhost',
			'@@@',
			'https://deploy@git.acme.io/repo.git',
		])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('the password of a URL is not mistaken for an address', () => {
		expect(rulesOf('postgres://app:Hunter2pass@db.acme.io/app')).toEqual(['credentials-in-url']);
	});
});

describe('phone numbers', () => {
	it.each(['+1 415 555 0123', '+14155550123', '+44 20 7946 0958', '+49 (30) 123456789', '+33 6 12 34 56 78', '(415) 555-0123', '415-555-0123', '415.555.0123', '020 7946 0958', '030 12345678', '06 12 34 56 78', '0044 20 7946 0958'])(
		'%s is a finding',
		phone => {
			expect(rulesOf(`On-call: ${phone}.`)).toEqual(['phone-number']);
		},
	);

	it('a labelled run of digits is a finding', () => {
		expect(rulesOf('call 4155550123')).toEqual(['phone-number']);
		expect(rulesOf('phone: 5550123')).toEqual(['phone-number']);
	});

	it('dates, versions, durations, ports, ids and small numbers are not', () => {
		for (const text of [
			'2024-01-15',
			'15.01.2024',
			'05-06-2024',
			'2024-01-15 10:30:00',
			'1.2.3',
			'v1.2.3.4',
			'8.8.4.4',
			'15m',
			'wait 30 seconds',
			'max_recovery_minutes 15',
			':8000',
			'1700000000',
			'4155550123',
			'issue #4155550123',
			'gui/501/com.cavra.agent',
			'steps 1 2 3 4 5 6 7 8',
			'+1',
			'+100%',
			'UTC+05:30',
		])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('the preview keeps the country code only', () => {
		expect(hitsOf('+44 20 7946 0958')[0]!.preview).toBe('+44…(12 digits)');
		expect(hitsOf('(415) 555-0123')[0]!.preview).toBe('…(10 digits)');
	});
});

describe('payment card numbers', () => {
	it.each(['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '5555 5555 5555 4444', '3782 822463 10005', '6011 1111 1111 1117'])('Luhn-valid %s is a finding', card => {
		expect(rulesOf(`card ${card} on file`)).toEqual(['payment-card']);
	});

	it('Luhn-invalid numbers, odd groupings, timestamps and runs inside other tokens are not', () => {
		for (const text of ['4111 1111 1111 1112', '0000 0000 0000 0000', '1700000000000000000', 'ab4111111111111111', '4111111111111111cd', '41.11.11.11.11.11.11.11', '4111 1111 1111 1111 1111 1111'])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('the preview shows one digit and the length', () => {
		expect(hitsOf('4111 1111 1111 1111')[0]!.preview).toBe('4…(16 digits)');
	});

	it('luhnValid', () => {
		expect(luhnValid('79927398713')).toBe(true);
		expect(luhnValid('79927398710')).toBe(false);
	});
});

describe('bank account numbers', () => {
	it.each(['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'FR14 2004 1010 0505 0001 3M02 606', 'NL91 ABNA 0417 1643 00'])('valid IBAN %s is a finding', iban => {
		expect(rulesOf(`refund to ${iban}`)).toEqual(['bank-account']);
	});

	it('an IBAN with a wrong checksum or length is not', () => {
		expect(rulesOf('DE88 3704 0044 0532 0130 00')).toEqual([]);
		expect(rulesOf('DE89 3704 0044 0532 0130')).toEqual([]);
		expect(ibanValid('GB82WEST12345698765432')).toBe(true);
		expect(ibanValid('GB82WEST12345698765433')).toBe(false);
	});

	it('labelled US routing and account numbers', () => {
		expect(rulesOf('routing number: 021000021')).toEqual(['bank-account']);
		expect(rulesOf('ABA 011000015')).toEqual(['bank-account']);
		expect(rulesOf('account number: 12345678901')).toEqual(['bank-account']);
		expect(rulesOf('acct no. 000123456789')).toEqual(['bank-account']);
	});

	it('unlabelled or checksum-invalid numbers are not', () => {
		expect(rulesOf('021000021')).toEqual([]);
		expect(rulesOf('routing number: 021000022')).toEqual([]);
		expect(rulesOf('account 12')).toEqual([]);
		expect(rulesOf('rollback account of events')).toEqual([]);
	});
});

describe('tenant and customer ids', () => {
	it.each([
		'https://console.acme.io/admin?tenantId=8c1f2a90',
		'https://console.acme.io/admin?tenant_id=acme-prod',
		'https://support.acme.io/ticket?customerId=C-104233',
		'https://console.acme.io/tenants/8c1f2a90/settings',
		'https://console.acme.io/customers/globex/',
		'https://console.acme.io/accounts/123456789012/billing',
		'see /tenants/7731/overview',
		'customer_id: C-104233',
	])('%s is a finding', text => {
		expect(rulesOf(text)).toEqual(['customer-id']);
	});

	it('templated, generic or prose references are not', () => {
		for (const text of [
			'https://console.acme.io/tenants/{tenantId}/settings',
			'https://console.acme.io/tenants/:id/',
			'https://console.acme.io/tenants/<tenant>/',
			'https://console.acme.io/accounts/settings',
			'tenantId=${TENANT_ID}',
			'tenant_id: the affected tenant',
			'docs/customers/onboarding.md',
			'Notify affected customers.',
		])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('the preview masks the id', () => {
		expect(hitsOf('https://console.acme.io/admin?tenantId=8c1f2a90-aaaa-bbbb')[0]!.preview).toBe('tenantId=8c1f…(18 chars)');
	});
});
