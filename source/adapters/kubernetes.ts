/**
 * Kubernetes via kubectl: `set env` changes the Deployment's pod template (which starts a rollout
 * by itself; when the value is already there nothing changes and no rollout starts), then
 * `rollout status` waits for it with kubectl's own timeout, so a stuck rollout says why.
 */
import type {KubernetesService} from '../core/config/schema.js';
import {restartPlanned} from './run-planned.js';
import {timeoutFor, type ServiceAdapter} from './types.js';

/** Setting the env is one API call; it should never take the rollout's budget. */
const SET_ENV_TIMEOUT_MS = 60_000;
/** kubectl gets this much longer than its own --timeout, so it reports the timeout itself. */
const ROLLOUT_MARGIN_MS = 15_000;

export const kubernetesAdapter: ServiceAdapter<KubernetesService> = {
	kind: 'kubernetes',
	describe: service => `Kubernetes deployment ${service.namespace ? `${service.namespace}/` : ''}${service.deployment}${service.context ? ` (context ${service.context})` : ''}`,
	plan(service, options) {
		const kubectl = ['kubectl', ...(service.context ? ['--context', service.context] : []), ...(service.namespace ? ['-n', service.namespace] : [])];
		const deployment = `deployment/${service.deployment}`;
		const timeoutMs = timeoutFor(service, options);
		const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
		return [
			{
				argv: [...kubectl, 'set', 'env', deployment, ...(service.container ? ['-c', service.container] : []), `CAVRA_GO_BACKEND_MODE=${options.mode}`],
				timeoutMs: Math.min(timeoutMs, SET_ENV_TIMEOUT_MS),
				note: 'changes the pod template; Kubernetes rolls the pods out with the new mode',
			},
			{argv: [...kubectl, 'rollout', 'status', deployment, `--timeout=${seconds}s`], timeoutMs: seconds * 1000 + ROLLOUT_MARGIN_MS},
		];
	},
	restart: (service, context) => restartPlanned(kubernetesAdapter, service, context),
};
