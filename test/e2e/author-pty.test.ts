import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {cliNode, cliPath, repoRoot, runCli} from '../helpers/cli.js';

/*
 * The built CLI in a real pseudo-terminal (util-linux `script`): stdin and stdout are TTYs, as in
 * a user's terminal. Keys are sent one at a time, each after the screen shows what it answers.
 */

const hasScript = spawnSync('script', ['--version'], {encoding: 'utf8'}).status === 0;
const noUiRegister = fileURLToPath(new URL('../helpers/no-ui/register.mjs', import.meta.url));
const KEY = {down: '\u001B[B', up: '\u001B[A', enter: '\r', tab: '\t', ctrlC: '\u0003'} as const;
const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001B[78=>]/g, '').replace(/\r/g, '');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

class Pty {
	readonly child: ChildProcess;
	output = '';
	private seen = 0;
	readonly exit: Promise<number | null>;

	constructor(command: string[], options: {cwd: string; env?: NodeJS.ProcessEnv}) {
		const inner = `stty cols 110 rows 50; exec ${command.map(quote).join(' ')}`;
		const env: NodeJS.ProcessEnv = {...process.env, CI: undefined, NO_COLOR: '1', TERM: 'xterm-256color', CAVRA_GO_ROLLBACK_PLAN: undefined, ...options.env};
		for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
		this.child = spawn('script', ['-qefc', inner, '/dev/null'], {cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe']});
		this.child.stdout!.on('data', chunk => (this.output += String(chunk)));
		this.child.stderr!.on('data', chunk => (this.output += String(chunk)));
		this.exit = new Promise(resolve => this.child.on('exit', code => resolve(code)));
	}

	/** Wait for `text` after the previous match; returns the screen output since then. */
	async waitFor(text: string, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = strip(this.output);
			const at = all.indexOf(text, this.seen);
			if (at >= 0) {
				const fresh = all.slice(this.seen);
				this.seen = at + text.length;
				// A margin, not a wait for a result: the rest of the frame that showed `text` lands
				// before the next key. (The file also passed without it twice at load 15 on 2 cores.)
				await sleep(60);
				return fresh;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)}; screen since last match:\n${all.slice(this.seen).slice(-3000)}`);
			await sleep(20);
		}
	}

	async send(...keys: string[]): Promise<void> {
		for (const key of keys) {
			this.child.stdin!.write(key);
			// One key per read, as a person types; keys arriving in one read are a different case
			// (the wizard hands them out a render apart), not what these tests are about.
			await sleep(80);
		}
	}

	kill(): void {
		this.child.kill('SIGKILL');
	}
}

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
	const pty = new Pty([cliNode, ...(options.watchUi ? ['--import', noUiRegister] : []), cliPath, ...args], {cwd: dir, ...(options.env && {env: options.env})});
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
		const pty = new Pty([cliNode, demoStart], {cwd: repoRoot});
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

