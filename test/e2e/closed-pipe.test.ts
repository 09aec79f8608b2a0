import {spawn} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {cliNode, cliPath} from '../helpers/cli.js';

/** Run the CLI with its stdout pipe already closed by the reader (`cavra-rollback … | head -0`). */
async function runIntoClosedPipe(args: string[]): Promise<{code: number | null; stderr: string}> {
	const child = spawn(cliNode, [cliPath, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}});
	// Closed before node has even started: every write the command makes meets EPIPE.
	child.stdout.destroy();
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	return {code, stderr};
}

describe('a reader that closes the pipe early (| head -1)', () => {
	it.each([
		[['readiness', '--report', 'all'], 0],
		[['templates'], 0],
		[['schema'], 0],
		[['--help'], 0],
		[['lint', 'no-such-plan.json'], 2],
	])('%j ends with the command\'s own exit code and no stack trace', async (args, expected) => {
		const result = await runIntoClosedPipe(args);
		expect(result.stderr).not.toContain('EPIPE');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(result.code).toBe(expected);
	}, 20_000);
});
