/*
 * `cavra-rollback rollback` with a fleet service (kind: ansible) from a script: the built CLI,
 * real ansible-playbook, local-connection hosts each with its own env file and its own CAVRA API
 * stand-in (restarting a host makes its stand-in re-read that host's env file).
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {DEFAULT_ENV, makeFleet, type Fleet, type FleetHostSpec} from '../fixtures/ansible/fleet.js';
import {restartScript, runCliAsync, scratch, startCli, until, writeConfig} from '../fixtures/rollback/e2e.js';

const node = process.execPath;
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const step of cleanup.reverse()) await step();
	cleanup = [];
});

interface Setup {
	work: ReturnType<typeof scratch>;
	fleet: Fleet;
	standIns: StandIn[];
}

/** Hosts web1..webN, each with a stand-in API whose env file is the host's; `fail` makes one restart exit 7. */
async function setup(count: number, options: {fail?: string; serial?: string; gate?: {host: string; file: string}} = {}): Promise<Setup> {
	const work = scratch('cavra-rollback-ansible-');
	const names = Array.from({length: count}, (_, index) => `web${index + 1}`);
	const probe = makeFleet([]);
	for (const name of names) writeFileSync(path.join(probe.dir, `${name}.env`), DEFAULT_ENV, {mode: 0o640});
	const standIns = await Promise.all(names.map(name => startStandIn({port: 0, env: {}, envFile: path.join(probe.dir, `${name}.env`)})));
	const specs: FleetHostSpec[] = names.map((name, index) => ({
		name,
		restart: name === options.fail ? 'echo "cannot bind :8000" >&2; exit 7' : `${name === options.gate?.host ? `${waitFor(options.gate.file)}; ` : ''}'${node}' '${restartScript}' '${standIns[index]!.url}'`,
		extraVars: `cavra_port=${new URL(standIns[index]!.url).port}`,
	}));
	const fleet = makeFleet(specs, probe.dir);
	cleanup.push(() => rmSync(work.dir, {recursive: true, force: true}), () => rmSync(fleet.dir, {recursive: true, force: true}), ...standIns.map(standIn => () => standIn.close()));
	writeConfig(work.dir, [
		'plan: ./plan.json',
		'evidence: {dir: ./evidence}',
		'services:',
		'  - name: api-fleet',
		'    kind: ansible',
		`    inventory: ${fleet.inventory}`,
		'    hosts: cavra_api',
		'    envFile: "{{ cavra_env_file }}"',
		'    restart: ["/bin/sh", "-c", "{{ cavra_restart }}"]',
		`    serial: ${options.serial ?? '1'}`,
		'    verify: {url: "http://127.0.0.1:{{ cavra_port }}/runtime/go-pilot/rollback-readiness"}',
	]);
	return {work, fleet, standIns};
}

/** Shell that waits (bounded, 60 s) until `file` exists: holds a host's restart so a test can kill the run there. */
function waitFor(file: string): string {
	return `i=0; while [ ! -e '${file}' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`;
}

/** The process ids under `pid` (Linux /proc), children first found breadth-first. */
function descendants(pid: number): number[] {
	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		const parent = queue.shift()!;
		const tasks = existsSync(`/proc/${parent}/task`) ? readdirSync(`/proc/${parent}/task`) : [];
		for (const task of tasks) {
			const children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
			found.push(...children);
			queue.push(...children);
		}
	}
	return found;
}

function evidenceOf(work: Setup['work']): Record<string, unknown> {
	const root = path.join(work.dir, 'evidence');
	const [run] = existsSync(root) ? readdirSync(root).filter(name => name.startsWith('rb-')) : [];
	return JSON.parse(readFileSync(path.join(root, run!, 'evidence.json'), 'utf8')) as Record<string, unknown>;
}

interface HostRecord {
	host: string;
	batch: number;
	state: string;
	env_file_mode_before: string | null;
	env_file_mode_after: string | null;
	restart: {exit_code: number | null; stderr_tail: string} | null;
	verify: {status: string} | null;
}

