import {rmSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {scratch, writeConfig} from '../fixtures/rollback/e2e.js';
import {hasScript, Pty} from '../helpers/pty.js';

/*
 * Keys that arrive in one read, in a real terminal (util-linux `script`): a held key, a paste or
 * a laggy SSH link hands the program several keys in one write.
 */

const DOWN = '\u001B[B';
let work: ReturnType<typeof scratch>;
let ptys: Pty[];

beforeEach(() => {
	work = scratch('cavra-keys-pty-');
	ptys = [];
});
afterEach(() => {
	for (const pty of ptys) pty.kill();
	rmSync(work.dir, {recursive: true, force: true});
});

describe.skipIf(!hasScript)('batched keys in a real terminal', () => {
	it('three Down keys in one write move the home menu three rows: Enter runs "Lint the plan"', async () => {
		writeConfig(work.dir, ['plan: ./plan.json', 'mode: {envFiles: [./cavra.env]}', 'evidence: {dir: ./evidence}']);
		const pty = new Pty([], {cwd: work.dir});
		ptys.push(pty);
		await pty.waitFor('Quit');
		pty.child.stdin!.write(DOWN + DOWN + DOWN);
		await pty.waitFor('❯ Lint the plan');
		pty.child.stdin!.write('\r');
		await pty.waitFor('last: lint');
		pty.child.stdin!.write('q');
		expect(await pty.exit).toBe(0);
	});
});
