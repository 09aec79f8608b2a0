import {LiteralSet} from './gates.js';

/**
 * Keyword prefilter for secretlint's recommended rules, as gitleaks does it: a rule runs on a
 * batch only if text it could report is possible there. Loading secretlint and compiling its
 * regexes on first use was a third of `lint`'s cold start, and most plans hold none of these
 * keywords, so most runs never load it.
 *
 * Each gate is derived from the rule's own regexes in @secretlint/secretlint-rule-preset-recommend
 * 11.x: `any` lists literals one of which every match contains, `all` literals every match
 * contains. Keywords are lower case and matched against the lower-cased text, which only ever
 * lets more text through (a rule's case-sensitive `SECRET` is still seen as `secret`). A rule
 * missing from this table (a new one in a later preset) always runs. test/core/lint/
 * public-safety/secretlint-prefilter.test.ts checks that the filtered scan equals the unfiltered
 * one on samples of every pattern of every rule, so a preset update that widens a pattern fails
 * there rather than losing a finding.
 */
interface RuleGate {
	any: readonly string[];
	all?: readonly string[];
}

export const SECRETLINT_GATES: Readonly<Record<string, RuleGate>> = {
	// `AWS_SECRET_ACCESS_KEY = …`: SECRET, ACCESS and KEY joined by an optional underscore. Its
	// access-key-id and account-id scans are off (enableIDScanRule; no options are passed).
	'@secretlint/secretlint-rule-aws': {any: ['secretaccesskey', 'secret_accesskey', 'secretaccess_key', 'secret_access_key']},
	// Reads only .json and .p12 files; the adapter names its content plan.json.txt.
	'@secretlint/secretlint-rule-gcp': {any: ['private_key']},
	// x-oauth-basic and _authToken apply to package.json and .npmrc only; kept for safety.
	'@secretlint/secretlint-rule-npm': {any: ['npm_', 'x-oauth-basic', '_authtoken']},
	'@secretlint/secretlint-rule-slack': {any: ['xoxb-', 'xoxp-', 'xapp-', 'xoxa-', 'xoxo-', 'xoxr-', 'hooks.slack.com']},
	// `scheme://user:password@host`.
	'@secretlint/secretlint-rule-basicauth': {any: ['://'], all: ['@']},
	'@secretlint/secretlint-rule-openai': {any: ['t3blbkfj']},
	'@secretlint/secretlint-rule-anthropic': {any: ['sk-ant-api0']},
	'@secretlint/secretlint-rule-linear': {any: ['lin_api_']},
	'@secretlint/secretlint-rule-privatekey': {any: ['-----begin']},
	'@secretlint/secretlint-rule-sendgrid': {any: ['sg.']},
	'@secretlint/secretlint-rule-shopify': {any: ['shppa_', 'shpca_', 'shpat_', 'shpss_']},
	'@secretlint/secretlint-rule-github': {any: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_']},
	'@secretlint/secretlint-rule-1password': {any: ['ops_ey']},
	// Reported only with a user and a password, i.e. `…://user:password@host`.
	'@secretlint/secretlint-rule-database-connection-string': {any: ['mongodb', 'mysql', 'postgres'], all: ['://', '@']},
};

let keywords: LiteralSet | undefined;

export interface SecretlintPrefilter {
	/** Whether secretlint's rule `ruleId` could report anything in the content. */
	runs(ruleId: string): boolean;
	/**
	 * Whether any rule of the table could: when none can, secretlint is not even loaded. That is
	 * right only while the table names every rule of the installed preset, which the prefilter
	 * test checks against the preset itself.
	 */
	anyRuns: boolean;
}

export function secretlintPrefilter(content: string): SecretlintPrefilter {
	keywords ??= new LiteralSet(Object.values(SECRETLINT_GATES).flatMap(gate => [...gate.any, ...(gate.all ?? [])]));
	const found = keywords.present(content.toLowerCase());
	const runs = (ruleId: string) => {
		const gate = SECRETLINT_GATES[ruleId];
		if (!gate) return true;
		return gate.any.some(keyword => found.has(keyword)) && (gate.all ?? []).every(keyword => found.has(keyword));
	};
	return {runs, anyRuns: Object.keys(SECRETLINT_GATES).some(runs)};
}