describe('rollback of an Ansible fleet (real ansible-playbook)', {timeout: 360_000}, () => {
	it('every host set, restarted and verified one batch at a time; --json prints evidence with a record per host', async () => {
		const {work, fleet} = await setup(2);
		const result = await runCliAsync(['rollback', '--yes', '--json'], {cwd: work.dir});
		expect(result.stderr).toContain('api-fleet');
		expect(result.code).toBe(0);
		// The live progress: each host as it runs and ends, and the fleet's bar.
		expect(result.stderr).toMatch(/  batch 1\/2 web1: running \(\d+(?:\.\d)? m?s\)/);
		expect(result.stderr).toMatch(/  batch 2\/2 web2: done \(\d+(?:\.\d)? m?s\)/);
		expect(result.stderr).toContain('  [####################] 2/2 hosts · batch 2/2');
		const evidence = JSON.parse(result.stdout) as {result: string; services: Array<{name: string; outcome: string; hosts: HostRecord[]}>};
		expect(evidence.result).toBe('recovered');
		expect(evidence.services[0]!.outcome).toBe('recovered');
		expect(evidence.services[0]!.hosts.map(host => [host.host, host.batch, host.state, host.env_file_mode_before, host.env_file_mode_after, host.verify?.status])).toEqual([
			['web1', 1, 'done', 'promoted', 'disabled', 'ok'],
			['web2', 2, 'done', 'promoted', 'disabled', 'ok'],
		]);
		expect(evidenceOf(work)).toEqual(evidence);
		expect(readFileSync(fleet.envFile('web2'), 'utf8')).toBe(DEFAULT_ENV.replace('promoted', 'disabled'));
		expect(readFileSync(fleet.log, 'utf8')).toBe('web1\nweb2\n');
	});

	it('a failing canary: exit 3, the failed host and its stderr named, the rest untouched', async () => {
		const {work, fleet} = await setup(3, {fail: 'web1'});
		const result = await runCliAsync(['rollback', '--yes', '--json'], {cwd: work.dir});
		expect(result.code).toBe(3);
		expect(result.stderr).toMatch(/web1 failed at restart: .*cannot bind :8000/);
		expect(result.stderr).toContain('      stderr: cannot bind :8000');
		expect(result.stderr).toContain('  batch 2/3 web2: not-touched');
		const evidence = JSON.parse(result.stdout) as {result: string; services: Array<{outcome: string; hosts: HostRecord[]}>};
		expect(evidence.services[0]!.outcome).toBe('restart-failed');
		expect(evidence.services[0]!.hosts.map(host => [host.host, host.state])).toEqual([['web1', 'failed'], ['web2', 'not-touched'], ['web3', 'not-touched']]);
		expect(evidence.services[0]!.hosts[0]!.restart).toMatchObject({exit_code: 7, stderr_tail: expect.stringContaining('cannot bind :8000') as unknown});
		expect(readFileSync(fleet.envFile('web2'), 'utf8')).toBe(DEFAULT_ENV);
		expect(readFileSync(fleet.envFile('web3'), 'utf8')).toBe(DEFAULT_ENV);
		expect(readFileSync(fleet.log, 'utf8')).toBe('web1\n');
	});

	it('--dry-run: each host with its mode now and the diff of its env file (mode value redacted like local files); nothing changes', async () => {
		const {work, fleet} = await setup(2);
		const result = await runCliAsync(['rollback', '--dry-run'], {cwd: work.dir});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('host web1: mode now promoted');
		expect(result.stdout).toContain(`--- web2:{{ cavra_env_file }}`);
		expect(result.stdout).toMatch(/-CAVRA_GO_BACKEND_MODE=.*\n\s*\+CAVRA_GO_BACKEND_MODE=disabled/);
		expect(`${result.stdout}${result.stderr}`).toContain('diffs from ansible-playbook --check --diff');
		expect(readFileSync(fleet.envFile('web1'), 'utf8')).toBe(DEFAULT_ENV);
		expect(readdirSync(fleet.dir).filter(name => /\.env\./.test(name))).toEqual([]);
		expect(existsSync(fleet.log)).toBe(false);
	});

	it('a host whose env file is missing stops the run in preflight: nothing changes on any host', async () => {
		const {work, fleet} = await setup(2);
		rmSync(fleet.envFile('web2'));
		const result = await runCliAsync(['rollback', '--yes'], {cwd: work.dir});
		expect(result.code).not.toBe(0);
		expect(result.stderr).toContain('web2: the env file does not exist on this host');
		expect(readFileSync(fleet.envFile('web1'), 'utf8')).toBe(DEFAULT_ENV);
		expect(existsSync(fleet.log)).toBe(false);
	});

	it('kill -9 mid-fleet, then --resume: re-probes every host, skips the one done, finishes the others; no run folder left behind', async () => {
		const gate = path.join(mkdtempSync(path.join(tmpdir(), 'cavra-gate-')), 'open');
		const {work, fleet} = await setup(3, {gate: {host: 'web2', file: gate}});
		const temp = mkdtempSync(path.join(tmpdir(), 'cavra-tmp-'));
		cleanup.push(() => rmSync(temp, {recursive: true, force: true}), () => rmSync(path.dirname(gate), {recursive: true, force: true}));
		const env = {TMPDIR: temp};
		const first = startCli(['rollback', '--yes', '--plain'], {cwd: work.dir, env});
		const journalFile = () => {
			const root = path.join(work.dir, 'evidence');
			const run = existsSync(root) ? readdirSync(root).find(name => name.startsWith('rb-')) : undefined;
			return run ? path.join(root, run, 'journal.ndjson') : '';
		};
		// web1 done and journaled as batch 1; web2's restart is running (held by the gate).
		// A bound, not a wait: each batch starts ansible-playbook (Python) anew, and with two test
		// files at once on a loaded 2-core machine web1's batch alone has taken ~80 s.
		await until(() => existsSync(fleet.log) && readFileSync(fleet.log, 'utf8').includes('web2'), 180_000, 'web2 restarting');
		await until(() => journalFile() !== '' && readFileSync(journalFile(), 'utf8').includes('fleet-batch:api-fleet'), 20_000, 'batch 1 journaled');
		const pid = first.child.pid!;
		const playbooks = descendants(pid);
		process.kill(pid, 'SIGKILL');
		// The machine running the rollback is gone: so is ansible-playbook (its own process group).
		for (const child of playbooks) {
			try {
				process.kill(-child, 'SIGKILL');
			} catch {
				// not a group leader, or gone
			}
		}
		await first.done;
		const batchRecords = readFileSync(journalFile(), 'utf8').split('\n').filter(line => line.includes('fleet-batch:api-fleet')).map(line => JSON.parse(line) as {status: string; detail: {batch: number; hosts: Record<string, {state: string}>}});
		expect(batchRecords.map(record => [record.detail.batch, record.status, record.detail.hosts])).toEqual([[1, 'done', {web1: {state: 'done'}}]]);
		expect(readdirSync(temp).filter(name => name.startsWith(`cavra-ansible-${pid}-`))).toHaveLength(1);

		writeFileSync(gate, '');
		const runId = path.basename(path.dirname(journalFile()));
		const resumed = await runCliAsync(['rollback', '--resume', runId, '--yes', '--json'], {cwd: work.dir, env});
		expect(resumed.code).toBe(0);
		const evidence = JSON.parse(resumed.stdout) as {result: string; services: Array<{hosts: HostRecord[] & Array<{message: string | null}>}>};
		expect(evidence.result).toBe('recovered');
		expect(evidence.services[0]!.hosts.map(host => [host.host, host.state])).toEqual([['web1', 'done'], ['web2', 'done'], ['web3', 'done']]);
		expect(evidence.services[0]!.hosts[0]!.message).toContain('already done');
		// web1 was not restarted again; web2 (cut off mid-restart) and web3 were.
		expect(readFileSync(fleet.log, 'utf8')).toBe('web1\nweb2\nweb2\nweb3\n');
		for (const host of ['web1', 'web2', 'web3']) expect(readFileSync(fleet.envFile(host), 'utf8')).toBe(DEFAULT_ENV.replace('promoted', 'disabled'));
		expect(readdirSync(temp).filter(name => name.startsWith('cavra-ansible-'))).toEqual([]);
	});

	it('dashboard --once --json: the fleet as one entry with each host\'s env file mode and the mode it answers', async () => {
		const {work, fleet} = await setup(2);
		// web2's file says disabled but its process was not restarted: it still answers promoted.
		writeFileSync(fleet.envFile('web2'), DEFAULT_ENV.replace('promoted', 'disabled'));
		const result = await runCliAsync(['dashboard', '--once', '--json'], {cwd: work.dir});
		expect(result.code, result.stderr).not.toBe(2);
		const snapshot = JSON.parse(result.stdout) as {services: unknown[]; fleets: Array<{name: string; ok: boolean; hosts: unknown[]}>};
		expect(snapshot.services).toEqual([]);
		expect(snapshot.fleets).toMatchObject([{name: 'api-fleet', ok: true}]);
		expect(snapshot.fleets[0]!.hosts).toEqual([
			{host: 'web1', env_file_mode: 'promoted', answers_mode: 'promoted', problem: null},
			{host: 'web2', env_file_mode: 'disabled', answers_mode: 'promoted', problem: null},
		]);
		const text = await runCliAsync(['dashboard', '--once'], {cwd: work.dir});
		// The row counts what the hosts answer; the file that disagrees makes it a warning.
		expect(text.stdout).toMatch(/Services +⚠ stale mode · 1\/1 answering · api-fleet \(2 hosts\) 2\/2 promoted/);
	});
});
