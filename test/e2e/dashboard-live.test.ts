import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {demoCavraEnv, ensureDemoState, writeDemoConfig} from '../../source/demo/setup.js';
import {cliNode, cliPath, repoRoot} from '../helpers/cli.js';

/**
 * The line mode (not a TTY, no --once): the built CLI watches the files and polls the stand-in,
 * and prints one line per state change. Proves the live wiring end to end: a plan edit saved by
 * atomic rename shows up, the API going down and coming back shows up, SIGINT ends it with 130.
 */

const noUiRegister = fileURLToPath(new URL('../helpers/no-ui/register.mjs', import.meta.url));

let dir: string;
let api: StandIn;
let apiUp = false;
let env: NodeJS.ProcessEnv;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'cavra-dashboard-live-'));
	const configPath = await ensureDemoState(dir, {reset: true});
	env = demoCavraEnv(dir);
	api = await startStandIn({port: 0, env});
	apiUp = true;
	await writeDemoConfig(configPath, {url: api.url});
});

/** Each test starts with the stand-in answering on the configured port, whatever the test before did. */
beforeEach(async () => {
	if (apiUp) return;
	api = await startStandIn({port: Number(new URL(api.url).port), env});
	apiUp = true;
});

afterAll(async () => {
	if (apiUp) await api.close();
	rmSync(dir, {recursive: true, force: true});
});

/** Lines from a running child, awaited one predicate at a time. */
function lines(child: ChildProcessWithoutNullStreams) {
	const seen: string[] = [];
	const waiters: Array<{predicate: (line: string) => boolean; resolve: (line: string) => void}> = [];
	createInterface({input: child.stdout}).on('line', line => {
		seen.push(line);
		for (const waiter of [...waiters]) {
			if (waiter.predicate(line)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(line);
			}
		}
	});
	return {
		seen,
		next(predicate: (line: string) => boolean, what: string): Promise<string> {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no line: ${what}\n${seen.join('\n')}`)), 10_000);
				waiters.push({
					predicate,
					resolve: line => {
						clearTimeout(timer);
						resolve(line);
					},
				});
			});
		},
	};
}

function start(args: string[]): ChildProcessWithoutNullStreams {
	const childEnv: NodeJS.ProcessEnv = {...process.env, CAVRA_GO_BACKEND_MODE: undefined, CAVRA_GO_ROLLBACK_PLAN: undefined};
	for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
	return spawn(cliNode, ['--import', noUiRegister, cliPath, '--config', file('.cavrarc.yaml'), 'dashboard', ...args], {cwd: repoRoot, env: childEnv, stdio: ['pipe', 'pipe', 'pipe']});
}

function saveAtomically(target: string, text: string) {
	const temporary = `${target}.swp`;
	writeFileSync(temporary, text);
	renameSync(temporary, target);
}

describe('dashboard line mode (not a TTY)', () => {
	it('prints NDJSON snapshots as the plan changes and the API goes down and comes back; SIGINT exits 130', async () => {
		const child = start(['--json', '--interval', '0.2']);
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const output = lines(child);
		type Snapshot = {changed: string[]; verdict: {status: string; next: string}; api: {rollback_readiness: {state: string; last_good_at: string | null}}};
		const parse = (line: string) => JSON.parse(line) as Snapshot;
		const plan = file('go-backend-rollback-plan.json');
		const original = readFileSync(plan, 'utf8');
		try {
			const first = parse(await output.next(() => true, 'first snapshot'));
			expect(first.changed).toEqual(['mode', 'plan', 'rehearsal', 'drills', 'schedule', 'api', 'services']);
			expect(first.verdict.status).toBe('ready');
			expect(first.api.rollback_readiness.state).toBe('ok');

			saveAtomically(plan, original.replace('"approved": true', '"approved": false'));
			const edited = parse(await output.next(line => parse(line).changed.includes('plan') && parse(line).verdict.status === 'needs_attention', 'plan change'));
			expect(edited.verdict.next).toMatch(/^approve the plan/);

			saveAtomically(plan, original);
			await output.next(line => parse(line).verdict.status === 'ready', 'plan fixed');

			const port = Number(new URL(api.url).port);
			apiUp = false;
			await api.close();
			const down = parse(await output.next(line => parse(line).api.rollback_readiness.state === 'unreachable', 'API down'));
			expect(down.changed).toContain('api');
			expect(down.api.rollback_readiness.last_good_at).not.toBeNull();
			// A poll in flight when the server goes away sees a reset; the next ones see refused.
			expect(down.verdict.next).toMatch(/^check the CAVRA API: rollback-readiness unreachable: demo stand-in not running: run npm start; connection (refused|reset)$/);

			api = await startStandIn({port, env});
			apiUp = true;
			await output.next(line => parse(line).api.rollback_readiness.state === 'ok' && parse(line).verdict.status === 'ready', 'API back');

			const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
			child.kill('SIGINT');
			expect(await exited).toBe(130);
			expect(stderr).not.toContain('LOADED-UI-MODULE');
			// Nothing printed twice in a row: every line is a change.
			for (let i = 1; i < output.seen.length; i++) expect(output.seen[i]).not.toBe(output.seen[i - 1]);
		} finally {
			writeFileSync(plan, original);
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});

	it('prints one plain line per change without --json', async () => {
		const child = start(['--interval', '0.2']);
		const output = lines(child);
		try {
			const first = await output.next(() => true, 'first line');
			expect(first).toMatch(/^\d\d:\d\d:\d\d READY · next: .+ \| mode ✔ promoted: cavra\.env=promoted · shell unset · API=promoted \| plan ✔ ready: 6\/6 checks pass/);
			const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
			child.stdin.end();
			child.kill('SIGTERM');
			expect(await exited).toBe(130);
		} finally {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	});

	it('asks the API again as soon as a file CAVRA reads changes, without waiting for the interval', async () => {
		// A 60 s interval: only the early round after the file change can bring the API's new answer.
		const child = start(['--json', '--interval', '60']);
		const output = lines(child);
		type Snapshot = {api: {rollback_readiness: {status: string | null}}; plan: {status: string | null}};
		const parse = (line: string) => JSON.parse(line) as Snapshot;
		const plan = file('go-backend-rollback-plan.json');
		const original = readFileSync(plan, 'utf8');
		try {
			await output.next(line => parse(line).api.rollback_readiness.status === 'ready', 'first API answer');
			saveAtomically(plan, original.replace('"approved": true', '"approved": false'));
			// The API round and our own evaluation of the file run side by side: either may print first.
			const both = parse(await output.next(line => parse(line).api.rollback_readiness.status === 'needs_attention' && parse(line).plan.status === 'needs_attention', 'API re-asked'));
			expect(both.plan.status).toBe('needs_attention');
		} finally {
			writeFileSync(plan, original);
			child.kill('SIGKILL');
		}
	});
});
