import {describe, expect, it} from 'vitest';
import {interruptedRestarts} from '../../source/io/rollback/resume.js';
import type {JournalEntry} from '../../source/io/rollback/effects.js';

const record = (step: string, phase: 'before' | 'after', detail: Record<string, unknown>, status?: string) => ({step, phase, detail, at: '2026-01-01T00:00:00Z', ...(status && {status})}) as unknown as JournalEntry;

describe('which restarts a resume must re-probe as interrupted', () => {
	it('a restart begun and never ended (killed) or journaled interrupted; a later attempt that ended clears it', () => {
		expect(
			interruptedRestarts([
				record('restart:a', 'before', {services: ['a']}),
				record('restart:a', 'after', {services: {a: {status: 'done'}}}, 'done'),
				record('restart-group:g', 'before', {services: ['b', 'c']}),
				record('restart-group:g', 'after', {services: {b: {status: 'interrupted'}, c: {status: 'failed'}}}, 'interrupted'),
				record('restart:d', 'before', {services: ['d']}),
			]),
		).toEqual(['b', 'd']);
		expect(
			interruptedRestarts([
				record('restart:d', 'before', {services: ['d']}),
				record('restart:d', 'before', {services: ['d']}),
				record('restart:d', 'after', {services: {d: {status: 'done'}}}, 'done'),
			]),
		).toEqual([]);
	});

	it('ignores records that are not restarts and details of the wrong shape', () => {
		expect(interruptedRestarts([record('verify', 'before', {services: ['x']}), record('restart:y', 'before', {services: 'y'}), record('restart:z', 'after', {services: ['z']})])).toEqual([]);
	});
});
