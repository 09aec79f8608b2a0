import {Box} from 'ink';
import {Text} from './text.js';
import type {PlacedFinding} from '../../core/author/findings.js';
import {findingText} from '../../core/author/findings.js';

/** Findings next to the field they concern: the message says what is wrong and how to fix it. */
export function AuthorFindings({findings, indent = 0, limit = 6}: {findings: readonly PlacedFinding[]; indent?: number; limit?: number}) {
	if (findings.length === 0) return null;
	const shown = findings.slice(0, limit);
	return (
		<Box flexDirection="column" marginLeft={indent}>
			{shown.map(({finding}, index) => (
				<Text key={`${finding.rule}-${finding.pointer}-${index}`} color={finding.severity === 'error' ? 'red' : 'yellow'} wrap="wrap">
					{finding.severity === 'error' ? '✖ ' : '⚠ '}
					{findingText(finding)}
				</Text>
			))}
			{findings.length > shown.length ? <Text dimColor>… and {findings.length - shown.length} more (see Review)</Text> : null}
		</Box>
	);
}
