import {
	clockTime,
	displayPanels,
	displayVerdict,
	keyHelp,
	toneSymbols,
	basename,
	truncate,
	type DashboardState,
	type DetailSection,
	type PanelView,
	type Tone,
	type Verdict,
	type ViewState,
} from '../../../core/dashboard/index.js';
import {visible} from '../../../core/text/sanitize.js';
import {wrapLine} from '../../../core/text/wrap.js';
import {GLYPHS} from '../../../core/text/glyphs.js';
import {NOT_READY_TITLE, NOT_READY_WORDS, NOTHING_KEEPS_FROM_READY} from '../../../core/rollback/what-blocks.js';

/**
 * The dashboard's frame as data: lines of styled segments, already cut to the terminal's width
 * and height. Pure (no ink), so the 80×24 budget and the scroll window are plain arithmetic,
 * and the Ink components only paint what this decides.
 */

export interface Segment {
	text: string;
	tone?: Tone;
	bold?: boolean;
	dim?: boolean;
}

export type Line = Segment[];

export interface Frame {
	lines: Line[];
	/** Details view: how far one can scroll. */
	maxScroll: number;
	/** Details view: lines per page. */
	page: number;
	/** Details view: the body lines holding the search query, in order. */
	matches?: number[];
}

export interface LayoutInput {
	state: DashboardState;
	view: ViewState;
	width: number;
	/** Terminal rows; the frame stays at least one row shorter so nothing scrolls or flickers. */
	height: number;
}

const TITLE_WIDTH = 10;
const WORD_WIDTH = 18;
const INDENT = 2 + TITLE_WIDTH;

/** Rows the summary can select: the verdict, then each panel. */
export const selectableCount = 8;

export interface ScreenModel {
	verdict: Verdict;
	panels: PanelView[];
}

export function screenModel(state: DashboardState): ScreenModel {
	return {verdict: displayVerdict(state), panels: displayPanels(state)};
}

function lineLength(line: Line): number {
	return line.reduce((total, segment) => total + [...segment.text].length, 0);
}

/**
 * Cut a line of segments to `width` columns, with an ellipsis when something was cut. Every frame
 * line passes here, so here the terminal sanitizer also has the last word (the view model already
 * sanitized what it quotes; this catches any text added on the way, such as the config path).
 */
export function fit(input: Line, width: number): Line {
	const line = input.map(segment => ({...segment, text: visible(segment.text)}));
	if (lineLength(line) <= width) return line;
	const out: Line = [];
	let left = Math.max(0, width - 1);
	for (const segment of line) {
		if (left <= 0) break;
		const chars = [...segment.text];
		if (chars.length <= left) {
			out.push(segment);
			left -= chars.length;
		} else {
			out.push({...segment, text: chars.slice(0, left).join('')});
			left = 0;
		}
	}
	const last = out[out.length - 1];
	out.push({text: GLYPHS.cut, ...(last?.dim && {dim: true})});
	return out;
}

/** A details line in the frame: the one wrapper, at words, long words split rather than cut (core/text/wrap.ts). */
export function wrapText(text: string, width: number, hang = 2): string[] {
	return wrapLine(text, width, {hanging: hang, breakLongWords: true});
}

/**
 * A summary's extra line ("✖ warn go_rollback_controls: rollback plan controls are missing")
 * wrapped at words to the room beside the titles, continuation lines hanging under the message
 * (after "id: "), or under the text after the symbol when that is too deep. A word longer than
 * the room is split into pieces, never cut: a number, path or URL is all there.
 */
function extraLines(text: string, width: number): string[] {
	const room = Math.max(1, width - INDENT);
	const line = visible(text);
	const label = line.indexOf(': ');
	const hanging = label >= 0 && label + 2 < room / 2 ? label + 2 : 2;
	return wrapLine(line, room, {hanging, breakLongWords: true});
}

/** The verdict's rows at most: past them the next step is cut (the details view has it whole, enter on it). */
const VERDICT_ROWS = 3;

/**
 * The verdict and its next step, wrapped at words under the headline's text: the next step is
 * what an operator acts on, so it is not cut at the window's edge ("2000 ms", a path, a command).
 */
