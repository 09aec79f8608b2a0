/**
 * The alternate screen for the full-screen views (dashboard, author wizard, the rollback screen),
 * in one place. A full-screen view draws on the alternate screen, as less and k9s do:
 * the operator's scrollback above is never overwritten or wiped (Ink clears the whole terminal,
 * `ESC[3J` included, when a frame is as tall as the window; on the alternate screen that clears
 * nothing of theirs), and on the way out the terminal is exactly as it was.
 *
 * Leaving is guaranteed on every exit path: the normal one (`close()`), a thrown error (callers
 * close in `finally`), an uncaught crash or `process.exit()` (the 'exit' event, where only
 * synchronous writes run; a terminal write is synchronous), and signals when the view asks for
 * them (`onSignal`: the view winds down through its own normal path; a second signal exits at once,
 * through the same 'exit' restore; without `onSignal` the command owns its signals). Only when
 * stdout is a terminal: a pipe never sees these bytes.
 */

export const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h';
export const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

type SessionSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
const SIGNALS: readonly SessionSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_EXIT_CODES: Record<SessionSignal, number> = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143};

export interface FullScreenSession {
	/** True when the alternate screen was entered (stdout is a terminal). */
	readonly active: boolean;
	/** Back to the normal screen, cursor shown; idempotent. */
	close(): void;
}

export interface FullScreenOptions {
	/**
	 * The view's own way to close when a signal arrives (unmount, resolve as cancelled). Without it
	 * the command owns its signals (the rollback aborts, journals, and closes the screen itself).
	 */
	onSignal?: (signal: SessionSignal) => void;
}

export function enterFullScreen(stdout: NodeJS.WriteStream | (NodeJS.WritableStream & {isTTY?: boolean}), options: FullScreenOptions = {}): FullScreenSession {
	if (!stdout.isTTY) return {active: false, close: () => undefined};
	let open = true;
	let signalled = false;
	const restore = () => {
		if (!open) return;
		open = false;
		process.off('exit', restore);
		for (const signal of SIGNALS) process.off(signal, onSignal);
		try {
			stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
		} catch {
			// A terminal that is gone (hang-up) has no screen to restore.
		}
	};
	const onSignal = (signal: SessionSignal) => {
		if (signalled) {
			// The view did not wind down on the first signal: leave now (the 'exit' handler restores).
			process.exit(SIGNAL_EXIT_CODES[signal]);
		}
		signalled = true;
		options.onSignal!(signal);
	};
	stdout.write(ENTER_ALTERNATE_SCREEN);
	process.on('exit', restore);
	if (options.onSignal) for (const signal of SIGNALS) process.on(signal, onSignal);
	return {active: true, close: restore};
}
