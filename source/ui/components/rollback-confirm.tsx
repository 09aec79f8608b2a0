import {Box} from 'ink';
import {Text} from './text.js';
import {useRef, useState} from 'react';
import type {Keypress} from '../../core/keys/keypress.js';
import {stripHidden} from '../../core/text/sanitize.js';
import {displayWidth, wrapLine} from '../../core/text/wrap.js';
import {useKeypress} from '../keys/use-keypress.js';

/** The question's lines at this width (the screen counts them to pin the question under the preview). */
export function confirmText(word: string, width: number, wrong: string | undefined): {question: string[]; how: string[]; wrong: string[]} {
	return {
		question: wrapLine('This changes the env files above and restarts the services listed, in that order.', width),
		how: wrapLine(`Type ${word} and press Enter to roll back now; Esc or Ctrl-C cancels.`, width),
		wrong: wrong === undefined ? [] : wrapLine(`✖ that is not "${word}"; nothing was changed. Type ${word}, or press Esc to cancel.`, width),
	};
}

/** Rows the question takes: a blank line, the question, how to answer, the field, and a wrong answer's line. */
export function confirmRows(word: string, width: number, wrong: string | undefined): number {
	const text = confirmText(word, width, wrong);
	return 1 + text.question.length + text.how.length + 1 + text.wrong.length;
}

export interface RollbackConfirmProps {
	word: string;
	onAnswer(ok: boolean): void;
	color: boolean;
	width: number;
	/** The last wrong answer (the screen holds it: it counts the rows the question takes). */
	wrong: string | undefined;
	onWrong(wrong: string | undefined): void;
	/** Keys that belong to the screen (the preview's scroll keys): never typed. */
	isReserved?(key: Keypress): boolean;
}

/**
 * Type-to-confirm: the operator types the word (`disable`) and presses Enter; Esc or Ctrl-C
 * declines (the screen handles those). A one-word field of its own rather than a general text
 * input: every key is applied to the latest value (kept in a ref), so fast typing or a burst
 * ("disable⏎" in one read) is never garbled by a render that has not happened yet. A bracketed
 * paste only types: it never presses Enter for the operator. Keys typed before the question was on
 * screen (an impatient "disable⏎" during the preview, a held Enter) are no answer (`freshKeysOnly`).
 */
export function RollbackConfirm({word, onAnswer, color, width, wrong, onWrong, isReserved}: RollbackConfirmProps) {
	const [value, setValue] = useState('');
	// The value as keys arrive, ahead of React's render.
	const typed = useRef('');

	const set = (next: string) => {
		typed.current = next;
		setValue(next);
	};
	const submit = (submitted: string) => {
		set('');
		if (submitted.trim() === word) onAnswer(true);
		else onWrong(submitted.trim());
	};

	useKeypress(key => {
		if (isReserved?.(key)) return;
		if (key.name === 'return' && !key.paste) return submit(typed.current);
		if (key.name === 'backspace' || key.name === 'delete') return set(typed.current.slice(0, -1));
		if (key.ctrl && key.input === 'u') return set('');
		if (!key.paste && (key.ctrl || key.meta || (key.name !== undefined && key.name !== 'space'))) return;
		// Only printable text; the word is short, so is the field.
		const text = stripHidden(key.input);
		if (text === '') return;
		onWrong(undefined);
		set((typed.current + text).slice(0, 64));
	}, {freshKeysOnly: true});

	const text = confirmText(word, width, wrong);
	// The field is one row: what does not fit shows its end, where the typing is.
	const room = Math.max(1, width - 3);
	let shown = value;
	while (displayWidth(shown) > room) shown = shown.slice(1);
	return (
		<Box flexDirection="column" marginTop={1} flexShrink={0}>
			<Text bold color={color ? 'yellow' : undefined}>
				{text.question.join('\n')}
			</Text>
			<Text>{text.how.join('\n')}</Text>
			<Text>
				{'> '}
				{shown}
				<Text inverse> </Text>
			</Text>
			{text.wrong.length > 0 ? <Text color={color ? 'red' : undefined}>{text.wrong.join('\n')}</Text> : null}
		</Box>
	);
}
