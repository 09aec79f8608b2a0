/**
 * The real runner against fake service-manager binaries placed first on PATH: proves each
 * adapter's argv reaches the process verbatim (no shell: spaces, quotes, `$HOME`, backticks stay
 * as they are) and that failures and hangs come back as results.
 */
import {chmod, mkdtemp, readFile, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import type {ServiceConfig} from '../../source/core/config/schema.js';
import {planService, restartService} from '../../source/adapters/index.js';
import {runCommand, type CommandRunner} from '../../source/io/process-runner.js';

let bin: string;
let log: string;

/** A fake binary: logs its argv and the mode it sees, then behaves as FAKE_<NAME> says. */
const fakeScript = (name: string) => `#!${process.execPath}
const fs = require('node:fs');
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({bin: ${JSON.stringify(name)}, argv: process.argv.slice(2), mode: process.env.CAVRA_GO_BACKEND_MODE ?? null}) + '\\n');
const behaviour = process.env['FAKE_' + ${JSON.stringify(name.toUpperCase().replace(/-/g, '_'))}] ?? 'ok';
if (behaviour === 'fail') { console.error('Failed to restart: Access denied'); process.exit(4); }
if (behaviour === 'hang') { console.log('waiting'); setInterval(() => {}, 1000); }
else console.log('done');
`;

beforeAll(async () => {
	bin = await mkdtemp(path.join(tmpdir(), 'cavra-fake-bin-'));
	for (const name of ['systemctl', 'launchctl', 'kubectl', 'pm2', 'restart-runner']) {
		const file = path.join(bin, name);
		await writeFile(file, fakeScript(name));
		await chmod(file, 0o755);
	}
});

/** The real runner with the fake binaries first on PATH. */
function runnerWith(extraEnv: Record<string, string> = {}): CommandRunner {
	log = path.join(bin, `log-${Math.random().toString(16).slice(2)}.ndjson`);
	return (argv, options) => runCommand(argv, {...options, env: {...options.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, FAKE_LOG: log, ...extraEnv}});
}

async function calls(): Promise<Array<{bin: string; argv: string[]; mode: string | null}>> {
	const text = await readFile(log, 'utf8');
	return text.trim().split('\n').map(line => JSON.parse(line));
}

const tricky = `a b "c" 'd' $HOME \`id\` ;*`;

const services: ServiceConfig[] = [
	{name: 'api', kind: 'systemd', unit: `cavra ${tricky}.service`, user: true},
	{name: 'agent', kind: 'launchd', label: `com.cavra.${tricky}`, domain: 'gui/501'},
	{name: 'cluster', kind: 'kubernetes', deployment: `api ${tricky}`, namespace: 'n s', container: '"c"', context: '$CTX'},
	{name: 'demo', kind: 'pm2', process: `cavra ${tricky}`},
	{name: 'runner', kind: 'command', restart: ['restart-runner', tricky, '$HOME', '--flag=x y']},
];

describe.each(services)('$kind adapter with the real runner', service => {
	it('argv reaches the binary verbatim, with the mode where the adapter carries it', async () => {
		const runner = runnerWith();
		const result = await restartService(service, {runner, daemonReload: true, timeoutMs: 10_000});
		expect(result.ok, result.detail).toBe(true);
		const planned = planService(service, {mode: 'disabled', daemonReload: true, timeoutMs: 10_000});
		const seen = await calls();
		expect(seen.map(call => [call.bin, ...call.argv])).toEqual(planned.map(command => command.argv));
		const carriesMode = service.kind === 'pm2' || service.kind === 'command';
		for (const call of seen) expect(call.mode).toBe(carriesMode ? 'disabled' : null);
		expect(result.commands.every(command => command.stdoutTail === 'done')).toBe(true);
	});
});

describe('failures through the real runner', () => {
	it('a failing restart command: not ok, exit code and the error line in the detail', async () => {
		const result = await restartService({name: 'api', kind: 'systemd', unit: 'cavra-api.service'}, {runner: runnerWith({FAKE_SYSTEMCTL: 'fail'}), timeoutMs: 10_000});
		expect(result.ok).toBe(false);
		expect(result.commands[0]).toMatchObject({exitCode: 4, stderrTail: 'Failed to restart: Access denied'});
		expect(result.detail).toBe('systemctl restart cavra-api.service: exit 4: Failed to restart: Access denied');
	});

	it('a restart that hangs past its timeout is killed and reported', async () => {
		const result = await restartService({name: 'agent', kind: 'launchd', label: 'com.cavra.agent', timeoutMs: 700}, {runner: runnerWith({FAKE_LAUNCHCTL: 'hang'})});
		expect(result.ok).toBe(false);
		expect(result.commands[0]).toMatchObject({timedOut: true, stdoutTail: 'waiting'});
		expect(result.detail).toBe('launchctl kickstart -k: timed out after 0.7 s: waiting');
		expect(result.durationMs).toBeLessThan(8000);
	});

	it('kubectl set env failing: rollout status never runs', async () => {
		const result = await restartService({name: 'k', kind: 'kubernetes', deployment: 'api'}, {runner: runnerWith({FAKE_KUBECTL: 'fail'}), timeoutMs: 10_000});
		expect(result.ok).toBe(false);
		expect((await calls()).map(call => call.argv[0])).toEqual(['set']);
	});
});
