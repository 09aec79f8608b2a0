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
