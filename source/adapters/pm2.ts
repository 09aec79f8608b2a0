/**
 * pm2: `pm2 restart NAME --update-env`. With --update-env pm2 takes the environment of the pm2
 * command itself, so the mode is passed in the command's environment. pm2 copies that whole
 * environment into the process, which is why the command gets only PATH, HOME, locale, TZ,
 * PM2_HOME and the mode from us (io/process-runner.ts INHERITED_ENV), never the operator's tokens.
 */
import type {Pm2Service} from '../core/config/schema.js';
import {restartPlanned} from './run-planned.js';
import {timeoutFor, type ServiceAdapter} from './types.js';

export const pm2Adapter: ServiceAdapter<Pm2Service> = {
	kind: 'pm2',
	describe: service => `pm2 process ${service.process}`,
	plan(service, options) {
		return [
			{
				argv: ['pm2', 'restart', service.process, '--update-env'],
				env: {CAVRA_GO_BACKEND_MODE: options.mode},
				timeoutMs: timeoutFor(service, options),
				note: '--update-env: the process gets this environment, with the mode',
			},
		];
	},
	restart: (service, context) => restartPlanned(pm2Adapter, service, context),
};
