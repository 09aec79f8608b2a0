/**
 * Which of many literal strings occur in a text, in one regex pass. `String#includes` per literal
 * is fast on ordinary text but degrades to tens of milliseconds on 100 KB of one repeated
 * letter for some needles. The pass is a zero-width lookahead tried at every position, so
 * literals that overlap each other are all seen; the longest literal at a position is reported
 * with every other literal that is a prefix of it.
 */
export class LiteralSet {
	private readonly literals: readonly string[];
	/** Built on first use: most processes never scan text that reaches a given set. */
	private compiled: {regex: RegExp | undefined; withPrefixes: Map<string, string[]>; singles: string[]} | undefined;

	constructor(literals: Iterable<string>) {
		this.literals = [...literals];
	}

	private compile() {
		const all = [...new Set(this.literals)].filter(l => l.length > 0);
		/** One-character literals: `includes` is a plain memchr for them, and as lookahead matches they would stop at every occurrence. */
		const singles = all.filter(l => l.length === 1);
		const unique = all.filter(l => l.length > 1).sort((a, b) => b.length - a.length);
		const known = new Set(unique);
		const withPrefixes = new Map<string, string[]>();
		// Each literal with the literals that are prefixes of it (itself included): one Set lookup per prefix length.
		for (const literal of unique) {
			const prefixes = [literal];
			for (let length = literal.length - 1; length >= 2; length--) if (known.has(literal.slice(0, length))) prefixes.push(literal.slice(0, length));
			withPrefixes.set(literal, prefixes);
		}
		const escaped = unique.map(l => l.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
		const regex = unique.length > 0 ? new RegExp(`(?=(${escaped.join('|')}))`, 'g') : undefined;
		return {regex, withPrefixes, singles};
	}

	/** The literals that occur in `text`. */
	present(text: string): Set<string> {
		const {regex, withPrefixes, singles} = (this.compiled ??= this.compile());
		const found = new Set<string>(singles.filter(single => text.includes(single)));
		if (!regex) return found;
		regex.lastIndex = 0;
		for (let m = regex.exec(text); m; m = regex.exec(text)) {
			const literal = m[1]!;
			if (!found.has(literal)) for (const each of withPrefixes.get(literal)!) found.add(each);
			regex.lastIndex = m.index + 1;
		}
		return found;
	}
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
