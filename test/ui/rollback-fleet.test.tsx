import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import type {FleetProgress} from '../../source/core/ansible/progress.js';
import {buildSteps, initialState, reduce, type RollbackState} from '../../source/core/rollback/machine.js';
import {progressLines} from '../../source/core/rollback/progress-lines.js';
import {RollbackScreen} from '../../source/ui/screens/rollback/rollback-screen.js';
import {RollbackStore} from '../../source/ui/screens/rollback/store.js';

/*
 * A fleet's restart on screen (Ink) and in the plain progress: a progress bar, a row per host
 * with its batch, state and elapsed time, and a failed host's stderr tail. The rows come from the
 * adapter already escaped; a host name that still holds a control character is escaped again.
 */

const strip = (text: string) => text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
const frame = (app: ReturnType<typeof render>) => strip([...app.frames].reverse().find(candidate => candidate.trim() !== '') ?? '');
const turn = () => new Promise(resolve => setTimeout(resolve, 20));
const ID = 'restart:api-fleet';

function started(): RollbackState {
	const steps = buildSteps({envFiles: [], batches: [[{name: 'api-fleet', kind: 'ansible'}]]});
	let state = initialState({runId: 'rb-1', kind: 'rollback', steps, budget: {maxRecoveryMinutes: 15, source: 'plan'}, nowMs: 0});
	state = reduce(state, {type: 'step-started', id: 'preflight', atMs: 0});
	state = reduce(state, {type: 'step-finished', id: 'preflight', status: 'done', atMs: 1});
	state = reduce(state, {type: 'phase', phase: 'running', atMs: 2});
	return reduce(state, {type: 'step-started', id: ID, atMs: 3});
}

const running: FleetProgress = {
	batches: 3,
	batch: 2,
	rows: [
		{host: 'web1', batch: 1, state: 'done', elapsedMs: 2100},
		{host: 'web2\u001b[2J', batch: 2, state: 'running', elapsedMs: 4200, detail: 'restarting'},
		{host: 'web3', batch: 3, state: 'pending', elapsedMs: null},
	],
};

const failed: FleetProgress = {
	batches: 3,
	batch: 2,
	rows: [
		{host: 'web1', batch: 1, state: 'done', elapsedMs: 2100},
		{host: 'web2\u001b[2J', batch: 2, state: 'failed', elapsedMs: 5000, detail: 'restart: non-zero return code: cannot bind :8000', stderrTail: 'starting\nloading config\nport 8000 in use\ncannot bind :8000'},
		{host: 'web3', batch: 3, state: 'not-touched', elapsedMs: null},
	],
};

describe('fleet rows on the rollback screen (Ink)', () => {
	it('while it runs: the bar, each host with batch n/m, state and elapsed time; then the failed host with its stderr tail', async () => {
		const store = new RollbackStore();
		const app = render(<RollbackScreen store={store} onStop={() => undefined} color={false} animate={false} />);
		let state = reduce(started(), {type: 'fleet', id: ID, progress: running});
		store.onState(state);
		await turn();
		let text = frame(app);
		expect(text).toContain('[#######-------------] 1/3 hosts · batch 2/3');
		expect(text).toContain('batch 1/3 web1: done (2.1 s)');
		expect(text).toContain('batch 2/3 web2\\x1b[2J: running (4.2 s) restarting');
		expect(text).toContain('batch 3/3 web3: pending');
		expect(text).not.toContain('\u001b[2J');

		state = reduce(state, {type: 'fleet', id: ID, progress: failed});
		state = reduce(state, {type: 'step-finished', id: ID, status: 'failed', detail: 'web2 failed at restart', atMs: 9000});
		store.onState(state);
		await turn();
		text = frame(app);
		expect(text).toContain('[####################] 3/3 hosts · batch 2/3 · 1 failed');
		expect(text).toContain('batch 2/3 web2\\x1b[2J: failed (5.0 s) restart: non-zero return code: cannot bind :8000');
		expect(text).toMatch(/│ port 8000 in use\s*\n\s*│ cannot bind :8000/);
		expect(text).not.toContain('│ starting');
		expect(text).toContain('batch 3/3 web3: not-touched');
		app.unmount();
	});

	it('many hosts: running and failed hosts are listed first, the rest summed up', async () => {
		const rows = Array.from({length: 30}, (_, index) => ({host: `web${index + 1}`, batch: Math.floor(index / 10) + 1, state: index < 10 ? ('done' as const) : index < 20 ? ('running' as const) : ('pending' as const), elapsedMs: index < 20 ? 1000 : null}));
		const store = new RollbackStore();
		const app = render(<RollbackScreen store={store} onStop={() => undefined} color={false} animate={false} />);
		store.onState(reduce(started(), {type: 'fleet', id: ID, progress: {batches: 3, batch: 2, rows}}));
		await turn();
		const text = frame(app);
		for (const host of ['web11', 'web20']) expect(text).toContain(`batch 2/3 ${host}: running`);
		expect(text).toContain('… 18 more hosts (10 done, 10 running, 10 pending)');
		app.unmount();
	});
});

describe('fleet lines in the plain progress', () => {
	it('a line when a host changes state (never for pending), the failed host\'s stderr tail, and the bar', () => {
		const first = reduce(started(), {type: 'fleet', id: ID, progress: running});
		const second = reduce(first, {type: 'fleet', id: ID, progress: failed});
		const lines = progressLines(first, second);
		expect(lines).toEqual([
			'  batch 2/3 web2\\x1b[2J: failed (5.0 s) restart: non-zero return code: cannot bind :8000',
			'      stderr: loading config',
			'      stderr: port 8000 in use',
			'      stderr: cannot bind :8000',
			'  batch 3/3 web3: not-touched',
			'  [####################] 3/3 hosts · batch 2/3 · 1 failed',
		]);
		// The same rows again (the elapsed-time tick): nothing new to say.
		expect(progressLines(second, reduce(second, {type: 'fleet', id: ID, progress: {...failed}}))).toEqual([]);
	});
});
