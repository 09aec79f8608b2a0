/**
 * What the screen is showing (summary, one panel's details, key help) and which row is
 * selected: a tiny reducer so key handling is testable without a terminal.
 */

export type ScreenMode = 'summary' | 'details' | 'help';

export interface ViewState {
	mode: ScreenMode;
	/** Index into the selectable rows (verdict first, then the panels). */
	selected: number;
	/** First visible line of the details view. */
	scroll: number;
	/** A one-line message under the panels, e.g. "guided rollback is not available yet". */
	notice?: string;
}

export type ViewAction =
	| {type: 'up'}
	| {type: 'down'}
	| {type: 'open'}
	| {type: 'back'}
	| {type: 'help'}
	| {type: 'scroll'; by: number; max: number}
	| {type: 'notice'; text: string}
	| {type: 'clear-notice'};

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
		case 'open':
			return view.mode === 'summary' ? {...view, mode: 'details', scroll: 0, notice: undefined} : view;
		case 'back':
			return view.mode === 'summary' ? {...view, notice: undefined} : {...view, mode: 'summary', scroll: 0};
		case 'help':
			return view.mode === 'help' ? {...view, mode: 'summary'} : {...view, mode: 'help', notice: undefined};
		case 'notice':
			return {...view, notice: action.text};
		case 'clear-notice':
			return {...view, notice: undefined};
	}
}

export const keyHelp: ReadonlyArray<[string, string]> = [
	['↑ ↓', 'move between panels; in details, scroll'],
	['enter', "open the selected panel's details: every check, every finding, the raw JSON"],
	['esc', 'back to the summary'],
	['pgup pgdn', 'scroll details a page at a time'],
	['r', 'refresh now: re-read the files and ask the API'],
	['b', 'begin the guided rollback'],
	['?', 'this help'],
	['q', 'quit'],
];
