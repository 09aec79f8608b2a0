import {describe, expect, it} from 'vitest';
import {displayWidth, wrapHelp} from '../../../source/core/text/wrap.js';

/*
 * `--help` laid out as gh and git do at any width: a description wraps under its own column,
 * never under commander's indent; prose fills at the left edge; commands stay whole.
 */

const OPTIONS = [
	'Options:',
	'  -t, --template <name>     start from this template (see: cavra-rollback templates)',
	'  --plain                   ask line by line instead of the full-screen wizard (screen readers,',
	'                            simple terminals)',
	'  -h, --help                show this help',
].join('\n');

describe('wrapHelp', () => {
	it('hangs an option description under the description column, joining the lines commander already wrapped', () => {
		expect(wrapHelp(OPTIONS, 60).split('\n')).toEqual([
			'Options:',
			'  -t, --template <name>     start from this template (see:',
			'                            cavra-rollback templates)',
			'  --plain                   ask line by line instead of the',
			'                            full-screen wizard (screen',
			'                            readers, simple terminals)',
			'  -h, --help                show this help',
		]);
	});

	it('leaves text that fits as written (commander at 100 columns) and is stable when applied twice', () => {
		expect(wrapHelp(OPTIONS, 100)).toBe(OPTIONS);
		const once = wrapHelp(OPTIONS, 60);
		expect(wrapHelp(once, 60)).toBe(once);
	});

	it('puts descriptions under their terms when the column leaves under 24 columns, for the whole table', () => {
		const table = ['  --rollback-drill-history-path <path>  drill history (else $CAVRA_GO_ROLLBACK_DRILL_HISTORY)', '  -h, --help                            show this help'].join('\n');
		expect(wrapHelp(table, 60).split('\n')).toEqual(['  --rollback-drill-history-path <path>', '      drill history (else $CAVRA_GO_ROLLBACK_DRILL_HISTORY)', '  -h, --help', '      show this help']);
	});

	it('fills prose at the left edge with no hanging indent, or under the indent its author gave ("Exit codes: ")', () => {
		const prose = 'Saving: atomic (temporary file + rename), keeps the permissions, asks before\noverwriting and keeps the old file.';
		expect(wrapHelp(prose, 40).split('\n')).toEqual(['Saving: atomic (temporary file +', 'rename), keeps the permissions, asks', 'before overwriting and keeps the old', 'file.']);
		const codes = 'Exit codes: 0 ok/ready, 1 findings/needs_attention/not verified,\n            3 an external step failed, 130 cancelled.';
		expect(wrapHelp(codes, 50).split('\n')).toEqual(['Exit codes: 0 ok/ready, 1', '            findings/needs_attention/not verified,', '            3 an external step failed, 130', '            cancelled.']);
	});

	it('never breaks a command: an example, its backslash continuation, a labelled command', () => {
		const example = 'Example: cavra-rollback author --template standard --out plan.json \\\n           --set approval_id=CAB-1234 --set max_recovery_minutes=20';
		expect(wrapHelp(example, 60).split('\n')).toEqual([
			'Example:',
			'  cavra-rollback author --template standard --out plan.json \\',
			'           --set approval_id=CAB-1234 --set max_recovery_minutes=20',
		]);
	});

	it('no line is wider than the width except a command or a lone word', () => {
		const text = [OPTIONS, '', 'Modes:', '  in a terminal               the wizard: template, approval, recovery time, controls, steps,', '                              evidence refs, review, save (esc back, tab next, ctrl+c quit)'].join('\n');
		for (const width of [40, 60, 100]) for (const line of wrapHelp(text, width).split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
	});
});
