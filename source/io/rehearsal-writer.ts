/**
 * Writes what `rollback --rehearse` hands back to CAVRA: the rehearsal evidence (replaced) and
 * the drill history (read, one drill appended, written back with a backup of the old file).
 * Both atomically: a crash leaves the old file or the new one, never half of either.
 */
import {readFile} from 'node:fs/promises';
import {atomicWriteFile} from './atomic-write.js';

export interface RehearsalFiles {
	writeRehearsal(path: string, document: Record<string, unknown>): Promise<void>;
	readDrillHistory(path: string): Promise<unknown>;
	writeDrillHistory(path: string, document: Record<string, unknown>): Promise<void>;
}

/** CAVRA's metadata files are 2-space JSON with a final newline, like the templates. */
export function formatMetadata(document: unknown): string {
	return `${JSON.stringify(document, null, 2)}\n`;
}

/** The parsed file, or undefined when it does not exist. Unreadable or not JSON: throws (the caller leaves it alone). */
export async function readJsonIfExists(file: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return undefined;
		throw new Error(`${file}: cannot be read (${code ?? 'error'})`);
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		// V8 quotes the start of the text ("root:$6$ab"...): the path may have been swapped for a link to
		// a secret file, so say where the JSON broke, never what the file holds.
		const position = error instanceof Error ? /at position \d+(?: \(line \d+ column \d+\))?/.exec(error.message)?.[0] : undefined;
		throw new Error(`${file}: not valid JSON${position ? ` (${position})` : ''}`);
	}
}

export function createRehearsalWriter(): RehearsalFiles {
	return {
		async writeRehearsal(file, document) {
			await atomicWriteFile(file, formatMetadata(document));
		},
		readDrillHistory: readJsonIfExists,
		async writeDrillHistory(file, document) {
			// Earlier drills are audit records: the old file is kept next to it.
			await atomicWriteFile(file, formatMetadata(document), {backup: true});
		},
	};
}
