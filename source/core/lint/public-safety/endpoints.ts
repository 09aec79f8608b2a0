import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {clip, maskHost, maskSecret} from './mask.js';
import {ruleId} from './rules.js';

/**
 * Private endpoint identifiers: private and link-local addresses, internal DNS names, cloud
 * private-link / VPC endpoint names and Kubernetes cluster-local service names. Loopback
 * (127/8, ::1, localhost) and the documentation ranges are deliberately not findings: they say
 * nothing about anyone's network.
 */

// ---------------------------------------------------------------- IPv4

// The lookbehind refuses a digit, letter or dot before the first octet and the lookahead a
// further `.digit`, so `1.10.0.0.1`, `v10.1.2.3` and `110.0.0.1` are not read as addresses and
// the engine starts at most once per dotted run.
const IPV4 = /(?<![0-9A-Za-z.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9A-Za-z]|\.\d)/g;
const VERSION_WORD = /\b(?:version|release|build|ver|v)[\s:=]*$/i;

type Ipv4Class = 'rfc1918' | 'link-local' | 'metadata';

export function classifyIpv4(a: number, b: number, c: number, d: number): Ipv4Class | undefined {
	if (a > 255 || b > 255 || c > 255 || d > 255) return undefined;
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'rfc1918';
	if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'link-local';
	return undefined;
}

const IPV4_WHAT: Record<Ipv4Class, string> = {
	rfc1918: 'a private IPv4 address (RFC 1918)',
	'link-local': 'a link-local IPv4 address (169.254.0.0/16)',
	metadata: 'the cloud instance metadata endpoint 169.254.169.254 (a link-local address that hands out instance credentials)',
};

export const privateIpv4: Detector = {
	id: `${ruleId('private-ip')}#ipv4`,
	scan(value) {
		const out: RawMatch[] = [];
		if (!value.includes('.')) return out;
		forEachMatch(IPV4, value, m => {
			const [a, b, c, d] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
			const kind = classifyIpv4(a, b, c, d);
			if (!kind) return;
			if (VERSION_WORD.test(value.slice(Math.max(0, m.index - 12), m.index))) return;
			// Two octets only while they are shorter than 8 characters with their dots (`172.16.x.x`):
			// `192.168.` would be an 8-character piece of the address. The metadata address is
			// named by the message.
			const preview = a === 10 || kind === 'metadata' || `${a}.${b}.`.length >= 8 ? `${a}.x.x.x` : `${a}.${b}.x.x`;
			out.push({rule: ruleId('private-ip'), start: m.index, end: m.index + m[0].length, value: m[0], preview, what: IPV4_WHAT[kind]});
		});
		return out;
	},
};

// ---------------------------------------------------------------- IPv4 in other spellings

/**
 * inet_aton's reading of an address: one to four parts, each decimal, octal (leading 0) or hex
 * (0x); the last part fills the remaining bytes. `2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376`
 * and `169.254.43518` all reach 169.254.169.254, and `10.1` is 10.0.0.1. Undefined when `text`
 * is not such an address.
 */
