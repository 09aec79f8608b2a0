/**
 * A start-up shortcut for the terminal text libraries the screens use (string-width, slice-ansi,
 * @alcalzone/ansi-tokenize), wired in by the bundle (source/build/lazy-unicode.ts). Pure.
 *
 * Those libraries create an `Intl.Segmenter` (and string-width a `\p{RGI_Emoji}` pattern) when
 * they load: on Node 20 the first segmenter loads ICU's break-iteration data and the emoji
 * pattern expands every emoji sequence, together about 30 ms of an Ink screen's first frame, for
 * text that is nearly always ASCII, box drawing and a few symbols. Here, text made only of
 * characters that are each a grapheme cluster of their own (and one column wide) is split and
 * measured directly; anything else (emoji, combining marks, CJK, joiners, CR LF) goes to the real
 * segmenter, created on first need. test/core/text/graphemes.test.ts checks every character of
 * the class against the real segmenter and the libraries, on the Node that runs the tests.
 */

/**
 * Characters (all in the BMP) that never join a neighbour from this class into one grapheme
 * cluster and that string-width counts as one column (with ambiguous characters narrow, its
 * default): Latin-1 and Latin extended letters, Greek, Cyrillic letters, punctuation, arrows,
 * mathematical and technical symbols, box drawing, blocks, shapes and the text-style symbols and
 * dingbats. Excluded: controls, format characters (soft hyphen, bidi marks, joiners), marks,
 * line/paragraph separators and every character string-width counts as 0 or 2 columns.
 */
const ONE_COLUMN_ALONE = String.raw`\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c\u038e-\u03a1\u03a3-\u0482\u2010-\u2027\u202f-\u205e\u2070\u2071\u2074-\u208e\u2090-\u209c\u20a0-\u20c1\u2100-\u218b\u2190-\u2319\u231c-\u2328\u232b-\u23e8\u23ed-\u23ef\u23f1\u23f2\u23f4-\u2429\u2440-\u244a\u2460-\u25fc\u25ff-\u2613\u2616-\u262f\u2638-\u2647\u2654-\u267e\u2680-\u2689\u2690-\u2692\u2694-\u26a0\u26a2-\u26a9\u26ac-\u26bc\u26bf-\u26c3\u26c6-\u26cd\u26cf-\u26d3\u26d5-\u26e9\u26eb-\u26f1\u26f4\u26f6-\u26f9\u26fb\u26fc\u26fe-\u2704\u2706-\u2709\u270c-\u2727\u2729-\u274b\u274d\u274f-\u2752\u2756\u2758-\u2794\u2798-\u27af\u27b1-\u27be\u2800-\u2b1a\u2b1d-\u2b4f\u2b51-\u2b54\u2b56-\u2b73\u2b76-\u2bff`;

/** The class as written, for the test that checks it. */
export const oneColumnAloneClass = ONE_COLUMN_ALONE;

/** Printable ASCII and the class: one column per UTF-16 unit. */
const ONE_COLUMN_TEXT = new RegExp(`^[\\u0020-\\u007e${ONE_COLUMN_ALONE}]*$`);
/**
 * One grapheme cluster per UTF-16 unit: the above plus the ASCII controls (ESC of an SGR code,
 * tab, newline), except CR, which joins a following LF into one cluster.
 */
const ONE_CLUSTER_PER_UNIT = new RegExp(`^[\\u0000-\\u000c\\u000e-\\u007f${ONE_COLUMN_ALONE}]*$`);

/** string-width's answer for `text` when it is printable ASCII and the class; undefined otherwise. */
export function oneColumnWidth(text: string): number | undefined {
	return ONE_COLUMN_TEXT.test(text) ? text.length : undefined;
}

interface SegmentData {
	segment: string;
	index: number;
	input: string;
}

interface Segments extends Iterable<SegmentData> {
	containing(index?: number): SegmentData | undefined;
}

/** What a grapheme `Intl.Segmenter`'s `segment()` returns, for text of one cluster per unit. */
function unitSegments(input: string): Segments {
	const at = (index: number): SegmentData => ({segment: input[index]!, index, input});
	return {
		containing(index = 0) {
			const unit = Math.trunc(Number(index)) || 0;
			return unit >= 0 && unit < input.length ? at(unit) : undefined;
		},
		*[Symbol.iterator]() {
			for (let index = 0; index < input.length; index++) yield at(index);
		},
	};
}

/**
 * Stands in for `new Intl.Segmenter(locales, options)` at grapheme granularity (the only one the
 * libraries use): the real segmenter is created the first time a text needs it.
 */
export function graphemeSegmenter(locales?: string | string[], options?: Intl.SegmenterOptions): {segment(input: string): Segments} {
	if (options?.granularity !== undefined && options.granularity !== 'grapheme') return new Intl.Segmenter(locales, options);
	let real: Intl.Segmenter | undefined;
	return {
		segment(input: string) {
			if (ONE_CLUSTER_PER_UNIT.test(input)) return unitSegments(input);
			real ??= new Intl.Segmenter(locales, options);
			return real.segment(input);
		},
	};
}

/** A pattern compiled on its first use (string-width's `\p{RGI_Emoji}` costs ~18 ms to build). */
export function lazyPattern(build: () => RegExp): {test(text: string): boolean} {
	let pattern: RegExp | undefined;
	return {
		test(text: string) {
			pattern ??= build();
			return pattern.test(text);
		},
	};
}
