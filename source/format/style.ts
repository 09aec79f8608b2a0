/** Minimal ANSI styling; every caller decides `color` once, from io/terminal. */
export interface Style {
	red(text: string): string;
	yellow(text: string): string;
	green(text: string): string;
	dim(text: string): string;
	bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;

export function createStyle(color: boolean): Style {
	if (!color) {
		const plain = (text: string) => text;
		return {red: plain, yellow: plain, green: plain, dim: plain, bold: plain};
	}
	return {red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22)};
}
