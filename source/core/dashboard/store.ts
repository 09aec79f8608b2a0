import {reduce} from './reducer.js';
import type {DashboardEvent, DashboardState} from './state.js';

/**
 * A minimal observable store over the reducer. Sources dispatch events; the screen and the
 * line mode subscribe. `dispatchAll` applies a batch (one poll round) with one notification,
 * so a round costs one re-render, not one per answer.
 */
export interface DashboardStore {
	getState(): DashboardState;
	dispatch(event: DashboardEvent): void;
	dispatchAll(events: readonly DashboardEvent[]): void;
	/** Called after every state change with the state before it. Returns an unsubscribe function. */
	subscribe(listener: (state: DashboardState, previous: DashboardState) => void): () => void;
}

export function createStore(initial: DashboardState): DashboardStore {
	let state = initial;
	const listeners = new Set<(state: DashboardState, previous: DashboardState) => void>();
	const dispatchAll = (events: readonly DashboardEvent[]) => {
		if (events.length === 0) return;
		const previous = state;
		for (const event of events) state = reduce(state, event);
		if (state === previous) return;
		for (const listener of [...listeners]) listener(state, previous);
	};
	return {
		getState: () => state,
		dispatch: event => dispatchAll([event]),
		dispatchAll,
		subscribe(listener) {
			listeners.add(listener);
			return () => void listeners.delete(listener);
		},
	};
}
