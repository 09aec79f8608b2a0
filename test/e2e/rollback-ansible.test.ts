/*
 * `cavra-rollback rollback` with a fleet service (kind: ansible) from a script: the built CLI,
 * real ansible-playbook, local-connection hosts each with its own env file and its own CAVRA API
 * stand-in (restarting a host makes its stand-in re-read that host's env file).
 */
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {startStandIn, type StandIn} from '../../source/demo/cavra-api-standin.js';
import {DEFAULT_ENV, makeFleet, type Fleet, type FleetHostSpec} from '../fixtures/ansible/fleet.js';
import {restartScript, runCliAsync, scratch, writeConfig} from '../fixtures/rollback/e2e.js';

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
async function setup(count: number, options: {fail?: string; serial?: string} = {}): Promise<Setup> {
	const work = scratch('cavra-rollback-ansible-');
	const names = Array.from({length: count}, (_, index) => `web${index + 1}`);
	const probe = makeFleet([]);
	for (const name of names) writeFileSync(path.join(probe.dir, `${name}.env`), DEFAULT_ENV, {mode: 0o640});
	const standIns = await Promise.all(names.map(name => startStandIn({port: 0, env: {}, envFile: path.join(probe.dir, `${name}.env`)})));
	const specs: FleetHostSpec[] = names.map((name, index) => ({
		name,
		restart: name === options.fail ? 'echo "cannot bind :8000" >&2; exit 7' : `'${node}' '${restartScript}' '${standIns[index]!.url}'`,
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

describe('rollback of an Ansible fleet (real ansible-playbook)', {timeout: 240_000}, () => {
	it('every host set, restarted and verified one batch at a time; --json prints evidence with a record per host', async () => {
		const {work, fleet} = await setup(2);
		const result = await runCliAsync(['rollback', '--yes', '--json'], {cwd: work.dir});
		expect(result.stderr).toContain('api-fleet');
		expect(result.code).toBe(0);
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
		expect(readFileSync(fleet.envFile('web1'), 'utf8')).toBe(DEFAULT_ENV);
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
});
