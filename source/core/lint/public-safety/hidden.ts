import {hasHiddenCharacters, hiddenCharacterPattern} from '../../text/sanitize.js';
import type {Detector, RawMatch} from './detector.js';

/**
 * A token split by a zero-width space, an ESC or a bidi mark is still a token to whoever copies
 * it. Detectors also scan a copy with those characters removed; hits there are mapped back to
 * offsets in the original text (the hidden character itself is reported by its own rule). The
 * copy is built only for text that holds such a character.
 */

// Exactly the characters the sanitizer escapes (tab and newline keep their meaning and stay).
const INVISIBLE = hiddenCharacterPattern();

export interface Stripped {
	text: string;
	/** original[i] = offset in the original text of the i-th character of `text` (plus one past the end). */
	original: number[];
}

export function stripInvisible(value: string): Stripped {
	let text = '';
	const original: number[] = [];
	let last = 0;
	INVISIBLE.lastIndex = 0;
	for (let m = INVISIBLE.exec(value); m; m = INVISIBLE.exec(value)) {
		for (let i = last; i < m.index; i++) original.push(i);
		text += value.slice(last, m.index);
		last = m.index + m[0].length;
	}
	for (let i = last; i < value.length; i++) original.push(i);
	text += value.slice(last);
	original.push(value.length);
	return {text, original};
}

// Every detector of the engine sees the same string in turn: test and strip it once.
let lastInput: string | undefined;
let lastHidden = false;
let lastStripped: Stripped | undefined;

function hiddenIn(value: string): boolean {
	if (value !== lastInput) {
		lastInput = value;
		lastHidden = hasHiddenCharacters(value);
		lastStripped = undefined;
	}
	return lastHidden;
}

function strippedOnce(value: string): Stripped {
	hiddenIn(value);
	lastStripped ??= stripInvisible(value);
	return lastStripped;
}

/** `detector`, also run over the text without hidden characters when it has any. */
export function seeingThroughHidden(detector: Detector): Detector {
	return {
		id: detector.id,
		scan(value) {
			const direct = detector.scan(value);
			if (!hiddenIn(value)) return direct;
			const stripped = strippedOnce(value);
			const seen = new Set(direct.map(m => `${m.rule}\0${m.value}`));
			const out = direct.slice();
			for (const m of detector.scan(stripped.text) as RawMatch[]) {
				if (seen.has(`${m.rule}\0${m.value}`)) continue;
				const start = stripped.original[m.start]!;
				const end = stripped.original[m.end - 1]! + 1;
				out.push({...m, start, end});
			}
			return out;
		},
	};
}
