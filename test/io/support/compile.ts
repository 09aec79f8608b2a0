import {execFile} from 'node:child_process';
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * Compile the given source modules (and what they import) to JavaScript in a fresh temporary
 * folder, for child processes that must run the real module (SIGKILL tests). Only these files are
 * compiled, with the project's options, so a half-finished module elsewhere in the checkout does
 * not matter and the shared dist/ is left alone. Returns the output folder (mirrors source/).
 */
export async function compileModules(sources: string[]): Promise<string> {
	const outDir = await mkdtemp(path.join(tmpdir(), 'cavra-compiled-'));
	const args = [
		tsc,
		...sources.map(source => path.join(repoRoot, source)),
		'--outDir', outDir,
		'--rootDir', path.join(repoRoot, 'source'),
		'--module', 'NodeNext',
		'--moduleResolution', 'NodeNext',
		'--target', 'ES2022',
		'--lib', 'ES2023',
		'--types', 'node',
		'--strict',
		'--skipLibCheck',
		'--verbatimModuleSyntax',
	];
	try {
		await promisify(execFile)(process.execPath, args, {cwd: repoRoot, timeout: 60_000});
	} catch (error) {
		const output = (error as {stdout?: string}).stdout ?? '';
		throw new Error(`compiling ${sources.join(', ')} failed:\n${output}`);
	}
	await writeFile(path.join(outDir, 'package.json'), '{"type": "module"}\n');
	return outDir;
}
