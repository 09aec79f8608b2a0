import {describe, expect, it} from 'vitest';
import {completeWords, type CommandSpec, type CompletionSources} from '../../../source/core/completion/complete.js';

const specs: Record<string, CommandSpec> = {
	author: {options: [{names: ['-t', '--template'], takesValue: true}, {names: ['-o', '--out'], takesValue: true}, {names: ['--plain'], takesValue: false}], subcommands: [], arguments: ['file']},
	templates: {options: [{names: ['--json'], takesValue: false}], subcommands: [], arguments: ['name']},
	rollback: {options: [{names: ['--resume'], takesValue: true}, {names: ['--yes'], takesValue: false}], subcommands: [], arguments: []},
	evidence: {options: [], subcommands: ['verify', 'list', 'attach'], arguments: []},
	'evidence verify': {options: [{names: ['--json'], takesValue: false}, {names: ['--dir'], takesValue: true}], subcommands: [], arguments: ['path']},
};

function sources(): CompletionSources & {configs: Array<string | undefined>} {
	const configs: Array<string | undefined> = [];
	return {
		configs,
		commands: ['author', 'templates', 'rollback', 'evidence', 'lint'],
		spec: async (command, path) => specs[[command, ...path].join(' ')],
		templates: async () => ['api-service', 'standard'],
		runIds: async configPath => {
			configs.push(configPath);
			return ['rb-20260101T120000Z-a1b2c3', 'rb-20251231T120000Z-ffffff'];
		},
	};
}

describe('completion candidates', () => {
	it('commands first (with help), global options before a command', async () => {
		expect(await completeWords([''], sources())).toEqual(['author', 'templates', 'rollback', 'evidence', 'lint', 'help']);
		expect(await completeWords(['ro'], sources())).toEqual(['rollback']);
		expect(await completeWords(['--'], sources())).toEqual(['--config', '--no-color', '--help', '--version']);
		expect(await completeWords(['--config', 'x.yaml', 'te'], sources())).toEqual(['templates']);
		expect(await completeWords(['--config', ''], sources())).toEqual([]);
		expect(await completeWords(['help', 'a'], sources())).toEqual(['author']);
	});

	it("a command's own long options, and the global ones allowed after it", async () => {
		expect(await completeWords(['author', '--'], sources())).toEqual(['--template', '--out', '--plain', '--config', '--no-color', '--help']);
		expect(await completeWords(['author', '--p'], sources())).toEqual(['--plain']);
	});

	it('template names for --template/-t and `templates NAME`; files (nothing) for other values', async () => {
		expect(await completeWords(['author', '--template', ''], sources())).toEqual(['api-service', 'standard']);
		expect(await completeWords(['author', '-t', 'st'], sources())).toEqual(['standard']);
		expect(await completeWords(['templates', ''], sources())).toEqual(['api-service', 'standard']);
		expect(await completeWords(['author', '--out', ''], sources())).toEqual([]);
		expect(await completeWords(['author', '--template', 'standard', ''], sources())).toEqual([]);
	});

	it('subcommands, then their options; run ids for --resume and `evidence verify`, from the --config given', async () => {
		expect(await completeWords(['evidence', ''], sources())).toEqual(['verify', 'list', 'attach']);
		expect(await completeWords(['evidence', 'verify', '--'], sources())).toEqual(['--json', '--dir', '--config', '--no-color', '--help']);
		const src = sources();
		expect(await completeWords(['--config', 'a.yaml', 'evidence', 'verify', 'rb-2026'], src)).toEqual(['rb-20260101T120000Z-a1b2c3']);
		expect(await completeWords(['rollback', '--config', 'b.yaml', '--resume', ''], src)).toHaveLength(2);
		expect(src.configs).toEqual(['a.yaml', 'b.yaml']);
	});

	it('unknown commands and nothing typed offer nothing', async () => {
		expect(await completeWords([], sources())).toEqual([]);
		expect(await completeWords(['frob', ''], sources())).toEqual([]);
	});
});
