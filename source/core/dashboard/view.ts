/**
 * What the screen is showing (summary, one panel's details, key help) and which row is
 * selected: a tiny reducer so key handling is testable without a terminal.
 */

import type {Keypress} from '../keys/keypress.js';
import {editLine} from '../keys/line-editor.js';

export type ScreenMode = 'summary' | 'details' | 'help';

export interface ViewState {
	mode: ScreenMode;
	/** Index into the selectable rows (verdict first, then the panels). */
	selected: number;
	/** First visible line of the details view. */
	scroll: number;
	/** A one-line message under the panels, e.g. "guided rollback is not available yet". */
	notice?: string;
	/** Details view: `/` search, being typed (editing) or done (n/N move between its matches). */
	search?: DetailsSearch;
}

export interface DetailsSearch {
	query: string;
	/** Where the text cursor is in `query` while editing (core/keys/line-editor). */
	cursor: number;
	editing: boolean;
	/** Which match (index into the frame's matches) is shown. */
	current: number;
}

export type ViewAction =
	| {type: 'up'}
	| {type: 'down'}
	| {type: 'open'}
	| {type: 'back'}
	| {type: 'help'}
	| {type: 'scroll'; by: number; max: number}
	| {type: 'notice'; text: string}
	| {type: 'clear-notice'}
	/** Details: scroll to a line (g/Home: 0; G/End: the last page; a search match). */
	| {type: 'jump'; to: number; max: number}
	| {type: 'search'; search: DetailsSearch | undefined}
	/** A key for the search field being typed (applied to the latest query, however fast keys come). */
	| {type: 'search-key'; key: Keypress};

export const initialView: ViewState = {mode: 'summary', selected: 0, scroll: 0};

export function reduceView(view: ViewState, action: ViewAction, rows: number): ViewState {
	switch (action.type) {
		case 'up':
			if (view.mode === 'summary') return {...view, selected: (view.selected - 1 + rows) % rows, notice: undefined};
			return view.mode === 'details' ? {...view, scroll: Math.max(0, view.scroll - 1)} : view;
		case 'down':
			if (view.mode === 'summary') return {...view, selected: (view.selected + 1) % rows, notice: undefined};
			return view;
		case 'scroll':
			if (view.mode !== 'details') return view;
			return {...view, scroll: Math.min(Math.max(0, action.max), Math.max(0, view.scroll + action.by))};
		case 'jump':
			return view.mode === 'details' ? {...view, scroll: Math.min(Math.max(0, action.max), Math.max(0, action.to))} : view;
		case 'search':
			if (view.mode !== 'details') return view;
			return action.search ? {...view, search: action.search} : withoutSearch(view);
		case 'search-key': {
			if (view.mode !== 'details' || !view.search?.editing) return view;
			const edit = editLine({value: view.search.query, cursor: view.search.cursor}, action.key);
			return edit && !edit.submit ? {...view, search: {...view.search, query: edit.value, cursor: edit.cursor}} : view;
		}
		case 'open':
			return view.mode === 'summary' ? {...withoutSearch(view), mode: 'details', scroll: 0, notice: undefined} : view;
		case 'back':
			return view.mode === 'summary' ? {...view, notice: undefined} : {...withoutSearch(view), mode: 'summary', scroll: 0};
		case 'help':
			return view.mode === 'help' ? {...view, mode: 'summary'} : {...view, mode: 'help', notice: undefined};
		case 'notice':
			return {...view, notice: action.text};
		case 'clear-notice':
			return {...view, notice: undefined};
	}
}

function withoutSearch(view: ViewState): ViewState {
	const {search: _search, ...rest} = view;
	return rest;
}

/** The match after (`1`) or before (`-1`) `current`, wrapping around; 0 when there are none. */
export function stepMatch(count: number, current: number, direction: 1 | -1): number {
	return count === 0 ? 0 : (((current + direction) % count) + count) % count;
}

/** The first match at or below the line at the top of the view (else the first): where a new search lands. */
export function firstMatchFrom(matches: readonly number[], scroll: number): number {
	const index = matches.findIndex(line => line >= scroll);
	return index < 0 ? 0 : index;
}

export const keyHelp: ReadonlyArray<[string, string]> = [
	['↑ ↓', 'move between panels; in details, scroll'],
	['enter', "open the selected panel's details: every check, every finding, the raw JSON"],
	['esc', 'back to the summary'],
	['pgup pgdn', 'scroll details a page at a time'],
	['g G', 'details: top, bottom (also home, end)'],
	['/ n N', 'details: search, next match, previous match'],
	['r', 'refresh now: re-read the files and ask the API'],
	['b', 'begin the guided rollback'],
	['?', 'this help'],
	['q', 'quit'],
];
