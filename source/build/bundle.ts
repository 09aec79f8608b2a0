/**
 * `npm run build` (after tsc): the shipped `bin`, an esbuild split bundle in dist/bundle/.
 *
 * Why a bundle: Node's ESM loader, not the code, dominated start-up (600+ module files per Ink
 * screen). One entry per command keeps lazy loading lazy: `lint` never loads a chunk holding Ink.
 * dist/bundle-meta.json (not shipped) is esbuild's metafile; the tests prove from it which chunks
 * each command can reach (source/build/bundle-graph.ts).
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {build, type Plugin} from 'esbuild';
import {packageRoot} from '../io/package-root.js';
import {jsoncParserBundled} from './jsonc-esm.js';
import {lazyUnicode} from './lazy-unicode.js';

const root = packageRoot();
const bundleDir = 'dist/bundle';
const metafilePath = 'dist/bundle-meta.json';

/** The command modules, read from the one command table so a new command is bundled as its own entry. */
function commandEntries(): string[] {
	const registry = readFileSync(path.join(root, 'source/commands/registry.ts'), 'utf8');
	const names = [...registry.matchAll(/import\('\.\/([a-z-]+)\.js'\)/g)].map(match => match[1]!);
	if (names.length === 0) throw new Error('no command imports found in source/commands/registry.ts');
	return names.map(name => `source/commands/${name}.ts`);
}

/**
 * ink connects to React devtools when DEV=true: it imports `./devtools.js` (and react-devtools-core,
 * not a dependency of ours) and reads its own package.json beside the module, which in a bundle is
 * not there: an operator's unrelated DEV=true would crash the screens. The shipped build never
 * does that: ink's isDev() is false, and the import it guards stays out of the bundle.
 */
const inkDevtoolsOff: Plugin = {
	name: 'ink-devtools-off',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[/\\]ink[/\\]build[/\\]utils\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const isDev = "const isDev = () => process.env['DEV'] === 'true';";
			if (!source.includes(isDev)) throw new Error(`ink's isDev() changed in ${args.path}: update source/build/bundle.ts`);
			return {contents: source.replace(isDev, 'const isDev = () => false;'), loader: 'js'};
		});
		pluginBuild.onResolve({filter: /^\.\/devtools\.js$/}, args => (/[/\\]ink[/\\]/.test(args.importer) ? {path: args.path, external: true} : undefined));
		pluginBuild.onResolve({filter: /^react-devtools-core$/}, args => ({path: args.path, external: true}));
	},
};

/**
 * yoga-layout's Emscripten loader reads its inline WebAssembly (a data: URL) through `fetch` when
 * `fetch` exists, and on Node that first touch of `fetch` loads all of undici: a sixth of an Ink
 * screen's start-up, to decode bytes it can decode itself. The bundle takes the synchronous path,
 * and decodes the base64 with Buffer instead of `atob` and a copy loop in JavaScript (~70 KB:
 * 4-10 ms of the first frame, against well under 1 ms).
 */
const yogaWithoutFetch: Plugin = {
	name: 'yoga-without-fetch',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[/\\]yoga-layout[/\\]dist[/\\]binaries[/\\]yoga-wasm-base64-esm\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const viaFetch = 'function ya(){return w||"function"!=typeof fetch?';
			const viaAtob = 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';
			if (!source.includes(viaFetch) || !source.includes(viaAtob)) throw new Error(`yoga-layout's wasm loader changed in ${args.path}: update source/build/bundle.ts`);
			const viaBuffer = 'var b=Buffer.from(a.slice(37),"base64"),d=new Uint8Array(b.buffer,b.byteOffset,b.length)';
			return {contents: source.replace(viaFetch, 'function ya(){return true?').replace(viaAtob, viaBuffer), loader: 'js'};
		});
	},
};

export async function bundle(): Promise<void> {
	// Chunk names carry content hashes: without this, chunks of earlier builds would pile up and ship.
	rmSync(path.join(root, bundleDir), {recursive: true, force: true});
	const unicode = lazyUnicode();
	const result = await build({
		absWorkingDir: root,
		entryPoints: ['source/cli.ts', ...commandEntries()],
		outdir: bundleDir,
		outbase: 'source',
		entryNames: '[dir]/[name]',
		chunkNames: 'chunks/[name]-[hash]',
		bundle: true,
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		// React and its reconciler in production mode.
		define: {'process.env.NODE_ENV': '"production"'},
		// CommonJS dependencies inside an ES module still call require() for Node built-ins.
		banner: {js: "import {createRequire as __cavraCreateRequire} from 'node:module';\nconst require = __cavraCreateRequire(import.meta.url);"},
		sourcemap: 'linked',
		sourcesContent: false,
		legalComments: 'linked',
		minifySyntax: true,
		metafile: true,
		logLevel: 'warning',
		plugins: [inkDevtoolsOff, yogaWithoutFetch, unicode.plugin, jsoncParserBundled],
	});
	const unpatched = unicode.unpatched();
	if (unpatched.length > 0) throw new Error(`lazy-unicode: no bundled file matched ${unpatched.join(', ')}; update source/build/lazy-unicode.ts`);
	writeFileSync(path.join(root, metafilePath), JSON.stringify(result.metafile));
}

await bundle();
