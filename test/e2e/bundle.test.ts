/**
 * The shipped bin is the esbuild bundle (source/build/bundle.ts). What a user relies on, proved from
 * the bundle itself: non-interactive commands cannot load Ink or React (from esbuild's metafile:
 * every chunk they can ever load), React runs in production mode, and CAVRA_ROLLBACK_DEBUG stack
 * traces point at source/.
 */
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, writeFileSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {inputsIn, outputOf, packagesIn, reachableOutputs, uiPackage, type BundleMetafile} from '../../source/build/bundle-graph.js';
import {commands} from '../../source/commands/registry.js';
import {assertBuilt, cliNode, cliPath, repoRoot} from '../helpers/cli.js';

let metafile: BundleMetafile;
const uiIn = (outputs: Iterable<string>) => [...packagesIn(metafile, outputs)].filter(name => uiPackage.test(name)).sort();
const everything = (entry: string) => reachableOutputs(metafile, outputOf(metafile, entry), {dynamic: true});
const beforeFirstLine = (entry: string) => reachableOutputs(metafile, outputOf(metafile, entry), {dynamic: false});

beforeAll(() => {
	assertBuilt();
	metafile = JSON.parse(readFileSync(path.join(repoRoot, 'dist/bundle-meta.json'), 'utf8')) as BundleMetafile;
});

describe('the shipped bin', () => {
	it('is the bundle, with one entry file per command of the command table', () => {
		expect(path.relative(repoRoot, cliPath)).toBe(path.join('dist', 'bundle', 'cli.js'));
		const built = readdirSync(path.join(repoRoot, 'dist/bundle/commands')).filter(name => name.endsWith('.js'));
		expect(built).toEqual(expect.arrayContaining(Object.keys(commands).map(name => `${name}.js`)));
	});
});

describe('non-interactive commands can never load Ink or React (bundle metafile)', () => {
	it.each(['lint', 'readiness', 'schema', 'templates', 'evidence'])('%s: no chunk it can load, even lazily, holds a UI package', name => {
		const reachable = everything(`source/commands/${name}.ts`);
		expect(reachable.size).toBeGreaterThan(1);
		expect(uiIn(reachable)).toEqual([]);
	});

	it('--help and --version: the start-up chunks (cli, main and what they import) hold no UI package', () => {
		const startUp = new Set([...beforeFirstLine('source/cli.ts'), ...beforeFirstLine('source/main.ts')]);
		expect(uiIn(startUp)).toEqual([]);
	});

	it('no command module loads a UI package before its first line runs (completion loads them all to read their options)', () => {
		for (const name of [...Object.keys(commands), 'home']) expect(uiIn(beforeFirstLine(`source/commands/${name}.ts`)), name).toEqual([]);
	});

	it('the check can see UI: the dashboard and the home menu reach Ink and React, lazily', () => {
		for (const name of ['dashboard', 'home']) {
			expect(uiIn(everything(`source/commands/${name}.ts`))).toEqual(expect.arrayContaining(['ink', 'react', 'yoga-layout']));
			// Ink loads after the "starting…" notice is on the screen, not before the command's first line.
			expect(uiIn(beforeFirstLine(`source/commands/${name}.ts`))).toEqual([]);
		}
	});
});

describe('bundle build settings a user notices', () => {
	it('React, its reconciler and scheduler are the production builds', () => {
		const all = Object.keys(metafile.outputs);
		expect(inputsIn(metafile, all, /node_modules\/(react|react-reconciler|scheduler)\/cjs\/.*production/).length).toBeGreaterThan(0);
		expect(inputsIn(metafile, all, /node_modules\/(react|react-reconciler|scheduler)\/cjs\/.*development/)).toEqual([]);
	});

	it('DEV=true in the environment does not make Ink reach for react-devtools-core', () => {
		const renderHome = readdirSync(path.join(repoRoot, 'dist/bundle/chunks')).find(name => name.startsWith('render-home-') && name.endsWith('.js'))!;
		const url = new URL(`file://${path.join(repoRoot, 'dist/bundle/chunks', renderHome)}`).href;
		const result = spawnSync(cliNode, ['--input-type=module', '-e', `await import(${JSON.stringify(url)}); console.log('loaded')`], {encoding: 'utf8', env: {...process.env, DEV: 'true'}});
		expect(result.stderr).toBe('');
		expect(result.stdout.trim()).toBe('loaded');
	});

	it("an Ink screen's layout engine decodes its WebAssembly without touching fetch (which would load all of undici) or atob (a JavaScript loop, several ms)", () => {
		const renderHome = readdirSync(path.join(repoRoot, 'dist/bundle/chunks')).find(name => name.startsWith('render-home-') && name.endsWith('.js'))!;
		const url = new URL(`file://${path.join(repoRoot, 'dist/bundle/chunks', renderHome)}`).href;
		// The wasm loads asynchronously after the import: give it a moment before declaring success.
		const script = `Object.defineProperty(globalThis, 'fetch', {get() { throw new Error('fetch touched'); }}); globalThis.atob = () => { throw new Error('atob called'); }; await import(${JSON.stringify(url)}); await new Promise(resolve => setTimeout(resolve, 100)); console.log('loaded');`;
		const result = spawnSync(cliNode, ['--input-type=module', '-e', script], {encoding: 'utf8'});
		expect(result.stderr).toBe('');
		expect(result.stdout.trim()).toBe('loaded');
	});

	it('with CAVRA_ROLLBACK_DEBUG=1 an internal error shows a stack that points at source/, without it no stack', () => {
		// A real bug stand-in: reading package.json fails with a plain Error (not a CavraError).
		const dir = mkdtempSync(path.join(tmpdir(), 'cavra-bundle-'));
		const breaker = path.join(dir, 'break.mjs');
		writeFileSync(
			breaker,
			"import fs from 'node:fs';\nimport {syncBuiltinESMExports} from 'node:module';\nconst read = fs.readFileSync;\nfs.readFileSync = (file, ...rest) => { if (String(file).endsWith('package.json')) throw new Error('simulated bug'); return read(file, ...rest); };\nsyncBuiltinESMExports();\n",
		);
		const run = (env: NodeJS.ProcessEnv) => spawnSync(cliNode, ['--import', breaker, cliPath, '--version'], {encoding: 'utf8', env: {...process.env, ...env}});
		const debug = run({CAVRA_ROLLBACK_DEBUG: '1'});
		expect(debug.status).toBe(2);
		expect(debug.stderr).toContain('internal error: simulated bug');
		expect(debug.stderr).toMatch(/at packageVersion \(.*source[/\\]io[/\\]package-info\.ts:\d+:\d+\)/);
		expect(debug.stderr).toMatch(/at main \(.*source[/\\]main\.ts:\d+:\d+\)/);
		const plain = run({CAVRA_ROLLBACK_DEBUG: undefined});
		expect(plain.stderr).toContain('internal error: simulated bug');
		expect(plain.stderr).not.toMatch(/\n\s+at /);
	});
});
