import {describe, expect, it} from 'vitest';
import {isValidIpv6} from '../../../../source/core/lint/public-safety/endpoints.js';
import {hitsOf, rulesOf} from './helpers.js';

describe('private IPv4 addresses', () => {
	it.each(['10.0.0.1', '10.255.255.254', '172.16.0.1', '172.31.255.1', '192.168.1.20', '169.254.10.1'])('%s is a finding', ip => {
		expect(rulesOf(ip)).toEqual(['private-ip']);
		expect(rulesOf(`curl http://${ip}:8080/health`)).toEqual(['private-ip']);
	});

	it('169.254.169.254 (the cloud metadata endpoint) is a finding, and says so', () => {
		const [hit] = hitsOf('curl http://169.254.169.254/latest/meta-data/');
		expect(hit!.rule).toBe('public-safety/private-ip');
		expect(hit!.message).toContain('metadata endpoint');
	});

	it('outside the private ranges is not', () => {
		for (const ip of ['172.15.0.1', '172.32.0.1', '192.169.0.1', '11.0.0.1', '8.8.8.8', '0.0.0.0', '255.255.255.255']) expect(rulesOf(ip), ip).toEqual([]);
	});

	it('loopback is not a finding, with or without a port', () => {
		for (const text of ['127.0.0.1', '127.1.2.3:9000', 'http://127.0.0.1:8000/runtime/go-pilot/rollback-readiness', 'localhost', 'http://localhost:8000/x', '[::1]:8000', '::1'])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('documentation ranges are not findings', () => {
		for (const ip of ['192.0.2.10', '198.51.100.7', '203.0.113.250', '2001:db8::1', '2001:db8:85a3::8a2e:370:7334']) expect(rulesOf(ip), ip).toEqual([]);
	});

	it('version numbers, dates and dotted runs are not addresses', () => {
		for (const text of ['1.2.3.4', 'v10.1.2.3', 'version 10.1.2.3', 'release 192.168.0.1', '1.10.0.0.1', '10.0.0.1.5', '110.0.0.1', '10.0.0.256', '2024.10.01', 'cavra 10.0.0.1a'])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('the preview masks the host part', () => {
		expect(hitsOf('10.20.30.40')[0]!.preview).toBe('10.x.x.x');
		expect(hitsOf('192.168.7.9')[0]!.preview).toBe('192.x.x.x');
		expect(hitsOf('172.16.7.9')[0]!.preview).toBe('172.16.x.x');
	});

	it('an IPv4-mapped private address inside IPv6 is found', () => {
		expect(rulesOf('::ffff:10.1.2.3')).toEqual(['private-ip']);
	});
});

describe('private IPv6 addresses', () => {
	it.each(['fd12:3456:789a::1', 'fc00::1', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe80::1', 'fe80::1%eth0', 'febf::abcd', '[fd00::10]:8443'])('%s is a finding', ip => {
		expect(rulesOf(ip)).toEqual(['private-ip']);
	});

	it('link-local and ULA get their own wording', () => {
		expect(hitsOf('fe80::1')[0]!.message).toContain('link-local IPv6');
		expect(hitsOf('fd00::1')[0]!.message).toContain('unique local IPv6');
	});

	it('public, loopback, MAC-like and word-like text is not', () => {
		for (const text of ['2606:4700::1111', '::1', 'fc:aa:bb:cc:dd:ee', 'fec0::1', 'feed::1', 'fd1:2::3', 'face:b00c::1']) expect(rulesOf(text), text).toEqual([]);
	});

	it('validates the address shape', () => {
		expect(isValidIpv6('fd00::1')).toBe(true);
		expect(isValidIpv6('fe80:0:0:0:0:0:0:1')).toBe(true);
		expect(isValidIpv6('fd00::1::2')).toBe(false);
		expect(isValidIpv6('fd00:1:2:3:4:5:6:7:8')).toBe(false);
		expect(isValidIpv6('fd00:12345::1')).toBe(false);
		expect(isValidIpv6('fd00::10.1.2.3')).toBe(true);
	});
});

describe('internal DNS names', () => {
	it.each(['db01.corp.internal', 'ip-10-0-0-1.ec2.internal', 'build.acme.corp', 'printer.local', 'nas.lan', 'wiki.intranet', 'vault.private', 'router.home.arpa', 'box.localdomain', '*.corp.internal', 'metadata.google.internal'])(
		'%s is a finding',
		host => {
			expect(rulesOf(host)).toEqual(['internal-hostname']);
			expect(rulesOf(`ssh ops@${host} -p 22`).filter(r => r !== 'email')).toEqual(['internal-hostname']);
		},
	);

	it('the preview masks every label but a short last one (no 8 characters of the host show)', () => {
		expect(hitsOf('db01.corp.internal')[0]!.preview).toBe('d***.c***.i***');
		expect(hitsOf('deploy jenkins-02.local')[0]!.preview).toBe('j***.local');
	});

	it('a bare suffix, a dot-file and a path segment are not hosts', () => {
		for (const text of ['the .local domain', 'internal', '.env.local', 'cp .env.local .env', 'config/settings.local', 'localhost.localdomain', 'host.docker.internal'])
			expect(rulesOf(text), text).toEqual([]);
	});

	it('public names and service units are not internal', () => {
		for (const text of ['api.acme.io', 'cavra-api.service', 'systemctl restart cavra-api.service', 'com.cavra.agent', 'internal.acme.io', 'local.acme.io'])
			expect(rulesOf(text), text).toEqual([]);
	});
});

describe('cloud private endpoints', () => {
	it.each([
		'vpce-0abc1234def567890',
		'vpce-0abc1234def567890-ab12cd34.s3.us-east-1.vpce.amazonaws.com',
		'com.amazonaws.vpce.us-east-1.vpce-svc-0abc1234def567890',
		'mydb.privatelink.database.windows.net',
		'acme.privatelink.snowflakecomputing.com',
		'mydb.private.postgres.database.azure.com',
		'storage-acmepsc.p.googleapis.com',
		'vm1.abcdefgh.internal.cloudapp.net',
	])('%s is a finding', name => {
		expect(rulesOf(name)).toEqual(['private-endpoint']);
	});

	it('public cloud endpoints are not', () => {
		for (const text of ['s3.us-east-1.amazonaws.com', 'storage.googleapis.com', 'private.googleapis.com', 'acme.database.windows.net', 'vpc endpoint', 'vpce-xyz'])
			expect(rulesOf(text), text).toEqual([]);
	});
});

describe('Kubernetes cluster-local service names', () => {
	it.each(['cavra-api.svc', 'cavra-api.cavra.svc', 'cavra-api.cavra.svc.cluster.local', 'http://cavra-api.cavra.svc.cluster.local:8000/x', 'pod-1.cavra.pod.cluster.local'])('%s is a finding', name => {
		expect(rulesOf(name)).toEqual(['cluster-local-service']);
	});

	it('kubectl commands and a bare cluster domain are not', () => {
		for (const text of ['kubectl -n cavra rollout restart deployment/cavra-api', 'kubectl get svc', 'cluster.local', 'svc/cavra-api']) expect(rulesOf(text), text).toEqual([]);
	});
});
