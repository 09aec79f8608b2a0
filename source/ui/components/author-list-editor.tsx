import {Box} from 'ink';
import {useKeypress} from '../keys/use-keypress.js';
import {Text} from './text.js';
import {TextInput} from './text-input.js';
import type {ReactNode} from 'react';

export interface AuthorListEditorProps {
	items: readonly string[];
	/** What each item shows when not being edited (masked when flagged). */
	display(index: number): string;
	cursor: number;
	/** Index being edited, if any. */
	editing: number | undefined;
	/** False while another part of the screen owns the keyboard. */
	isActive: boolean;
	noun: string;
	placeholder: string;
	numbered?: boolean;
	onCursor(index: number): void;
	onAdd(): void;
	onEdit(): void;
	onText(text: string): void;
	onEditEnd(): void;
	onDelete(): void;
	onMove?(delta: -1 | 1): void;
	/** Rendered under an item (its findings). */
	renderExtra?(index: number): ReactNode;
}

/**
 * An editable list: ↑/↓ select, enter edit, `a` add after, `d` delete, shift+↑/↓ (or K/J) move.
 * While an item is edited, only the text field reads keys; enter or esc ends the edit.
 */
export function AuthorListEditor(props: AuthorListEditorProps) {
	const {items, cursor, editing, isActive, onCursor, onAdd, onEdit, onDelete, onMove} = props;
	useKeypress(
		key => {
			const input = key.ctrl || key.meta || key.paste ? '' : key.input;
			if ((key.shift && key.name === 'up') || input === 'K') onMove?.(-1);
			else if ((key.shift && key.name === 'down') || input === 'J') onMove?.(1);
			else if (key.name === 'up') onCursor(Math.max(0, cursor - 1));
			else if (key.name === 'down') onCursor(Math.min(items.length - 1, cursor + 1));
			else if (key.name === 'return') onEdit();
			else if (input === 'a' || input === 'A') onAdd();
			else if (input === 'd' || key.name === 'delete') onDelete();
		},
		{isActive: isActive && editing === undefined},
	);
	return (
		<Box flexDirection="column">
			{items.length === 0 ? <Text dimColor>  (no {props.noun}s yet: press a to add one)</Text> : null}
			{items.map((item, index) => {
				const highlighted = index === cursor;
				const number = props.numbered ? `${index + 1}. ` : '• ';
				return (
					<Box key={index} flexDirection="column">
						{editing === index ? (
							<Box>
								<Text color="cyan">{'› '}{number}</Text>
								<TextInput
									key={`edit-${index}`}
									value={item}
									focus={isActive}
									placeholder={props.placeholder}
									onChange={props.onText}
									onSubmit={props.onEditEnd}
								/>
							</Box>
						) : (
							<Text color={highlighted && isActive ? 'cyan' : undefined} wrap="wrap">
								{highlighted ? '› ' : '  '}
								{number}
								{item === '' ? <Text dimColor>(empty)</Text> : props.display(index)}
							</Text>
						)}
						{props.renderExtra ? props.renderExtra(index) : null}
					</Box>
				);
			})}
		</Box>
	);
}
