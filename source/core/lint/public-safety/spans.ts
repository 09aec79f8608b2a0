/** Overlap queries over many spans in O(log n) each, so suppressing duplicates stays linear-ish. */

export interface Span {
	start: number;
	end: number;
}

export class SpanIndex {
	private readonly starts: number[];
	/** maxEnd[i] = the largest end among the first i + 1 spans by start. */
	private readonly maxEnd: number[];

	constructor(spans: readonly Span[]) {
		const sorted = spans.slice().sort((a, b) => a.start - b.start);
		this.starts = sorted.map(s => s.start);
		this.maxEnd = [];
		let max = -Infinity;
		for (const s of sorted) {
			max = Math.max(max, s.end);
			this.maxEnd.push(max);
		}
	}

	/** True when some indexed span shares at least one position with `span`. */
	overlaps(span: Span): boolean {
		// Count of spans starting before span.end.
		let lo = 0;
		let hi = this.starts.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.starts[mid]! < span.end) lo = mid + 1;
			else hi = mid;
		}
		return lo > 0 && this.maxEnd[lo - 1]! > span.start;
	}
}
