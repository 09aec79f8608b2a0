import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {setEnvValue, unifiedDiff} from '../../../source/core/env-file/patch.js';

/** Apply a unified diff to `before` (strictly: context and removed lines must match). */
function applyDiff(before: string, diff: string): string {
	if (diff === '') return before;
	const lines = diff.split('\n');
	lines.pop();
	const old = splitKeep(before);
	const out: string[] = [];
	let cursor = 0;
	let index = 2;
	while (index < lines.length) {
		const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(lines[index]!);
		if (!header) throw new Error(`bad hunk header: ${lines[index]}`);
		const oldStart = Number(header[1]);
		const oldCount = header[2] === undefined ? 1 : Number(header[2]);
		const firstOld = oldCount === 0 ? oldStart : oldStart - 1;
		while (cursor < firstOld) out.push(old[cursor++]!);
		index += 1;
		while (index < lines.length && !lines[index]!.startsWith('@@')) {
			const line = lines[index]!;
			const noEol = lines[index + 1] === '\\ No newline at end of file';
			const text = line.slice(1) + (noEol ? '' : '\n');
			if (line[0] === ' ' || line[0] === '-') {
				if (old[cursor] !== text) throw new Error(`context mismatch at old line ${cursor + 1}: ${JSON.stringify(old[cursor])} vs ${JSON.stringify(text)}`);
				if (line[0] === ' ') out.push(text);
				cursor += 1;
			} else if (line[0] === '+') out.push(text);
			else throw new Error(`bad diff line: ${line}`);
			index += noEol ? 2 : 1;
		}
	}
	while (cursor < old.length) out.push(old[cursor++]!);
	return out.join('');
}

function splitKeep(text: string): string[] {
	return text === '' ? [] : (text.match(/[^\n]*\n|[^\n]+$/g) ?? []);
}

describe('unifiedDiff', () => {
	it('one replaced line with 3 lines of context', () => {
		const before = 'a\nb\nc\nd\nMODE=promoted\ne\nf\ng\nh\n';
		const after = before.replace('promoted', 'disabled');
		expect(unifiedDiff('/etc/cavra/cavra.env', before, after)).toBe(
			'--- /etc/cavra/cavra.env\n+++ /etc/cavra/cavra.env\n@@ -2,7 +2,7 @@\n b\n c\n d\n-MODE=promoted\n+MODE=disabled\n e\n f\n g\n',
		);
	});

	it('an appended line to a file without a trailing newline', () => {
		expect(unifiedDiff('f.env', 'A=1', 'A=1\nMODE=disabled\n')).toBe('--- f.env\n+++ f.env\n@@ -1 +1,2 @@\n-A=1\n\\ No newline at end of file\n+A=1\n+MODE=disabled\n');
	});

	it('a created file', () => {
		expect(unifiedDiff('f.env', '', 'MODE=disabled\n')).toBe('--- f.env\n+++ f.env\n@@ -0,0 +1 @@\n+MODE=disabled\n');
	});

	it('far-apart changes make separate hunks; close ones share one', () => {
		const lines = Array.from({length: 20}, (_, i) => `L${i}=x`);
		const before = `${lines.join('\n')}\n`;
		const after = before.replace('L1=x', 'L1=y').replace('L18=x', 'L18=y');
		const diff = unifiedDiff('f', before, after);
		expect(diff.match(/^@@/gm)).toHaveLength(2);
		expect(diff).toContain('@@ -1,5 +1,5 @@');
		expect(diff).toContain('@@ -16,5 +16,5 @@');
		const near = before.replace('L5=x', 'L5=y').replace('L10=x', 'L10=y');
		expect(unifiedDiff('f', before, near).match(/^@@/gm)).toHaveLength(1);
	});

	it('CRLF lines keep their \\r (the diff applies with patch)', () => {
		const diff = unifiedDiff('f', 'A=1\r\nMODE=x\r\n', 'A=1\r\nMODE=disabled\r\n');
		expect(diff).toContain('-MODE=x\r\n+MODE=disabled\r\n');
	});

	it('no change, no diff', () => {
		expect(unifiedDiff('f', 'A=1\n', 'A=1\n')).toBe('');
	});

	it('applying the diff to before gives after (arbitrary line edits)', () => {
		const text = fc.array(fc.constantFrom('A=1', 'B=2', '# c', '', 'MODE=x', 'MODE=y', 'C=3\r'), {maxLength: 15}).chain(lines =>
			fc.boolean().map(trailing => lines.join('\n') + (trailing && lines.length > 0 ? '\n' : '')),
		);
		fc.assert(
			fc.property(text, text, fc.integer({min: 0, max: 4}), (before, after, context) => {
				expect(applyDiff(before, unifiedDiff('f', before, after, {context}))).toBe(after);
			}),
			{numRuns: 1000},
		);
	});

	it('applying the diff of setEnvValue gives its result', () => {
		const before = '# x\nA=1\nMODE=promoted\nB=2\nMODE = shadow # c\nC=3';
		const after = setEnvValue(before, 'MODE', 'disabled').text;
		expect(applyDiff(before, unifiedDiff('f', before, after))).toBe(after);
	});
});
