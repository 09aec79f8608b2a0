import {readFile} from 'node:fs/promises';
import type {Plugin} from 'esbuild';

/**
 * source/core/json/document.ts loads jsonc-parser's parser from its UMD build with createRequire
 * at run time: its ESM build has extension-less imports, which Node cannot load, but the tsc
 * output and the unit tests run unbundled. The bundle can bundle the ESM parser instead, which
 * spares every `lint` and `readiness` two CommonJS module loads and a package.json lookup at
 * start-up (issue 13). Fails the build if the expression it replaces is gone.
 */
export const RUNTIME_PARSER = "createRequire(import.meta.url)('jsonc-parser/lib/umd/impl/parser.js')";

export const jsoncParserBundled: Plugin = {
	name: 'jsonc-parser-bundled',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[/\\]source[/\\]core[/\\]json[/\\]document\.ts$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			if (!source.includes(RUNTIME_PARSER)) throw new Error(`jsonc-parser's loading changed in ${args.path}: update source/build/jsonc-esm.ts`);
			// The module namespace has the same exports as the required UMD module.
			const contents = `import * as __jsoncParser from 'jsonc-parser/lib/esm/impl/parser.js';\n${source.replace(RUNTIME_PARSER, '__jsoncParser')}`;
			return {contents, loader: 'ts'};
		});
	},
};
