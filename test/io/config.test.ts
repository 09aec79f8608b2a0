import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import {describe, expect, it} from 'vitest';
import {ConfigError} from '../../source/core/errors.js';
import {ConfigStruct, serviceStructs} from '../../source/core/config/schema.js';
import {createExplorer, loadConfig, mayHoldConfig, validateConfig} from '../../source/io/config.js';
import {repoRoot} from '../helpers/cli.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'cavra-config-'));

describe('configuration', () => {
	it('.cavrarc.example is valid and documents every key that exists', () => {
		const file = path.join(repoRoot, '.cavrarc.example');
		const text = readFileSync(file, 'utf8');
		const config = validateConfig(parseYaml(text), file);
		expect(config.services?.map(service => service.kind).sort()).toEqual(Object.keys(serviceStructs).sort());
		const documented = (keys: string[]) => keys.filter(key => !new RegExp(`^\\s*-?\\s*${key.replace('$', '\\$')}:|[{,]\\s*${key}:`, 'm').test(text));
		const schema = ConfigStruct.schema as unknown as Record<string, unknown>;
		expect(documented(Object.keys(schema))).toEqual([]);
		for (const struct of Object.values(serviceStructs)) expect(documented(Object.keys(struct.schema))).toEqual([]);
		for (const key of ['url', 'tokenEnv', 'timeoutMs', 'allowInsecureHttp', 'envFiles', 'dir', 'allow', 'rule', 'fingerprint', 'reason', 'expectMode']) {
			expect(documented([key])).toEqual([]);
		}
	});

	it('finds .cavrarc.yaml by searching from the working directory and resolves paths against it', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'package.json'), '{"name": "x"}');
		writeFileSync(path.join(root, '.cavrarc.yaml'), 'plan: ./plans/plan.json\nmode:\n  envFiles: [cavra.env]\nevidence:\n  dir: ev\n');
		const nested = path.join(root, 'a');
		(await import('node:fs')).mkdirSync(nested);
		const {config, filepath} = await loadConfig({cwd: nested});
		expect(filepath).toBe(path.join(root, '.cavrarc.yaml'));
		expect(config.plan).toBe(path.join(root, 'plans/plan.json'));
		expect(config.mode?.envFiles).toEqual([path.join(root, 'cavra.env')]);
		expect(config.evidence?.dir).toBe(path.join(root, 'ev'));
	});

	it('reads the "cavra" key of package.json', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'package.json'), JSON.stringify({name: 'x', cavra: {plan: 'p.json'}}));
		expect((await loadConfig({cwd: root})).config.plan).toBe(path.join(root, 'p.json'));
	});

	it('returns an empty config when none is found', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'package.json'), '{"name": "x"}');
		expect(await loadConfig({cwd: root})).toEqual({config: {}, filepath: undefined});
	});

	it('skips loading cosmiconfig only where cosmiconfig would find nothing', async () => {
		const layouts: Array<[string, Record<string, string>, boolean]> = [
			['no file at all', {}, false],
			['package.json without a cavra key', {'package.json': '{"name": "x", "description": "not cavra"}'}, false],
			['package.json with a cavra key', {'package.json': '{"name": "x", "cavra": {"plan": "p.json"}}'}, true],
			// Deliberate: a broken package.json that is not ours no longer fails every command.
			['package.json that does not parse', {'package.json': '{"name": '}, false],
			['.cavrarc in a parent folder', {'../.cavrarc': 'plan: p.json'}, true],
			['.cavrarc.json', {'.cavrarc.json': '{"plan": "p.json"}'}, true],
			['.cavrarc.yml', {'.cavrarc.yml': 'plan: p.json'}, true],
		];
		for (const [name, files, expected] of layouts) {
			const root = dir();
			const cwd = path.join(root, 'project');
			mkdirSync(cwd);
			for (const [file, text] of Object.entries(files)) writeFileSync(path.join(cwd, file), text);
			expect(mayHoldConfig(cwd), name).toBe(expected);
			// The shortcut never hides a config cosmiconfig itself would have found.
			const found = await (await createExplorer()).search(cwd).then(result => result?.filepath ?? 'nothing', () => 'an error');
			if (!expected) expect(found, name).toMatch(/^(nothing|an error)$/);
			else expect(found, name).not.toBe('nothing');
		}
	});

	it('names the file, the key path and what was expected', async () => {
		const root = dir();
		const file = path.join(root, 'c.json');
		const cases: Array<[unknown, string]> = [
			[{plan: 3}, 'plan expected string, got 3'],
			[{api: {url: 'ftp://x'}}, 'api.url expected an http:// or https:// URL'],
			[{api: {url: 'http://127.0.0.1', tokenEnv: 'not a name'}}, 'api.tokenEnv expected an environment variable name'],
			[{services: [{name: 'a', kind: 'systemd'}]}, 'services.0.unit is required'],
			[{services: [{name: 'a', kind: 'nomad'}]}, 'services.0.kind expected'],
			[{services: [{name: 'a', kind: 'command', restart: 'systemctl restart x'}]}, 'services.0.restart expected array'],
			[{drillMaxAgeDays: -1}, 'drillMaxAgeDays expected a positive number'],
			[{plann: 'x'}, 'plann is not a known key'],
		];
		for (const [raw, expected] of cases) {
			writeFileSync(file, JSON.stringify(raw));
			const error = await loadConfig({cwd: root, configPath: file}).catch((caught: unknown) => caught);
			expect(error, expected).toBeInstanceOf(ConfigError);
			expect((error as ConfigError).message, expected).toContain(`${file}: ${expected}`);
		}
	});

	it('refuses code configs and explains unparseable ones', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'x.cjs'), 'module.exports = {}');
		await expect(loadConfig({cwd: root, configPath: 'x.cjs'})).rejects.toThrow('only JSON and YAML config files are read');
		writeFileSync(path.join(root, 'bad.yaml'), 'plan: [unclosed\n');
		await expect(loadConfig({cwd: root, configPath: 'bad.yaml'})).rejects.toThrow(/bad\.yaml: cannot parse config/);
		await expect(loadConfig({cwd: root, configPath: 'missing.yaml'})).rejects.toThrow(/missing\.yaml: config file not found/);
	});
});
