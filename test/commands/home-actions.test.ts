/** The home menu's choices all dispatch through the one command table. */
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ensureDemoState} from '../../source/demo/setup.js';
import {loadConfig} from '../../source/io/config.js';
import {homeVerdict} from '../../source/io/home-verdict.js';
import {availableActions} from '../../source/commands/home.js';
import {commands, findCommand} from '../../source/commands/registry.js';

describe('home menu', () => {
	it('offers evidence attach when a plan and promotion evidence are configured, and only then', () => {
		const argvs = (hasPlan: boolean, hasPromotion: boolean) => availableActions(hasPlan, hasPromotion).map(action => action.argv?.join(' '));
		expect(argvs(true, true)).toContain('evidence attach');
		expect(argvs(true, false)).not.toContain('evidence attach');
		expect(argvs(false, true)).not.toContain('evidence attach');
	});

	it('offers only commands of the command table, and every one of them loads a run function', async () => {
		const offered = availableActions(true, true).flatMap(action => (action.argv ? [action.argv[0]!] : []));
		expect(offered).toEqual(expect.arrayContaining(['dashboard', 'rollback', 'author', 'lint', 'evidence', 'readiness', 'templates']));
		for (const name of offered) expect(findCommand(name), name).toBeDefined();
		const loaded = await Promise.all(Object.values(commands).map(async entry => typeof (await entry.load()).run));
		expect(loaded.every(type => type === 'function')).toBe(true);
	});

	it('does not treat inherited object properties as commands', () => {
		expect(findCommand('constructor')).toBeUndefined();
		expect(findCommand('__proto__')).toBeUndefined();
	});
});

describe('home menu reach and verdict', () => {
	it('reaches every command of the table (completion through init\'s description): evidence list and verify, schema, rehearse, init', () => {
		const actions = availableActions(true, true);
		const argvs = actions.map(action => action.argv?.join(' '));
		expect(argvs).toEqual(expect.arrayContaining(['evidence list', 'evidence verify', 'schema', 'rollback --rehearse', 'init']));
		const reached = new Set(actions.flatMap(action => (action.argv ? [action.argv[0]!] : [])));
		const missing = Object.keys(commands).filter(name => !reached.has(name));
		expect(missing).toEqual(['completion']);
		expect(actions.find(action => action.argv?.[0] === 'init')?.description).toContain('cavra-rollback completion bash');
	});

	it('shows the current verdict in one line: the rollback report and the mode, then only the reports that are not ready', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'cavra-home-verdict-'));
		const configPath = await ensureDemoState(dir, {reset: true});
		const {config} = await loadConfig({configPath, cwd: dir, home: dir});
		// The demo schedule is due in 5 days: due_soon; everything else ready.
		expect(await homeVerdict(config, {})).toBe('verdict: ready (mode promoted) · schedule due_soon');
		const later = await homeVerdict(config, {}, new Date(Date.now() + 200 * 86_400_000));
		expect(later).toMatch(/^verdict: ready \(mode promoted\) · drills needs_attention · schedule /);
		expect(await homeVerdict({}, {})).toMatch(/^verdict: \S+ \(mode disabled\)/);
	});
});
