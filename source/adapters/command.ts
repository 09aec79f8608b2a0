/**
 * A restart command from the config, run exactly as written (argv array, no shell). The mode is
 * also in its environment, so a script can pass it on.
 */
import type {CommandService} from '../core/config/schema.js';
import {restartPlanned} from './run-planned.js';
import {timeoutFor, type ServiceAdapter} from './types.js';

export const commandAdapter: ServiceAdapter<CommandService> = {
	kind: 'command',
	describe: service => `restart command ${service.restart[0]}`,
	plan(service, options) {
		return [{argv: [...service.restart], env: {CAVRA_GO_BACKEND_MODE: options.mode}, timeoutMs: timeoutFor(service, options)}];
	},
	restart: (service, context) => restartPlanned(commandAdapter, service, context),
};
