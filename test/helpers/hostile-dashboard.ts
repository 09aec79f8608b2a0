import {createStore, initialState, type DashboardEvent, type DashboardStore} from '../../source/core/dashboard/index.js';
import {config, okAnswer, productionBody, reports, rollbackReport, settings} from '../core/dashboard/fixtures.js';
import {HOSTILE} from './hostile.js';

/**
 * A dashboard whose every source is hostile: config path, plan path, a CAVRA check message, an
 * unreadable-lint message, an env file's raw mode value and label, and the API's answers.
 */
export function hostileDashboardStore(t0: number): DashboardStore {
	const store = createStore(initialState(config({apiUrl: 'http://127.0.0.1:8000', path: `/etc/cavra/${HOSTILE.rlo}.yaml`}), t0));
	const apiCheck = {id: 'go_backend_rollback_controls', status: 'warn', message: `${HOSTILE.approvalId} ${HOSTILE.step}`};
	const notApproved = rollbackReport({approved: false});
	const events: DashboardEvent[] = [
		{
			type: 'local',
			at: t0 + 1000,
			reports: reports({rollback: {...notApproved, checks: [...notApproved.checks.slice(0, 3), {id: 'go_rollback_approval', status: 'warn', message: HOSTILE.red}]}}),
			settings: {...settings, planPath: `/etc/${HOSTILE.zw}/plan.json`},
		},
		{type: 'lint', at: t0 + 1000, lint: {kind: 'unreadable', path: '/etc/cavra/plan.json', message: HOSTILE.csi8}},
		{type: 'mode-sources', at: t0 + 1000, sources: [{kind: 'env-file', label: `/etc/cavra/${HOSTILE.zw}.env`, state: 'set', raw: `promoted${HOSTILE.red}`, mode: 'promoted'}]},
		{type: 'api', at: t0 + 2000, endpoint: 'rollback-readiness', result: okAnswer({...rollbackReport(), checks: [apiCheck], status: 'needs_attention'})},
		{type: 'api', at: t0 + 2000, endpoint: 'production-readiness', result: okAnswer({...productionBody({controls: 'warn'}), checks: [apiCheck]})},
		{type: 'poll-finished', at: t0 + 2000},
	];
	store.dispatchAll(events);
	return store;
}
