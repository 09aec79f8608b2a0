import {mkdtemp, readFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {CommandService} from '../../source/core/config/schema.js';
import {passEnvFor} from '../../source/adapters/types.js';
import {runPlanned} from '../../source/adapters/run-planned.js';
import {commandEnv, runCommand} from '../../source/io/process-runner.js';

const operator = {
	PATH: process.env['PATH'],
	HOME: '/root',
	LANG: 'C.UTF-8',
	CAVRA_API_TOKEN: 'cavra-token-do-not-pass',
	AWS_SECRET_ACCESS_KEY: 'aws-secret-do-not-pass',
	AWS_PROFILE: 'prod',
	PM2_HOME: '/var/lib/pm2',
	KUBECONFIG: '/etc/kube/config',
	SSH_AUTH_SOCK: '/tmp/agent.sock',
};

describe('what a restart command inherits', () => {
	it('only PATH, HOME, locale, TZ, TMPDIR, USER/LOGNAME and the names it asks for; then what is set for it', () => {
		expect(commandEnv({parentEnv: operator, env: {CAVRA_GO_BACKEND_MODE: 'disabled'}})).toEqual({PATH: operator.PATH, HOME: '/root', LANG: 'C.UTF-8', CAVRA_GO_BACKEND_MODE: 'disabled'});
		expect(commandEnv({parentEnv: operator, passEnv: ['AWS_PROFILE', 'MISSING']})).toEqual({PATH: operator.PATH, HOME: '/root', LANG: 'C.UTF-8', AWS_PROFILE: 'prod'});
	});

	it.each([
		['pm2', {name: 'a', kind: 'pm2', process: 'api'}, ['PM2_HOME']],
		['kubernetes', {name: 'a', kind: 'kubernetes', deployment: 'api'}, ['KUBECONFIG']],
		['systemd', {name: 'a', kind: 'systemd', unit: 'x.service'}, ['XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS']],
		['launchd', {name: 'a', kind: 'launchd', label: 'x'}, undefined],
		['command', {name: 'a', kind: 'command', restart: ['true'], passEnv: ['AWS_PROFILE']}, ['AWS_PROFILE']],
	] as const)('%s: its manager needs %j', (_kind, service, names) => {
		expect(passEnvFor(service as never).passEnv).toEqual(names);
	});

	it('a real command run through an adapter sees no token, no cloud secret, no agent socket', async () => {
		const dir = await mkdtemp(path.join(tmpdir(), 'cavra-env-'));
		const dump = path.join(dir, 'env.json');
		const service: CommandService = {name: 'api', kind: 'command', restart: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))', dump]};
		const runner: typeof runCommand = (argv, options) => runCommand(argv, {...options, parentEnv: operator});
		const result = await runPlanned(service, [{argv: [...service.restart], env: {CAVRA_GO_BACKEND_MODE: 'disabled'}, timeoutMs: 10_000}], {runner});
		expect(result.ok).toBe(true);
		const seen = JSON.parse(await readFile(dump, 'utf8')) as Record<string, string>;
		expect(seen).toEqual({PATH: operator.PATH, HOME: '/root', LANG: 'C.UTF-8', CAVRA_GO_BACKEND_MODE: 'disabled'});
	});
});
