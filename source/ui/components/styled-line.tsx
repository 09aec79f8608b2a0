import {Text} from './text.js';
import type {Tone} from '../../core/dashboard/format.js';

/** One pre-measured line of styled segments. Colour follows the tone; the text itself always carries a symbol or word. */

export interface StyledSegment {
	text: string;
	tone?: Tone;
	bold?: boolean;
	dim?: boolean;
}

const toneColors: Record<Tone, string> = {ok: 'green', warn: 'yellow', bad: 'red', neutral: 'gray', pending: 'cyan'};

export function StyledLine({segments, color}: {segments: readonly StyledSegment[]; color: boolean}) {
	return (
		<Text wrap="truncate-end">
			{segments.length === 0 || segments.every(segment => segment.text === '') ? ' ' : null}
			{segments.map((segment, index) => (
				<Text key={index} bold={segment.bold} dimColor={segment.dim} color={color && segment.tone ? toneColors[segment.tone] : undefined}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
}
