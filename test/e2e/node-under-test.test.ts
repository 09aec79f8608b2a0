import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {runCliAsync} from '../fixtures/rollback/e2e.js';
import {cliNode, runCli} from '../helpers/cli.js';
import {Pty} from '../helpers/pty.js';

/**
 * CI runs the e2e files again with CAVRA_TEST_NODE set to Node 22 and 24 (.ci/node-matrix). These
 * tests prove that those legs really ran the CLI under that Node, through both ways e2e tests start
 * it (the synchronous helper and the async one the rollback tests use), not under vitest's Node.
 */
const reporter = fileURLToPath(new URL('../helpers/node-version/report.mjs', import.meta.url));
const env = {NODE_OPTIONS: `--import=${reporter}`};
const expected = process.env['CAVRA_TEST_NODE'] ? spawnSync(cliNode, ['--version'], {encoding: 'utf8'}).stdout.trim() : process.version;
const scratch = mkdtempSync(path.join(tmpdir(), 'cavra-node-under-test-'));
afterAll(() => rmSync(scratch, {recursive: true, force: true}));

describe('the Node that runs the CLI in e2e tests', () => {
	it('is CAVRA_TEST_NODE when set, else the Node running the tests', () => {
		expect(cliNode).toBe(process.env['CAVRA_TEST_NODE'] || process.execPath);
		expect(expected).toMatch(/^v\d+\.\d+\.\d+$/);
		if (process.env['CAVRA_TEST_NODE_MAJOR']) expect(expected.split('.')[0]).toBe(`v${process.env['CAVRA_TEST_NODE_MAJOR']}`);
	});

	it('runs `--version` under that Node (runCli)', () => {
		const result = runCli(['--version'], {env});
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`CLI-NODE-VERSION ${expected}\n`);
	});

	it('runs a command under that Node (runCliAsync, as the rollback tests do)', async () => {
		const result = await runCliAsync(['templates'], {cwd: scratch, env});
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`CLI-NODE-VERSION ${expected}\n`);
	});

	it('runs the CLI in a pseudo-terminal under that Node (the pty screen tests)', async () => {
		const pty = new Pty(['--version'], {cwd: scratch, env});
		await pty.waitFor(`CLI-NODE-VERSION ${expected}`);
		expect(await pty.exit).toBe(0);
	});
});