function verdictLines(verdict: Verdict, marker: Segment, width: number, maxRows: number): Line[] {
	const headline = `${toneSymbols[verdict.tone]} ${verdict.headline}`;
	const room = Math.max(1, width - [...marker.text].length);
	const parts = wrapLine(`${headline} — next: ${visible(verdict.next)}`, room, {hanging: 2, breakLongWords: true});
	const rows = parts.slice(0, maxRows);
	// Past the last row the rest is cut by fit(), with its mark.
	if (parts.length > maxRows) rows[maxRows - 1] = `${rows[maxRows - 1]} ${parts.slice(maxRows).map(part => part.trim()).join(' ')}`;
	const [first = '', ...rest] = rows;
	const head: Line = first.startsWith(headline)
		? [marker, {text: headline, tone: verdict.tone, bold: true}, {text: first.slice(headline.length)}]
		: [marker, {text: first, tone: verdict.tone, bold: true}];
	return [head, ...rest.map((part): Line => [{text: ' '.repeat([...marker.text].length)}, {text: part}])];
}

function changedText(view: PanelView, now: number): string {
	return view.changedAt !== undefined ? `changed ${clockTime(view.changedAt, now)}` : 'no data yet';
}

export function summaryFrame({state, view, width, height}: LayoutInput, model: ScreenModel = screenModel(state)): Frame {
	const {verdict, panels} = model;
	const budget = Math.max(6, height - 1);
	const marker = (index: number): Segment => ({text: view.selected === index ? `${GLYPHS.selected} ` : '  ', bold: true});

	const header: Line = [
		{text: 'cavra-rollback dashboard', bold: true},
		{
			text: state.config.pending
				? ' · reading the config… · ? help'
				: ` · ${state.config.path ? basename(state.config.path) : 'no config file'} · ${state.config.apiUrl ? `API every ${state.config.intervalSeconds}s` : 'no API'}${state.refreshing ? ' · refreshing…' : ''} · ? help`,
			dim: true,
		},
	];
	// The verdict may take up to three rows, but never the panels' own rows on a short window.
	const verdictRoom = Math.min(VERDICT_ROWS, Math.max(1, budget - 2 - (view.notice ? 1 : 0) - panels.length));
	const verdictRows = verdictLines(verdict, marker(0), width, verdictRoom);
	const footer: Line = [{text: '↑↓ select · enter details · r refresh · b rollback · ? help · q quit', dim: true}];
	const notice: Line | undefined = view.notice ? [{text: `${toneSymbols.warn} ${view.notice}`, tone: 'warn'}] : undefined;

	const panelHead = (panel: PanelView, index: number): Line => [
		marker(index + 1),
		{text: panel.title.padEnd(TITLE_WIDTH), bold: true},
		{text: `${toneSymbols[panel.tone]} ${panel.word}`.padEnd(WORD_WIDTH), tone: panel.tone},
		{text: panel.summary},
	];
	// The changed time is always shown whole: the note gives way to it.
	const panelNote = (panel: PanelView): Line => {
		const changed = changedText(panel, state.now);
		if (!panel.note) return [{text: ' '.repeat(INDENT)}, {text: changed, dim: true}];
		const room = width - INDENT - [...changed].length - 3;
		return [{text: ' '.repeat(INDENT)}, {text: truncate(panel.note, Math.max(1, room)), dim: true}, {text: ` · ${changed}`, dim: true}];
	};

	const fixed = 1 + verdictRows.length + 1 + (notice ? 1 : 0);
	const full = fixed + panels.length * 2;
	const withNotes = full <= budget;
	let spare = budget - (withNotes ? full : fixed + panels.length);
	const blankAfterVerdict = spare > 0 && spare-- > 0;
	const blankBeforeFooter = spare > 0 && spare-- > 0;

	const lines: Line[] = [header, ...verdictRows];
	if (blankAfterVerdict) lines.push([{text: ''}]);
	panels.forEach((panel, index) => {
		lines.push(panelHead(panel, index));
		if (withNotes) lines.push(panelNote(panel));
		// More room: the lines behind the summary (failing checks, each mode source, each endpoint),
		// wrapped whole; the ones that do not fit are counted on one line instead.
		panel.extra.forEach((extra, at) => {
			if (spare <= 0) return;
			const parts = extraLines(extra.text, width);
			const more = panel.extra.length - at;
			// Showing this one must leave a row for the count of the ones after it.
			if (parts.length + (more > 1 ? 1 : 0) > spare) {
				lines.push([{text: ' '.repeat(INDENT)}, {text: `${GLYPHS.more} ${more} more (enter: details)`, dim: true}]);
				spare = 0;
				return;
			}
			for (const part of parts) lines.push([{text: ' '.repeat(INDENT)}, {text: part, ...(extra.tone && {tone: extra.tone})}]);
			spare -= parts.length;
		});
	});
	if (blankBeforeFooter) lines.push([{text: ''}]);
	if (notice) lines.push(notice);
	lines.push(footer);
	return {lines: lines.map(line => fit(line, width)), maxScroll: 0, page: 0};
}

