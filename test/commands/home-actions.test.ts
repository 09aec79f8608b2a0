/** The home menu's choices, from the built CLI (it offers a command only when its module is built). */
import {describe, expect, it} from 'vitest';

type Actions = (hasPlan: boolean, hasPromotion?: boolean) => Array<{argv: string[] | null}>;

describe('home menu', () => {
	it('offers evidence attach when a plan and promotion evidence are configured, and only then', async () => {
		const {availableActions} = (await import(new URL('../../dist/commands/home.js', import.meta.url).href)) as {availableActions: Actions};
		const argvs = (hasPlan: boolean, hasPromotion: boolean) => availableActions(hasPlan, hasPromotion).map(action => action.argv?.join(' '));
		expect(argvs(true, true)).toContain('evidence attach');
		expect(argvs(true, false)).not.toContain('evidence attach');
		expect(argvs(false, true)).not.toContain('evidence attach');
	});
});
