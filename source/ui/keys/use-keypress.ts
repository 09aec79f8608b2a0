import type {EventEmitter} from 'node:events';
import {useStdin} from 'ink';
import {useEffect, useLayoutEffect, useRef} from 'react';
import {KeypressSplitter, type Keypress} from '../../core/keys/keypress.js';

/**
 * The one way a screen or component reads the keyboard (instead of Ink's `useInput`, which hands a
 * whole read over as one keypress). Each Ink instance gets one dispatcher: it splits every read
 * into keys and calls the active handlers once per key, in order. Between two keys of one read
 * React has rendered (Ink's root renders an update synchronously) and handlers are re-armed in
 * layout effects, so the second Down sees the row the first one moved to.
 */

type HandlerRef = {current: (key: Keypress) => void};

class KeyDispatcher {
	private readonly splitter = new KeypressSplitter();
	private readonly handlers = new Set<HandlerRef>();

	constructor(emitter: EventEmitter) {
		emitter.on('input', (chunk: string) => this.dispatch(chunk));
	}

	add(handler: HandlerRef): () => void {
		this.handlers.add(handler);
		return () => this.handlers.delete(handler);
	}

	private dispatch(chunk: string): void {
		for (const key of this.splitter.push(chunk)) {
			// A handler may unmount others (a step change) or mount new ones: those see the next key.
			for (const handler of [...this.handlers]) if (this.handlers.has(handler)) handler.current(key);
		}
	}
}

const dispatchers = new WeakMap<EventEmitter, KeyDispatcher>();

export interface KeypressOptions {
	/** False while the component should not react (another field has the focus, a run is busy). */
	isActive?: boolean;
}

/** Call `handler` once per key while active. Needs no provider: the dispatcher belongs to the Ink instance. */
export function useKeypress(handler: (key: Keypress) => void, {isActive = true}: KeypressOptions = {}): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	const ref = useRef(handler);
	useLayoutEffect(() => {
		ref.current = handler;
	});
	// Without a terminal there are no keys to read (and Ink refuses raw mode).
	const live = isActive && isRawModeSupported;
	useEffect(() => {
		if (!live) return undefined;
		setRawMode(true);
		return () => setRawMode(false);
	}, [live, setRawMode]);
	useLayoutEffect(() => {
		if (!live) return undefined;
		let dispatcher = dispatchers.get(emitter);
		if (!dispatcher) {
			dispatcher = new KeyDispatcher(emitter);
			dispatchers.set(emitter, dispatcher);
		}
		return dispatcher.add(ref);
	}, [live, emitter]);
}

export type {Keypress} from '../../core/keys/keypress.js';
