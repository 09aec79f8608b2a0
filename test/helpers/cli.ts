import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The shipped command: package.json's `bin`, the esbuild bundle (unit tests import source/ instead). */
export const cliPath = path.join(repoRoot, (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {bin: Record<string, string>}).bin['cavra-rollback']!);
export const noUiRegister = fileURLToPath(new URL('./no-ui/register.mjs', import.meta.url));
/**
 * The Node that runs the CLI in e2e tests. CI's Node 22 and 24 legs set CAVRA_TEST_NODE to an
 * official binary (.ci/node-matrix) while vitest itself stays on the machine's Node 20.
 */
export const cliNode = process.env['CAVRA_TEST_NODE'] || process.execPath;

/** The environment of a CLI started by the async and pty helpers: no CI, no colour, no CAVRA_* settings. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, CI: undefined, NO_COLOR: '1', FORCE_COLOR: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined, CAVRA_GO_BACKEND_MODE: undefined, ...extra};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	return env;
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface CliOptions {
	input?: string | Uint8Array;
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** Load the hook that reports any import of ink or react. */
	watchUi?: boolean;
	timeoutMs?: number;
}

/** The bundle is built by `npm run build` (npm test runs it first). */
export function assertBuilt(): void {
	if (!existsSync(cliPath)) throw new Error(`${path.relative(repoRoot, cliPath)} is missing: run \`npm run build\` (npm test does it)`);
}

/** Run the shipped CLI (npm test builds first) as a user would: no TTY, CI unset unless given. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
	assertBuilt();
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined, CAVRA_GO_BACKEND_MODE: undefined, ...options.env};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	const nodeArgs = options.watchUi ? ['--import', noUiRegister, cliPath, ...args] : [cliPath, ...args];
	const result = spawnSync(cliNode, nodeArgs, {
		cwd: options.cwd ?? repoRoot,
		env,
		input: options.input ?? '',
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 20_000,
		maxBuffer: 64 * 1024 * 1024,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}
