import {ruleId, type RuleId, type RuleName} from './rules.js';
import {secretlintPrefilter} from './secretlint-gates.js';

/**
 * secretlint's recommended preset, run in-process as the base layer of secret detection. It is
 * given all string values at once (one `lintSource` call per scan) and only its rule ids and
 * ranges are used: its `message` and `data` quote the raw secret and never leave this module.
 * Loaded lazily, so commands that never scan do not pay for its import.
 */

export interface SecretlintSpan {
	index: number;
	/** Offsets within strings[index], clipped to it. */
	start: number;
	end: number;
	rule: RuleId;
}

type Core = typeof import('@secretlint/core');
type Preset = typeof import('@secretlint/secretlint-rule-preset-recommend');

let modules: Promise<[Core, Preset]> | undefined;

function load(): Promise<[Core, Preset]> {
	modules ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]);
	return modules;
}

/**
 * secretlint 11's profiler is always on: every lintSource adds ~60 performance marks to an array
 * that its PerformanceObserver scans in full on each `::end` mark and never empties
 * (secretlint#1633 / #1653, made opt-in upstream by #1673). In a long-lived process (dashboard,
 * property tests) the cost grows quadratically with the number of scans. Node delivers observer
 * entries in a setImmediate, so marks of back-to-back scans pile up into one huge batch; yielding
 * one macrotask lets the observer take this scan's marks, and the profiler's public getters
 * return its live arrays, so emptying them keeps the cost flat. @secretlint/profiler comes with
 * @secretlint/core; if it cannot be loaded, scanning works as before, only this trimming is lost.
 */
async function trimProfiler(): Promise<void> {
	try {
		await new Promise<void>(resolve => setImmediate(resolve));
		const {secretLintProfiler} = await import('@secretlint/profiler');
		(await secretLintProfiler.getEntries()).length = 0;
		(await secretLintProfiler.getMeasures()).length = 0;
	} catch {
		// Best effort.
	}
}

const RULES: Record<string, RuleName> = {
	'@secretlint/secretlint-rule-aws': 'aws-secret-key',
	'@secretlint/secretlint-rule-gcp': 'gcp-service-account-key',
	'@secretlint/secretlint-rule-privatekey': 'private-key',
	'@secretlint/secretlint-rule-npm': 'npm-token',
	'@secretlint/secretlint-rule-basicauth': 'credentials-in-url',
	'@secretlint/secretlint-rule-slack': 'slack-token',
	'@secretlint/secretlint-rule-sendgrid': 'sendgrid-key',
	'@secretlint/secretlint-rule-shopify': 'shopify-token',
	'@secretlint/secretlint-rule-github': 'github-token',
	'@secretlint/secretlint-rule-openai': 'openai-key',
	'@secretlint/secretlint-rule-anthropic': 'anthropic-key',
	'@secretlint/secretlint-rule-linear': 'linear-token',
	'@secretlint/secretlint-rule-1password': 'onepassword-token',
	'@secretlint/secretlint-rule-database-connection-string': 'credentials-in-url',
};

/** Message ids that name a different thing than their rule's default. */
const MESSAGES: Record<string, RuleName> = {
	AWSAccessKeyID: 'aws-access-key',
	AWSSecretAccessKey: 'aws-secret-key',
	IncomingWebhook: 'slack-webhook',
};

export function mapSecretlintRule(secretlintRuleId: string, messageId: string | undefined): RuleId {
	const byMessage = messageId === undefined ? undefined : MESSAGES[messageId];
	return ruleId(byMessage ?? RULES[secretlintRuleId] ?? 'secret');
}

/** What a rule reported: only its id, message id and range are kept (its text quotes the secret). */
interface Reported {
	ruleId: string;
	messageId?: string;
	range: readonly [number, number];
}

type PresetRule = Preset['rules'][number];
type RuleContext = Parameters<PresetRule['create']>[0];

/**
 * The recommended preset's rules, registered one by one so the comment filter can be left out:
 * a `secretlint-disable` string inside a plan must not switch scanning off. (secretlint 11 ignores
 * `disabled` on a rule configured inside a preset, so excluding it is the only way.)
 *
 * Each rule's reports go to `reported` instead of secretlint's message pipeline: its duplicate
 * filter compares every message with every later one (`slice` + `some`), so 10 000 distinct
 * tokens took 13 s and 20 000 took 213 s. Nothing reaches the pipeline, and `finish()` in
 * index.ts deduplicates hits in linear time. The pipeline's other steps do not apply: the
 * ignore step only serves the comment filter, the allow step only rule options we never set,
 * and masking only the message text we never read.
 */
