import {Writable} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ExternalError} from '../../source/core/errors.js';
import {reportError} from '../../source/main.js';

function sink(): {stream: Writable; text(): string} {
	let text = '';
	const stream = new Writable({write: (chunk, _encoding, done) => ((text += String(chunk)), done())});
	return {stream, text: () => text};
}

const saved = process.env['CAVRA_TEST_DB_PASSWORD'];
afterEach(() => {
	if (saved === undefined) delete process.env['CAVRA_TEST_DB_PASSWORD'];
	else process.env['CAVRA_TEST_DB_PASSWORD'] = saved;
});

describe('errors are redacted like any other output', () => {
	it('hides engine-flagged secrets and secret env values in the message, the hint and an internal error', async () => {
		const github = `gh${'p_'}${'Qk7aZ0x9Lm'.repeat(4)}`;
		process.env['CAVRA_TEST_DB_PASSWORD'] = 'pw-from-env-7731';
		const out = sink();
		const code = await reportError(new ExternalError(`server answered "Authorization: Bearer ${github}"`, {hint: 'the password was pw-from-env-7731'}), out.stream);
		expect(code).toBe(3);
		await reportError(new Error(`boom with ${github}`), out.stream);
		expect(out.text()).not.toContain(github.slice(4, 12));
		expect(out.text()).not.toContain('pw-from-env');
		expect(out.text()).toContain('cavra-rollback: server answered "Authorization: Bearer <redacted>"');
		expect(out.text()).toContain('internal error: boom with <redacted>');
	});
});
