/**
 * Bracketed paste: the terminal wraps a paste in `ESC[200~ … ESC[201~`, so the keypress layer
 * hands it to a field as one paste (a pasted line break is text, never Enter). Turned on while a
 * screen with text fields is mounted, and off again on every way out, including process exit.
 */
const ON = '\u001b[?2004h';
const OFF = '\u001b[?2004l';

/** Turn it on for `stdout` if it is a terminal; returns the function that turns it off (idempotent). */
export function enableBracketedPaste(stdout: NodeJS.WriteStream): () => void {
	if (!stdout.isTTY) return () => undefined;
	let on = true;
	const off = () => {
		if (!on) return;
		on = false;
		process.removeListener('exit', off);
		stdout.write(OFF);
	};
	stdout.write(ON);
	process.once('exit', off);
	return off;
}