function recommendedRules(preset: Preset, reported: Reported[], runs: (ruleId: string) => boolean) {
	return preset.rules
		.filter(rule => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments' && runs(rule.meta.id))
		.map(rule => ({id: rule.meta.id, rule: collectingRule(rule, reported)}));
}

function collectingRule(rule: PresetRule, reported: Reported[]): PresetRule {
	return {
		...rule,
		create(context: RuleContext, options: unknown) {
			const collecting: RuleContext = {
				...context,
				report(descriptor) {
					reported.push({ruleId: rule.meta.id, messageId: descriptor.message.messageId, range: descriptor.range});
				},
			};
			return rule.create(collecting, options as never);
		},
	} as PresetRule;
}

/** Index of the string holding `offset`, given each string's start offset (ascending). */
export function locate(starts: readonly number[], offset: number): number {
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid]! <= offset) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/**
 * Characters of joined values per secretlint call: bounds the copies it makes (content, line
 * index). Below V8's large-object size (128 KiB), so a batch's copies die young: 1 MiB ones were
 * promoted whole, which grew V8's young generation to its maximum (lint on a 10 MB plan: peak
 * ~15 MiB higher, issue 13); the number of calls costs no measurable time.
 */
export const BATCH_CHARS = 1 << 16;
/**
 * Each batch after the first starts again this many characters of values earlier, so a secret
 * split over consecutive values (a PEM key pasted one line per rollback step; an RSA-8192 key is
 * about 6.5 KB) is still seen whole by one call, as if all values had been joined.
 */
export const BATCH_OVERLAP_CHARS = 16 * 1024;

export interface SecretlintOptions {
	batch: number;
	overlap: number;
	/** Run only the rules whose keywords occur in a batch (secretlint-gates.ts); false only to test that gate. */
	prefilter?: boolean;
}

/**
 * Runs secretlint over all values joined by '\n', in batches of about BATCH_CHARS that overlap
 * by BATCH_OVERLAP_CHARS: a 10 MB plan costs 64 KB copies, not 10 MB ones (peak memory, issue 13).
 * A failure of secretlint (a bug in one of its rules on odd input) yields no spans for its batch
 * rather than an exception: our own detectors still run.
 */
export async function secretlintSpans(values: readonly string[], limits: SecretlintOptions = {batch: BATCH_CHARS, overlap: BATCH_OVERLAP_CHARS}): Promise<SecretlintSpan[]> {
	const spans: SecretlintSpan[] = [];
	const seen = new Set<string>();
	let from = 0;
	while (from < values.length) {
		let to = from;
		let size = 0;
		do size += values[to++]!.length + 1;
		while (to < values.length && size < limits.batch);
		for (const span of await batchSpans(values, from, to, limits.prefilter !== false)) {
			// The overlap finds the same span twice: keep one.
			const key = `${span.index}:${span.start}:${span.end}:${span.rule}`;
			if (seen.has(key)) continue;
			seen.add(key);
			spans.push(span);
		}
		if (to >= values.length) break;
		let back = to;
		for (let overlap = 0; back > from + 1 && overlap < limits.overlap; ) overlap += values[--back]!.length + 1;
		from = back;
	}
	return spans;
}

/** One secretlint call over values[from, to) joined by '\n'; span indexes are into `values`. */
async function batchSpans(values: readonly string[], from: number, to: number, prefilter: boolean): Promise<SecretlintSpan[]> {
	const starts: number[] = [];
	let offset = 0;
	for (let i = from; i < to; i++) {
		starts.push(offset);
		offset += values[i]!.length + 1;
	}
	const content = values.slice(from, to).join('\n');
	const gate = prefilter ? secretlintPrefilter(content) : {runs: () => true, anyRuns: true};
	if (!gate.anyRuns) return [];
	const messages: Reported[] = [];
	try {
		const [core, preset] = await load();
		await core.lintSource({
			source: {content, filePath: 'plan.json.txt', contentType: 'text'},
			options: {
				noPhysicFilePath: true,
				maskSecrets: true,
				config: {rules: recommendedRules(preset, messages, gate.runs)},
			},
		});
	} catch {
		return [];
	} finally {
		await trimProfiler();
	}

	const spans: SecretlintSpan[] = [];
	for (const message of messages) {
		const [begin, finish] = message.range;
		if (!(begin >= 0 && begin < content.length)) continue;
		const local = locate(starts, begin);
		const base = starts[local]!;
		const length = values[from + local]!.length;
		const start = begin - base;
		const end = Math.min(Math.max(finish - base, start), length);
		if (start >= length) continue;
		spans.push({index: from + local, start, end, rule: mapSecretlintRule(message.ruleId, message.messageId)});
	}
	return spans;
}
