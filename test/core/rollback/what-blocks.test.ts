/*
 * One answer to "what blocks a rollback": the dashboard's legend and verdict details and
 * `rollback --help` read the same sentences, and they match what the runner does (a missing
 * plan is recorded and the rollback goes ahead; see test/e2e/rollback-safety.test.ts).
 */
import {describe, expect, it} from 'vitest';
import {initialView} from '../../../source/core/dashboard/index.js';
import {NOT_READY_TITLE, NOT_READY_WORDS, NOTHING_KEEPS_FROM_READY, ROLLBACK_NEVER_BLOCKED, ROLLBACK_STOPPED_BY} from '../../../source/core/rollback/what-blocks.js';
import {frameFor, frameText} from '../../../source/ui/screens/dashboard/layout.js';
import {runCli} from '../../helpers/cli.js';
import {readyStore} from '../../ui/dashboard-harness.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describe('what blocks a rollback: one answer everywhere', () => {
	it('rollback --help says the shared sentences', () => {
		const help = oneLine(runCli(['rollback', '--help']).stdout);
		expect(help).toContain(ROLLBACK_NEVER_BLOCKED);
		expect(help).toContain(ROLLBACK_STOPPED_BY);
	});

	it("the dashboard's legend and verdict details speak of readiness, never of a blocked rollback", () => {
		const state = readyStore().getState();
		const help = frameText(frameFor({state, view: {...initialView, mode: 'help'}, width: 100, height: 30}));
		expect(help).toContain(`✖ ${NOT_READY_WORDS}`);
		const details = frameText(frameFor({state, view: {...initialView, mode: 'details', selected: 0}, width: 100, height: 30}));
		expect(details).toContain(NOT_READY_TITLE);
		expect(details).toContain(NOTHING_KEEPS_FROM_READY);
		for (const text of [help, details]) expect(text.replace(/never blocks a rollback/g, '')).not.toMatch(/blocks? a rollback/);
	});
});
