import {Box} from 'ink';
import {Text} from './text.js';
import {useRef, useState} from 'react';
import {stripHidden} from '../../core/text/sanitize.js';
import {useKeypress} from '../keys/use-keypress.js';

/**
 * Type-to-confirm: the operator types the word (`disable`) and presses Enter; Esc or Ctrl-C
 * declines (the screen handles those). A one-word field of its own rather than a general text
 * input: every key is applied to the latest value (kept in a ref), so fast typing or a burst
 * ("disable⏎" in one read) is never garbled by a render that has not happened yet. A bracketed
 * paste only types: it never presses Enter for the operator.
 */
export function RollbackConfirm({word, onAnswer, color}: {word: string; onAnswer(ok: boolean): void; color: boolean}) {
	const [value, setValue] = useState('');
	const [wrong, setWrong] = useState<string | undefined>();
	// The value as keys arrive, ahead of React's render.
	const typed = useRef('');

	const set = (next: string) => {
		typed.current = next;
		setValue(next);
	};
	const submit = (submitted: string) => {
		set('');
		if (submitted.trim() === word) onAnswer(true);
		else setWrong(submitted.trim());
	};

	useKeypress(key => {
		if (key.name === 'return' && !key.paste) return submit(typed.current);
		if (key.name === 'backspace' || key.name === 'delete') return set(typed.current.slice(0, -1));
		if (key.ctrl && key.input === 'u') return set('');
		if (!key.paste && (key.ctrl || key.meta || (key.name !== undefined && key.name !== 'space'))) return;
		// Only printable text; the word is short, so is the field.
		const text = stripHidden(key.input);
		if (text === '') return;
		setWrong(undefined);
		set((typed.current + text).slice(0, 64));
	});

	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color={color ? 'yellow' : undefined}>
				This changes the env files above and restarts the services listed, in that order.
			</Text>
			<Text>
				Type <Text bold>{word}</Text> and press Enter to roll back now; Esc or Ctrl-C cancels.
			</Text>
			<Text>
				{'> '}
				{value}
				<Text inverse> </Text>
			</Text>
			{wrong !== undefined ? <Text color={color ? 'red' : undefined}>✖ that is not "{word}"; nothing was changed. Type {word}, or press Esc to cancel.</Text> : null}
		</Box>
	);
}