function verdictSections(verdict: Verdict): DetailSection[] {
	return [
		{
			title: 'Next step',
			lines: [
				{tone: verdict.tone, text: `${toneSymbols[verdict.tone]} next: ${verdict.next}`},
				{text: `dashboard --once would exit ${verdict.exitCode}`},
			],
		},
		{
			title: verdict.blockers.length > 0 ? `${NOT_READY_TITLE}, most urgent first (${verdict.blockers.length})` : NOT_READY_TITLE,
			lines: verdict.blockers.length > 0 ? verdict.blockers.map(blocker => ({tone: 'bad' as const, text: `${toneSymbols.bad} ${blocker}`})) : [{tone: 'ok', text: `${toneSymbols.ok} ${NOTHING_KEEPS_FROM_READY}`}],
		},
	];
}

export function detailsFrame({state, view, width, height}: LayoutInput, model: ScreenModel = screenModel(state)): Frame {
	const panel = view.selected === 0 ? undefined : model.panels[view.selected - 1];
	const title = panel ? `${panel.title}: ${toneSymbols[panel.tone]} ${panel.word}` : `Verdict: ${toneSymbols[model.verdict.tone]} ${model.verdict.headline}`;
	const sections = panel ? panel.details : verdictSections(model.verdict);
	const body: Line[] = [];
	if (panel) body.push([{text: changedText(panel, state.now), dim: true}]);
	for (const section of sections) {
		if (body.length > 0) body.push([{text: ''}]);
		body.push([{text: section.title, bold: true}]);
		for (const line of section.lines) for (const part of wrapText(line.text, width)) body.push([{text: part, ...(line.tone && {tone: line.tone})}]);
		// Raw JSON wraps too (a long URL or message is read whole): continuation lines hang under their own indent.
		if (section.json) for (const jsonLine of section.json.split('\n')) for (const part of wrapJsonLine(visible(jsonLine), width)) body.push([{text: part, dim: true}]);
	}
	const query = view.search?.query.toLowerCase() ?? '';
	const matches = query === '' ? [] : body.flatMap((line, index) => (lineText(line).toLowerCase().includes(query) ? [index] : []));
	const page = Math.max(1, Math.max(6, height - 1) - 2);
	const maxScroll = Math.max(0, body.length - page);
	const scroll = Math.min(view.scroll, maxScroll);
	const current = view.search && !view.search.editing ? matches[view.search.current] : undefined;
	const shown = body.slice(scroll, scroll + page).map((line, offset) => (matches.includes(scroll + offset) ? markMatch(line, scroll + offset === current) : line));
	const range = body.length > page ? ` · lines ${scroll + 1}–${scroll + shown.length} of ${body.length}` : '';
	const lines: Line[] = [
		[{text: title, bold: true, ...(panel && {tone: panel.tone})}, {text: ' · details', dim: true}],
		...shown,
		detailsFooter(view, matches.length, range, width),
	];
	return {lines: lines.map(line => fit(line, width)), maxScroll, page, matches};
}

function lineText(line: Line): string {
	return line.map(segment => segment.text).join('');
}

/** A line holding the query: bold, and the one n/N is on gets a marker in the first column. */
function markMatch(line: Line, isCurrent: boolean): Line {
	const marked = line.map(segment => ({...segment, bold: true, dim: false}));
	if (!isCurrent) return marked;
	const [first, ...rest] = marked;
	// Over a leading blank (JSON indent, wrapped lines) when there is one, so the text does not shift.
	if (first?.text.startsWith(' ')) return [{text: GLYPHS.match, bold: true}, {...first, text: first.text.slice(1)}, ...rest];
	return [{text: GLYPHS.match, bold: true}, ...marked];
}

