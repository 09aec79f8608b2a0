import {useReducer, useRef} from 'react';
import {editLine, type LineState} from '../../core/keys/line-editor.js';
import {visible} from '../../core/text/sanitize.js';
import {useKeypress} from '../keys/use-keypress.js';
import {Text} from './text.js';

export interface TextInputProps {
	value: string;
	onChange(value: string): void;
	onSubmit?(value: string): void;
	/** False while another part of the screen reads the keys. */
	focus?: boolean;
	placeholder?: string;
}

/**
 * A one-line text field that edits like readline (see core/keys/line-editor.ts: ←/→, Home/End,
 * Ctrl+A/E, Backspace vs Delete, Ctrl+U/W/K, word moves, paste), with a visible cursor. The value
 * is shown through the terminal sanitizer: a field opened on a plan that already holds an escape
 * sequence or a bidi override shows `\x1b` or `\u202e`, which the author can then delete. Every
 * key of a batch applies to the latest text (kept in a ref ahead of the parent's render), so a
 * held Backspace or fast typing is never lost.
 */
export function TextInput({value, onChange, onSubmit, focus = true, placeholder = ''}: TextInputProps) {
	const [, rendered] = useReducer((count: number) => count + 1, 0);
	const line = useRef<LineState>({value, cursor: value.length});
	const seen = useRef(value);
	// The parent changed the value itself (another item, or it cleaned what we sent): follow it.
	if (value !== seen.current) {
		seen.current = value;
		if (value !== line.current.value) line.current = {value, cursor: value.length};
	}

	useKeypress(
		key => {
			const edit = editLine(line.current, key);
			if (!edit) return;
			const changed = edit.value !== line.current.value;
			const moved = edit.cursor !== line.current.cursor;
			line.current = {value: edit.value, cursor: edit.cursor};
			if (changed) onChange(edit.value);
			else if (moved) rendered();
			if (edit.submit) onSubmit?.(edit.value);
		},
		{isActive: focus},
	);

	const {value: text, cursor} = line.current;
	if (text === '') {
		return (
			<Text>
				{focus ? <Text inverse>{placeholder.slice(0, 1) || ' '}</Text> : null}
				<Text dimColor>{focus ? placeholder.slice(1) : placeholder}</Text>
			</Text>
		);
	}
	const at = text.codePointAt(cursor);
	const width = at === undefined ? 0 : at > 0xffff ? 2 : 1;
	return (
		<Text>
			{visible(text.slice(0, cursor))}
			{focus ? <Text inverse>{at === undefined ? ' ' : visible(text.slice(cursor, cursor + width))}</Text> : visible(text.slice(cursor, cursor + width))}
			{visible(text.slice(cursor + width))}
		</Text>
	);
}
