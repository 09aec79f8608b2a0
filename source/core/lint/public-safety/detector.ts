import type {RuleId} from './rules.js';

/** What a detector reports for one string: a span plus what is needed to build a safe hit. */
export interface RawMatch {
	rule: RuleId;
	/** Span of the sensitive part in the scanned string (UTF-16 offsets, end exclusive). */
	start: number;
	end: number;
	/** What the fingerprint is computed over: the sensitive value itself, so it is stable across runs. */
	value: string;
	/** Already masked. */
	preview: string;
	/** Optional constant sub-case description for the message (never scanned text). */
	what?: string;
}

export interface Detector {
	id: string;
	/** Synchronous and linear in the length of `value`; must not throw on any string. */
	scan(value: string): RawMatch[];
}

/** Runs a global regex over `value`, calling `each` per match. The regex must be built to be linear. */
export function forEachMatch(regex: RegExp, value: string, each: (match: RegExpExecArray) => void): void {
	regex.lastIndex = 0;
	for (let match = regex.exec(value); match; match = regex.exec(value)) {
		each(match);
		// Zero-length matches would loop forever.
		if (match[0].length === 0) regex.lastIndex++;
	}
}
