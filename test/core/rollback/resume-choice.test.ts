import {describe, expect, it} from 'vitest';
import {chooseRunToResume, type RunRow} from '../../../source/core/rollback/resume-choice.js';

const row = (id: string, kind: RunRow['kind'], result: RunRow['result']): RunRow => ({id, kind, result});

describe('rollback --resume without a run id', () => {
	it('continues the newest run of the same kind when it did not recover', () => {
		const runs = [row('rb-3', 'rehearsal', 'incomplete'), row('rb-2', 'rollback', 'partial'), row('rb-1', 'rollback', 'incomplete')];
		expect(chooseRunToResume(runs, 'rollback', '/ev')).toBe('rb-2');
		expect(chooseRunToResume(runs, 'rehearsal', '/ev')).toBe('rb-3');
	});

	it.each(['incomplete', 'failed', 'cancelled', 'partial'] as const)('a %s run is continued', result => {
		expect(chooseRunToResume([row('rb-1', 'rollback', result)], 'rollback', '/ev')).toBe('rb-1');
	});

	it('refuses when the newest run recovered, rather than reaching back to an older interrupted one', () => {
		const runs = [row('rb-2', 'rollback', 'recovered'), row('rb-1', 'rollback', 'incomplete')];
		expect(() => chooseRunToResume(runs, 'rollback', '/ev')).toThrow('the latest rollback run, rb-2, recovered: nothing to resume');
	});

	it('refuses when there is no run of that kind, naming the folder and how to pick one', () => {
		let message = '';
		try {
			chooseRunToResume([row('rb-1', 'rehearsal', 'failed'), row('rb-0', null, 'unreadable')], 'rollback', '/srv/evidence');
		} catch (error) {
			message = `${(error as Error).message} ${(error as {hint?: string}).hint ?? ''}`;
		}
		expect(message).toContain('no rollback run in /srv/evidence to resume');
		expect(message).toContain('cavra-rollback evidence list');
	});
});
