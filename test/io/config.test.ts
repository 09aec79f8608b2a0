import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import {describe, expect, it} from 'vitest';
import {ConfigError} from '../../source/core/errors.js';
import {ConfigStruct, serviceStructs} from '../../source/core/config/schema.js';
import {validateConfig} from '../../source/core/config/validate.js';
import {loadConfig} from '../../source/io/config.js';
import {repoRoot} from '../helpers/cli.js';

const dir = () => mkdtempSync(path.join(tmpdir(), 'cavra-config-'));

describe('configuration', () => {
	it('.cavrarc.example is valid and documents every key that exists', () => {
		const file = path.join(repoRoot, '.cavrarc.example');
		const text = readFileSync(file, 'utf8');
		const config = validateConfig(parseYaml(text), file);
		expect([...new Set(config.services?.map(service => service.kind))].sort()).toEqual(Object.keys(serviceStructs).sort());
		const documented = (keys: string[]) => keys.filter(key => !new RegExp(`^\\s*-?\\s*${key.replace('$', '\\$')}:|[{,]\\s*${key}:`, 'm').test(text));
		const schema = ConfigStruct.schema as unknown as Record<string, unknown>;
		expect(documented(Object.keys(schema))).toEqual([]);
		for (const struct of Object.values(serviceStructs)) expect(documented(Object.keys(struct.schema))).toEqual([]);
		for (const key of ['url', 'tokenEnv', 'timeoutMs', 'allowInsecureHttp', 'unreachableHint', 'envFiles', 'dir', 'allow', 'rule', 'fingerprint', 'reason', 'expectMode']) {
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

	it('searches upward only to the project root (the first folder with a package.json) or home', async () => {
		const root = dir();
		const home = path.join(root, 'home');
		const project = path.join(home, 'work', 'project');
		mkdirSync(path.join(project, 'sub'), {recursive: true});
		// Above home: never read, even with no package.json anywhere.
		writeFileSync(path.join(root, '.cavrarc.yaml'), 'plan: above-home.json\n');
		expect(await loadConfig({cwd: path.join(project, 'sub'), home})).toEqual({config: {}, filepath: undefined});
		writeFileSync(path.join(home, '.cavrarc.yaml'), 'plan: home.json\n');
		expect((await loadConfig({cwd: path.join(project, 'sub'), home})).filepath).toBe(path.join(home, '.cavrarc.yaml'));
		// A package.json marks the project root: the search stops there, config or not.
		writeFileSync(path.join(project, 'package.json'), '{"name": "x"}');
		expect((await loadConfig({cwd: path.join(project, 'sub'), home})).filepath).toBeUndefined();
	});

	it('takes the first name in each folder in the documented order, and skips empty files', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'package.json'), '{"name": "x"}');
		writeFileSync(path.join(root, '.cavrarc.yml'), 'plan: yml.json');
		expect((await loadConfig({cwd: root, home: root})).config.plan).toBe(path.join(root, 'yml.json'));
		writeFileSync(path.join(root, '.cavrarc.json'), '{"plan": "json.json"}');
		expect((await loadConfig({cwd: root, home: root})).config.plan).toBe(path.join(root, 'json.json'));
		writeFileSync(path.join(root, '.cavrarc'), '\n  \n');
		expect((await loadConfig({cwd: root, home: root})).config.plan).toBe(path.join(root, 'json.json'));
		writeFileSync(path.join(root, '.cavrarc'), '{"plan": "noext.json"}');
		expect((await loadConfig({cwd: root, home: root})).config.plan).toBe(path.join(root, 'noext.json'));
	});

	it('a package.json that is not ours never breaks a command; a broken "cavra" key does', async () => {
		const layouts: Array<[string, string, string | undefined]> = [
			['without a cavra key', '{"name": "x", "description": "not cavra"}', undefined],
			['unparseable, never mentioning cavra', '{"name": ', undefined],
			['with duplicate keys that are not ours', '{"scripts": {}, "scripts": {}, "cavra": {"plan": "p.json"}}', 'p.json'],
			['with the key spelled with a \\u escape', '{"\\u0063avra": {"plan": "u.json"}}', 'u.json'],
		];
		for (const [name, text, plan] of layouts) {
			const root = dir();
			writeFileSync(path.join(root, 'package.json'), text);
			const {config} = await loadConfig({cwd: root, home: root});
			expect(config.plan, name).toBe(plan && path.join(root, plan));
		}
		const root = dir();
		writeFileSync(path.join(root, 'package.json'), '{"name": "x", "cavra": {"plan": "a.json", "plan": "b.json"}}');
		await expect(loadConfig({cwd: root, home: root})).rejects.toThrow(/package\.json: cannot parse config at line 1, column 43: duplicate key "plan" \(first at line 1, column 25\)/);
		writeFileSync(path.join(root, 'package.json'), '{"name": "x", "cavra": {"plan": }');
		await expect(loadConfig({cwd: root, home: root})).rejects.toThrow(/package\.json: cannot parse config at line 1/);
	});

	it('expands ~ in path keys to the home folder and accepts the evidence signing keys', async () => {
		const root = dir();
		const home = path.join(root, 'home');
		mkdirSync(home);
		writeFileSync(
			path.join(root, 'c.yaml'),
			'promotionEvidence: promo.json\nevidence:\n  dir: ev\n  signingKey: ~/.ssh/id_ed25519\n  signer: oncall@example.com\n  allowedSigners: ./allowed_signers\n',
		);
		const {config} = await loadConfig({cwd: root, home, configPath: 'c.yaml'});
		expect(config.promotionEvidence).toBe(path.join(root, 'promo.json'));
		expect(config.evidence).toEqual({
			dir: path.join(root, 'ev'),
			signingKey: path.join(home, '.ssh/id_ed25519'),
			signer: 'oncall@example.com',
			allowedSigners: path.join(root, 'allowed_signers'),
		});
		writeFileSync(path.join(root, 'c.yaml'), 'evidence:\n  signer: ""\n');
		await expect(loadConfig({cwd: root, home, configPath: 'c.yaml'})).rejects.toThrow(/evidence\.signer/);
	});

	it('names the file, the key path and what was expected', async () => {
		const root = dir();
		const file = path.join(root, 'c.json');
		const cases: Array<[unknown, string]> = [
			[{plan: 3}, 'plan expected string, got 3'],
			[{api: {url: 'ftp://x'}}, 'api.url expected an http:// or https:// URL'],
			[{api: {url: 'http://127.0.0.1', tokenEnv: 'not a name'}}, 'api.tokenEnv expected an environment variable name'],
			[{services: [{name: 'a', kind: 'systemd'}]}, 'services.0.unit is required'],
			[{services: [{name: 'a', kind: 'nomad'}]}, 'services.0.kind must be one of systemd, launchd, kubernetes, pm2, command, ansible; got "nomad"'],
			[{services: [{name: 'a', kind: 'systemdd', unit: 'x'}]}, 'services.0.kind must be one of systemd, launchd, kubernetes, pm2, command, ansible; got "systemdd" (did you mean systemd?)'],
			[{services: [{name: 'a', kind: 'systemd', unit: 'x', verify: {url: 'http://127.0.0.1/', expectMode: 'disable'}}]}, 'services.0.verify.expectMode must be one of disabled, shadow, enforce, promoted; got "disable" (did you mean disabled?)'],
			[{services: [{name: 'a', kind: 'systemd', unti: 'x'}]}, 'services.0.unti is not a known key (did you mean unit?)'],
			[{api: {url: 'http://127.0.0.1', tokenenv: 'X'}}, 'api.tokenenv is not a known key (did you mean tokenEnv?)'],
			[{evidence: {zzz: 1}}, 'evidence.zzz is not a known key; the keys here are dir, signingKey, signer, allowedSigners'],
			[{services: [{name: 'a', kind: 'command', restart: 'systemctl restart x'}]}, 'services.0.restart expected array'],
			[{drillMaxAgeDays: -1}, 'drillMaxAgeDays expected a positive number'],
			[{plann: 'x'}, 'plann is not a known key (did you mean plan?)'],
			[{api: {url: 'http://127.0.0.1', timeoutMs: 3_000_000_000}}, 'api.timeoutMs must be a whole number of milliseconds from 1 to 600000 (10 minutes)'],
			[{services: [{name: 'a', kind: 'pm2', process: 'x', timeoutMs: 2 ** 31}]}, 'services.0.timeoutMs must be a whole number of milliseconds from 1 to 3600000 (1 hour)'],
			[{services: [{name: 'a', kind: 'pm2', process: 'x', verify: {url: 'http://127.0.0.1/', timeoutMs: 0}}]}, 'services.0.verify.timeoutMs must be a whole number'],
			[{api: {url: 'http://u:p@127.0.0.1:8000'}}, 'api.url must not contain a user name or password'],
			[{api: {url: 'http://127.0.0.1:8000/#x'}}, 'api.url must not contain a #fragment'],
			[{api: {url: 'http://127.0.0.1:8000/#'}}, 'api.url must not contain a #fragment'],
			[{api: {url: 'http://127.0.0.1:8000', unreachableHint: 'run\nnpm start'}}, 'api.unreachableHint must be one line without control characters'],
			[{api: {url: 'http://127.0.0.1:8000', unreachableHint: 'x'.repeat(301)}}, 'api.unreachableHint at most 300 characters'],
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

describe('values that become command-line arguments', () => {
	const cases: Array<[Record<string, unknown>, string]> = [
		[{kind: 'systemd', unit: '--help'}, 'unit'],
		[{kind: 'launchd', label: '-x'}, 'label'],
		[{kind: 'launchd', label: 'ok', domain: '-gui/501'}, 'domain'],
		[{kind: 'kubernetes', deployment: '--all'}, 'deployment'],
		[{kind: 'kubernetes', deployment: 'api', namespace: '--all-namespaces'}, 'namespace'],
		[{kind: 'kubernetes', deployment: 'api', container: '-c'}, 'container'],
		[{kind: 'kubernetes', deployment: 'api', context: '--kubeconfig=/tmp/evil'}, 'context'],
		[{kind: 'pm2', process: '--update-env'}, 'process'],
	];
	it.each(cases)('%j cannot start with "-"', (service, key) => {
		const error = (() => {
			try {
				validateConfig({services: [{name: 'a', ...service}]}, '/c.json');
			} catch (caught) {
				return caught;
			}
			return undefined;
		})();
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as ConfigError).message).toContain(`services.0.${key} must not start with "-"`);
	});

	it('the program of a command restart cannot start with "-"; later arguments may', () => {
		expect(() => validateConfig({services: [{name: 'a', kind: 'command', restart: ['-rf', 'x']}]}, '/c.json')).toThrow('services.0.restart the program (first item) must not start with "-"');
		expect(validateConfig({services: [{name: 'a', kind: 'command', restart: ['/opt/restart', '--graceful']}]}, '/c.json').services).toHaveLength(1);
	});

	it('control characters are refused, and the message shows them escaped, never raw', () => {
		expect(() => validateConfig({services: [{name: 'a', kind: 'systemd', unit: 'a\u0000b'}]}, '/c.json')).toThrow('services.0.unit must not contain control characters');
		const error = (() => {
			try {
				validateConfig({'\u001b[2Jevil': 1}, '/tmp/\u001b]52;c;x\u0007.json');
			} catch (caught) {
				return caught as ConfigError;
			}
			return undefined;
		})();
		expect(error?.message).not.toMatch(/\u001b|\u0007/);
		expect(error?.message).toContain('\\x1b]52');
	});
});

describe('config parsing', () => {
	const write = (name: string, text: string | Buffer) => {
		const root = dir();
		writeFileSync(path.join(root, name), text);
		return {root, file: path.join(root, name)};
	};
	const failure = async (name: string, text: string | Buffer) => {
		const {root, file} = write(name, text);
		const error = await loadConfig({cwd: root, home: root, configPath: name}).then(
			() => undefined,
			(caught: unknown) => caught,
		);
		expect(error, name).toBeInstanceOf(ConfigError);
		return {message: (error as ConfigError).message, file};
	};

	it('an alias bomb is a clear config error, quickly and without exhausting memory', async () => {
		const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
		for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
		const bomb = `${lines.join('\n')}\n`;
		expect(bomb.length).toBeLessThan(1024);
		const {message, file} = await failure('.cavrarc.yaml', bomb);
		expect(message).toBe(`${file}: cannot parse config: too many alias expansions (more than 100); write the values out instead of repeating *aliases`);
	});

	it('a few aliases for reuse still work', async () => {
		const {root} = write('.cavrarc.yaml', 'x-verify: &verify {url: "http://127.0.0.1:8000/r"}\nservices:\n  - {name: a, kind: pm2, process: a, verify: *verify}\n  - {name: b, kind: pm2, process: b, verify: *verify}\n');
		// x-verify is not a key of ours: the anchor's home must be a known key, so use it through services only.
		await expect(loadConfig({cwd: root, home: root})).rejects.toThrow('x-verify is not a known key');
		writeFileSync(path.join(root, '.cavrarc.yaml'), 'services:\n  - {name: a, kind: pm2, process: a, verify: &verify {url: "http://127.0.0.1:8000/r"}}\n  - {name: b, kind: pm2, process: b, verify: *verify}\n');
		const {config} = await loadConfig({cwd: root, home: root});
		expect(config.services?.[1]?.verify?.url).toBe('http://127.0.0.1:8000/r');
	});

	it('duplicate keys are an error naming the key and its line and column (YAML and JSON)', async () => {
		const yaml = await failure('.cavrarc.yaml', 'plan: a.json\napi:\n  url: "http://127.0.0.1"\nplan: b.json\n');
		expect(yaml.message).toBe(`${yaml.file}: cannot parse config at line 4, column 1: duplicate key "plan"; keep exactly one (YAML would silently keep the last)`);
		const nested = await failure('c.yml', 'api:\n  url: "http://127.0.0.1"\n  url: "http://evil.example"\n');
		expect(nested.message).toContain('at line 3, column 3: duplicate key "url"');
		const flow = await failure('.cavrarc', '{"plan": "a.json", "plan": "b.json"}');
		expect(flow.message).toContain('duplicate key "plan"');
		const json = await failure('c.json', '{\n  "plan": "a.json",\n  "plan": "b.json"\n}');
		expect(json.message).toMatch(/c\.json: cannot parse config at line 3, column 3: duplicate key "plan" \(first at line 2, column 3\); keep exactly one$/);
	});

	it('a YAML or JSON syntax error carries the line and column, and no file content', async () => {
		const yaml = await failure('bad.yaml', 'plan: ok.json\nservices:\n  - name: a\n   kind: [unclosed\n');
		expect(yaml.message).toMatch(/bad\.yaml: cannot parse config at line \d+, column \d+: /);
		expect(yaml.message).not.toContain('unclosed');
		const json = await failure('bad.json', '{\n  "plan": "x",\n  "api": {"url": }\n}');
		expect(json.message).toMatch(/bad\.json: cannot parse config at line 3, column 18: expected a value/);
		const tabs = await failure('t.yaml', 'api:\n\turl: x\n');
		expect(tabs.message).toMatch(/at line 2, column 1/);
	});

	it('a validation error carries the line and column of the value in the file', async () => {
		const yaml = await failure('.cavrarc.yaml', 'plan: p.json\nservices:\n  - name: api\n    kind: systemdd\n    unit: x\n');
		expect(yaml.message).toContain('services.0.kind must be one of systemd, launchd, kubernetes, pm2, command, ansible; got "systemdd" (did you mean systemd?) (line 4, column 11)');
		const json = await failure('c.json', '{\n  "api": {"url": "http://127.0.0.1", "timeoutMs": 3000000000}\n}');
		expect(json.message).toContain('api.timeoutMs must be a whole number of milliseconds from 1 to 600000 (10 minutes) (line 2, column 51)');
		// An unknown key points at the key itself, not at its value.
		const yamlKey = await failure('k.yaml', 'plan: p.json\nservics:\n  - name: api\n');
		expect(yamlKey.message).toContain('servics is not a known key (did you mean services?) (line 2, column 1)');
		const jsonKey = await failure('k.json', '{\n  "api": {\n    "url": "http://127.0.0.1",\n    "tokenenv": "X"}\n}');
		expect(jsonKey.message).toContain('api.tokenenv is not a known key (did you mean tokenEnv?) (line 4, column 5)');
	});

	it('YAML holds data only: no custom tags, no second document, keys are plain names, __proto__ is just a key', async () => {
		expect((await failure('a.yaml', 'plan: !!js/function "function(){}"\n')).message).toMatch(/at line 1, column 7: /);
		expect((await failure('b.yaml', 'plan: a.json\n---\nplan: b.json\n')).message).toMatch(/cannot parse config at line 2, column 1: a config file holds one YAML document/);
		expect((await failure('c.yaml', '? [a, b]\n: 1\n')).message).toContain('a key must be a plain name');
		expect((await failure('d.yaml', '__proto__: {plan: x}\n')).message).toContain('__proto__ is not a known key');
	});

	it('refuses what is not a small regular UTF-8 file', async () => {
		expect((await failure('big.yaml', `plan: ${'x'.repeat(1024 * 1024)}\n`)).message).toContain('larger than 1024 KB');
		expect((await failure('latin1.yaml', Buffer.from([0x70, 0x6c, 0x61, 0x6e, 0x3a, 0x20, 0xe9, 0x0a]))).message).toContain('not valid UTF-8');
		const root = dir();
		mkdirSync(path.join(root, 'folder.yaml'));
		await expect(loadConfig({cwd: root, configPath: 'folder.yaml'})).rejects.toThrow('folder.yaml: is a directory');
		await expect(loadConfig({cwd: root, configPath: '/dev/zero'})).rejects.toThrow(/unknown config file type|not a regular file/);
		await expect(loadConfig({cwd: root, configPath: 'x.conf'})).rejects.toThrow('unknown config file type ".conf"');
	});

	it.skipIf(process.platform === 'win32')('a FIFO named .cavrarc is refused instead of hanging the search', async () => {
		const root = dir();
		const {execFileSync} = await import('node:child_process');
		execFileSync('mkfifo', [path.join(root, '.cavrarc')]);
		await expect(loadConfig({cwd: root, home: root})).rejects.toThrow('.cavrarc: is not a regular file');
	});

	it.skipIf(process.platform === 'win32')('a config anyone may write is refused', async () => {
		const {root, file} = write('.cavrarc.yaml', 'plan: p.json\n');
		const {chmodSync} = await import('node:fs');
		chmodSync(file, 0o666);
		await expect(loadConfig({cwd: root, home: root})).rejects.toThrow(`${file}: is writable by every user`);
		const named = await loadConfig({cwd: root, home: root, configPath: file}).catch((caught: unknown) => caught as ConfigError);
		expect(named).toBeInstanceOf(ConfigError);
		expect((named as ConfigError).hint).toBe(`remove that permission: chmod o-w ${file}`);
	});
});

describe('YAML nesting', () => {
	it('deep nesting (flow or block) is a clear error before the parser recurses, not a stack overflow', async () => {
		const root = dir();
		writeFileSync(path.join(root, 'flow.yaml'), `plan: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`);
		await expect(loadConfig({cwd: root, configPath: 'flow.yaml'})).rejects.toThrow(/flow\.yaml: cannot parse config at line 1, column 71: nested deeper than 64 levels/);
		writeFileSync(path.join(root, 'block.yaml'), `a:\n${Array.from({length: 300}, (_, i) => `${' '.repeat(i + 1)}b${i}:\n`).join('')}`);
		await expect(loadConfig({cwd: root, configPath: 'block.yaml'})).rejects.toThrow(/block\.yaml: cannot parse config at line 130, column 130: nested deeper than 64 levels/);
	});

	it('brackets inside quoted values and comments do not count as nesting', async () => {
		const root = dir();
		const many = '['.repeat(70);
		const text = `plan: "a${many}.json"\nlint:\n  allow:\n    - rule: r # ${many}\n      fingerprint: '0123456789abcdef'\n      reason: 'it''s ${many} reviewed'\n`;
		writeFileSync(path.join(root, 'ok.yaml'), text);
		const {config} = await loadConfig({cwd: root, configPath: 'ok.yaml'});
		expect(config.plan).toBe(path.join(root, `a${many}.json`));
		expect(config.lint?.allow?.[0]?.reason).toBe(`it's ${many} reviewed`);
	});
});

describe('the ansible service kind', () => {
	const fleet = {name: 'api-fleet', kind: 'ansible', inventory: './inventory.ini', hosts: 'cavra_api', envFile: '{{ cavra_env_file }}', restart: ['/bin/sh', '-c', '{{ cavra_restart }}'], serial: '25%', verify: {url: 'http://{{ inventory_hostname }}:8000/runtime/go-pilot/rollback-readiness'}};
	const check = (service: Record<string, unknown>) => () => validateConfig({services: [service]}, '/etc/cavra/.cavrarc');

	it('accepts host variables as {{ name }} in envFile, restart and verify.url, and serial as a number or a percentage', () => {
		expect(check(fleet)).not.toThrow();
		expect(check({...fleet, restart: undefined, systemd: 'cavra-api', serial: 2})).not.toThrow();
	});

	it('refuses Jinja beyond a bare variable: no filters, lookups or statements, so config text never runs code', () => {
		expect(check({...fleet, envFile: "{{ lookup('pipe', 'id') }}"})).toThrow(/envFile may use host variables only as \{\{ name \}\}/);
		expect(check({...fleet, restart: ['/bin/sh', '-c', '{% for x in y %}{% endfor %}']})).toThrow(/restart may use host variables only/);
		expect(check({...fleet, verify: {url: 'http://{{ h | default(1) }}/x'}})).toThrow(/verify\.url may use host variables only/);
	});

	it('needs exactly one of restart or systemd; serial and values starting with "-" are checked', () => {
		expect(check({...fleet, systemd: 'cavra-api'})).toThrow(/exactly one of restart .* or systemd/);
		expect(check({...fleet, restart: undefined})).toThrow(/exactly one of restart/);
		expect(check({...fleet, serial: 0})).toThrow(/serial must be a whole number of hosts/);
		expect(check({...fleet, serial: '150%'})).toThrow(/serial must be a whole number of hosts/);
		expect(check({...fleet, inventory: '--vault-password-file=/x'})).toThrow(/inventory must not start with "-"/);
		expect(check({...fleet, hosts: '-all'})).toThrow(/hosts must not start with "-"/);
	});

	it('resolves the inventory against the config file folder', async () => {
		const folder = dir();
		writeFileSync(path.join(folder, '.cavrarc.yaml'), `services:\n  - {name: f, kind: ansible, inventory: ./inv.ini, hosts: all, envFile: /etc/cavra.env, systemd: cavra-api}\n`);
		const {config} = await loadConfig({cwd: folder});
		expect(config.services?.[0]).toMatchObject({inventory: path.join(folder, 'inv.ini')});
	});
});
