import {Box} from 'ink';
import {useKeypress} from '../keys/use-keypress.js';
import {Text} from './text.js';
import type {ReactNode} from 'react';

export interface MultiSelectOption {
	value: string;
	label: string;
	required?: boolean;
	description?: string;
}

export interface AuthorMultiSelectProps {
	options: readonly MultiSelectOption[];
	checked: readonly string[];
	cursor: number;
	isActive: boolean;
	onCursor(index: number): void;
	onToggle(value: string): void;
	onConfirm(): void;
	/** `a`: add a custom option (the caller shows a text field). */
	onAdd?(): void;
	/** Rendered under an option (e.g. its findings). */
	renderExtra?(option: MultiSelectOption): ReactNode;
}

/** A checkbox list: ↑/↓ move, space toggles, enter confirms, `a` adds a custom option. */
export function AuthorMultiSelect({options, checked, cursor, isActive, onCursor, onToggle, onConfirm, onAdd, renderExtra}: AuthorMultiSelectProps) {
	useKeypress(
		key => {
			const input = key.ctrl || key.meta || key.paste ? '' : key.input;
			if (key.name === 'up') onCursor(cursor <= 0 ? options.length - 1 : cursor - 1);
			else if (key.name === 'down') onCursor(cursor >= options.length - 1 ? 0 : cursor + 1);
			else if (input === ' ') {
				const option = options[cursor];
				if (option) onToggle(option.value);
			} else if (key.name === 'return') onConfirm();
			else if ((input === 'a' || input === 'A') && onAdd) onAdd();
		},
		{isActive},
	);
	return (
		<Box flexDirection="column">
			{options.map((option, index) => {
				const isChecked = checked.includes(option.value);
				const highlighted = index === cursor;
				return (
					<Box key={option.value} flexDirection="column">
						<Text color={highlighted && isActive ? 'cyan' : undefined}>
							{highlighted ? '› ' : '  '}
							{isChecked ? '[x] ' : '[ ] '}
							{option.label}
							{option.required ? <Text dimColor> (required)</Text> : null}
						</Text>
						{highlighted && option.description ? (
							<Text dimColor>
								{'      '}
								{option.description}
							</Text>
						) : null}
						{renderExtra ? renderExtra(option) : null}
					</Box>
				);
			})}
		</Box>
	);
}
