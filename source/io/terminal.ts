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
