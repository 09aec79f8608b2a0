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
	/** Each key with the read it came in (numbered from 1). */
	private readonly queue: Array<{key: Keypress; read: number}> = [];
	private reads = 0;
	/** Handlers that take only keys of later reads than this one (undefined: still settling, none yet). */
	private readonly freshOnly = new Map<HandlerRef, number | undefined>();
	private waiting: NodeJS.Immediate | undefined;

	constructor(emitter: EventEmitter) {
		emitter.on('input', (chunk: string) => {
			this.reads++;
			// A terminal never has this many keys waiting; a flood beyond it is dropped, not queued.
			for (const key of this.splitter.push(chunk)) if (this.queue.length < MAX_QUEUED) this.queue.push({key, read: this.reads});
			// The first key at once (a single key answers without delay); the rest one turn apart.
			if (this.waiting === undefined) this.next();
		});
	}

	add(handler: HandlerRef, options: {freshKeysOnly: boolean}): () => void {
		this.handlers.add(handler);
		let settling: NodeJS.Immediate | undefined;
		if (options.freshKeysOnly) {
			// What the terminal holds at this moment is read within a turn (a poll phase lies between
			// two immediates): it was typed before, too, so the line is drawn after it.
			this.freshOnly.set(handler, undefined);
			settling = setImmediate(() => {
				settling = setImmediate(() => {
					settling = undefined;
					if (this.handlers.has(handler)) this.freshOnly.set(handler, this.reads);
				});
			});
		}
		return () => {
			if (settling) clearImmediate(settling);
			this.handlers.delete(handler);
			this.freshOnly.delete(handler);
		};
	}

	private takes(handler: HandlerRef, read: number): boolean {
		if (!this.freshOnly.has(handler)) return true;
		const after = this.freshOnly.get(handler);
		return after !== undefined && read > after;
	}

	private next(): void {
		this.waiting = undefined;
		const entry = this.queue.shift();
		if (!entry) return;
		// A handler may unmount others (a step change) or mount new ones: those see the next key.
		for (const handler of [...this.handlers]) if (this.handlers.has(handler) && this.takes(handler, entry.read)) handler.current(entry.key);
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
	/**
	 * Only keys typed after the handler became active: keys still queued from earlier reads, and
	 * what the terminal held at that moment, are not its. For a question that must not take an
	 * answer typed ahead of it (the rollback's confirmation).
	 */
	freshKeysOnly?: boolean;
}

/** Call `handler` once per key while active. Needs no provider: the dispatcher belongs to the Ink instance. */
export function useKeypress(handler: (key: Keypress) => void, {isActive = true, freshKeysOnly = false}: KeypressOptions = {}): void {
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
		return dispatcher.add(ref, {freshKeysOnly});
	}, [live, emitter, freshKeysOnly]);
}

export type {Keypress} from '../../core/keys/keypress.js';
