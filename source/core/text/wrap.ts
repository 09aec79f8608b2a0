/**
 * Wrap plain text at word boundaries (the dashboard's details, help paragraphs built from shared
 * sentences). Pure; widths count code points (our text is BMP, one column each).
 */

/** Wrap `text` to `width`, breaking at spaces when it can; continuation lines indent by `hang` (2 by default). */
export function wrapText(text: string, width: number, hang = 2): string[] {
	if (width < 8) return [text.slice(0, Math.max(1, width))];
	const pad = ' '.repeat(hang);
	const out: string[] = [];
	let rest = text;
	let first = true;
	while ([...rest].length > width - (first ? 0 : hang)) {
		const room = width - (first ? 0 : hang);
		const chars = [...rest];
		let cut = chars.slice(0, room + 1).join('').lastIndexOf(' ');
		if (cut < room / 2) cut = room;
		out.push(`${first ? '' : pad}${chars.slice(0, cut).join('').trimEnd()}`);
		rest = chars.slice(cut).join('').trimStart();
		first = false;
	}
	out.push(`${first ? '' : pad}${rest}`);
	return out;
}
