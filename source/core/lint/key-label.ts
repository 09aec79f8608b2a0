import {cutKey, printableKey} from '../json/pointer.js';
import {findSensitiveSpans} from './public-safety/detectors.js';

/**
 * How lint output names a key of the plan. Keys are scanned like values, and a key any
 * detector flags (a token, an address, a host, a number) is never quoted whole: not in a
 * message, a pointer or a field name. Other keys follow printableKey (word-like keys whole).
 * One labeller per lint run: its cache holds each distinct key once, so a key repeated 300 000
 * times is scanned once.
 */
export interface KeyLabeler {
	label(key: string): string;
	/** Marks a key flagged by a scan the labeller does not run itself (secretlint); true when its label changed. */
	flag(key: string): boolean;
}

export function createKeyLabeler(): KeyLabeler {
	const labels = new Map<string, string>();
	return {
		label(key) {
			let label = labels.get(key);
			if (label === undefined) {
				label = findSensitiveSpans(key, ['secret', 'endpoint', 'personal']).length > 0 ? cutKey(key) : printableKey(key);
				labels.set(key, label);
			}
			return label;
		},
		flag(key) {
			const before = this.label(key);
			labels.set(key, cutKey(key));
			return before !== cutKey(key);
		},
	};
}
