// Resolve hook: report (on stderr) any load of ink, react or an ink-* package, and of the CommonJS
// entries that cost a cold start dearly (see io/config.ts, core/superstruct.ts, core/json/document.ts).
// Two ways to see them: by bare specifier (the tsc output in dist/ imports packages by name), and,
// for the shipped bundle (dist/bundle/), by the packages esbuild's metafile says each loaded chunk holds.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bundleDir = path.join(root, 'dist', 'bundle') + path.sep;
const slowEntries = [
	['yaml', /node_modules\/yaml\//],
	['superstruct', /node_modules\/superstruct\/dist\/index\.cjs$/],
	['jsonc-parser', /node_modules\/jsonc-parser\/lib\/(umd|esm)\/main\.js$/],
];
const reported = new Set();
let graph;

function reportChunk(file) {
	if (reported.has(file)) return;
	reported.add(file);
	graph ??= {
		metafile: JSON.parse(readFileSync(path.join(root, 'dist', 'bundle-meta.json'), 'utf8')),
		helpers: import(new URL('../../../dist/build/bundle-graph.js', import.meta.url).href),
	};
	return graph.helpers.then(({packagesIn, inputsIn, uiPackage}) => {
		const output = path.relative(root, file).split(path.sep).join('/');
		if (!graph.metafile.outputs[output]) return;
		for (const name of packagesIn(graph.metafile, [output])) if (uiPackage.test(name)) process.stderr.write(`LOADED-UI-MODULE ${name} (bundled in ${output})\n`);
		for (const [name, pattern] of slowEntries) if (inputsIn(graph.metafile, [output], pattern).length > 0) process.stderr.write(`LOADED-SLOW-ENTRY ${name} (bundled in ${output})\n`);
	});
}

export async function resolve(specifier, context, next) {
	if (/^(yaml|superstruct|jsonc-parser)$/.test(specifier)) process.stderr.write(`LOADED-SLOW-ENTRY ${specifier}\n`);
	if (/^(ink|react|react-dom|ink-[a-z-]+|@inkjs\/[a-z-]+)(\/|$)/.test(specifier)) process.stderr.write(`LOADED-UI-MODULE ${specifier}\n`);
	const result = await next(specifier, context);
	if (result.url.startsWith('file:')) {
		const file = fileURLToPath(result.url);
		if (file.startsWith(bundleDir)) await reportChunk(file);
	}
	return result;
}
