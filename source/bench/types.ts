/** One line of `npm run bench` output: a measurement, its target, and whether it met it. */
export interface BenchRow {
	name: string;
	/** The measured figure, formatted, e.g. "1.84× (92 ms vs 50 ms)". */
	value: string;
	/** The target from DESIGN.md / the issue, e.g. "≤ 2.5×". */
	target?: string;
	/** Undefined when there is no target. */
	ok?: boolean;
}

/** A benchmark section; each issue's module exports one. */
export type BenchSection = () => Promise<BenchRow[]>;
