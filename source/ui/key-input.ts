/**
 * What reaches Ink from the keyboard. Ink 6.8's input hook throws on escape sequences it does
 * not know as keys (a paste holding `ESC[31m`, a cursor-position report `ESC[12;40R`, an OSC
 * string): one pasted colour code would crash the wizard with its unsaved plan. Every screen
 * therefore reads stdin through `keyInputStream`, which passes keys through and drops every other
 * control sequence whole (nothing of it is a key, and nothing of it may reach a field).
 */

// Keys: arrows, home/end, shift-tab (with modifiers); `CSI n ~` for the editing and function
// keys Ink knows, and bracketed paste; kitty's `CSI … u`; SS3 arrows and F1–F4.
const KEY_CSI = /^\u001b\[(?:[\d;]*[ABCDEFHZ]|(?:[1-8]|1[1-5]|1[7-9]|2[0134]|20[01])(?:;\d+)*~|[\d;:]*u)$/;
const KEY_SS3 = /^\u001bO[ABCDHFPQRS]$/;

/**
 * One sequence at a time: CSI (7- or 8-bit) up to its final byte, OSC/DCS/SOS/PM/APC strings up
 * to BEL or ST (or the end of the chunk), SS3 with its key, and any other C1 control.
 */
// eslint-disable-next-line no-control-regex
const SEQUENCE = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001bO[\u0020-\u007e]?|[\u0080-\u009f]/g;

/** `chunk` with every control sequence that is not a key removed. */
export function keysOnly(chunk: string): string {
	return chunk.replace(SEQUENCE, sequence => (KEY_CSI.test(sequence) || KEY_SS3.test(sequence) ? sequence : ''));
}

/** `stdin` as Ink should see it: the same stream, whose `read()` hands out `keysOnly` chunks. */
export function keyInputStream(stdin: NodeJS.ReadStream): NodeJS.ReadStream {
	return new Proxy(stdin, {
		get(target, property) {
			if (property === 'read') {
				return (size?: number) => {
					// A chunk that was nothing but foreign sequences is skipped, not handed on empty.
					for (;;) {
						const chunk = target.read(size) as string | Buffer | null;
						if (chunk === null) return null;
						const keys = keysOnly(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
						if (keys !== '') return keys;
					}
				};
			}
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