export function parseInetAton(text: string): [number, number, number, number] | undefined {
	const parts = text.split('.');
	if (parts.length > 4) return undefined;
	const values: number[] = [];
	for (const part of parts) {
		let n: number;
		if (/^0x[0-9a-f]{1,8}$/i.test(part)) n = parseInt(part.slice(2), 16);
		else if (/^0[0-7]{0,11}$/.test(part)) n = parseInt(part, 8);
		else if (/^[1-9]\d{0,9}$/.test(part)) n = Number(part);
		else return undefined;
		values.push(n);
	}
	const last = values.pop()!;
	if (values.some(v => v > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
	let address = last;
	values.forEach((v, i) => (address += v * 2 ** (8 * (3 - i))));
	return [Math.floor(address / 2 ** 24) % 256, Math.floor(address / 2 ** 16) % 256, Math.floor(address / 2 ** 8) % 256, address % 256];
}

/** Plain dotted-quad decimal is the IPv4 detector's job. */
const DOTTED_DECIMAL = /^(?:[1-9]\d{0,2}|0)(?:\.(?:[1-9]\d{0,2}|0)){3}$/;
// Forms with a hex or octal part are written on purpose (to slip past filters), so they count
// anywhere; so do 10-digit decimals, which only reach the narrow private /16 and /12 ranges.
const EXOTIC = /(?<![\w.])(?:0x[0-9a-f]{1,8}|0[0-7]{1,11}|[1-9]\d{0,9})(?:\.(?:0x[0-9a-f]{1,8}|0[0-7]{0,11}|[1-9]\d{0,9})){0,3}(?![\w.])/gi;
/** Hosts of `scheme://[userinfo@]host[:port]` authorities, read by hand (each authority once). */
function urlHosts(value: string): Array<{start: number; host: string}> {
	const out: Array<{start: number; host: string}> = [];
	for (let i = value.indexOf('://'); i !== -1; i = value.indexOf('://', i + 3)) {
		let end = i + 3;
		while (end < value.length && !/[\s/?#"'<>`]/.test(value[end]!)) end++;
		const authority = value.slice(i + 3, end);
		const at = authority.lastIndexOf('@');
		let host = authority.slice(at + 1);
		const port = /:\d*$/.exec(host);
		if (port) host = host.slice(0, port.index);
		if (host.length > 0 && host.length <= 40 && /^[0-9a-fx.]+$/i.test(host)) out.push({start: i + 3 + at + 1, host});
		i = Math.max(i, end - 3);
	}
	return out;
}
/** Cheap test for text that can hold a hex, octal or 10-digit address at all. */
const MAY_HOLD_EXOTIC = /0x|(?:^|[^\d])0[0-7]|\d{10}/i;

// Where a bare short form (`10.1`) names a host: after a network command, `@`, or a host setting.
const HOST_CONTEXT = /(?:\b(?:curl|wget|ssh|scp|sftp|rsync|ping|nc|ncat|telnet|mysql|psql|redis-cli|mongo|dig|nslookup|traceroute)(?:[ \t]+-{1,2}[A-Za-z][\w-]*(?:[ =][^\s-]\S*)?)*[ \t]+|@|\b(?:host|hostname|ip|addr|address|server)["']?[ \t]*[=:][ \t]*["']?|--(?:host|ip|addr|address|server)[ =])$/i;
const SHORT_FORM = /(?<![\w.])\d{1,3}(?:\.\d{1,8}){1,2}(?=[:/\s"',;)]|$)/g;

function hasNonDecimalPart(text: string): boolean {
	return text.split('.').some(part => /^0x/i.test(part) || (part.length > 1 && part[0] === '0'));
}

function encodedIpHit(text: string, start: number): RawMatch | undefined {
	if (DOTTED_DECIMAL.test(text)) return undefined;
	const octets = parseInetAton(text);
	if (!octets) return undefined;
	const kind = classifyIpv4(...octets);
	if (!kind) return undefined;
	const dotted = octets.join('.');
	return {rule: ruleId('private-ip'), start, end: start + text.length, value: dotted, preview: kind === 'metadata' ? dotted : `${octets[0]}.${octets[1]}.x.x`, what: `${IPV4_WHAT[kind]}, written in another notation`};
}

export const encodedPrivateIpv4: Detector = {
	id: `${ruleId('private-ip')}#encoded`,
	scan(value) {
		const out: RawMatch[] = [];
		const taken = new Set<number>();
		if (value.includes('://')) {
			for (const {start, host} of urlHosts(value)) {
				const found = encodedIpHit(host, start);
				if (found) {
					out.push(found);
					taken.add(start);
				}
			}
		}
		if (value.includes('.')) {
			forEachMatch(SHORT_FORM, value, m => {
				if (taken.has(m.index) || !HOST_CONTEXT.test(value.slice(Math.max(0, m.index - 80), m.index))) return;
				const found = encodedIpHit(m[0], m.index);
				if (found) {
					out.push(found);
					taken.add(m.index);
				}
			});
		}
		if (!MAY_HOLD_EXOTIC.test(value)) return out;
		forEachMatch(EXOTIC, value, m => {
			const text = m[0];
			if (taken.has(m.index)) return;
			if (!hasNonDecimalPart(text) && !(text.length === 10 && !text.includes('.'))) return;
			const found = encodedIpHit(text, m.index);
			if (found) out.push(found);
		});
		return out;
	},
};

// ---------------------------------------------------------------- IPv6

// First hextet fc00–fdff (ULA, fc00::/7) or fe80–febf (link-local, fe80::/10), written with four
// digits; the rest is validated by hand. MAC-like `fc:aa:…` has two-digit groups and never matches.
const IPV6 = /(?<![0-9A-Za-z:.])(?:f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):[0-9a-f:.]*/gi;

export function isValidIpv6(text: string): boolean {
	if (text.length > 45 || text.length < 3) return false;
	const double = text.indexOf('::');
	if (double !== -1 && text.indexOf('::', double + 1) !== -1) return false;
	let groups = text.split(':');
	let needed = 8;
	const last = groups[groups.length - 1]!;
	if (last.includes('.')) {
		const octets = last.split('.');
		if (octets.length !== 4 || octets.some(o => !/^\d{1,3}$/.test(o) || Number(o) > 255)) return false;
		groups = groups.slice(0, -1);
		needed = 6;
	}
	if (double === -1) return groups.length === needed && groups.every(g => /^[0-9a-f]{1,4}$/i.test(g));
	const nonEmpty = groups.filter(g => g !== '');
	if (nonEmpty.length >= needed) return false;
	// With `::` only the elided run may be empty (plus one edge when it sits at either end).
	const empties = groups.length - nonEmpty.length;
	if (empties > 3) return false;
	return nonEmpty.every(g => /^[0-9a-f]{1,4}$/i.test(g));
}

export const privateIpv6: Detector = {
	id: `${ruleId('private-ip')}#ipv6`,
	scan(value) {
		const out: RawMatch[] = [];
		if (!value.includes(':')) return out;
		forEachMatch(IPV6, value, m => {
			// "fe80::1." at the end of a sentence; a zone id (`%eth0`) simply ends the run.
			let candidate = m[0];
			while (candidate.endsWith('.') || (candidate.endsWith(':') && !candidate.endsWith('::'))) candidate = candidate.slice(0, -1);
			const next = value.charCodeAt(m.index + m[0].length);
			if (isWordChar(next) || !isValidIpv6(candidate)) return;
			const linkLocal = /^fe[89ab]/i.test(candidate);
			out.push({
				rule: ruleId('private-ip'),
				start: m.index,
				end: m.index + candidate.length,
				value: candidate.toLowerCase(),
				preview: `${candidate.slice(0, 4).toLowerCase()}:…`,
				what: linkLocal ? 'a link-local IPv6 address (fe80::/10)' : 'a unique local IPv6 address (fc00::/7)',
			});
		});
		return out;
	},
};

function isWordChar(c: number): boolean {
	return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// ---------------------------------------------------------------- host names

// A maximal run of host characters, optionally behind a `*.` wildcard. The lookbehind keeps the
// engine from restarting inside a run, so every character is visited once.
const HOST_RUN = /(?<![A-Za-z0-9_.*-])(?:\*\.)?[A-Za-z0-9_][A-Za-z0-9_.-]*/g;

interface HostCandidate {
	start: number;
	/** Length of the run in the text (with any `*.` prefix). */
	length: number;
	/** Lower-case, trailing dots and hyphens removed, leading `*.` removed. */
	host: string;
}

/**
 * Host-like runs with at least one dot and no empty label. A run right after a single `/` is a
 * path segment (`/etc/app/settings.local`), not a host; after `//` or `@` it is an authority.
 * The cheap substring gate skips the regex entirely for most strings.
 */
export function hostCandidates(value: string, mustContain: readonly string[]): HostCandidate[] {
	const out: HostCandidate[] = [];
	if (!value.includes('.')) return out;
	const lower = value.toLowerCase();
	if (!mustContain.some(needle => lower.includes(needle))) return out;
	forEachMatch(HOST_RUN, lower, m => {
		let run = m[0];
		while (run.endsWith('.') || run.endsWith('-')) run = run.slice(0, -1);
		if (!run.includes('.') || run.includes('..')) return;
		if (m.index > 0 && lower[m.index - 1] === '/' && lower[m.index - 2] !== '/') return;
		out.push({start: m.index, length: run.length, host: run.startsWith('*.') ? run.slice(2) : run});
	});
	return out;
}

const CLUSTER_SUFFIXES = ['.svc', '.svc.cluster.local', '.cluster.local'];
const INTERNAL_SUFFIXES = ['.internal', '.corp', '.local', '.lan', '.intranet', '.private', '.home.arpa', '.localdomain'];
/** Generic names every Docker or Kubernetes install has; they identify nobody's network. */
const GENERIC_INTERNAL = new Set(['cluster.local', 'host.docker.internal', 'gateway.docker.internal', 'kubernetes.docker.internal', 'localhost.localdomain']);

function matchingSuffix(host: string, suffixes: readonly string[]): string | undefined {
	let best: string | undefined;
	for (const suffix of suffixes) {
		// At least one label must precede the suffix: ".local" alone names nothing.
		if (host.endsWith(suffix) && host.length > suffix.length && (!best || suffix.length > best.length)) best = suffix;
	}
	return best;
}

export function isClusterLocal(host: string): string | undefined {
	return matchingSuffix(host, CLUSTER_SUFFIXES);
}

/** Cloud private connectivity names: AWS PrivateLink / VPC endpoints, Azure Private Link, GCP PSC. */
export function privateEndpointKind(host: string, labels: readonly string[]): string | undefined {
	if (labels.some(l => l === 'privatelink' || l === 'vpce' || l.startsWith('vpce-'))) return 'private-link';
	if (host.endsWith('.p.googleapis.com') && labels.length > 3) return 'gcp-psc';
	if (host.endsWith('.internal.cloudapp.net')) return 'azure-internal';
	const isAzure = host.endsWith('.azure.com') || host.endsWith('.azure.net') || host.endsWith('.windows.net') || labels.some(l => l.startsWith('azure'));
	if (isAzure && labels.includes('private')) return 'azure-private';
	return undefined;
}

const ENDPOINT_ID = /(?<![A-Za-z0-9_-])vpce(?:-svc)?-[0-9a-f]{8,17}(?![A-Za-z0-9_])/g;

export const privateEndpoint: Detector = {
	id: ruleId('private-endpoint'),
	scan(value) {
		const out: RawMatch[] = [];
		const lower = value.toLowerCase();
		const hostMarkers = ['vpce', 'privatelink', '.p.googleapis.com', 'cloudapp.net', 'private'];
		for (const candidate of hostCandidates(value, hostMarkers)) {
			const labels = candidate.host.split('.');
			if (!privateEndpointKind(candidate.host, labels)) continue;
			out.push({
				rule: ruleId('private-endpoint'),
				start: candidate.start,
				end: candidate.start + candidate.length,
				value: candidate.host,
				preview: maskHost(candidate.host),
			});
		}
		if (lower.includes('vpce')) {
			// Host hits and id matches both come in increasing order: skip ids inside a host hit
			// with one forward-moving pointer rather than a search per id.
			const hosts = out.slice();
			let h = 0;
			forEachMatch(ENDPOINT_ID, lower, m => {
				while (h < hosts.length && hosts[h]!.end <= m.index) h++;
				if (h < hosts.length && m.index >= hosts[h]!.start) return;
				out.push({rule: ruleId('private-endpoint'), start: m.index, end: m.index + m[0].length, value: m[0], preview: clip(maskSecret(m[0]))});
			});
		}
		return out;
	},
};

export const clusterLocalService: Detector = {
	id: ruleId('cluster-local-service'),
	scan(value) {
		const out: RawMatch[] = [];
		for (const candidate of hostCandidates(value, ['.svc', '.cluster.local'])) {
			const suffix = isClusterLocal(candidate.host);
			if (!suffix) continue;
			out.push({
				rule: ruleId('cluster-local-service'),
				start: candidate.start,
				end: candidate.start + candidate.length,
				value: candidate.host,
				preview: maskHost(candidate.host),
			});
		}
		return out;
	},
};

export const internalHostname: Detector = {
	id: ruleId('internal-hostname'),
	scan(value) {
		const out: RawMatch[] = [];
		for (const candidate of hostCandidates(value, INTERNAL_SUFFIXES)) {
			const suffix = matchingSuffix(candidate.host, INTERNAL_SUFFIXES);
			if (!suffix || GENERIC_INTERNAL.has(candidate.host)) continue;
			// Reported by the more precise rules instead.
			if (isClusterLocal(candidate.host) || privateEndpointKind(candidate.host, candidate.host.split('.'))) continue;
			out.push({
				rule: ruleId('internal-hostname'),
				start: candidate.start,
				end: candidate.start + candidate.length,
				value: candidate.host,
				preview: maskHost(candidate.host),
			});
		}
		return out;
	},
};

export const endpointDetectors: readonly Detector[] = [privateIpv4, encodedPrivateIpv4, privateIpv6, internalHostname, privateEndpoint, clusterLocalService];
