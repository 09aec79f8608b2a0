/**
 * The four kinds of question the line-by-line flows ask (`author --plain`, `init`, and both on a
 * TERM=dumb terminal). The questions, their defaults and their validation live once, in each flow
 * (screens/author/plain.ts, screens/init-prompts.ts); a Prompter only decides how a question is
 * shown and read:
 *   - inquirerPrompter: @inquirer/prompts (arrow keys, redraws) for a terminal that moves a cursor;
 *   - linePrompter (line-prompter.ts): a question line, an answer line, not one escape byte.
 * Cancelling (Ctrl-C, end of input) rejects with an error whose name is `ExitPromptError`.
 */

export interface PromptChoice<T> {
	value: T;
	name: string;
	description?: string;
	checked?: boolean;
}

/** An answer the flow refuses, with the reason said to the user; `true` accepts it. */
export type Validate = (value: string) => string | true;

export interface InputQuestion {
	message: string;
	default?: string;
	validate?: Validate;
	/** How the final answer is echoed (a secret-looking one masked); a line terminal echoes as typed. */
	transformer?: (value: string, state: {isFinal: boolean}) => string;
	/** The default is put in the field to edit (line mode: Enter keeps it). */
	prefill?: 'editable';
}

export interface Prompter {
	select<const T>(question: {message: string; choices: ReadonlyArray<PromptChoice<T>>}): Promise<T>;
	checkbox<T>(question: {message: string; choices: ReadonlyArray<PromptChoice<T>>}): Promise<T[]>;
	confirm(question: {message: string; default?: boolean}): Promise<boolean>;
	input(question: InputQuestion): Promise<string>;
	/** Let go of the keyboard (line mode: stop reading stdin, forget the Ctrl-C handler). */
	close(): void;
}

/** Thrown by a prompt when the user presses Ctrl-C or the input ends. */
export function isPromptExit(error: unknown): boolean {
	return error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.name === 'CancelPromptError');
}

/** @inquirer/prompts on the given streams (the module is loaded on the first question). */
export function inquirerPrompter(context: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream}): Prompter {
	const prompts = import('@inquirer/prompts');
	return {
		select: async question => (await prompts).select({message: question.message, choices: [...question.choices]}, context),
		checkbox: async question => (await prompts).checkbox({message: question.message, choices: [...question.choices]}, context),
		confirm: async question => (await prompts).confirm(question, context),
		input: async question => (await prompts).input(question, context),
		close: () => undefined,
	};
}

/**
 * The Prompter for a terminal: bare lines when it cannot move a cursor (`lineMode`, TERM=dumb;
 * `width` its columns), @inquirer/prompts otherwise. Each kind is loaded only when chosen.
 */
export async function openPrompter(context: {input: NodeJS.ReadableStream; output: NodeJS.WritableStream; lineMode: boolean; width?: number}): Promise<Prompter> {
	const streams = {input: context.input, output: context.output};
	if (!context.lineMode) return inquirerPrompter(streams);
	const {linePrompter} = await import('./line-prompter.js');
	return linePrompter({...streams, ...(context.width !== undefined && {width: context.width})});
}
