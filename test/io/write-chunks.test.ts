import {Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {writeChunks} from '../../source/io/write-chunks.js';

/** A reader that takes one chunk per macrotask, like a pipe into a slow `jq`. */
function slowReader(highWaterMark: number) {
	const received: string[] = [];
	let mostBuffered = 0;
	const stream = new Writable({
		highWaterMark,
		write(chunk: Buffer, _encoding, callback) {
			received.push(chunk.toString('utf8'));
			setImmediate(callback);
		},
	});
	const watch = () => (mostBuffered = Math.max(mostBuffered, stream.writableLength));
	return {stream, received, watch, mostBuffered: () => mostBuffered};
}

describe('writeChunks', () => {
	it('hands every piece over in order, waiting for a slow reader instead of queueing the whole output', async () => {
		const reader = slowReader(1024);
		const chunks = Array.from({length: 200}, (_, i) => `${String(i).padStart(3, '0')}:${'x'.repeat(500)}\n`);
		function* pieces() {
			for (const chunk of chunks) {
				reader.watch();
				yield chunk;
			}
		}
		await writeChunks(reader.stream, pieces());
		await new Promise<void>(resolve => reader.stream.end(resolve));
		expect(reader.received.join('')).toBe(chunks.join(''));
		// Never more than the high-water mark plus one piece waiting: 100 KB of output, ~1.5 KB queued.
		expect(reader.mostBuffered()).toBeLessThanOrEqual(1024 + 504);
	});

	it('stops when the reader has gone away, without waiting forever for a drain', async () => {
		const reader = slowReader(16);
		let produced = 0;
		function* endless() {
			for (;;) {
				produced++;
				if (produced === 5) reader.stream.destroy();
				yield 'y'.repeat(64);
			}
		}
		await writeChunks(reader.stream, endless());
		expect(produced).toBeLessThanOrEqual(6);
	});
});