/** The details footer: the most complete form that fits the width (the line range and the search state first). */
function detailsFooter(view: ViewState, matchCount: number, range: string, width: number): Line {
	const search = view.search;
	const hints = (forms: string[]) => forms.find(form => [...form].length <= width) ?? forms.at(-1)!;
	if (search?.editing) {
		const {query, cursor} = search;
		const found = matchCount === 1 ? '1 match' : `${matchCount} matches`;
		const room = Math.max(0, width - [...query].length - 2);
		const tail = [` · ${found} · enter search · esc cancel`, ` · ${found} · enter · esc`, ` · ${found}`, ''].find(form => [...form].length <= room) ?? '';
		return [{text: `/${query.slice(0, cursor)}`}, {text: GLYPHS.cursor, bold: true}, {text: query.slice(cursor)}, {text: tail, dim: true}];
	}
	if (search) {
		const where = matchCount === 0 ? 'no match' : `match ${search.current + 1} of ${matchCount}`;
		const head = `/${search.query} · ${where}`;
		return [{text: hints([`${head} · n next · N previous · esc clear${range}`, `${head}${range} · n N · esc`, head]), bold: true}];
	}
	const lines = range.replace(/^ · /, '');
	const lead = lines ? `${lines} · ` : '';
	return [{text: hints([`↑↓ scroll · pgup pgdn page · g G top bottom · / search · esc back · q quit${range}`, `${lead}↑↓ g G / search · esc back`, `${lead}/ search · esc`]), dim: true}];
}

/** One line of pretty-printed JSON cut to `width`: continuation lines hang two columns under the line's own indent. */
export function wrapJsonLine(line: string, width: number): string[] {
	const indent = line.length - line.trimStart().length;
	return wrapText(line, width, Math.min(indent + 2, Math.floor(width / 2)));
}

export function helpFrame({width, height}: LayoutInput): Frame {
	const lines: Line[] = [[{text: 'Keys', bold: true}]];
	for (const [keys, meaning] of keyHelp) lines.push([{text: `  ${keys.padEnd(10)}`, bold: true}, {text: meaning}]);
	lines.push([{text: ''}]);
	lines.push([{text: 'Every status has a symbol and a word, never colour alone:', bold: true}]);
	lines.push([{text: `  ${toneSymbols.ok} ok  ${toneSymbols.warn} look soon  ${toneSymbols.neutral} not requested  ${toneSymbols.pending} waiting`}]);
	lines.push([{text: `  ${toneSymbols.bad} ${NOT_READY_WORDS}`}]);
	lines.push([{text: ''}]);
	lines.push([{text: 'Files are watched; the API is polled. Each panel says when its data last changed.', dim: true}]);
	lines.push([{text: 'esc or ? to go back', dim: true}]);
	return {lines: lines.slice(0, Math.max(6, height - 1)).map(line => fit(line, width)), maxScroll: 0, page: 0};
}

export function frameFor(input: LayoutInput, model?: ScreenModel): Frame {
	switch (input.view.mode) {
		case 'summary':
			return summaryFrame(input, model);
		case 'details':
			return detailsFrame(input, model);
		case 'help':
			return helpFrame(input);
	}
}

/** Plain text of a frame (for tests and the bench). */
export function frameText(frame: Frame): string {
	return frame.lines.map(line => line.map(segment => segment.text).join('')).join('\n');
}

/**
 * Everything the current view shows, as one string: when a new state gives the same key, the
 * screen does not redraw (an unchanged poll costs no render). Summary: every panel's head and
 * note and the verdict; details: also the selected panel's details.
 */
export function visibleKey(state: DashboardState, model: ScreenModel, view: ViewState): string {
	if (view.mode === 'help') return 'help';
	const {verdict, panels} = model;
	const {config} = state;
	const parts: unknown[] = [verdict.tone, verdict.headline, verdict.next, state.refreshing, config.pending, config.path, config.apiUrl, config.intervalSeconds];
	for (const panel of panels) parts.push(panel.tone, panel.word, panel.summary, panel.note, panel.changedAt, panel.extra);
	if (view.mode === 'details') parts.push(view.selected === 0 ? verdict.blockers : panels[view.selected - 1]?.details);
	return JSON.stringify(parts);
}
