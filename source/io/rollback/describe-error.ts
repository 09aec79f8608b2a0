/** One line of an error for screens and the journal (the first line, at most 300 characters). */
export function describeError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0]!.slice(0, 300);
}
