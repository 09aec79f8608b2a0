import {expect} from 'vitest';

/**
 * Hostile strings as a public plan, env file, config or API answer could carry them, and the
 * checks every terminal-bound output must pass: nothing raw, and each payload shown escaped.
 */

/** Writes "evil" into the operator's clipboard (OSC 52), BEL-terminated. */
export const OSC52 = '\u001b]52;c;ZXZpbA==\u0007';

export const HOSTILE = {
	/** The reproduced attack: a clipboard write hidden in the approval id. */
	approvalId: `CAB-1${OSC52}`,
	/** A carriage return and cursor moves that hide the start of a runbook line behind its end. */
	step: 'rm -rf /srv\r\u001b[1A\u001b[5Drestart the API',
	/** Recolours what follows. */
	red: 'note \u001b[31mAPPROVED',
	/** Reverses the rest of the line on screen. */
	rlo: 'restart \u202eecivres',
	/** A zero-width space inside a word. */
	zw: 'cavra\u200b-api',
	/** The 8-bit CSI, which some terminals honour like ESC [. */
	csi8: 'x\u009b2Jy',
} as const;

/** The escaped forms the operator must see instead. */
export const SHOWN = {
	approvalId: 'CAB-1\\x1b]52;c;ZXZpbA==\\x07',
	step: 'rm -rf /srv\\x0d\\x1b[1A\\x1b[5Drestart the API',
	red: 'note \\x1b[31mAPPROVED',
	rlo: 'restart \\u202eecivres',
	zw: 'cavra\\u200b-api',
	csi8: 'x\\x9b2Jy',
} as const;

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff]/u;

/** Ink's own output with color off: bold, dim, inverse and their resets, cursor hide/show. Anything else is foreign. */
// eslint-disable-next-line no-control-regex
const INK_STYLE = /\u001b\[(?:(?:0|1|2|7|22|27|39|49)?m|\?25[hl])/g;

/** No raw control, bidi or zero-width character anywhere in `text` (a plain-text output). */
export function expectNoRaw(text: string, what = 'output'): void {
	const match = RAW.exec(text);
	expect(match ? `${what} holds raw U+${match[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${match.index}: ${JSON.stringify(text.slice(Math.max(0, match.index - 30), match.index + 30))}` : 'clean').toBe('clean');
}

/** An Ink frame: Ink's own bold/dim/inverse sequences allowed, nothing else raw. */
export function expectNoRawInFrame(frame: string): void {
	expectNoRaw(frame.replace(INK_STYLE, ''), 'frame');
}

/** Each named payload appears in its escaped form (whitespace runs collapsed, for wrapped frames). */
export function expectShown(text: string, keys: ReadonlyArray<keyof typeof SHOWN>): void {
	const flat = text.replace(/\s+/g, ' ');
	for (const key of keys) expect(flat).toContain(SHOWN[key].replace(/\s+/g, ' '));
}
