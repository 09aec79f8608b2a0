/**
 * Following the events file our callback plugin appends to while `ansible-playbook` runs, so the
 * screen shows each host as it moves and the journal records each batch as it ends. Reads only
 * complete lines, from where it stopped last time.
 */
import {open} from 'node:fs/promises';
import {parseEvents, type AnsibleEvent} from '../core/ansible/events.js';

const POLL_MS = 250;

export interface EventsTail {
	/** Every event read so far. */
	events(): readonly AnsibleEvent[];
	/** Read what is left, stop polling. */
	stop(): Promise<readonly AnsibleEvent[]>;
}

/** Poll `file` every 250 ms; `onChange` gets all events so far whenever new ones arrived. */
export function tailEvents(file: string, onChange: (events: readonly AnsibleEvent[]) => void, intervalMs = POLL_MS): EventsTail {
	const events: AnsibleEvent[] = [];
	let offset = 0;
	let partial: Buffer = Buffer.alloc(0);
	let reading: Promise<void> = Promise.resolve();
	const readMore = async (): Promise<void> => {
		let handle;
		try {
			handle = await open(file, 'r');
		} catch {
			return; // not created yet
		}
		try {
			const chunks: Buffer[] = [];
			const buffer = Buffer.alloc(64 * 1024);
			for (;;) {
				const {bytesRead} = await handle.read(buffer, 0, buffer.length, offset);
				if (bytesRead === 0) break;
				chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
				offset += bytesRead;
			}
			if (chunks.length === 0) return;
			// Split on the last newline byte: a character cut by the end of what was written so far stays whole.
			const bytes = Buffer.concat([partial, ...chunks]);
			const end = bytes.lastIndexOf(0x0a);
			partial = bytes.subarray(end + 1);
			const fresh = parseEvents(bytes.subarray(0, end + 1).toString('utf8'));
			if (fresh.length === 0) return;
			events.push(...fresh);
			onChange(events);
		} finally {
			await handle.close();
		}
	};
	const tick = () => {
		reading = reading.then(readMore).catch(() => undefined);
	};
	const timer = setInterval(tick, intervalMs);
	return {
		events: () => events,
		async stop() {
			clearInterval(timer);
			tick();
			await reading;
			// A torn last line (the writer was killed) is not an event.
			return events;
		},
	};
}
