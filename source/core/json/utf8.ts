/** Byte-level checks that must happen before text decoding. */

export const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

const decoder = new TextDecoder('utf-8', {fatal: false, ignoreBOM: true});
/** Weak: an entry lives as long as its bytes, never longer. */
const decodedTexts = new WeakMap<Uint8Array, string>();

/**
 * The text of UTF-8 bytes: a BOM kept as U+FEFF, invalid bytes as U+FFFD. The same bytes give
 * the same string, decoded once: `readiness` evaluates the plan as CAVRA does and then lints it,
 * and a 10 MB plan decoded twice was two 10 MB strings (peak memory, issue 13). Callers never
 * change bytes they have decoded (they are read from a file and only read).
 */
export function decodeUtf8(bytes: Uint8Array): string {
	let text = decodedTexts.get(bytes);
	if (text === undefined) {
		text = decoder.decode(bytes);
		decodedTexts.set(bytes, text);
	}
	return text;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
	return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Index of the first byte that is not part of a well-formed UTF-8 sequence, or -1.
 * Mirrors the WHATWG decoder's notion of "fatal" (overlongs, surrogates and > U+10FFFF rejected).
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
	let i = 0;
	const n = bytes.length;
	while (i < n) {
		const b = bytes[i]!;
		if (b < 0x80) {
			i++;
			continue;
		}
		let need: number;
		let lower = 0x80;
		let upper = 0xbf;
		if (b >= 0xc2 && b <= 0xdf) need = 1;
		else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			if (b === 0xe0) lower = 0xa0;
			if (b === 0xed) upper = 0x9f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			if (b === 0xf0) lower = 0x90;
			if (b === 0xf4) upper = 0x8f;
		} else return i;
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined) return i;
			if (k === 1 ? c < lower || c > upper : c < 0x80 || c > 0xbf) return i;
		}
		i += need + 1;
	}
	return -1;
}
