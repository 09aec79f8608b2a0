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
