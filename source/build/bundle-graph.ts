/**
 * Questions about the shipped bundle answered from esbuild's metafile (dist/bundle-meta.json):
 * which output files a command can load, and which npm packages those files hold. The no-Ink
 * guard for `lint`, `readiness`, `schema`, `templates`, `evidence` and `--help` is proved with it
 * (test/e2e/bundle-graph.test.ts), and the runtime hook test/helpers/no-ui/hooks.mjs uses it to
 * name the packages inside each chunk a process really loads.
 */

/** The part of esbuild's Metafile we read (kept structural so the hook can pass parsed JSON). */
export interface BundleMetafile {
	outputs: Record<string, {entryPoint?: string; inputs: Record<string, unknown>; imports: Array<{path: string; kind: string; external?: boolean}>}>;
}

/** The packages of Ink's terminal UI: none may load for a non-interactive command. */
export const uiPackage = /^(ink|ink-[a-z-]+|@inkjs\/[a-z-]+|react|react-dom|react-reconciler|scheduler|yoga-layout)$/;

/** The npm package an input file belongs to (the innermost node_modules wins), or undefined for our own code. */
export function packageOfInput(input: string): string | undefined {
	const parts = input.split('node_modules/');
	if (parts.length < 2) return undefined;
	const [scopeOrName, name] = parts.at(-1)!.split('/');
	return scopeOrName!.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
}

/** The output file built for a source entry (`source/commands/lint.ts`), or for a module split off at a dynamic import. */
export function outputOf(metafile: BundleMetafile, entryPoint: string): string {
	const found = Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === entryPoint);
	if (!found) throw new Error(`the bundle has no output for ${entryPoint}`);
	return found[0];
}

/**
 * Every output file that loading `start` can load: through static imports only (what loads before
 * its first line runs), or also through its dynamic `import()`s (everything it may ever load).
 */
export function reachableOutputs(metafile: BundleMetafile, start: string, options: {dynamic: boolean}): Set<string> {
	const seen = new Set<string>();
	const pending = [start];
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (seen.has(file)) continue;
		seen.add(file);
		for (const imported of metafile.outputs[file]?.imports ?? []) {
			if (imported.external) continue;
			if (imported.kind === 'import-statement' || (options.dynamic && imported.kind === 'dynamic-import')) pending.push(imported.path);
		}
	}
	return seen;
}

/** The npm packages bundled into these output files. */
export function packagesIn(metafile: BundleMetafile, outputs: Iterable<string>): Set<string> {
	const packages = new Set<string>();
	for (const output of outputs) {
		for (const input of Object.keys(metafile.outputs[output]?.inputs ?? {})) {
			const name = packageOfInput(input);
			if (name !== undefined) packages.add(name);
		}
	}
	return packages;
}

/** Input files of these outputs that match a pattern (e.g. a CommonJS entry that is slow to load). */
export function inputsIn(metafile: BundleMetafile, outputs: Iterable<string>, pattern: RegExp): string[] {
	return [...outputs].flatMap(output => Object.keys(metafile.outputs[output]?.inputs ?? {}).filter(input => pattern.test(input)));
}
