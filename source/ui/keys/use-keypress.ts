import type {EventEmitter} from 'node:events';
import {useStdin} from 'ink';
import {useEffect, useLayoutEffect, useRef} from 'react';
import {KeypressSplitter, type Keypress} from '../../core/keys/keypress.js';

/**
 * The one way a screen or component reads the keyboard (instead of Ink's `useInput`, which hands a
 * whole read over as one keypress). Each Ink instance gets one dispatcher: it splits every read
 * into keys and calls the active handlers once per key, in order. React does not render an update
 * at once, so the keys of one read are handed out a render apart: by the next key React has
 * rendered what the previous one did and handlers are re-armed (in layout effects), so the second
 * Down sees the row the first one moved to.
 */

type HandlerRef = {current: (key: Keypress) => void};

const MAX_QUEUED = 1024;

class KeyDispatcher {
	private readonly splitter = new KeypressSplitter();
	private readonly handlers = new Set<HandlerRef>();
	private readonly queue: Keypress[] = [];
	private waiting: NodeJS.Immediate | undefined;

	constructor(emitter: EventEmitter) {
		emitter.on('input', (chunk: string) => {
			// A terminal never has this many keys waiting; a flood beyond it is dropped, not queued.
			for (const key of this.splitter.push(chunk)) if (this.queue.length < MAX_QUEUED) this.queue.push(key);
			// The first key at once (a single key answers without delay); the rest one turn apart.
			if (this.waiting === undefined) this.next();
		});
	}

	add(handler: HandlerRef): () => void {
		this.handlers.add(handler);
		return () => this.handlers.delete(handler);
	}

	private next(): void {
		this.waiting = undefined;
		const key = this.queue.shift();
		if (!key) return;
		// A handler may unmount others (a step change) or mount new ones: those see the next key.
		for (const handler of [...this.handlers]) if (this.handlers.has(handler)) handler.current(key);
		// React renders an update in a task it queues from a microtask, i.e. after an immediate we
		// queue now: two turns later it has rendered and committed. Ink may hand over the rest of the
		// same read right away; it waits too.
		this.waiting = setImmediate(() => {
			this.waiting = setImmediate(() => this.next());
		});
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
