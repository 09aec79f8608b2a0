/**
 * launchd (macOS): `launchctl kickstart -k <domain>/<label>` stops the running instance and
 * starts it again. Domain `system` for daemons, `gui/<uid>` for agents (config `domain`). The mode
 * comes from the env file the program reads or its plist; launchctl cannot change a plist's
 * EnvironmentVariables, so the preview says so.
 */
import type {LaunchdService} from '../core/config/schema.js';
import {restartPlanned} from './run-planned.js';
import {timeoutFor, type ServiceAdapter} from './types.js';

export const launchdAdapter: ServiceAdapter<LaunchdService> = {
	kind: 'launchd',
	describe: service => `launchd service ${serviceTarget(service)}`,
	plan(service, options) {
		return [
			{
				argv: ['launchctl', 'kickstart', '-k', serviceTarget(service)],
				timeoutMs: timeoutFor(service, options),
				note: 'the mode must come from an env file the program reads (mode.envFiles), not from its plist',
			},
		];
	},
	restart: (service, context) => restartPlanned(launchdAdapter, service, context),
};

export function serviceTarget(service: LaunchdService): string {
	return `${service.domain ?? 'system'}/${service.label}`;
}
