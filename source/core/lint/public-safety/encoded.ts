import {Buffer} from 'node:buffer';
import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {maskSecret} from './mask.js';
import {ruleClass, ruleId} from './rules.js';
import {isPlaceholderSecret, looksLikePassword} from './values.js';

/**
 * Secrets wrapped in base64: a blob in a URL, a Kubernetes Secret's `data:` values, a docker
 * `auth`. A base64 run is decoded and, when it decodes to text, scanned with the other secret
 * detectors; a hit reports the whole run. Work is bounded: runs of 16–4096 characters, each
 * distinct run decoded once, at most 200 per string.
 */

const RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{16,4096}={0,2}(?![A-Za-z0-9+/=_-])/g;
const MAX_RUNS = 200;

/** The decoded text when `run` is base64 of printable text, else undefined. */
export function decodeText(run: string): string | undefined {
	const body = run.replace(/=+$/, '');
	if (body.length % 4 === 1) return undefined;
	const decoded = Buffer.from(body, 'base64').toString('latin1');
	if (decoded.length < 6) return undefined;
	for (let i = 0; i < decoded.length; i++) {
		const c = decoded.charCodeAt(i);
		if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c > 0x7e) return undefined;
	}
	return decoded;
}

/** `user:password` on its own, as in HTTP Basic credentials and docker `auth` values. */
const USER_PASSWORD = /^[\w.@+-]{0,64}:[\x21-\x7e]{6,128}$/;

function isUserPassword(decoded: string): boolean {
	if (!USER_PASSWORD.test(decoded) || /["{}]/.test(decoded)) return false;
	return looksLikePassword(decoded.slice(decoded.indexOf(':') + 1));
}

/** `Authorization: Basic <base64>` and `Bearer <token>` are the authorization-header rule's. */
const AFTER_SCHEME = /(?:basic|bearer|token)[ \t]+$/i;

function secretIn(decoded: string, inner: readonly Detector[]): boolean {
	if (isUserPassword(decoded)) return true;
	for (const detector of inner) {
		let matches: RawMatch[];
		try {
			matches = detector.scan(decoded);
		} catch {
			continue;
		}
		if (matches.some(m => ruleClass(m.rule) === 'secret')) return true;
	}
	return false;
}

export function encodedSecretDetector(inner: () => readonly Detector[]): Detector {
	return {
		id: ruleId('encoded-secret'),
		scan(value) {
			const out: RawMatch[] = [];
			if (value.length < 16) return out;
			const judged = new Map<string, boolean>();
			forEachMatch(RUN, value, m => {
				const run = m[0];
				let secret = judged.get(run);
				if (secret === undefined) {
					if (judged.size >= MAX_RUNS) return;
					const decoded = decodeText(run);
					secret = decoded !== undefined && secretIn(decoded, inner());
					judged.set(run, secret);
				}
				if (secret && !AFTER_SCHEME.test(value.slice(Math.max(0, m.index - 10), m.index))) out.push({rule: ruleId('encoded-secret'), start: m.index, end: m.index + run.length, value: run, preview: maskSecret(run)});
			});
			return out;
		},
	};
}

// ---------------------------------------------------------------- Kubernetes Secret data

const SECRET_KIND = /\bkind["']?[ \t]*:[ \t]*["']?Secret\b/;
const DATA_BLOCK = /(?:^|\n)([ \t]*)(?:data|stringData)[ \t]*:[ \t]*\n/g;
const DATA_ENTRY = /^([ \t]+)["']?[\w.-]{1,253}["']?[ \t]*:[ \t]*["']?([^\s"'#]*)["']?[ \t]*$/;

/**
 * Every value under `data:` (base64) or `stringData:` (plain) of a `kind: Secret` manifest is a
 * secret whatever its key is called; templates (`{{ … }}`) and empty values are not.
 */
export const kubernetesSecretData: Detector = {
	id: `${ruleId('secret-assignment')}#kubernetes`,
	scan(value) {
		const out: RawMatch[] = [];
		if (!value.includes('Secret') || !value.includes('ata:') || !SECRET_KIND.test(value)) return out;
		forEachMatch(DATA_BLOCK, value, m => {
			const plain = m[0].includes('stringData');
			let lineStart = m.index + m[0].length;
			let indent: string | undefined;
			while (lineStart < value.length) {
				let lineEnd = value.indexOf('\n', lineStart);
				if (lineEnd === -1) lineEnd = value.length;
				const entry = DATA_ENTRY.exec(value.slice(lineStart, lineEnd));
				if (!entry || entry[1]!.length <= m[1]!.length || (indent !== undefined && entry[1] !== indent)) break;
				indent = entry[1]!;
				const raw = entry[2]!;
				const decoded = plain ? raw : decodeText(raw) ?? '';
				if (raw.length > 0 && !isPlaceholderSecret(raw) && (plain ? looksLikePassword(raw) : decoded.length > 0 && !isPlaceholderSecret(decoded))) {
					const start = lineStart + entry[0].lastIndexOf(raw);
					out.push({rule: ruleId('secret-assignment'), start, end: start + raw.length, value: raw, preview: maskSecret(raw), what: 'a value of a Kubernetes Secret (data values are only base64-encoded, not encrypted)'});
				}
				lineStart = lineEnd + 1;
			}
			DATA_BLOCK.lastIndex = Math.max(DATA_BLOCK.lastIndex, lineStart);
		});
		return out;
	},
};
