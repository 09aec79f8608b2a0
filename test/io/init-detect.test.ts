import {mkdirSync, mkdtempSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {detectMachine} from '../../source/io/init-detect.js';

function machine() {
	const root = mkdtempSync(path.join(tmpdir(), 'cavra-init-detect-'));
	const etc = path.join(root, 'etc-systemd');
	const lib = path.join(root, 'lib-systemd');
	mkdirSync(etc);
	mkdirSync(lib);
	const envFile = path.join(root, 'cavra.env');
	writeFileSync(envFile, 'CAVRA_API_TOKEN=secret\nCAVRA_GO_BACKEND_MODE=Promoted\n');
	const otherEnv = path.join(root, 'other.env');
	writeFileSync(otherEnv, 'PORT=1\n');
	return {root, etc, lib, envFile, otherEnv};
}

describe('init detection (read only)', () => {
	it('finds env files that set the mode and the systemd units reading them, drop-ins included; an /etc unit hides the /lib one', async () => {
		const m = machine();
		writeFileSync(path.join(m.lib, 'cavra-api.service'), `[Service]\nEnvironmentFile=${m.otherEnv}\n`);
		writeFileSync(path.join(m.etc, 'cavra-api.service'), `[Unit]\nDescription=x\n[Service]\nEnvironmentFile=-${m.envFile}\nExecStart=/bin/true\n`);
		writeFileSync(path.join(m.lib, 'unrelated.service'), `[Service]\nEnvironmentFile=${m.otherEnv}\n`);
		writeFileSync(path.join(m.lib, 'worker.service'), '[Service]\nExecStart=/bin/true\n');
		mkdirSync(path.join(m.lib, 'worker.service.d'));
		writeFileSync(path.join(m.lib, 'worker.service.d', 'cavra.conf'), `[Service]\nEnvironmentFile=${m.envFile}\n`);
		writeFileSync(path.join(m.lib, 'inline.service'), '[Service]\nEnvironment=CAVRA_GO_BACKEND_MODE=enforce\n');
		const found = await detectMachine({env: {}, cwd: m.root, systemdDirs: [m.etc, m.lib], envFileCandidates: [path.join(m.root, 'missing.env')], planCandidates: [], tools: false});
		expect(found.envFiles).toEqual([{path: m.envFile, mode: 'promoted', foundBy: ['cavra-api.service', 'worker.service']}]);
		expect(found.systemdUnits.map(unit => [unit.unit, unit.envFiles, unit.inlineMode]).sort()).toEqual([
			['cavra-api.service', [m.envFile], false],
			['inline.service', [], true],
			['worker.service', [m.envFile], false],
		]);
		// Only the mode is reported, never another value of the file.
		expect(JSON.stringify(found)).not.toContain('secret');
	});

	it('skips hostile names (shown escaped), unit links and over-budget folders without failing', async () => {
		const m = machine();
		const hostileEnv = path.join(m.root, 'evil\u001b[31m.env');
		writeFileSync(hostileEnv, 'CAVRA_GO_BACKEND_MODE=promoted\n');
		writeFileSync(path.join(m.etc, 'evil\u202e.service'), `[Service]\nEnvironmentFile=${m.envFile}\n`);
		writeFileSync(path.join(m.etc, 'points.service'), `[Service]\nEnvironmentFile=${hostileEnv}\n`);
		symlinkSync(path.join(m.etc, 'points.service'), path.join(m.etc, 'link.service'));
		const found = await detectMachine({env: {CAVRA_ENV_FILE: hostileEnv}, cwd: m.root, systemdDirs: [m.etc], envFileCandidates: [], planCandidates: [], tools: false});
		expect(found.envFiles).toEqual([]);
		expect(found.systemdUnits).toEqual([]);
		const notes = found.notes.join('\n');
		expect(notes).toContain('evil\\x1b[31m.env');
		expect(notes).toContain('evil\\u202e.service');
		expect(notes).not.toMatch(/[\u001b\u202e]/);
		const capped = await detectMachine({env: {}, cwd: m.root, systemdDirs: [m.etc], envFileCandidates: [], planCandidates: [], tools: false, maxUnitFiles: 1});
		expect(capped.notes).toContain('stopped reading unit files after 1');
	});

	it('finds the plan from $CAVRA_GO_ROLLBACK_PLAN or a usual place', async () => {
		const m = machine();
		const plan = path.join(m.root, 'plan.json');
		writeFileSync(plan, '{}');
		const base = {cwd: m.root, systemdDirs: [], envFileCandidates: [], tools: false} as const;
		expect((await detectMachine({...base, env: {CAVRA_GO_ROLLBACK_PLAN: 'plan.json'}, planCandidates: []})).plan).toBe(plan);
		expect((await detectMachine({...base, env: {}, planCandidates: [path.join(m.root, 'none.json'), plan]})).plan).toBe(plan);
		expect((await detectMachine({...base, env: {}, planCandidates: []})).plan).toBeUndefined();
	});

	it('asks no pm2 when no pm2 daemon runs (a pm2 command would start one)', async () => {
		const m = machine();
		const bin = path.join(m.root, 'bin');
		mkdirSync(bin);
		const marker = path.join(m.root, 'pm2-ran');
		writeFileSync(path.join(bin, 'pm2'), `#!/bin/sh\ntouch ${marker}\necho '[]'\n`, {mode: 0o755});
		const found = await detectMachine({env: {PATH: bin, PM2_HOME: path.join(m.root, 'pm2home')}, cwd: m.root, systemdDirs: [], envFileCandidates: [], planCandidates: []});
		expect(found.pm2Processes).toBeUndefined();
		expect(found.notes.join('\n')).toContain('daemon is not running');
		const {existsSync} = await import('node:fs');
		expect(existsSync(marker)).toBe(false);
	});

	it('lists only the names of a running pm2 daemon\'s processes, and reads the kube context', async () => {
		const m = machine();
		const bin = path.join(m.root, 'bin');
		const pm2Home = path.join(m.root, 'pm2home');
		mkdirSync(bin);
		mkdirSync(pm2Home);
		writeFileSync(path.join(pm2Home, 'pm2.pid'), String(process.pid));
		const list = JSON.stringify([{name: 'cavra-api', pm2_env: {CAVRA_API_TOKEN: 'tok-secret'}}, {name: 'bad\u001bname'}]);
		writeFileSync(path.join(bin, 'pm2'), `#!/bin/sh\necho 'a warning line'\ncat <<'X'\n${list}\nX\n`, {mode: 0o755});
		writeFileSync(path.join(bin, 'kubectl'), '#!/bin/sh\n[ "$1 $2" = "config current-context" ] && echo prod-eu\n', {mode: 0o755});
		const found = await detectMachine({env: {PATH: `${bin}:/usr/bin:/bin`, PM2_HOME: pm2Home}, cwd: m.root, systemdDirs: [], envFileCandidates: [], planCandidates: []});
		expect(found.pm2Processes).toEqual(['cavra-api']);
		expect(found.kubeContext).toBe('prod-eu');
		expect(JSON.stringify(found)).not.toContain('tok-secret');
		expect(found.notes.join('\n')).toContain('bad\\x1bname');
	});
});
