import {setMaxListeners} from 'node:events';

/** First stop request: cancel (finish the current step). Second: abort (kill what runs now). */
export class RunControl {
	readonly #cancel = new AbortController();
	readonly #abort = new AbortController();
	readonly #listeners = new Set<(what: 'cancel' | 'abort') => void>();

	constructor() {
		// Every running command and poll listens (16 services restart and verify at once): not a leak.
		setMaxListeners(0, this.#cancel.signal, this.#abort.signal);
	}

	/** Ctrl-C: the first call cancels, the second aborts. */
	requestStop(): 'cancel' | 'abort' {
		if (!this.#cancel.signal.aborted) {
			this.cancel();
			return 'cancel';
		}
		this.abort();
		return 'abort';
	}

	cancel(): void {
		if (this.#cancel.signal.aborted) return;
		this.#cancel.abort();
		for (const listener of this.#listeners) listener('cancel');
	}

	abort(): void {
		this.cancel();
		if (this.#abort.signal.aborted) return;
		this.#abort.abort();
		for (const listener of this.#listeners) listener('abort');
	}

	get cancelRequested(): boolean {
		return this.#cancel.signal.aborted;
	}

	get abortRequested(): boolean {
		return this.#abort.signal.aborted;
	}

	/** Aborts on the first Ctrl-C: stops polling (verification changes nothing). */
	get cancelSignal(): AbortSignal {
		return this.#cancel.signal;
	}

	/** Aborts on the second Ctrl-C: kills running commands. */
	get abortSignal(): AbortSignal {
		return this.#abort.signal;
	}

	onStop(listener: (what: 'cancel' | 'abort') => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}
}
