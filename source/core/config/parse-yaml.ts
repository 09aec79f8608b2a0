import {isMap, isScalar, LineCounter, parseDocument, visit, type Node} from 'yaml';
import {printableKey} from '../json/pointer.js';
import {visible} from '../text/sanitize.js';
import {parseError, type ParsedConfig} from './parse.js';

/**
 * A YAML config (`.cavrarc`, `.cavrarc.yaml|yml`) to a plain value. The `yaml` package builds data
 * only (no code, no includes, no custom tags). On top of its defaults: aliases are bounded (a 1 KB
 * "billion laughs" file would otherwise expand to gigabytes), duplicate keys are an error naming the
 * key, a key must be a plain scalar, and every error and warning carries a line and column.
 */

/** Alias expansions allowed (the yaml package's own budget: nodes copied ≤ this). Enough for `<<`-free reuse. */
export const MAX_YAML_ALIAS_COUNT = 100;

/** Deeper than this is not a config (ours is 4 levels deep); the parser would recurse for seconds first. */
export const MAX_YAML_DEPTH = 64;

export function parseYamlConfig(text: string, file: string): ParsedConfig {
	const tooDeep = nestingLimitOffset(text, MAX_YAML_DEPTH);
	if (tooDeep >= 0) throw parseError(file, `nested deeper than ${MAX_YAML_DEPTH} levels; a config is a few levels deep`, positionIn(text, tooDeep));
	const lineCounter = new LineCounter();
	const document = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: false, schema: 'core', merge: false, strict: true, keepSourceTokens: false});
	const at = (offset: number) => {
		const {line, col} = lineCounter.linePos(offset);
		return {line, column: col};
	};
	const issue = document.errors[0] ?? document.warnings[0];
	if (issue) throw parseError(file, issue.code === 'MULTIPLE_DOCS' ? 'a config file holds one YAML document; remove the "---" and what follows' : describeIssue(issue.message), at(issue.pos[0]));
	const duplicate = firstKeyProblem(document.contents);
	if (duplicate) throw parseError(file, duplicate.message, at(duplicate.offset));

	let value: unknown;
	try {
		value = document.toJS({maxAliasCount: MAX_YAML_ALIAS_COUNT});
	} catch (error) {
		// ReferenceError "Excessive alias count…" is the bomb; anything else is equally a bad file.
		const excessive = error instanceof Error && /alias/i.test(error.message);
		throw parseError(file, excessive ? `too many alias expansions (more than ${MAX_YAML_ALIAS_COUNT}); write the values out instead of repeating *aliases` : 'the document cannot be turned into data');
	}
	return {
		value,
		positionOf(keyPath, of = 'value') {
			const parent = of === 'key' && keyPath.length > 0 ? document.getIn(keyPath.slice(0, -1), true) : undefined;
			if (isMap(parent)) {
				const pair = parent.items.find(item => isScalar(item.key) && String(item.key.value) === String(keyPath.at(-1)));
				const range = (pair?.key as {range?: [number, number, number]} | undefined)?.range;
				if (range) return at(range[0]);
			}
			for (let length = keyPath.length; length >= 0; length--) {
				const node = document.getIn(keyPath.slice(0, length), true) as Node | undefined;
				if (node && typeof node === 'object' && 'range' in node && node.range) return at(node.range[0]);
			}
			return undefined;
		},
	};
}

function describeIssue(message: string): string {
	if (/call stack/i.test(message)) return `nested too deeply; a config is a few levels deep`;
	// The yaml package's messages are short and fixed, but some quote source (an alias name): shown, never raw.
	const first = message.split('\n')[0] ?? message;
	return visible(first.length > 160 ? `${first.slice(0, 160)}…` : first);
}

/** The first duplicate or non-scalar key in any mapping, in document order. */
function firstKeyProblem(root: unknown): {message: string; offset: number} | undefined {
	let found: {message: string; offset: number} | undefined;
	if (root === null || typeof root !== 'object') return undefined;
	visit(root as Node, {
		Map(_, map) {
			const seen = new Set<string>();
			for (const pair of map.items) {
				const key = pair.key;
				const offset = (key as {range?: [number, number, number]} | null)?.range?.[0] ?? map.range?.[0] ?? 0;
				if (!isScalar(key)) {
					found = {message: 'a key must be a plain name, not a list, a mapping or an alias', offset};
					return visit.BREAK;
				}
				const name = String(key.value);
				if (seen.has(name)) {
					found = {message: `duplicate key "${printableKey(name)}"; keep exactly one (YAML would silently keep the last)`, offset};
					return visit.BREAK;
				}
				seen.add(name);
			}
			return undefined;
		},
	});
	return found;
}

/**
 * Offset where nesting first exceeds `limit`, or -1. Linear and approximate on purpose: flow
 * brackets outside quotes and comments, and block indentation (one level per 2 columns). A real
 * config is far below the limit either way.
 */
function nestingLimitOffset(text: string, limit: number): number {
	let depth = 0;
	let quote = '';
	let lineStart = true;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (lineStart) {
			let indent = 0;
			while (text[i + indent] === ' ') indent++;
			if (indent > limit * 2) return i + indent;
			lineStart = false;
		}
		if (c === '\n') {
			lineStart = true;
			if (quote === "'") continue;
		}
		if (quote) {
			if (c === '\\' && quote === '"') i++;
			else if (c === "'" && quote === "'" && text[i + 1] === "'") i++;
			else if (c === quote) quote = '';
			continue;
		}
		// A quote opens a quoted scalar only where a node starts (`don't` in a plain scalar is no quote);
		// `#` starts a comment only after a blank.
		const before = previousNonBlank(text, i);
		if ((c === '"' || c === "'") && (before === '' || ':-[{,?\n'.includes(before))) quote = c;
		else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
			const end = text.indexOf('\n', i);
			if (end < 0) break;
			i = end - 1;
		} else if (c === '[' || c === '{') {
			if (++depth > limit) return i;
		} else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
	}
	return -1;
}

function previousNonBlank(text: string, index: number): string {
	for (let i = index - 1; i >= 0; i--) {
		const c = text[i]!;
		if (c !== ' ' && c !== '\t') return c;
	}
	return '';
}

function positionIn(text: string, offset: number): {line: number; column: number} {
	let line = 1;
	let lineStart = 0;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
		line++;
		lineStart = i + 1;
	}
	return {line, column: offset - lineStart + 1};
}
