/**
 * Texts up to this long are read pair by pair instead: V8 compiles a regex to machine code on its
 * second run, and for a set of 190 literals that costs more (~2 ms, on every cold start) than
 * reading a short plan value. Most plan values are short.
 */
const SHORT_TEXT = 512;

/**
 * Which of many literal strings occur in a text, in one pass. `String#includes` per literal
 * is fast on ordinary text but degrades to tens of milliseconds on 100 KB of one repeated
 * letter for some needles. A long text gets one regex pass: a zero-width lookahead tried at
 * every position, so literals that overlap each other are all seen; the longest literal at a
 * position is reported with every other literal that is a prefix of it. A short text is read
 * pair by pair: the literals starting with each two characters are compared there.
 */
export class LiteralSet {
	private readonly literals: readonly string[];
	private readonly shortText: number;
	/** Built on first use: most processes never scan text that reaches a given set. */
	private compiled: {unique: string[]; singles: string[]; byPair: Map<number, string[]>; maybePair: Uint8Array} | undefined;
	private long: {regex: RegExp; withPrefixes: Map<string, string[]>} | undefined;

	/** `options.shortText` (tests only) moves the switch between the pair table and the regex. */
	constructor(literals: Iterable<string>, options: {shortText?: number} = {}) {
		this.literals = [...literals];
		this.shortText = options.shortText ?? SHORT_TEXT;
	}

	private compile() {
		const all = [...new Set(this.literals)].filter(l => l.length > 0);
		/** One-character literals: `includes` is a plain memchr for them, and as lookahead matches they would stop at every occurrence. */
		const singles = all.filter(l => l.length === 1);
		const unique = all.filter(l => l.length > 1).sort((a, b) => b.length - a.length);
		const byPair = new Map<number, string[]>();
		// Low bytes of each literal's first two code units: one array read rules out most positions.
		const maybePair = new Uint8Array(0x10000);
		for (const literal of unique) {
			const key = pairAt(literal, 0);
			const list = byPair.get(key);
			if (list) list.push(literal);
			else byPair.set(key, [literal]);
			maybePair[hashPair(literal, 0)] = 1;
		}
		return {unique, singles, byPair, maybePair};
	}

	private compileLong(unique: readonly string[]) {
		const known = new Set(unique);
		const withPrefixes = new Map<string, string[]>();
		// Each literal with the literals that are prefixes of it (itself included): one Set lookup per prefix length.
		for (const literal of unique) {
			const prefixes = [literal];
			for (let length = literal.length - 1; length >= 2; length--) if (known.has(literal.slice(0, length))) prefixes.push(literal.slice(0, length));
			withPrefixes.set(literal, prefixes);
		}
		const escaped = unique.map(l => l.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
		return {regex: new RegExp(`(?=(${escaped.join('|')}))`, 'g'), withPrefixes};
	}

	/** The literals that occur in `text`. */
	present(text: string): Set<string> {
		const {unique, singles, byPair, maybePair} = (this.compiled ??= this.compile());
		const found = new Set<string>(singles.filter(single => text.includes(single)));
		if (unique.length === 0) return found;
		if (text.length <= this.shortText) {
			for (let i = 0; i + 1 < text.length; i++) {
				if (maybePair[hashPair(text, i)] === 0) continue;
				const list = byPair.get(pairAt(text, i));
				if (list) for (const literal of list) if (!found.has(literal) && text.startsWith(literal, i)) found.add(literal);
			}
			return found;
		}
		const {regex, withPrefixes} = (this.long ??= this.compileLong(unique));
		regex.lastIndex = 0;
		for (let m = regex.exec(text); m; m = regex.exec(text)) {
			const literal = m[1]!;
			if (!found.has(literal)) for (const each of withPrefixes.get(literal)!) found.add(each);
			regex.lastIndex = m.index + 1;
		}
		return found;
	}
}

function hashPair(text: string, index: number): number {
	return ((text.charCodeAt(index) & 0xff) << 8) | (text.charCodeAt(index + 1) & 0xff);
}

/** The two UTF-16 code units at `index` as one number. */
function pairAt(text: string, index: number): number {
	return text.charCodeAt(index) * 0x10000 + text.charCodeAt(index + 1);
}

function isRunBreak(c: number): boolean {
	// whitespace and controls, " ' ` < > , ; ( ) [ ] { } \ &
	return c <= 32 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62 || c === 44 || c === 59 || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 92 || c === 38;
}

/**
 * True when `text` has `length` consecutive characters with no whitespace, quote or bracket
 * among them. Every credential format is such a run; prose has none, so this one pass lets the
 * format detectors skip most plan strings.
 */
export function hasUnbrokenRun(text: string, length: number): boolean {
	let run = 0;
	for (let i = 0; i < text.length; i++) {
		if (isRunBreak(text.charCodeAt(i))) run = 0;
		else if (++run >= length) return true;
	}
	return false;
}
