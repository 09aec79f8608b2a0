import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let root: string | undefined;

/**
 * The package's own root (package.json, templates/), found once by walking up from this module to
 * the nearest package.json, as Node itself scopes packages. The same code runs at different depths:
 * source/io (vitest), dist/io (tsc output) and dist/bundle/chunks (the shipped esbuild bundle), so a
 * fixed `../../` from import.meta.url would be right in only some of them.
 */
export function packageRoot(): string {
	if (root !== undefined) return root;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	while (!existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`cavra-rollback: no package.json above ${fileURLToPath(import.meta.url)}; the installation is incomplete`);
		dir = parent;
	}
	root = dir;
	return root;
}

/** A path inside the package, e.g. packagePath('templates', 'standard.json'). */
export function packagePath(...parts: string[]): string {
	return path.join(packageRoot(), ...parts);
}
