import {Box, useApp, useStdin} from 'ink';
import {useKeypress, type Keypress} from '../../keys/use-keypress.js';
import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {firstMatchFrom, initialView, reduceView, stepMatch, type DashboardState, type DashboardStore, type ViewState} from '../../../core/dashboard/index.js';
import {StyledLine} from '../../components/styled-line.js';
import {useTerminalSize} from '../../use-terminal-size.js';
import {frameFor, screenModel, selectableCount, visibleKey} from './layout.js';

export interface DashboardScreenProps {
	store: DashboardStore;
	/** `r`: re-read the files and poll the API now. */
	onRefresh(): void;
	/** True when this build has the guided rollback command. */
	rollbackAvailable: boolean;
	/** `b` with the rollback available: the dashboard exits and the command hands over. */
	onBeginRollback(): void;
	color: boolean;
	/** Fixed size for tests; otherwise the terminal's, following resizes. */
	size?: {columns: number; rows: number};
}

/**
 * The store's state, but only when something on screen would change: each new state's visible
 * key is compared with the last one drawn, so a poll that brings the same answer redraws nothing.
 */
function useVisibleState(store: DashboardStore, view: ViewState): DashboardState {
	const [state, setState] = useState(store.getState);
	const viewRef = useRef(view);
	const keyRef = useRef<string | undefined>(undefined);
	viewRef.current = view;
	useEffect(() => {
		const check = (next: DashboardState) => {
			const key = visibleKey(next, screenModel(next), viewRef.current);
			if (key === keyRef.current) return;
			keyRef.current = key;
			setState(next);
		};
		check(store.getState());
		return store.subscribe(check);
	}, [store]);
	// A new view (details opened, help closed) shows the latest state, whatever its key.
	useEffect(() => {
		const latest = store.getState();
		keyRef.current = visibleKey(latest, screenModel(latest), viewRef.current);
		setState(latest);
	}, [store, view.mode, view.selected]);
	return state;
}

/** The live readiness dashboard: a summary of every panel, details behind enter, key help behind ?. */
export function DashboardScreen({store, onRefresh, rollbackAvailable, onBeginRollback, color, size: fixedSize}: DashboardScreenProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const size = useTerminalSize(fixedSize);
	const [view, dispatchView] = useReducer((current: typeof initialView, action: Parameters<typeof reduceView>[1]) => reduceView(current, action, selectableCount), initialView);
	const state = useVisibleState(store, view);

	const model = useMemo(() => screenModel(state), [state]);
	const frame = frameFor({state, view, width: Math.max(20, size.columns), height: size.rows}, model);
	const matches = frame.matches ?? [];

	/** Put match `index` at the top of the view (as far as the last page allows). */
	const showMatch = (index: number, search = view.search) => {
		if (!search) return;
		dispatchView({type: 'search', search: {...search, editing: false, current: index}});
		if (matches[index] !== undefined) dispatchView({type: 'jump', to: matches[index]!, max: frame.maxScroll});
	};

	const searchKey = (key: Keypress) => {
		const search = view.search!;
		if (key.name === 'escape') return dispatchView({type: 'search', search: undefined});
		// Enter on an empty query closes the field, as less does.
		if (key.name === 'return') return search.query === '' ? dispatchView({type: 'search', search: undefined}) : showMatch(firstMatchFrom(matches, view.scroll), search);
		return dispatchView({type: 'search-key', key});
	};

	useKeypress(
		key => {
			const input = key.ctrl || key.meta || key.paste ? '' : key.input;
			// While a search is typed, every key is the field's (q, r, b are letters of the query).
			if (view.mode === 'details' && view.search?.editing) return searchKey(key);
			if (input === 'q') return exit();
			if (input === 'r') return onRefresh();
			if (input === '?') return dispatchView({type: 'help'});
			if (input === 'b') {
				if (rollbackAvailable) {
					onBeginRollback();
					return exit();
				}
				return dispatchView({type: 'notice', text: 'guided rollback is not available yet: this build has no rollback command'});
			}
			if (view.mode === 'details' && view.search && key.name === 'escape') return dispatchView({type: 'search', search: undefined});
			if (key.name === 'escape' || (view.mode !== 'summary' && (key.name === 'backspace' || key.name === 'left'))) return dispatchView({type: 'back'});
			if (view.mode === 'details') {
				if (input === '/') return dispatchView({type: 'search', search: {query: '', cursor: 0, editing: true, current: 0}});
				if (view.search && (input === 'n' || input === 'N')) return showMatch(stepMatch(matches.length, view.search.current, input === 'n' ? 1 : -1));
				if (input === 'g' || key.name === 'home') return dispatchView({type: 'jump', to: 0, max: frame.maxScroll});
				if (input === 'G' || key.name === 'end') return dispatchView({type: 'jump', to: frame.maxScroll, max: frame.maxScroll});
				if (key.name === 'up') return dispatchView({type: 'scroll', by: -1, max: frame.maxScroll});
				if (key.name === 'down') return dispatchView({type: 'scroll', by: 1, max: frame.maxScroll});
				if (key.name === 'pageup') return dispatchView({type: 'scroll', by: -frame.page, max: frame.maxScroll});
				if (key.name === 'pagedown' || input === ' ') return dispatchView({type: 'scroll', by: frame.page, max: frame.maxScroll});
				if (key.name === 'return') return dispatchView({type: 'back'});
				return undefined;
			}
			if (view.mode === 'help') {
				if (key.name === 'return') return dispatchView({type: 'back'});
				return undefined;
			}
			if (key.name === 'up') return dispatchView({type: 'up'});
			if (key.name === 'down') return dispatchView({type: 'down'});
			if (key.name === 'return') return dispatchView({type: 'open'});
			return undefined;
		},
		{isActive: isRawModeSupported},
	);

	return (
		<Box flexDirection="column">
			{frame.lines.map((line, index) => (
				<StyledLine key={index} segments={line} color={color} />
			))}
		</Box>
	);
}
