/** The home menu's choices all dispatch through the one command table. */
import {describe, expect, it} from 'vitest';
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
