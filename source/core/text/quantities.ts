/**
 * Numbers in words, one rule everywhere (dashboard, readiness text, rollback progress and
 * summary, evidence list): a duration or a day count is rounded DOWN to the precision shown, and
 * the precision depends only on the size. So one quantity reads the same wherever it appears
 * ("89 days left" in the summary and in the details), a total never rounds up into the next unit
 * ("59.96 s" is "59.9 s", not "60.0 s" or "1 min 60 s"), and a deadline never claims more time
 * than is left. Pure.
 */

/** "1 service", "2 services", "0 batches" (with `many` for irregular plurals). */
export function plural(count: number, word: string, many = `${word}s`): string {
	return `${count} ${count === 1 ? word : many}`;
}

/** "is"/"are", "remains"/"remain": the verb that agrees with `count`. */
export function agree(count: number, one: string, many: string): string {
	return count === 1 ? one : many;
}

/** "a step", "an evidence ref": the indefinite article by the noun's first letter (our nouns have no silent h or "you" sound). */
export function withArticle(noun: string): string {
	return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Down to `decimals` places, without the float noise of `Math.floor(x * 10) / 10` (0.7 stays 0.7). */
function floorTo(value: number, decimals: number): string {
	const scale = 10 ** decimals;
	const scaled = Math.floor(Number((value * scale).toPrecision(12)));
	return (scaled / scale).toFixed(decimals);
}

/**
 * A duration: "40 ms", "0.7 s", "59.9 s", "1 min 5 s", "2 h 3 min". Under a tenth of a second in
 * whole milliseconds, under a minute with one decimal (a 0.7 s recovery is 0.7 s, not "00:01"),
 * then whole units; a negative duration reads as its size.
 */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms)) return '∞';
	const value = Math.abs(ms);
	if (value < 100) return `${Math.floor(value)} ms`;
	if (value < 60_000) return `${floorTo(value / 1000, 1)} s`;
	const totalSeconds = Math.floor(value / 1000);
	if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
	const totalMinutes = Math.floor(totalSeconds / 60);
	return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} min`;
}

/** A countdown clock: `mm:ss`, or `h:mm:ss` from an hour; rounded down like every duration. */
export function formatClock(ms: number): string {
	if (!Number.isFinite(ms)) return '∞';
	const total = Math.floor(Math.max(0, ms) / 1000);
	const hours = Math.floor(total / 3600);
	const minutes = Math.floor((total % 3600) / 60);
	const seconds = total % 60;
	const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
	return hours > 0 ? `${hours}:${mmss}` : mmss;
}

/**
 * A number of days: "89 days" from 10 on, "4.9 days" and "1 day" under 10, "5 hours", "1 hour",
 * "under an hour" under a day. Rounded down: 89.96 days left is "89 days", never "90.0".
 */
export function formatDays(days: number): string {
	if (!Number.isFinite(days)) return '∞ days';
	const value = Math.abs(days);
	if (value >= 10) return plural(Math.floor(value), 'day');
	if (value >= 1) {
		const tenths = floorTo(value, 1);
		return tenths.endsWith('.0') ? plural(Number(tenths), 'day') : `${tenths} days`;
	}
	const hours = Math.floor(Number((value * 24).toPrecision(12)));
	return hours >= 1 ? plural(hours, 'hour') : 'under an hour';
}
