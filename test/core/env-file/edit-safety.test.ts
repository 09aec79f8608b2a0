import {describe, expect, it} from 'vitest';
import {editRefusal} from '../../../source/core/env-file/edit-safety.js';

const KEY = 'CAVRA_GO_BACKEND_MODE';

describe('env-file lines a rollback refuses to edit', () => {
	it.each([
		['CR-only line endings', 'A=1\rCAVRA_GO_BACKEND_MODE=promoted\r', 1, 'bare carriage return'],
		['one bare CR among LF lines', 'A=1\nB=2\rC=3\nCAVRA_GO_BACKEND_MODE=promoted\n', 2, 'bare carriage return'],
		['the value ends in a backslash', '# x\nCAVRA_GO_BACKEND_MODE=promoted\\\nOTHER=1\n', 2, 'ends in "\\"'],
		['a backslash at the very end', 'CAVRA_GO_BACKEND_MODE=promoted\\', 1, 'ends in "\\"'],
		['shell syntax: ;', 'A=1\nCAVRA_GO_BACKEND_MODE=promoted;echo\n', 2, 'shell syntax (";")'],
		['shell syntax: $(...)', 'CAVRA_GO_BACKEND_MODE=$(curl evil)\n', 1, 'shell syntax ("$")'],
		['shell syntax: a pipe', 'CAVRA_GO_BACKEND_MODE=promoted|x\n', 1, 'shell syntax ("|")'],
		['command substitution in double quotes', 'CAVRA_GO_BACKEND_MODE="`id`"\n', 1, 'shell syntax ("`")'],
		['a blank ends the assignment for sh, which then runs the rest', 'CAVRA_GO_BACKEND_MODE=promoted echo pwned\n', 1, 'shell syntax (" ")'],
		["the previous line's trailing backslash swallows the mode line", 'A=1\\\nCAVRA_GO_BACKEND_MODE=promoted\n', 2, 'part of the value of A on line 1'],
		['the second of two assignments', 'CAVRA_GO_BACKEND_MODE=shadow\nX=1\nexport CAVRA_GO_BACKEND_MODE=promoted&\n', 3, 'shell syntax ("&")'],
	])('%s: refused naming line %i', (_name, text, line, reason) => {
		const refusal = editRefusal(text, KEY);
		expect(refusal?.line).toBe(line);
		expect(refusal?.reason).toContain(reason);
	});

	it.each([
		['plain', 'CAVRA_GO_BACKEND_MODE=promoted\n'],
		['CRLF', 'A=1\r\nCAVRA_GO_BACKEND_MODE=promoted\r\n'],
		['quoted, with a comment', 'export CAVRA_GO_BACKEND_MODE="promoted" # set by ops\n'],
		['single quotes keep $ literal', "CAVRA_GO_BACKEND_MODE='promoted$'\n"],
		['shell syntax in another key is not ours to judge', 'HOOK=a;b\nCAVRA_GO_BACKEND_MODE=promoted\n'],
		['the key is absent', 'A=1\n'],
		['a comment that looks like the mode line', '# CAVRA_GO_BACKEND_MODE=promoted;echo\nCAVRA_GO_BACKEND_MODE=promoted # note\n'],
		['a blank before an inline comment', 'CAVRA_GO_BACKEND_MODE=promoted   # set by ops\n'],
	])('%s: editable', (_name, text) => {
		expect(editRefusal(text, KEY)).toBeUndefined();
	});

	it('stays linear: a 1 MB file with a bare CR at its end is judged in one pass', () => {
		const text = `${'PADDING_VALUE=abcdefghijklmnopqrstuvwxyz0123456789\n'.repeat(20_000)}CAVRA_GO_BACKEND_MODE=promoted\rX=1\n`;
		expect(text.length).toBeGreaterThan(1_000_000);
		expect(editRefusal(text, KEY)?.line).toBe(20_001);
	});
});
