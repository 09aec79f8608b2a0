/** A fleet's live rows and per-batch records, from the events our callback writes. */
import {describe, expect, it} from 'vitest';
import type {AnsibleEvent} from '../../../source/core/ansible/events.js';
import {TASK} from '../../../source/core/ansible/playbook.js';
import {endedBatches, fleetProgress} from '../../../source/core/ansible/progress.js';

const play = (t: number): AnsibleEvent => ({event: 'play', t});
const result = (host: string, task: string, t: number, status: AnsibleEvent['status'] = 'ok', extra: Record<string, unknown> = {}): AnsibleEvent => ({event: 'result', host, task, status, t, result: extra});
const shape = {batches: [['web1'], ['web2'], ['web3']], hasVerify: true};

describe('fleet progress', () => {
	it('while batch 2 runs: web1 done with its time, web2 running for as long as its batch, web3 pending; batch 1 has ended', () => {
		const events = [play(100), result('web1', TASK.setMode, 101), result('web1', TASK.restart, 102, 'ok', {rc: 0}), result('web1', TASK.verify, 103.5), play(104), result('web2', TASK.setMode, 105)];
		const progress = fleetProgress(events, shape, 110, true);
		expect(progress.batch).toBe(2);
		expect(progress.rows).toEqual([
			{host: 'web1', batch: 1, state: 'done', elapsedMs: 3500},
			{host: 'web2', batch: 2, state: 'running', elapsedMs: 6000, detail: 'restarting'},
			{host: 'web3', batch: 3, state: 'pending', elapsedMs: null},
		]);
		expect(endedBatches(events, shape, true)).toEqual([{batch: 1, batches: 3, result: 'done', hosts: [{host: 'web1', state: 'done'}]}]);
	});

	it('a failed canary: its stderr tail in the row, the rest not touched once ansible-playbook has ended, one failed batch record', () => {
		const events = [play(100), result('web1', TASK.setMode, 101), result('web1', TASK.restart, 102, 'failed', {rc: 7, msg: 'non-zero return code', stderr: 'starting\ncannot bind :8000'})];
		const progress = fleetProgress(events, shape, 103, false);
		expect(progress.rows.map(row => [row.host, row.state])).toEqual([['web1', 'failed'], ['web2', 'not-touched'], ['web3', 'not-touched']]);
		expect(progress.rows[0]).toMatchObject({detail: 'restart: non-zero return code: cannot bind :8000', stderrTail: 'starting\ncannot bind :8000'});
		expect(endedBatches(events, shape, false)).toEqual([{batch: 1, batches: 3, result: 'failed', hosts: [{host: 'web1', state: 'failed', failedStep: 'restart'}]}]);
	});

	it('a resumed run lists the hosts it skipped first; a host cut off before verify is not done', () => {
		const events = [play(100), result('web2', TASK.setMode, 101), result('web2', TASK.restart, 102)];
		const progress = fleetProgress(events, {batches: [['web2', 'web3']], hasVerify: true, skipped: ['web1']}, 103, false);
		expect(progress.rows.map(row => [row.host, row.batch, row.state])).toEqual([['web1', 0, 'skipped'], ['web2', 1, 'failed'], ['web3', 1, 'not-touched']]);
	});

	it('a verify that ran out of the recovery budget says so, with the last mode seen', () => {
		const events = [play(100), result('web1', TASK.setMode, 101), result('web1', TASK.restart, 102), result('web1', TASK.verify, 160, 'failed', {attempts: 12, json: {mode: 'promoted'}})];
		expect(fleetProgress(events, shape, 161, false).rows[0]!.detail).toBe('verify: not back in the expected mode before the recovery budget ran out (12 tries, last answer mode promoted)');
	});
});
