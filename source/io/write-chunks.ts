/**
 * Writes pieces of output one after another, waiting whenever the stream's buffer is full (a
 * pipe into a slow reader such as `jq`), so a large output is never queued whole in memory.
 * Stops quietly when the reader has gone away (`… | head -1`: see closed-pipe.ts).
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
	for (const chunk of chunks) {
		if (isClosed(stream)) return;
		if (!stream.write(chunk) && !(await drained(stream))) return;
	}
}

function isClosed(stream: NodeJS.WritableStream): boolean {
	const state = stream as {destroyed?: boolean; writableEnded?: boolean};
	return state.destroyed === true || state.writableEnded === true;
}

/** True once the stream drains; false if it closes or fails first. */
function drained(stream: NodeJS.WritableStream): Promise<boolean> {
	if (isClosed(stream)) return Promise.resolve(false);
	return new Promise(resolve => {
		const finish = (ok: boolean) => {
			stream.off('drain', onDrain);
			stream.off('close', onClose);
			stream.off('error', onClose);
			resolve(ok);
		};
		const onDrain = () => finish(true);
		const onClose = () => finish(false);
		stream.on('drain', onDrain);
		stream.on('close', onClose);
		stream.on('error', onClose);
	});
}
