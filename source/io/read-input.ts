import {readFile, stat} from 'node:fs/promises';
import {describeFsError, InputError} from '../core/errors.js';

/** Plans are small; anything bigger than this is not a plan and would only exhaust memory. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Read a file, or stdin for "-", as bytes (decoding is the parser's job: it reports bad UTF-8). */
export async function readInput(file: string, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
	if (file === '-') return readStream(stdin, 'standard input');
	let size: number;
	try {
		const info = await stat(file);
		if (info.isDirectory()) throw Object.assign(new Error('EISDIR'), {code: 'EISDIR'});
		size = info.size;
	} catch (error) {
		throw describeFsError(error, file);
	}
	if (size > MAX_INPUT_BYTES) throw tooLarge(file);
	try {
		return await readFile(file);
	} catch (error) {
		throw describeFsError(error, file);
	}
}

async function readStream(stream: NodeJS.ReadableStream, name: string): Promise<Uint8Array> {
	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of stream) {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		total += buffer.length;
		if (total > MAX_INPUT_BYTES) throw tooLarge(name);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks);
}

function tooLarge(file: string): InputError {
	return new InputError(`${file}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MB; that is not a rollback plan`, {file, hint: 'check that you named the right file'});
}
