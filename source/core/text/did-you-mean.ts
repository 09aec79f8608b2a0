/**
 * "Did you mean …?" for a mistyped name (a config key, an enum value, a command). Pure.
 */

/** Levenshtein distance (insert, delete, substitute; a swap of two neighbours counts as one). */
export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	if (a.length === 0) return b.length;
	if (b.length === 0) return a.length;
	let previous2: number[] = [];
	let previous = Array.from({length: b.length + 1}, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, previous2[j - 2]! + 1);
			current.push(best);
		}
		previous2 = previous;
		previous = current;
	}
	return previous[b.length]!;
}

/**
 * The closest candidate, if it is close enough to be a typo: case-insensitive, at most a third of
 * the longer name's length (and at most 3) edits away. Ties go to the first candidate.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
	// Bounded work on hostile input: a 10,000-character key is nobody's typo.
	if (input.length === 0 || input.length > 64) return undefined;
	const needle = input.toLowerCase();
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const candidate of candidates) {
		const distance = editDistance(needle, candidate.toLowerCase());
		const limit = Math.min(3, Math.max(1, Math.floor(Math.max(needle.length, candidate.length) / 3)));
		if (distance <= limit && distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best;
}
