import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cliNode, repoRoot, runCli} from '../helpers/cli.js';
import {hasScript, KEY, Pty} from '../helpers/pty.js';

let dir: string;
let ptys: Pty[];
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'author-pty-'));
	ptys = [];
});
afterEach(() => {
	for (const pty of ptys) pty.kill();
	rmSync(dir, {recursive: true, force: true});
});

function open(args: string[], options: {watchUi?: boolean; env?: NodeJS.ProcessEnv} = {}): Pty {
	const pty = new Pty(args, {cwd: dir, ...options});
	ptys.push(pty);
	return pty;
}

describe.skipIf(!hasScript)('author in a real terminal', () => {
	it('the Ink wizard: from a template to a saved ready plan', async () => {
		const pty = open(['author', 'plan.json']);
		await pty.waitFor('Start the plan from:');
		await pty.send(KEY.down);
		await pty.waitFor('❯ Template: ci-runner');
		await pty.send(KEY.down);
		await pty.waitFor('❯ Template: standard');
		await pty.send(KEY.enter);
		await pty.waitFor('Is this rollback plan approved?');
		for (const title of ['Maximum recovery time', 'Which controls are in place?', 'The rollback steps an operator follows', 'Evidence refs: where the proof lives', 'The plan as it will be written']) {
			await pty.send(KEY.tab);
			await pty.waitFor(title);
		}
		await pty.send(KEY.enter);
		await pty.waitFor('Save as ready');
		await pty.send(KEY.enter);
		await pty.waitFor('Saved');
		expect(await pty.exit).toBe(0);
		const file = path.join(dir, 'plan.json');
		expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({status: 'ready', approval_id: 'apr_go_backend_rollback'});
		// Then open it as the next users do: lint and readiness.
		expect(runCli(['lint', file]).code).toBe(0);
		const readiness = runCli(['readiness', '--mode', 'promoted', '--rollback-plan-path', file, '--json'], {cwd: dir});
		expect((JSON.parse(readiness.stdout) as {status: string}).status).toBe('ready');
	});

	it('--plain: line-by-line prompts, never loading Ink or React', async () => {
		const pty = open(['author', '--plain', '--template', 'workstation', 'plan.json'], {watchUi: true});
		await pty.waitFor('Is this rollback plan approved?');
		await pty.send(KEY.enter);
		await pty.waitFor('Approval id');
		await pty.send('CAB-5', KEY.enter);
		for (const question of ['Maximum recovery time', 'Which controls are in place?', 'Add a custom control', 'Rollback steps: what next?', 'Evidence refs: what next?', 'What next?']) {
			await pty.waitFor(question);
			await pty.send(KEY.enter);
		}
		await pty.waitFor('Save to');
		await pty.send(KEY.enter);
		await pty.waitFor('Saved');
		expect(await pty.exit).toBe(0);
		expect(pty.output).not.toContain('LOADED-UI-MODULE');
		expect(JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8'))).toMatchObject({status: 'ready', approval_id: 'CAB-5'});
	});

	it('ctrl+c on a clean wizard quits at once with exit 130', async () => {
		const pty = open(['author', 'plan.json']);
		await pty.waitFor('Start the plan from:');
		await pty.send(KEY.ctrlC);
		await pty.waitFor('cancelled; nothing was saved');
		expect(await pty.exit).toBe(130);
	});

	it('the demo from `npm start` reaches the wizard (home menu → Author a plan → the demo plan)', async () => {
		const demoStart = path.join(repoRoot, 'dist/demo/start.js');
		const pty = new Pty([], {cwd: repoRoot, command: [cliNode, demoStart]});
		ptys.push(pty);
		const menu = await pty.waitFor('Quit');
		const labels = [...menu.matchAll(/^\s*(?:❯\s)?\s*([A-Z][A-Za-z ]+)$/gm)].map(match => match[1]!.trim());
		const index = labels.indexOf('Author a plan');
		expect(index, `menu: ${labels.join(', ')}`).toBeGreaterThanOrEqual(0);
		for (let i = 1; i <= index; i++) {
			await pty.send(KEY.down);
			await pty.waitFor(`❯ ${labels[i]}`);
		}
		await pty.waitFor('A wizard that writes a plan CAVRA accepts');
		await pty.send(KEY.enter);
		await pty.waitFor('Start the plan from:');
		await pty.waitFor('The existing plan at the target path');
		await pty.send(KEY.ctrlC);
		await pty.waitFor('last: author → exit 130');
		await pty.send('q');
		expect(await pty.exit).toBe(0);
	});
});

