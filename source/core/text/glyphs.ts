/**
 * Every status and marker glyph the tool prints, in one table. Pure.
 *
 * Each is East Asian Width Neutral or Narrow, never Ambiguous: a CJK terminal (or one set to
 * draw ambiguous characters wide) gives an ambiguous glyph two columns, which shifts every column
 * after it and pushes a frame line past the edge. So `◐ ○ ● ■ ▶ · – … █` (all ambiguous) are not
 * here; their places are taken by Neutral glyphs of the same meaning. test/core/text/glyphs.test.ts
 * checks each entry with get-east-asian-width; add new glyphs here, not inline.
 */
export const GLYPHS = {
	/** pass, done, clean */
	ok: '✔',
	/** fail, blocks, error */
	bad: '✖',
	/** warning, look soon */
	warn: '⚠',
	/** not requested, not configured (dashboard) */
	neutral: '◌',
	/** waiting for an answer (dashboard) */
	waiting: '⋯',
	/** a rollback step not started yet */
	pending: '∙',
	/** a rollback step running (plain progress: a step starts) */
	running: '▸',
	/** a rollback step skipped */
	skipped: '↷',
	/** a rollback step not run (the run stopped before it) */
	notRun: '∎',
	/** a rollback step stopped mid-restart (Ctrl-C twice, SIGTERM) */
	interrupted: '◔',
	/** the selected row of a list */
	selected: '›',
	/** the current search match (dashboard details) */
	match: '▸',
	/** the text cursor in the dashboard's search line */
	cursor: '❘',
	/** where a line was cut to fit the frame */
	cut: '⋯',
	/** the recovery budget bar: time used, time left */
	barDone: '▰',
	barLeft: '▱',
	/** more rows below than the frame shows */
	more: '⇣',
} as const;

export type GlyphName = keyof typeof GLYPHS;
