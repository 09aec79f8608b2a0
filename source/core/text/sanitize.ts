/**
 * The one sanitizer between an outside string (plan, env file, config, API answer, file name,
 * argument) and a terminal. Pure.
 *
 * A public plan or a hostile API must not be able to move the cursor, recolour the screen, write
 * the clipboard (OSC 52), hide text behind a carriage return or reorder it with bidi marks. Such
 * characters are shown, visibly and unambiguously, as escapes (`\x1b`, `\u202e`), never removed:
 * an operator must see that something was there. JSON and SARIF outputs keep JSON escaping and
 * do not go through here.
 */

/**
 * Characters that never reach a terminal raw: C0 controls (tab and newline are handled by the
 * caller's choice of function), DEL, C1 controls, bidi embeddings/overrides/isolates and marks,
 * zero-width and invisible formatting characters, line/paragraph separators, BOM, interlinear
 * annotations and Unicode tag characters.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
const HIDDEN_TEST = new RegExp(HIDDEN.source);

function escapeOne(ch: string): string {
	const code = ch.codePointAt(0)!;
	if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
	if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
	return `\\u{${code.toString(16)}}`;
}

/** One line of display text: every hidden or control character (tab and newline too) shown as an escape. */
export function visible(text: string): string {
	return text.replace(HIDDEN, escapeOne).replace(/[\t\n]/g, escapeOne);
}

/**
 * Multi-line display text (a diff, an output tail): newlines kept, a tab shown as spaces, every other
 * hidden or control character (a lone `\r` too) shown as an escape.
 */
export function visibleLines(text: string): string {
	return text.replace(/\r\n/g, '\n').replace(HIDDEN, escapeOne).replace(/\t/g, '    ');
}

/** True when `text` holds a character that `visible` would escape (tab and newline excluded). */
export function hasHiddenCharacters(text: string): boolean {
	return HIDDEN_TEST.test(text);
}

/** Each hidden character's offset and code point, for lint findings that point at it. */
export function hiddenCharacters(text: string): Array<{index: number; codePoint: number; shown: string}> {
	const out: Array<{index: number; codePoint: number; shown: string}> = [];
	HIDDEN.lastIndex = 0;
	for (let m = HIDDEN.exec(text); m; m = HIDDEN.exec(text)) {
		const codePoint = m[0].codePointAt(0)!;
		out.push({index: m.index, codePoint, shown: escapeOne(m[0])});
	}
	return out;
}

/** Input typed or pasted into a field: hidden characters dropped (a held Backspace can arrive as DEL bytes). */
export function stripHidden(text: string): string {
	return text.replace(HIDDEN, '').replace(/[\t\n\r]/g, '');
}
