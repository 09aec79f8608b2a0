import {describe, expect, it} from 'vitest';
import {shellCommand, shellQuote} from '../../../source/core/text/shell-command.js';

describe('commands printed to be copied into a shell', () => {
	it('leaves plainly safe arguments alone and single-quotes everything else', () => {
		expect(shellQuote('rb-20260101T000000Z-abcdef')).toBe('rb-20260101T000000Z-abcdef');
		expect(shellQuote('/etc/cavra/.cavrarc.yaml')).toBe('/etc/cavra/.cavrarc.yaml');
		expect(shellQuote('my config.yaml')).toBe("'my config.yaml'");
		expect(shellQuote("it's")).toBe(`'it'\\''s'`);
		expect(shellQuote('$(rm -rf ~)`id`;|&')).toBe("'$(rm -rf ~)`id`;|&'");
		expect(shellQuote('')).toBe("''");
		expect(shellQuote('-')).toBe('-');
	});

	it('shows hidden characters escaped instead of sending them to the terminal', () => {
		const line = shellCommand(['cavra-rollback', '--config', 'a\u001b]0;pwned\u0007b\u202e.yaml']);
		expect(line).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
		expect(line).toContain('\\x1b');
		expect(line).toContain('\\u202e');
	});
});
