/**
 * Questions for a terminal that cannot move a cursor (TERM=dumb): each question is printed as
 * plain lines, the answer is one line read in the terminal's own line mode (it echoes and edits
 * the line itself; stdin is never put in raw mode). Nothing written holds an escape byte: every
 * outside string goes through the sanitizer, and there is no colour, cursor or redraw. A refused
 * answer says why and asks again. Ctrl-C (a SIGINT here, since the terminal is not raw) and the
 * end of input reject the pending question with `ExitPromptError`, as @inquirer does.
 */
import {createInterface} from 'node:readline';
import {stripHidden, visible} from '../../core/text/sanitize.js';
import {wrapLine} from '../../core/text/wrap.js';
import type {InputQuestion, PromptChoice, Prompter} from './prompter.js';

class ExitPromptError extends Error {
	override name = 'ExitPromptError';
}

const YES = new Set(['y', 'yes']);
const NO = new Set(['n', 'no']);

/** `width`: the terminal's columns (lists are wrapped at words to fit; Infinity: not wrapped). */
export function linePrompter(context: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream; width?: number}): Prompter {
	const {output} = context;
	const reader = createInterface({input: context.input, terminal: false});
	const queued: string[] = [];
	let ended = false;
	let interrupted = false;
	let waiting: {resolve(line: string): void; reject(error: Error): void} | undefined;

	const settle = (action: (pending: NonNullable<typeof waiting>) => void) => {
		const pending = waiting;
		waiting = undefined;
		if (pending) action(pending);
	};
	reader.on('line', line => {
		if (waiting) settle(pending => pending.resolve(line));
		else queued.push(line);
	});
	reader.on('close', () => {
		ended = true;
		settle(pending => pending.reject(new ExitPromptError('input ended')));
	});
	// The terminal is in its own line mode, so Ctrl-C arrives as a signal, not as a byte.
	const onSigint = () => {
		output.write('\n');
		queued.length = 0;
		if (waiting) settle(pending => pending.reject(new ExitPromptError('cancelled')));
		else interrupted = true;
	};
	process.on('SIGINT', onSigint);

	const width = context.width ?? Number.POSITIVE_INFINITY;
	const say = (text: string, hanging?: number) => {
		const line = visible(text);
		const lines = width === Number.POSITIVE_INFINITY ? [line] : wrapLine(line, width, hanging === undefined ? {} : {hanging});
		output.write(`${lines.join('\n')}\n`);
	};
	/** Print the prompt (no newline: the answer is typed after it) and read one line. */
	function readLine(prompt: string): Promise<string> {
		output.write(`${visible(prompt)} `);
		if (interrupted) {
			interrupted = false;
			return Promise.reject(new ExitPromptError('cancelled'));
		}
		const line = queued.shift();
		if (line !== undefined) return Promise.resolve(stripHidden(line).trim());
		if (ended) return Promise.reject(new ExitPromptError('input ended'));
		return new Promise<string>((resolve, reject) => {
			waiting = {resolve: text => resolve(stripHidden(text).trim()), reject};
		});
	}

	/** Ask until `parse` accepts the answer; a refusal is said on its own line. */
	async function askUntil<T>(prompt: string, parse: (answer: string) => {value: T} | {problem: string}): Promise<T> {
		for (;;) {
			const parsed = parse(await readLine(prompt));
			if ('value' in parsed) return parsed.value;
			say(`  not accepted: ${parsed.problem}`);
		}
	}

	function listChoices<T>(choices: ReadonlyArray<PromptChoice<T>>, mark?: (choice: PromptChoice<T>) => string): void {
		choices.forEach((choice, index) => {
			const number = `  ${index + 1}. `;
			say(`${number}${mark ? `${mark(choice)} ` : ''}${choice.name}`, number.length);
			if (choice.description) say(`${' '.repeat(number.length + 2)}${choice.description}`, number.length + 2);
		});
	}

	const numberIn = (text: string, count: number): number | undefined => {
		const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
		return number >= 1 && number <= count ? number - 1 : undefined;
	};

	return {
		async select<const T>(question: {message: string; choices: ReadonlyArray<PromptChoice<T>>}): Promise<T> {
			const {choices} = question;
			say(question.message);
			listChoices(choices);
			return askUntil<T>(`Choose 1-${choices.length} (Enter: 1):`, answer => {
				if (answer === '') return {value: choices[0]!.value};
				const index = numberIn(answer, choices.length);
				return index === undefined ? {problem: `type a number from 1 to ${choices.length}`} : {value: choices[index]!.value};
			});
		},

		async checkbox<T>(question: {message: string; choices: ReadonlyArray<PromptChoice<T>>}): Promise<T[]> {
			const {choices} = question;
			say(question.message);
			listChoices(choices, choice => (choice.checked ? '[x]' : '[ ]'));
			const ticked = choices.flatMap((choice, index) => (choice.checked ? [index + 1] : []));
			const keep = ticked.length === 0 ? 'none' : ticked.join(' ');
			return askUntil<T[]>(`Numbers to tick, separated by spaces ("-" for none; Enter: ${keep}):`, answer => {
				if (answer === '') return {value: choices.filter(choice => choice.checked).map(choice => choice.value)};
				if (answer === '-') return {value: []};
				const picked = new Set<number>();
				for (const word of answer.split(/[\s,]+/)) {
					const index = numberIn(word, choices.length);
					if (index === undefined) return {problem: `"${word}" is not a number from 1 to ${choices.length}`};
					picked.add(index);
				}
				return {value: choices.filter((_, index) => picked.has(index)).map(choice => choice.value)};
			});
		},

		async confirm(question: {message: string; default?: boolean}): Promise<boolean> {
			const fallback = question.default ?? true;
			return askUntil<boolean>(`${question.message} (${fallback ? 'Y/n' : 'y/N'})`, answer => {
				const word = answer.toLowerCase();
				if (word === '') return {value: fallback};
				if (YES.has(word)) return {value: true};
				if (NO.has(word)) return {value: false};
				return {problem: 'answer y or n'};
			});
		},

		async input(question: InputQuestion): Promise<string> {
			const fallback = question.default ?? '';
			const prompt = fallback === '' ? `${question.message}:` : `${question.message} (Enter: ${fallback}):`;
			return askUntil<string>(prompt, answer => {
				const value = answer === '' ? fallback : answer;
				const verdict = question.validate?.(value) ?? true;
				return verdict === true ? {value} : {problem: verdict};
			});
		},

		close() {
			process.off('SIGINT', onSigint);
			reader.close();
		},
	};
}
