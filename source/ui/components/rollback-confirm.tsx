import {Box, useInput, useStdin} from 'ink';
import {Text} from './text.js';
import {useRef, useState} from 'react';

/**
 * Type-to-confirm: the operator types the word (`disable`) and presses Enter; Esc or Ctrl-C
 * declines (the screen handles those). A one-word field of its own rather than a general text
 * input: every key is applied to the latest value (a functional update), so fast typing or a
 * paste ("disable⏎" in one chunk) is never garbled by a render that has not happened yet.
 */
export function RollbackConfirm({word, onAnswer, color}: {word: string; onAnswer(ok: boolean): void; color: boolean}) {
	const [value, setValue] = useState('');
	const [wrong, setWrong] = useState<string | undefined>();
	// The value as keys arrive, ahead of React's render.
	const typed = useRef('');
	const {isRawModeSupported} = useStdin();

	const set = (next: string) => {
		typed.current = next;
		setValue(next);
	};
	const submit = (submitted: string) => {
		set('');
		if (submitted.trim() === word) onAnswer(true);
		else setWrong(submitted.trim());
	};

	useInput(
		(input, key) => {
			if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
			if (key.return) return submit(typed.current);
			if (key.backspace || key.delete) return set(typed.current.slice(0, -1));
			// A paste carries its own Enter: what precedes it is the answer.
			const newline = input.search(/[\r\n]/);
			if (newline >= 0) return submit(typed.current + input.slice(0, newline));
			// Only printable text; the word is short, so is the field.
			const text = input.replace(/[\u0000-\u001F\u007F]/g, '');
			if (text === '') return;
			setWrong(undefined);
			set((typed.current + text).slice(0, 64));
		},
		{isActive: isRawModeSupported === true},
	);

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
