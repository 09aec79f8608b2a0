/**
 * The Ansible adapter against real ansible-core (Debian's package; `.ci/run` installs it), with
 * local-connection hosts standing in for a fleet.
 */
import {existsSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {createServer} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {ansibleAdapter} from '../../source/adapters/ansible.js';
import type {AnsibleService} from '../../source/core/config/schema.js';
import {runCommand} from '../../source/io/process-runner.js';
import {DEFAULT_ENV, makeFleet as makeTempFleet} from '../fixtures/ansible/fleet.js';

// Every fleet's temp folder goes when its test ends.
const fleets: string[] = [];
const makeFleet = (...args: Parameters<typeof makeTempFleet>) => {
	const fleet = makeTempFleet(...args);
	fleets.push(fleet.dir);
	return fleet;
};
afterEach(() => {
	for (const dir of fleets.splice(0)) rmSync(dir, {recursive: true, force: true});
});

const service = (inventory: string, extra: Partial<AnsibleService> = {}): AnsibleService => ({
	name: 'api-fleet',
	kind: 'ansible',
	inventory,
	hosts: 'cavra_api',
	envFile: '{{ cavra_env_file }}',
	restart: ['/bin/sh', '-c', '{{ cavra_restart }}'],
	serial: 1,
	timeoutMs: 60_000,
	...extra,
});

const restarted = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

/** A TCP port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as {port: number};
	await new Promise<void>(resolve => server.close(() => resolve()));
	return port;
}

describe('ansible adapter (real ansible-playbook)', {timeout: 120_000}, () => {
	it('sets the mode line only, keeps other bytes and the file mode, restarts every host in serial batches', async () => {
		const crlf = 'export CAVRA_GO_BACKEND_MODE="promoted" # set by promotion\r\nKEEP=a b\r\n';
		const fleet = makeFleet([{name: 'web1'}, {name: 'web2', env: crlf}, {name: 'web3', env: 'OTHER=1'}]);
		const lines: string[] = [];
		const result = await ansibleAdapter.restart(service(fleet.inventory), {runner: runCommand, mode: 'disabled', onLine: line => lines.push(line)});
		expect(result.detail).toBe('3/3 hosts set, restarted in 3 batches');
		expect(result.ok).toBe(true);
		expect(readFileSync(fleet.envFile('web1'), 'utf8')).toBe(DEFAULT_ENV.replace('promoted', 'disabled'));
		expect(readFileSync(fleet.envFile('web2'), 'utf8')).toBe(crlf.replace('promoted', 'disabled'));
		expect(readFileSync(fleet.envFile('web3'), 'utf8')).toBe('OTHER=1\nCAVRA_GO_BACKEND_MODE=disabled\n');
		expect(statSync(fleet.envFile('web1')).mode & 0o777).toBe(0o640);
		expect(restarted(fleet.log)).toEqual(['web1', 'web2', 'web3']);
		expect(result.hosts?.map(host => [host.host, host.batch, host.state, host.modeBefore, host.modeAfter])).toEqual([
			['web1', 1, 'done', 'promoted', 'disabled'],
			['web2', 2, 'done', 'promoted', 'disabled'],
			['web3', 3, 'done', null, 'disabled'],
		]);
		expect(result.hosts?.[0]?.backup).toMatch(/web1\.env\./);
		expect(lines.some(line => line.startsWith('batch 2/3 web2: done'))).toBe(true);
	});

	it('a failing canary stops the fleet: the other hosts are not touched, the output names the host and why', async () => {
		const fleet = makeFleet([{name: 'web1', restart: 'echo "cannot bind :8000" >&2; exit 7'}, {name: 'web2'}, {name: 'web3'}]);
		const result = await ansibleAdapter.restart(service(fleet.inventory), {runner: runCommand, mode: 'disabled'});
		expect(result.ok).toBe(false);
		expect(result.detail).toMatch(/^web1 failed at restart: .*cannot bind :8000.*; 2 hosts not touched$/);
		expect(result.hosts?.map(host => [host.host, host.state])).toEqual([['web1', 'failed'], ['web2', 'not-touched'], ['web3', 'not-touched']]);
		expect(result.hosts?.[0]?.restart?.exitCode).toBe(7);
		expect(result.hosts?.[0]?.restart?.stderrTail).toContain('cannot bind :8000');
		expect(readFileSync(fleet.envFile('web2'), 'utf8')).toBe(DEFAULT_ENV);
		expect(restarted(fleet.log)).toEqual(['web1']);
	});

	it('an unreachable host is reported in preflight and nothing changes anywhere', async () => {
		const port = await closedPort();
		const fleet = makeFleet([{name: 'web1'}, {name: 'ghost', vars: `ansible_host=127.0.0.1 ansible_port=${port} ansible_connection=ssh ansible_ssh_common_args="-o ConnectTimeout=5 -o BatchMode=yes"`}]);
		const preflight = await ansibleAdapter.preflight!(service(fleet.inventory), {runner: runCommand});
		expect(preflight.ok).toBe(false);
		expect(preflight.detail).toMatch(/^ghost: unreachable: /);
		expect(preflight.hosts?.find(host => host.host === 'ghost')?.state).toBe('unreachable');
		const result = await ansibleAdapter.restart(service(fleet.inventory), {runner: runCommand, mode: 'disabled'});
		expect(result.ok).toBe(false);
		expect(result.detail).toMatch(/^nothing changed: ghost: unreachable/);
		expect(readFileSync(fleet.envFile('web1'), 'utf8')).toBe(DEFAULT_ENV);
		expect(restarted(fleet.log)).toEqual([]);
	});

	it('preflight: a missing env file, a pattern matching no host and a broken inventory are clear errors', async () => {
		const fleet = makeFleet([{name: 'web1'}, {name: 'web2', noEnvFile: true}, {name: 'web3', env: 'CAVRA_GO_BACKEND_MODE=promoted;echo\n'}]);
		const missing = await ansibleAdapter.preflight!(service(fleet.inventory), {runner: runCommand});
		expect(missing.ok).toBe(false);
		expect(missing.detail).toBe('web2: the env file does not exist on this host; web3: the env file cannot be edited safely: line 1 the value of CAVRA_GO_BACKEND_MODE holds shell syntax (";"): a shell that sources the file runs or reads something else than systemd does');
		const none = await ansibleAdapter.preflight!(service(fleet.inventory, {hosts: 'nope'}), {runner: runCommand});
		expect(none.ok).toBe(false);
		expect(none.detail).toContain('no host');
		const broken = await ansibleAdapter.preflight!(service(`${fleet.dir}/absent.ini`), {runner: runCommand});
		expect(broken.ok).toBe(false);
	});

	it('verify keeps to the recovery deadline it is given, not a fixed number of tries; the host fails at verify and says why', async () => {
		const port = await closedPort();
		const fleet = makeFleet([{name: 'web1'}, {name: 'web2'}]);
		const result = await ansibleAdapter.restart(service(fleet.inventory, {verify: {url: `http://127.0.0.1:${port}/runtime/go-pilot/rollback-readiness`}}), {runner: runCommand, mode: 'disabled', verifyDeadlineMs: Date.now() + 3000});
		expect(result.ok).toBe(false);
		const web1 = result.hosts?.find(host => host.host === 'web1');
		expect(web1).toMatchObject({state: 'failed', failedStep: 'verify'});
		expect(web1?.message).toMatch(/^not back in the expected mode before the recovery budget ran out \(\d+ tries, last answer /);
		expect(web1?.verify?.attempts).toBeLessThan(10);
		expect(result.hosts?.find(host => host.host === 'web2')?.state).toBe('not-touched');
	});

	it('preflight previews through ansible-playbook --check --diff: per-host diffs (CRLF kept, mode value redacted), and nothing on any host changes', async () => {
		const crlf = 'export CAVRA_GO_BACKEND_MODE="promoted" # set by promotion\r\nDB_PASSWORD=hunter2\r\n';
		const fleet = makeFleet([{name: 'web1'}, {name: 'web2', env: crlf}, {name: 'web3', env: 'CAVRA_GO_BACKEND_MODE=disabled\n'}]);
		const before = readdirSync(fleet.dir).map(name => [name, statSync(`${fleet.dir}/${name}`).mtimeMs, readFileSync(`${fleet.dir}/${name}`, 'utf8')]);
		const preflight = await ansibleAdapter.preflight!(service(fleet.inventory), {runner: runCommand, mode: 'disabled', secretValues: ['hunter2']});
		expect(preflight.ok).toBe(true);
		expect(preflight.detail).toContain('diffs from ansible-playbook --check --diff');
		const diff = (host: string) => preflight.hosts?.find(candidate => candidate.host === host)?.diff;
		expect(diff('web1')).toMatch(/^--- web1:\{\{ cavra_env_file \}\}/);
		expect(diff('web1')).toMatch(/\n-CAVRA_GO_BACKEND_MODE=.*\n\+CAVRA_GO_BACKEND_MODE=disabled\n/);
		expect(diff('web2')).toContain('+export CAVRA_GO_BACKEND_MODE="disabled" # set by promotion\r');
		expect(diff('web2')).not.toContain('hunter2');
		expect(diff('web3')).toBeUndefined();
		// Not a byte, not a timestamp, not a backup file, not a restart.
		expect(readdirSync(fleet.dir).map(name => [name, statSync(`${fleet.dir}/${name}`).mtimeMs, readFileSync(`${fleet.dir}/${name}`, 'utf8')])).toEqual(before);
		expect(restarted(fleet.log)).toEqual([]);
	});
});
