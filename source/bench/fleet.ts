/**
 * Fleet rollback through Ansible (issue 12): 50 local-connection hosts (`ansible_connection=
 * local`, each with its own env file and a restart that exits at once), `serial: "20%"` (5
 * batches of 10). Ansible's own time is what the `ansible-playbook` processes took (as the process
 * runner measured them); our orchestration is the rest: generating playbooks, patching 50 env
 * files, following the callback's events live, parsing results, building per-host evidence.
 * Shown per host beside Ansible's own time per host. No target: Ansible dominates, the figure
 * says by how much. Skipped when `ansible-playbook` is not on PATH.
 */
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ansibleAdapter} from '../adapters/ansible.js';
import type {AnsibleService} from '../core/config/schema.js';
import {plural} from '../core/text/quantities.js';
import {runCommand, type CommandRunner, type RunResult} from '../io/process-runner.js';
import {ms} from './measure.js';
import type {BenchRow, BenchSection} from './types.js';

const HOSTS = 50;
const SERIAL = '20%';
const ENV = '# bench host\nCAVRA_GO_BACKEND_MODE=promoted\nOTHER=1\n';

async function makeFleet(dir: string): Promise<string> {
	const lines = ['[cavra_api]'];
	for (let index = 1; index <= HOSTS; index++) {
		const envFile = path.join(dir, `host${index}.env`);
		await writeFile(envFile, ENV, {mode: 0o640});
		lines.push(`host${index} ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}" cavra_env_file=${envFile}`);
	}
	const inventory = path.join(dir, 'inventory.ini');
	await writeFile(inventory, `${lines.join('\n')}\n`);
	return inventory;
}

/** A runner that keeps what each ansible-playbook took. */
function timedRunner(runs: RunResult[]): CommandRunner {
	return async (argv, options) => {
		const result = await runCommand(argv, options);
		runs.push(result);
		return result;
	};
}

function split(label: string, totalMs: number, runs: readonly RunResult[]): BenchRow {
	const ansibleMs = runs.reduce((sum, run) => sum + run.durationMs, 0);
	const oursMs = totalMs - ansibleMs;
	return {
		name: `${label}: ${HOSTS} local hosts, serial "${SERIAL}"`,
		value: `${ms(totalMs)} in all = ansible-playbook ${ms(ansibleMs)} (${plural(runs.length, 'run')}) + ours ${ms(oursMs)}; per host: Ansible ${ms(ansibleMs / HOSTS)}, ours ${ms(oursMs / HOSTS)} (${((oursMs / ansibleMs) * 100).toFixed(2)}% of Ansible's)`,
	};
}

export const benchFleet: BenchSection = async () => {
	const version = await runCommand(['ansible-playbook', '--version'], {timeoutMs: 30_000});
	if (!version.ok) return [{name: 'fleet rollback through Ansible', value: 'skipped: ansible-playbook is not on PATH (apt-get install ansible-core)'}];
	const dir = await mkdtemp(path.join(tmpdir(), 'cavra-bench-fleet-'));
	try {
		const inventory = await makeFleet(dir);
		const service: AnsibleService = {name: 'bench-fleet', kind: 'ansible', inventory, hosts: 'cavra_api', envFile: '{{ cavra_env_file }}', restart: ['/bin/true'], serial: SERIAL, timeoutMs: 120_000};
		const preflightRuns: RunResult[] = [];
		let started = performance.now();
		const preflight = await ansibleAdapter.preflight!(service, {runner: timedRunner(preflightRuns), mode: 'disabled'});
		const preflightMs = performance.now() - started;
		if (!preflight.ok) throw new Error(`preflight failed: ${preflight.detail}`);
		const restartRuns: RunResult[] = [];
		let updates = 0;
		started = performance.now();
		const result = await ansibleAdapter.restart(service, {runner: timedRunner(restartRuns), mode: 'disabled', onFleet: () => updates++, onBatch: () => undefined});
		const restartMs = performance.now() - started;
		if (!result.ok) throw new Error(`the fleet rollback failed: ${result.detail}`);
		const changed = (await readFile(path.join(dir, `host${HOSTS}.env`), 'utf8')) === ENV.replace('promoted', 'disabled');
		if (!changed) throw new Error('the last host\'s env file was not set');
		return [
			split('preview (probe + --check --diff)', preflightMs, preflightRuns),
			split('rollback (probe + apply in batches, live rows, per-host evidence)', restartMs, restartRuns),
			{name: 'live screen updates during the apply', value: `${updates} (events followed every 250 ms, elapsed time every 1 s)`},
		];
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
};
