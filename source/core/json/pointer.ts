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
 * secret, so only word-like keys (with lower-case letters, at most 24 characters) are quoted
 * whole; anything else is cut to a 4-character prefix that cannot be used.
 */
export function printableKey(key: string): string {
	if (key.length <= 24 && /^[A-Za-z_$][A-Za-z0-9_$.-]*$/.test(key) && /[a-z]/.test(key) && !/\d{4}/.test(key)) return key;
	return cutKey(key);
}

/** A key cut to a 4-character prefix that cannot be used: `ghp_…`. */
export function cutKey(key: string): string {
	return `${key.slice(0, 4).replace(/[^\x20-\x7e]/g, '?')}…`;
}
