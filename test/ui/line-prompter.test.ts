import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {linePrompter} from '../../source/ui/prompts/line-prompter.js';
import {isPromptExit, type Prompter} from '../../source/ui/prompts/prompter.js';

/*
 * TERM=dumb questions: a question line, an answer line. What a dumb terminal shows must be plain
 * text (not one ESC byte, even when a plan's strings carry escapes), and a refused answer is said
 * and asked again.
 */

let open: Prompter[] = [];
afterEach(() => {
	for (const prompter of open) prompter.close();
	open = [];
});

function terminal(width?: number) {
	const input = new PassThrough();
	const output = new PassThrough();
	let text = '';
	output.on('data', chunk => (text += String(chunk)));
	const prompts = linePrompter({input, output, ...(width !== undefined && {width})});
	open.push(prompts);
	return {prompts, input, output: () => text, type: (...lines: string[]) => input.write(lines.map(line => `${line}\n`).join(''))};
}

describe('line mode questions', () => {
	it('select lists numbered choices with their descriptions; a number picks, Enter picks the first, anything else is refused', async () => {
		const t = terminal();
		const choices = [
			{value: 'a', name: 'Template: api-service', description: 'an API service'},
			{value: 'b', name: 'Template: standard'},
		] as const;
		t.type('7', 'standard', '2');
		expect(await t.prompts.select({message: 'Start the plan from', choices})).toBe('b');
		expect(t.output()).toBe(
			[
				'Start the plan from',
				'  1. Template: api-service',
				'       an API service',
				'  2. Template: standard',
				'Choose 1-2 (Enter: 1):   not accepted: type a number from 1 to 2',
				'Choose 1-2 (Enter: 1):   not accepted: type a number from 1 to 2',
				'Choose 1-2 (Enter: 1): ',
			].join('\n'),
		);
		t.type('');
		expect(await t.prompts.select({message: 'Again', choices})).toBe('a');
	});

	it('input: Enter keeps the default; a value the flow refuses (30x minutes) is said and asked again', async () => {
		const t = terminal();
		const validate = (value: string) => (/^\d+(\.\d+)?$/.test(value) ? true : 'enter a number of minutes');
		t.type('30x', '');
		expect(await t.prompts.input({message: 'Maximum recovery time, in minutes', default: '15', validate})).toBe('15');
		expect(t.output()).toContain('Maximum recovery time, in minutes (Enter: 15):   not accepted: enter a number of minutes\n');
		t.type('  20 ');
		expect(await t.prompts.input({message: 'Minutes', default: '15', validate})).toBe('20');
	});

	it('confirm reads y/yes/n/no in any case; Enter takes the default; other words are refused', async () => {
		const t = terminal();
		t.type('maybe', 'YES');
		expect(await t.prompts.confirm({message: 'Approved?', default: false})).toBe(true);
		expect(t.output()).toContain('Approved? (y/N)   not accepted: answer y or n\n');
		t.type('');
		expect(await t.prompts.confirm({message: 'Draft?', default: true})).toBe(true);
		t.type('n');
		expect(await t.prompts.confirm({message: 'Overwrite?'})).toBe(false);
	});

	it('checkbox shows what is ticked; Enter keeps it, numbers replace it, "-" ticks none, a wrong number is refused', async () => {
		const t = terminal();
		const choices = [
			{value: 'x', name: 'one', checked: true},
			{value: 'y', name: 'two', checked: false},
			{value: 'z', name: 'three', checked: true},
		];
		t.type('');
		expect(await t.prompts.checkbox({message: 'Controls', choices})).toEqual(['x', 'z']);
		expect(t.output()).toContain('  1. [x] one\n  2. [ ] two\n  3. [x] three\n');
		expect(t.output()).toContain('Enter: 1 3');
		t.type('2 4', '2, 3');
		expect(await t.prompts.checkbox({message: 'Controls', choices})).toEqual(['y', 'z']);
		expect(t.output()).toContain('"4" is not a number from 1 to 3');
		t.type('-');
		expect(await t.prompts.checkbox({message: 'Controls', choices})).toEqual([]);
	});

	it('prints no escape byte: hostile names are shown as visible escapes, typed control sequences are dropped whole', async () => {
		const t = terminal();
		t.type('\u001B[31mCAB-1\u0007');
		const answer = await t.prompts.input({message: 'Approval id \u001B[2J', default: 'old\u001B]52;c;Zm9v\u0007'});
		expect(answer).toBe('CAB-1');
		t.type('1');
		await t.prompts.select({message: 'Pick', choices: [{value: 1, name: 'evil\u001B[1A\u202Ename', description: 'x\u009B2J'}]});
		expect(t.output()).not.toMatch(/[\u001B\u0007\u009B\u202E]/);
		expect(t.output()).toContain('Approval id \\x1b[2J (Enter: old\\x1b]52;c;Zm9v\\x07):');
		expect(t.output()).toContain('evil\\x1b[1A\\u202ename');
	});

	it('long lists wrap at words under their text at the terminal width', async () => {
		const t = terminal(40);
		t.type('1');
		await t.prompts.select({message: 'Start', choices: [{value: 1, name: 'Template: standard', description: 'The standard plan from the documentation: set the mode, restart CAVRA'}]});
		const lines = t.output().split('\n');
		expect(lines.every(line => line.length <= 40)).toBe(true);
		expect(lines).toContain('       The standard plan from the');
		expect(lines).toContain('       documentation: set the mode,');
	});

	it('the end of input cancels the question as Ctrl-C does (ExitPromptError)', async () => {
		const t = terminal();
		const pending = t.prompts.input({message: 'Approval id'});
		t.input.end();
		const error = await pending.catch((caught: unknown) => caught);
		expect(isPromptExit(error)).toBe(true);
		await expect(t.prompts.confirm({message: 'Discard?'})).rejects.toSatisfy(isPromptExit);
	});

	it('Ctrl-C (a SIGINT in line mode) cancels the open question; the next question is asked normally', async () => {
		const t = terminal();
		const pending = t.prompts.input({message: 'Approval id'});
		await new Promise(resolve => setImmediate(resolve));
		process.emit('SIGINT');
		expect(isPromptExit(await pending.catch((caught: unknown) => caught))).toBe(true);
		t.type('n');
		expect(await t.prompts.confirm({message: 'Discard them and quit?', default: false})).toBe(false);
	});

	it('close() forgets the Ctrl-C handler', () => {
		const before = process.listenerCount('SIGINT');
		const t = terminal();
		expect(process.listenerCount('SIGINT')).toBe(before + 1);
		t.prompts.close();
		expect(process.listenerCount('SIGINT')).toBe(before);
	});
});
