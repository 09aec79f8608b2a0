import {Box} from 'ink';
import {useRef, useState} from 'react';
import {useKeypress} from '../keys/use-keypress.js';
import {Text} from './text.js';

export interface SelectItem<V> {
	key?: string;
	label: string;
	value: V;
}

export interface SelectListProps<V> {
	items: readonly SelectItem<V>[];
	initialIndex?: number;
	isFocused?: boolean;
	onSelect(item: SelectItem<V>): void;
	onHighlight?(item: SelectItem<V>): void;
}

/**
 * A vertical list to choose from, with ink-select-input's look (`❯` and the row in blue) plus bold,
 * so the row shows without colour. Reads keys through `useKeypress`: every key of a batch counts
 * (three Down in one read move three rows) because the highlighted row lives in a ref that each
 * key updates at once, ahead of React's render. ↑/↓ or k/j move (wrapping), Home/End jump,
 * 1–9 choose that row, Enter chooses the highlighted one.
 */
export function SelectList<V>({items, initialIndex = 0, isFocused = true, onSelect, onHighlight}: SelectListProps<V>) {
	const clamp = (index: number) => Math.max(0, Math.min(items.length - 1, index));
	const [highlighted, setHighlighted] = useState(() => clamp(initialIndex));
	const current = useRef(highlighted);
	// New items (another step's list) start again at the top, as ink-select-input did.
	const values = useRef(items.map(item => item.value));
	if (!sameValues(values.current, items)) {
		values.current = items.map(item => item.value);
		current.current = 0;
		if (highlighted !== 0) setHighlighted(0);
	}

	const move = (index: number) => {
		if (items.length === 0) return;
		const next = ((index % items.length) + items.length) % items.length;
		if (next === current.current) return;
		current.current = next;
		setHighlighted(next);
		onHighlight?.(items[next]!);
	};

	useKeypress(
		key => {
			if (key.ctrl || key.meta || key.paste) return;
			if (key.name === 'up' || key.input === 'k') move(current.current - 1);
			else if (key.name === 'down' || key.input === 'j') move(current.current + 1);
			else if (key.name === 'home' || key.name === 'pageup') move(0);
			else if (key.name === 'end' || key.name === 'pagedown') move(items.length - 1);
			else if (key.name === 'return') {
				const item = items[current.current];
				if (item) onSelect(item);
			} else if (/^[1-9]$/.test(key.input)) {
				const item = items[Number(key.input) - 1];
				if (item) {
					move(Number(key.input) - 1);
					onSelect(item);
				}
			}
		},
		{isActive: isFocused},
	);

	return (
		<Box flexDirection="column">
			{items.map((item, index) => {
				const selected = index === highlighted;
				return (
					<Box key={item.key ?? String(index)}>
						<Box marginRight={1}>{selected ? <Text color="blue">❯</Text> : <Text> </Text>}</Box>
						<Text color={selected ? 'blue' : undefined} bold={selected}>
							{item.label}
						</Text>
					</Box>
				);
			})}
		</Box>
	);
}

function sameValues<V>(values: readonly V[], items: readonly SelectItem<V>[]): boolean {
	return values.length === items.length && items.every((item, index) => Object.is(item.value, values[index]));
}
