/** RFC 6901 JSON pointers. */
export function escapePointerSegment(segment: string | number): string {
	return String(segment).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerOf(path: ReadonlyArray<string | number>): string {
	return path.map(segment => `/${escapePointerSegment(segment)}`).join('');
}

export function appendPointer(pointer: string, segment: string | number): string {
	return `${pointer}/${escapePointerSegment(segment)}`;
}

export function parsePointer(pointer: string): string[] {
	if (pointer === '') return [];
	if (!pointer.startsWith('/')) throw new Error(`not a JSON pointer: ${pointer}`);
	return pointer
		.slice(1)
		.split('/')
		.map(segment => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * A key short and plain enough to quote in a message. Keys are user data and could be a pasted
 * secret, so anything long is cut to a prefix that cannot be used.
 */
export function printableKey(key: string): string {
	const clean = key.replace(/[^\x20-\x7e]/g, '?');
	return clean.length > 24 ? `${clean.slice(0, 8)}…` : clean;
}
