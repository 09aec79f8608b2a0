/**
 * The preview at the rollback question as a scrollable pane (the screen is on the alternate
 * screen, which has no scrollback): which keys scroll it, where a scroll lands, and what the
 * footer says. Pure; the screen holds the offset.
 */
import type {Keypress} from '../../../core/keys/keypress.js';
import {displayWidth, wrapLines} from '../../../core/text/wrap.js';

export type PaneMove = {by: number} | {to: 'top' | 'bottom'};

/**
 * The scroll keys at the question: ↑/↓ and j/k a line, PgUp/PgDn and space a page, g/G and
 * Home/End the ends. j, k, g, G and space never type into the confirmation (the word has none of
 * them); a paste only types, so it never scrolls.
 */
export function paneMove(key: Keypress, page: number): PaneMove | undefined {
	if (key.paste || key.ctrl || key.meta) return undefined;
	if (key.name === 'up' || key.input === 'k') return {by: -1};
	if (key.name === 'down' || key.input === 'j') return {by: 1};
	if (key.name === 'pageup') return {by: -page};
	if (key.name === 'pagedown' || key.name === 'space') return {by: page};
	if (key.name === 'home' || key.input === 'g') return {to: 'top'};
	if (key.name === 'end' || key.input === 'G') return {to: 'bottom'};
	return undefined;
}

/** The first line shown after `move`, kept within the pane (0 … lines − page). */
export function applyPaneMove(offset: number, move: PaneMove, maxOffset: number): number {
	const next = 'to' in move ? (move.to === 'top' ? 0 : maxOffset) : offset + move.by;
	return Math.min(Math.max(0, maxOffset), Math.max(0, next));
}

/**
 * The preview's lines at this width: wrapped at words by the one wrapper, and, the pane being a
 * fixed frame that counts its rows, a command or path wider than the pane folded at its edge
 * (every character kept, in order; the transcript printed on the way out keeps it whole to copy).
 */
export function paneLines(lines: readonly string[], width: number): string[] {
	return wrapLines(lines, width, {breakLongWords: true});
}

/** The pane's footer: where the operator is and that the preview scrolls, the most complete form that fits. */
export function paneFooter(offset: number, shown: number, total: number, width: number): string {
	const range = `preview lines ${offset + 1}–${offset + shown} of ${total}`;
	const forms = [
		`${range} · ↑↓ j k scroll · PgUp PgDn space page · g G top end`,
		`${range} · ↑↓ j k PgUp PgDn g G scroll`,
		`${range} · ↑↓ scroll`,
		`lines ${offset + 1}–${offset + shown}/${total} ↑↓`,
	];
	return forms.find(form => displayWidth(form) <= width) ?? forms.at(-1)!;
}
