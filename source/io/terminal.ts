/** Terminal facts, decided once at the edge. */

export function colorEnabled(options: {env: NodeJS.ProcessEnv; isTTY: boolean; noColorFlag?: boolean}): boolean {
	const {env} = options;
	if (options.noColorFlag) return false;
	if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
	const force = env['FORCE_COLOR'];
	if (force !== undefined) return force !== '0' && force !== 'false';
	if (env['TERM'] === 'dumb') return false;
	return options.isTTY;
}

/** Ink renders only when both ends are terminals and CI is unset (DESIGN.md, "Commands"). */
export function isInteractive(streams: {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}}, env: NodeJS.ProcessEnv): boolean {
	return Boolean(streams.stdin.isTTY) && Boolean(streams.stdout.isTTY) && !env['CI'];
}

/**
 * Full-screen Ink views (dashboard, author wizard, rollback screen) need a terminal that moves a
 * cursor. TERM=dumb cannot: it gets what a pipe gets (line mode, plain prompts), never Ink.
 */
export function canDrawScreens(streams: {stdin: {isTTY?: boolean}; stdout: {isTTY?: boolean}}, env: NodeJS.ProcessEnv): boolean {
	return isInteractive(streams, env) && env['TERM'] !== 'dumb';
}

/**
 * Load a screen module with a one-line notice on the terminal meanwhile: importing Ink takes
 * 0.3–0.8 s on Node 20, long enough to look hung in an incident. The line is erased before the
 * screen draws, so the first frame starts where the notice was. Terminals only; a pipe or a
 * redirected stdout never sees it.
 */
export async function loadWithNotice<T>(stdout: NodeJS.WritableStream & {isTTY?: boolean}, text: string, load: () => Promise<T>): Promise<T> {
	if (!stdout.isTTY) return load();
	stdout.write(`${text}…`);
	try {
		return await load();
	} finally {
		stdout.write('\r\u001B[2K');
	}
}

/** Columns assumed for a terminal that does not say how wide it is. */
export const DEFAULT_COLUMNS = 80;

/**
 * How wide the text we print may be: the terminal's own width when stdout is one (80 if it does
 * not say), else the `COLUMNS` the user exported (`COLUMNS=60 cavra-rollback … | less`). A pipe
 * or a file without COLUMNS is not wrapped at all (Infinity): its reader is grep, an editor's
 * problem matcher or a CI log, which want one finding per line and soft-wrap on their own.
 */
export function outputWidth(stdout: {isTTY?: boolean; columns?: number}, env: NodeJS.ProcessEnv): number {
	const fromEnv = Number(env['COLUMNS']);
	const exported = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
	if (stdout.isTTY) return stdout.columns && stdout.columns > 0 ? stdout.columns : (exported ?? DEFAULT_COLUMNS);
	return exported ?? Number.POSITIVE_INFINITY;
}

/**
 * A text result wrapped at words to `outputWidth`. The wrapper (and string-width) is loaded only
 * when there is a width to fit: `--json` runs and pipes never pay for it.
 */
export async function fitToWidth(text: string, stdout: {isTTY?: boolean; columns?: number}, env: NodeJS.ProcessEnv, options: {hanging?: number} = {}): Promise<string> {
	const width = outputWidth(stdout, env);
	if (width === Number.POSITIVE_INFINITY) return text;
	const {wrapText} = await import('../core/text/wrap.js');
	return wrapText(text, width, options);
}

/**
 * Drop what was typed before a question is shown (a line typed ahead during the preview, a held
 * Enter), so the question takes only keys that arrive after it: a typed-ahead "disable⏎" must
 * never confirm a rollback. Whatever the terminal holds now is read and discarded in raw mode (a
 * line not yet ended with Enter too); one poll phase lies between two immediates, so all of it is
 * read by then. The terminal's mode and the stream's paused state are restored. Not a terminal:
 * nothing to do (nothing prompts without one).
 */
export async function discardTypedAhead(stdin: NodeJS.ReadableStream & {isTTY?: boolean; isRaw?: boolean; setRawMode?: (raw: boolean) => unknown}): Promise<void> {
	if (!stdin.isTTY || !stdin.setRawMode) return;
	const wasRaw = Boolean(stdin.isRaw);
	const wasPaused = stdin.isPaused();
	const drop = () => undefined;
	stdin.setRawMode(true);
	stdin.on('data', drop);
	try {
		await new Promise<void>(resolve => setImmediate(() => setImmediate(resolve)));
	} finally {
		stdin.off('data', drop);
		if (wasPaused) stdin.pause();
		stdin.setRawMode(wasRaw);
	}
}
