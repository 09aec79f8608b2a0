import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {initialChoices, type InitFlags} from '../../../source/core/init/choices.js';
import {renderInitConfig} from '../../../source/core/init/render.js';
import {unitEnvironment} from '../../../source/core/init/systemd-unit.js';
import {loadConfig} from '../../../source/io/config.js';

const noFlags: InitFlags = {envFile: [], systemd: [], pm2: [], detect: true};

async function load(text: string) {
	const dir = mkdtempSync(path.join(tmpdir(), 'cavra-init-render-'));
	const file = path.join(dir, '.cavrarc.yaml');
	writeFileSync(file, text);
	return (await loadConfig({configPath: file, cwd: dir, home: dir})).config;
}

describe('init: the config it writes', () => {
	it('with nothing found, every key is a commented example and the file loads as an empty config', async () => {
		const text = renderInitConfig(initialChoices({envFiles: [], systemdUnits: [], notes: []}, noFlags));
		expect(await load(text)).toEqual({});
		for (const key of ['plan:', 'envFiles:', 'services:', 'api:', 'evidence:']) expect(text).toMatch(new RegExp(`^# +(- )?${key}`, 'm'));
	});

	it('values that look like YAML syntax come back exactly as they were, and each key has a comment above it', async () => {
		const odd = ['/srv/a: b/#c.env', "/srv/it's \"quoted\".env", '/srv/yes', '/srv/~', '/srv/{x}', '/srv/[y]', '/srv/& *z'];
		const text = renderInitConfig({plan: '/etc/cavra/plan #1.json', envFiles: odd, services: [{kind: 'systemd', name: 'a: b', unit: 'a:b.service'}, {kind: 'pm2', name: '#p', process: '#p'}, {kind: 'kubernetes', name: 'd', deployment: 'd', namespace: 'n', context: 'ctx: x'}], api: {url: 'http://127.0.0.1:8000', tokenEnv: 'CAVRA_API_TOKEN'}, evidenceDir: '/var/lib/e v', notes: ['a note\nplan: /etc/evil']});
		const config = await load(text);
		expect(config.plan).toBe('/etc/cavra/plan #1.json');
		expect(config.mode?.envFiles).toEqual(odd);
		expect(config.services).toEqual([
			{kind: 'systemd', name: 'a: b', unit: 'a:b.service'},
			{kind: 'pm2', name: '#p', process: '#p'},
			{kind: 'kubernetes', name: 'd', deployment: 'd', namespace: 'n', context: 'ctx: x'},
		]);
		expect(config.api).toEqual({url: 'http://127.0.0.1:8000', tokenEnv: 'CAVRA_API_TOKEN'});
		expect(config.evidence?.dir).toBe('/var/lib/e v');
		// A line break in a note cannot start a key: the note stays one comment line.
		expect(text).toContain('#   a note plan: /etc/evil');
		const lines = text.split('\n');
		for (const key of ['plan:', 'mode:', 'services:', 'api:', 'evidence:']) {
			const index = lines.indexOf(lines.find(line => line.startsWith(key))!);
			expect(lines[index - 1], key).toMatch(/^#/);
		}
	});

	it('a detected kube context is only a commented suggestion; --kube-deployment makes it a service', async () => {
		const detected = {envFiles: [], systemdUnits: [], kubeContext: 'prod-eu', notes: []};
		const suggested = renderInitConfig(initialChoices(detected, noFlags));
		expect(suggested).toContain('#     context: "prod-eu"');
		expect((await load(suggested)).services).toBeUndefined();
		const chosen = await load(renderInitConfig(initialChoices(detected, {...noFlags, kubeDeployment: 'cavra-api', kubeNamespace: 'cavra'})));
		expect(chosen.services).toEqual([{kind: 'kubernetes', name: 'cavra-api', deployment: 'cavra-api', namespace: 'cavra', context: 'prod-eu'}]);
	});

	it('takes env files and the systemd units reading them from detection, and flags first; --no-detect takes flags only', () => {
		const detected = {
			envFiles: [{path: '/etc/cavra/cavra.env', mode: 'promoted', foundBy: ['cavra-api.service']}],
			systemdUnits: [{unit: 'cavra-api.service', envFiles: ['/etc/cavra/cavra.env'], inlineMode: false}, {unit: 'inline.service', envFiles: [], inlineMode: true}],
			pm2Processes: ['web'],
			notes: [],
		};
		const choices = initialChoices(detected, {...noFlags, envFile: ['/srv/extra.env'], systemd: ['cavra-api.service']});
		expect(choices.envFiles).toEqual(['/srv/extra.env', '/etc/cavra/cavra.env']);
		expect(choices.services).toEqual([{kind: 'systemd', name: 'cavra-api', unit: 'cavra-api.service'}]);
		expect(choices.notes.join('\n')).toContain('inline.service sets CAVRA_GO_BACKEND_MODE with Environment=');
		expect(choices.notes.join('\n')).toContain('pm2 processes: web');
		expect(initialChoices(detected, {...noFlags, detect: false})).toMatchObject({envFiles: [], services: [], notes: []});
	});
});

describe('systemd unit files', () => {
	it('reads EnvironmentFile= of [Service] (optional "-", continuation lines, reset by an empty value) and Environment= setting the mode', () => {
		const unit = [
			'[Unit]',
			'EnvironmentFile=/not/a/service/key',
			'[Service]',
			'EnvironmentFile=-/etc/cavra/cavra.env',
			'EnvironmentFile=relative.env',
			'EnvironmentFile=%h/x.env',
			'# EnvironmentFile=/commented.env',
			'Environment="A=1" \\',
			'  CAVRA_GO_BACKEND_MODE=promoted',
		].join('\n');
		expect(unitEnvironment(unit)).toEqual({environmentFiles: ['/etc/cavra/cavra.env'], setsModeInline: true});
		expect(unitEnvironment(`${unit}\n[Service]\nEnvironmentFile=\nEnvironmentFile=/b.env\n`).environmentFiles).toEqual(['/b.env']);
		expect(unitEnvironment('[Service]\nEnvironment=NOT_CAVRA_GO_BACKEND_MODE=x\n').setsModeInline).toBe(false);
	});
});
