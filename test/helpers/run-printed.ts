import {spawn} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cliNode, cliPath} from './cli.js';

/**
 * Run a command line the tool printed for an operator to copy, verbatim, through /bin/sh with a
 * `cavra-rollback` on PATH that is the built CLI: proves the hint works as pasted (quoting, flags).
 */
let binDir: string | undefined;

function cavraOnPath(): string {
	if (binDir) return binDir;
	binDir = mkdtempSync(path.join(tmpdir(), 'cavra-bin-'));
	mkdirSync(binDir, {recursive: true});
	const wrapper = path.join(binDir, 'cavra-rollback');
	writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(cliNode)} ${JSON.stringify(cliPath)} "$@"\n`);
	chmodSync(wrapper, 0o755);
	return binDir;
}

/** The printed lines that are commands: `cavra-rollback …` after any label ("continue it: "). */
export function printedCommands(text: string): string[] {
	return text
		.split('\n')
		.map(line => /(?:^|:\s|^\s+)(cavra-rollback\s.*)$/.exec(line)?.[1])
		.filter((command): command is string => command !== undefined);
}

export function runPrinted(commandLine: string, options: {cwd: string; env?: NodeJS.ProcessEnv}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined, CAVRA_GO_BACKEND_MODE: undefined, ...options.env};
	for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
	env['PATH'] = `${cavraOnPath()}${path.delimiter}${env['PATH'] ?? ''}`;
	return new Promise((resolve, reject) => {
		const child = spawn('/bin/sh', ['-c', commandLine], {cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += String(chunk)));
		child.stderr.on('data', chunk => (stderr += String(chunk)));
		child.on('error', reject);
		child.on('close', code => resolve({code, stdout, stderr}));
	});
}
