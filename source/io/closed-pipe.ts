/**
 * `cavra-rollback … | head -1`: a reader that has gone away ends our output, not the command.
 * Without a listener Node turns the EPIPE into an unhandled 'error' event (a stack trace, exit 1);
 * with this one the command finishes and keeps its own exit code. Other write errors still throw.
 */
const guarded = new WeakSet<NodeJS.WritableStream>();

export function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
	if (guarded.has(stream)) return;
	guarded.add(stream);
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
	});
}
