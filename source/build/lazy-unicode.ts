/**
 * Bundle patch: the terminal text libraries segment and measure text through
 * source/core/text/graphemes.ts instead of building an `Intl.Segmenter` and string-width's emoji
 * pattern when they load (about 30 ms of an Ink screen's first frame on Node 20; see that module).
 * Each patch fails the build if the upstream text it replaces is not there any more, and
 * test/build/lazy-unicode.test.ts compares the patched libraries with the originals.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {Plugin} from 'esbuild';
import {packageRoot} from '../io/package-root.js';

interface Patch {
	/** The library file, as a path ending. */
	file: RegExp;
	replacements: Array<[from: string, to: string]>;
}

const segmenterFrom = (construction: string): [string, string] => [construction, construction.replace(/new Intl\.Segmenter\(/, '__cavraGraphemeSegmenter(')];

export const lazyUnicodePatches: Patch[] = [
	// wrap-ansi's own string-width 7 (first: the pattern below would match its path too).
	{file: /[/\\]wrap-ansi[/\\]node_modules[/\\]string-width[/\\]index\.js$/, replacements: [segmenterFrom('const segmenter = new Intl.Segmenter();')]},
	{
		file: /[/\\]node_modules[/\\]string-width[/\\]index\.js$/,
		replacements: [
			segmenterFrom('const segmenter = new Intl.Segmenter();'),
			['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', 'const rgiEmojiRegex = __cavraLazyPattern(() => /^\\p{RGI_Emoji}$/v);'],
			// Ambiguous characters (box drawing among them) are one column only when narrow, the default.
			['\tif (/^[\\u0020-\\u007E]*$/.test(string)) {', '\tif (/^[\\u0020-\\u007E]*$/.test(string) || ambiguousIsNarrow && __cavraOneColumnWidth(string) !== undefined) {'],
		],
	},
	{file: /[/\\]slice-ansi[/\\]tokenize-ansi\.js$/, replacements: [segmenterFrom("const GRAPHEME_SEGMENTER = new Intl.Segmenter(undefined, {granularity: 'grapheme'});")]},
	{file: /[/\\]@alcalzone[/\\]ansi-tokenize[/\\]build[/\\]tokenize\.js$/, replacements: [segmenterFrom('const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });')]},
];

/** The patched text of one library file (throws when the upstream text changed). */
export function patchLibrary(filePath: string, source: string, patch: Patch): string {
	let patched = source;
	for (const [from, to] of patch.replacements) {
		if (!patched.includes(from)) throw new Error(`${filePath} changed: "${from}" not found; update source/build/lazy-unicode.ts`);
		patched = patched.replace(from, to);
	}
	const helpers = JSON.stringify(path.join(packageRoot(), 'source/core/text/graphemes.ts'));
	return `import {graphemeSegmenter as __cavraGraphemeSegmenter, lazyPattern as __cavraLazyPattern, oneColumnWidth as __cavraOneColumnWidth} from ${helpers};\n${patched}`;
}

/**
 * The esbuild plugin, and after the build the libraries it did not patch: a library that is no
 * longer bundled where it was (or moved) would otherwise silently lose its patch.
 */
export function lazyUnicode(): {plugin: Plugin; unpatched: () => string[]} {
	const seen = new Set<Patch>();
	const plugin: Plugin = {
		name: 'lazy-unicode',
		setup(pluginBuild) {
			for (const patch of lazyUnicodePatches) {
				pluginBuild.onLoad({filter: patch.file}, async args => {
					seen.add(patch);
					return {contents: patchLibrary(args.path, await readFile(args.path, 'utf8'), patch), loader: 'js', resolveDir: path.dirname(args.path)};
				});
			}
		},
	};
	return {plugin, unpatched: () => lazyUnicodePatches.filter(patch => !seen.has(patch)).map(patch => patch.file.source)};
}
