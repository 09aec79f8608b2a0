/** Small, pure text helpers shared by the screen, the line mode and the snapshot. */
import {GLYPHS} from '../text/glyphs.js';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'pending';

/** Colour is never the only signal: every tone has a symbol, and every status a word. */
export const toneSymbols: Record<Tone, string> = {ok: GLYPHS.ok, warn: GLYPHS.warn, bad: GLYPHS.bad, neutral: GLYPHS.neutral, pending: GLYPHS.waiting};

const toneRank: Record<Tone, number> = {pending: 0, neutral: 1, ok: 2, warn: 3, bad: 4};

export function worstTone(...tones: Tone[]): Tone {
	return tones.reduce<Tone>((worst, tone) => (toneRank[tone] > toneRank[worst] ? tone : worst), 'pending');
}

/** CAVRA status words → tone. `due_soon` is acceptable but worth a look. */
export function statusTone(status: string | undefined): Tone {
	switch (status) {
		case 'ready':
		case 'pass':
			return 'ok';
		case 'due_soon':
		case 'warn':
			return 'warn';
		case 'needs_attention':
			return 'bad';
		case 'not_requested':
		case 'disabled':
			return 'neutral';
		default:
			return status === undefined ? 'pending' : 'warn';
	}
}

/** Local wall-clock time of day, HH:MM:SS; with the date when it is not `now`'s day. */
export function clockTime(at: number, now: number): string {
	const date = new Date(at);
	const pad = (n: number) => String(n).padStart(2, '0');
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	const today = new Date(now);
	if (date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate()) return time;
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** Days and counts follow the one rule of `core/text/quantities.ts`; re-exported for the dashboard's callers. */
export {formatDays, plural} from '../text/quantities.js';

export function basename(file: string): string {
	const parts = file.split(/[\\/]/);
	return parts[parts.length - 1] || file;
}

/** Cut a line to `width` columns with a cut mark (code points; our text is BMP and 1 column each). */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	const chars = [...text];
	if (chars.length <= width) return text;
	return `${chars.slice(0, Math.max(0, width - 1)).join('')}${GLYPHS.cut}`;
}

export function numberOrUndefined(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
