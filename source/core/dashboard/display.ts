import {visible, visibleLines} from '../text/sanitize.js';
import {buildPanels, type DetailSection, type PanelLine, type PanelView} from './panels.js';
import type {DashboardState} from './state.js';
import {computeVerdict, type Verdict} from './verdict.js';

/**
 * The panels and verdict as display text: every string in them quotes plan fields, file paths,
 * env-file values or API answers, so each goes through the terminal sanitizer here, once, before
 * the screen and the text snapshot measure, wrap and cut it. The JSON snapshot uses the raw view
 * model (JSON escaping is its own protection).
 */

const line = (panelLine: PanelLine): PanelLine => ({...panelLine, text: visible(panelLine.text)});

const section = (detail: DetailSection): DetailSection => ({
	...detail,
	title: visible(detail.title),
	lines: detail.lines.map(line),
	...(detail.json !== undefined && {json: visibleLines(detail.json)}),
});

export function displayPanel(view: PanelView): PanelView {
	return {
		...view,
		title: visible(view.title),
		word: visible(view.word),
		summary: visible(view.summary),
		...(view.note !== undefined && {note: visible(view.note)}),
		extra: view.extra.map(line),
		details: view.details.map(section),
	};
}

export function displayPanels(state: DashboardState): PanelView[] {
	return buildPanels(state).map(displayPanel);
}

export function displayVerdict(state: DashboardState): Verdict {
	const verdict = computeVerdict(state);
	return {...verdict, headline: visible(verdict.headline), next: visible(verdict.next), blockers: verdict.blockers.map(visible)};
}
