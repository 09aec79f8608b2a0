import {describe, expect, it} from 'vitest';
import {didYouMean, editDistance} from '../../../source/core/text/did-you-mean.js';

describe('editDistance', () => {
	it('counts inserts, deletes, substitutions, and a swap of neighbours as one', () => {
		expect(editDistance('plan', 'plan')).toBe(0);
		expect(editDistance('plann', 'plan')).toBe(1);
		expect(editDistance('pln', 'plan')).toBe(1);
		expect(editDistance('plon', 'plan')).toBe(1);
		expect(editDistance('unti', 'unit')).toBe(1);
		expect(editDistance('', 'abc')).toBe(3);
		expect(editDistance('kitten', 'sitting')).toBe(3);
	});
});

describe('didYouMean', () => {
	const kinds = ['systemd', 'launchd', 'kubernetes', 'pm2', 'command'];
	it('suggests the closest name for a typo, ignoring case', () => {
		expect(didYouMean('systemdd', kinds)).toBe('systemd');
		expect(didYouMean('Kubernets', kinds)).toBe('kubernetes');
		expect(didYouMean('tokenenv', ['url', 'tokenEnv', 'timeoutMs'])).toBe('tokenEnv');
	});
	it('stays silent when nothing is close, and on empty or huge input', () => {
		expect(didYouMean('nomad', kinds)).toBeUndefined();
		expect(didYouMean('pm', ['pm2', 'url'])).toBe('pm2');
		expect(didYouMean('x', ['url'])).toBeUndefined();
		expect(didYouMean('', kinds)).toBeUndefined();
		expect(didYouMean('s'.repeat(100_000), kinds)).toBeUndefined();
	});
});
