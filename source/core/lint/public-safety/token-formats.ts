import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {cloudFormats} from './formats/cloud.js';
import type {TokenFormat} from './formats/format.js';
import {saasFormats} from './formats/saas.js';
import {hasUnbrokenRun, LiteralSet} from './gates.js';
import {maskSecret} from './mask.js';
import {ruleId} from './rules.js';
import {isPlaceholderSecret} from './values.js';

/**
 * Every credential format with a documented prefix or URL shape beyond the handful in
 * provider-tokens.ts, in one detector: each format is gated by a substring test (a handful of
 * `includes` per string), so the regexes only run on text that can match.
 */
export const tokenFormats: readonly TokenFormat[] = [...cloudFormats, ...saasFormats];

const exactGates = new LiteralSet(tokenFormats.filter(f => !f.lowerGate).flatMap(f => f.gate));
const lowerGates = new LiteralSet(tokenFormats.filter(f => f.lowerGate).flatMap(f => f.gate));

export function scanFormat(format: TokenFormat, value: string, out: RawMatch[]): void {
	forEachMatch(format.regex, value, m => {
		const secret = format.group ? m[format.group] : m[0];
		if (!secret) return;
		const start = format.group ? m.index + m[0].indexOf(secret) : m.index;
		// Placeholder decisions look at the body, never the public prefix (`glc_111…`, `hf_xxxx…`).
		if (isPlaceholderSecret(secret.slice(format.prefixLength))) return;
		if (format.accept && !format.accept(secret)) return;
		out.push({rule: ruleId(format.rule), start, end: start + secret.length, value: secret, preview: maskSecret(secret), what: format.what});
	});
}

export const documentedTokenFormats: Detector = {
	id: ruleId('provider-token'),
	scan(value) {
		const out: RawMatch[] = [];
		// Every format's secret is a run of 16+ characters without whitespace, quotes or brackets.
		if (value.length < 16 || !hasUnbrokenRun(value, 16)) return out;
		const exact = exactGates.present(value);
		const lower = lowerGates.present(value.toLowerCase());
		for (const format of tokenFormats) {
			const found = format.lowerGate ? lower : exact;
			if (format.gate.some(g => found.has(g))) scanFormat(format, value, out);
		}
		return out;
	},
};
