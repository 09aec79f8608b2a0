/**
 * systemd: `systemctl [--user] restart UNIT`, after `systemctl [--user] daemon-reload` when a
 * drop-in was written (systemd reads unit files and drop-ins only on reload). The mode itself
 * comes from the unit's EnvironmentFile, which set-mode has already changed.
 */
import type {SystemdService} from '../core/config/schema.js';
import {restartPlanned} from './run-planned.js';
import {timeoutFor, type PlannedCommand, type ServiceAdapter} from './types.js';

export const systemdAdapter: ServiceAdapter<SystemdService> = {
	kind: 'systemd',
	describe: service => `systemd ${service.user ? 'user ' : ''}unit ${service.unit}`,
	plan(service, options) {
		const systemctl = service.user ? ['systemctl', '--user'] : ['systemctl'];
		const timeoutMs = timeoutFor(service, options);
		const commands: PlannedCommand[] = [];
		if (options.daemonReload) commands.push({argv: [...systemctl, 'daemon-reload'], timeoutMs, note: 'a drop-in was written: systemd re-reads unit files first'});
		commands.push({argv: [...systemctl, 'restart', service.unit], timeoutMs});
		return commands;
	},
	restart: (service, context) => restartPlanned(systemdAdapter, service, context),
};
