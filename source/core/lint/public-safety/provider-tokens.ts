import {forEachMatch, type Detector, type RawMatch} from './detector.js';
import {clip, maskSecret} from './mask.js';
import {ruleId, type RuleName} from './rules.js';
import {hasUpperLowerDigit, isPlaceholder, isPlaceholderSecret} from './values.js';

/**
 * Credentials whose shape names the provider. Every pattern starts with a literal prefix behind a
 * negative lookbehind on its own body class, so the engine only starts a match at the beginning of
 * a run and each run is consumed once: linear whatever the input. Bodies are single character
 * classes with no nested quantifiers.
 */

function token(name: RuleName, match: string, start: number, prefixLength: number): RawMatch | undefined {
	// `ghp_xxxxxxxx…`, `sk_live_<your key>`: the body, not the prefix, decides placeholder-ness.
	if (isPlaceholderSecret(match.slice(prefixLength))) return undefined;
	return {rule: ruleId(name), start, end: start + match.length, value: match, preview: maskSecret(match)};
}

/** A detector for one provider pattern; `accept` can reject or re-label a match. */
function pattern(
	id: RuleName,
	regex: RegExp,
	prefixLength: (match: string) => number,
	cheapGate: (value: string) => boolean,
	accept: (match: string) => RuleName | undefined = () => id,
): Detector {
	return {
		id: ruleId(id),
		scan(value) {
			const out: RawMatch[] = [];
			if (!cheapGate(value)) return out;
			forEachMatch(regex, value, m => {
				const name = accept(m[0]);
				if (!name) return;
				const hit = token(name, m[0], m.index, prefixLength(m[0]));
				if (hit) out.push(hit);
			});
			return out;
		},
	};
}

const upTo = (separator: string) => (match: string) => match.indexOf(separator, 3) + separator.length;

// "Anywhere": also `aws_key_AKIA…` (secretlint's \b needs a non-word neighbour) — only an
// alphanumeric neighbour means the 20 characters are part of something longer.
export const awsAccessKey = pattern(
	'aws-access-key',
	/(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
	() => 4,
	v => v.includes('AKIA') || v.includes('ASIA'),
);

export const githubToken = pattern(
	'github-token',
	/(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{50,})/g,
	m => (m.startsWith('github_pat_') ? 11 : 4),
	v => v.includes('gh') || v.includes('github_pat_'),
);

export const gitlabToken = pattern(
	'gitlab-token',
	/(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}/g,
	upTo('-'),
	v => v.includes('gl'),
);

export const npmToken = pattern('npm-token', /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36,}/g, () => 4, v => v.includes('npm_'));

export const slackToken = pattern(
	'slack-token',
	/(?<![A-Za-z0-9_-])xox[abposer]-[A-Za-z0-9-]{10,}/g,
	() => 5,
	v => v.includes('xox'),
	// Real tokens carry numeric team/user ids; `xoxb-your-bot-token` does not.
	m => (/\d/.test(m) ? 'slack-token' : undefined),
);

export const slackWebhook = pattern(
	'slack-webhook',
	/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,}/g,
	m => m.indexOf('/', 16) + 1,
	v => v.includes('hooks.slack.com/'),
);

export const stripeKey = pattern(
	'stripe-key',
	/(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{24,})/g,
	m => m.lastIndexOf('_') + 1,
	v => v.includes('_live_') || v.includes('_test_') || v.includes('whsec_'),
);

// `sk-` then 32+ chars mixing upper, lower and digits: OpenAI's legacy and project keys, and
// Anthropic's `sk-ant-…`. The mix requirement keeps kebab-case slugs like `sk-rollback-…` clean.
export const openAiStyleKey = pattern(
	'openai-key',
	/(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{32,}/g,
	m => (m.startsWith('sk-ant-') ? 7 : 3),
	v => v.includes('sk-'),
	m => {
		// A named key family (`sk-ant-…`, `sk-proj-…`) needs only letters and digits; a bare `sk-` body must be mixed-case too.
		const family = /^sk-(?:ant|proj|svcacct|admin)-/.test(m);
		if (!(family ? /\d/.test(m.slice(3)) && /[a-z]/i.test(m.slice(3)) : hasUpperLowerDigit(m.slice(3)))) return undefined;
		return m.startsWith('sk-ant-') ? 'anthropic-key' : 'openai-key';
	},
);

export const googleApiKey = pattern(
	'google-api-key',
	/(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
	() => 4,
	v => v.includes('AIza'),
);

// Header and payload are base64url JSON objects, so both start `eyJ` (`{"`). The signature may be
// empty (alg none) and is still a token.
export const jwt = pattern(
	'jwt',
	/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{7,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
	() => 3,
	v => v.includes('eyJ'),
);

const PEM_HEADER = /-----BEGIN (?:[A-Z0-9_-]{1,20} ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * `-----BEGIN … PRIVATE KEY-----` with or without its body (a header alone still says a key was
 * pasted). PUBLIC KEY and CERTIFICATE blocks are public by design and are not matched. The END
 * marker is searched once per block, never again from every header, to stay linear on input like
 * `'-----BEGIN RSA PRIVATE KEY-----'.repeat(n)`.
 */
export const privateKey: Detector = {
	id: ruleId('private-key'),
	scan(value) {
		const out: RawMatch[] = [];
		if (!value.includes('PRIVATE KEY')) return out;
		let end = -2;
		forEachMatch(PEM_HEADER, value, m => {
			const headerEnd = m.index + m[0].length;
			if (end !== -1 && end < headerEnd) end = value.indexOf('-----END ', headerEnd);
			let blockEnd = value.length;
			if (end !== -1) {
				const close = value.indexOf('-----', end + 9);
				blockEnd = close === -1 ? value.length : close + 5;
			}
			const body = value.slice(headerEnd, end === -1 ? value.length : end).replace(/\s+/g, '');
			// A header alone (no END marker) still says a key was pasted; a complete block whose body
			// is empty, a placeholder or elided (`…`, `...`) is documentation of the format.
			const dummy = end !== -1 && (body.length === 0 || body.includes('...') || body.includes('…') || isPlaceholderSecret(body));
			if (!dummy && (!isPlaceholder(body) || body.length === 0)) {
				out.push({
					rule: ruleId('private-key'),
					start: m.index,
					end: blockEnd,
					value: body.length > 0 ? body : m[0],
					// The header names the key type and is not secret; the body never shows.
					preview: clip(`${m[0]}…(${body.length} chars)`, 64),
				});
			}
			PEM_HEADER.lastIndex = blockEnd;
		});
		return out;
	},
};

export const providerTokenDetectors: readonly Detector[] = [
	awsAccessKey,
	githubToken,
	gitlabToken,
	npmToken,
	slackToken,
	slackWebhook,
	stripeKey,
	openAiStyleKey,
	googleApiKey,
	jwt,
	privateKey,
];
