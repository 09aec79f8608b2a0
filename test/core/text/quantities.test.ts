import {describe, expect, it} from 'vitest';
import {formatDays as dashboardDays, plural as dashboardPlural} from '../../../source/core/dashboard/format.js';
import {plural as authorPlural} from '../../../source/core/author/findings.js';
import {agree, formatClock, formatDays, formatDuration, plural} from '../../../source/core/text/quantities.js';

describe('one rounding rule for durations and days (rounded down to the precision shown)', () => {
	it('a duration: ms under a tenth, one decimal under a minute, then whole units; never rounded up into the next unit', () => {
		expect(formatDuration(40)).toBe('40 ms');
		expect(formatDuration(700)).toBe('0.7 s');
		expect(formatDuration(650)).toBe('0.6 s');
		expect(formatDuration(2000)).toBe('2.0 s');
		expect(formatDuration(4_690)).toBe('4.6 s');
		expect(formatDuration(59_960)).toBe('59.9 s');
		expect(formatDuration(60_000)).toBe('1 min 0 s');
		expect(formatDuration(119_999)).toBe('1 min 59 s');
		expect(formatDuration(3_600_000 + 61_000)).toBe('1 h 1 min');
		expect(formatDuration(-700)).toBe('0.7 s');
		expect(formatDuration(Infinity)).toBe('∞');
	});

	it('a 0.7 s recovery is 0.7 s, and its clock is 00:00, not 00:01', () => {
		expect(formatDuration(700)).toBe('0.7 s');
		expect(formatClock(700)).toBe('00:00');
		expect(formatClock(29_500)).toBe('00:29');
		expect(formatClock(3_600_000 + 61_000)).toBe('1:01:01');
		expect(formatClock(-5)).toBe('00:00');
		expect(formatClock(Infinity)).toBe('∞');
	});

	it('days: whole from 10, one decimal under 10, hours under a day; 89.96 days is 89 everywhere', () => {
		expect(formatDays(89.96)).toBe('89 days');
		expect(formatDays(10)).toBe('10 days');
		expect(formatDays(9.99)).toBe('9.9 days');
		expect(formatDays(4.9)).toBe('4.9 days');
		expect(formatDays(2)).toBe('2 days');
		expect(formatDays(1.04)).toBe('1 day');
		expect(formatDays(-3.25)).toBe('3.2 days');
		expect(formatDays(0.25)).toBe('6 hours');
		expect(formatDays(1 / 24)).toBe('1 hour');
		expect(formatDays(0.01)).toBe('under an hour');
	});

	it('plural and agreement: one module, re-exported where the dashboard and the author read it', () => {
		expect(plural(1, 'error')).toBe('1 error');
		expect(plural(0, 'error')).toBe('0 errors');
		expect(plural(2, 'batch', 'batches')).toBe('2 batches');
		expect(`${plural(1, 'error finding')} ${agree(1, 'remains', 'remain')}`).toBe('1 error finding remains');
		expect(`${plural(3, 'error finding')} ${agree(3, 'remains', 'remain')}`).toBe('3 error findings remain');
		expect(dashboardPlural).toBe(plural);
		expect(authorPlural).toBe(plural);
		expect(dashboardDays).toBe(formatDays);
	});
});
