/**
 * What `init` needs from a systemd unit file (or a drop-in): the env files its [Service] section
 * reads (`EnvironmentFile=`, a leading "-" meaning "optional") and whether it sets
 * CAVRA_GO_BACKEND_MODE itself (`Environment=`). Pure; read only, never `systemctl`.
 */

export interface UnitEnvironment {
	/** Absolute paths, in order; specifiers (%h…) and relative paths are left out (systemd needs them absolute). */
	environmentFiles: string[];
	/** `Environment=` sets the mode key in the unit itself (then an env file edit does not reach it). */
	setsModeInline: boolean;
}

export function unitEnvironment(text: string, modeKey = 'CAVRA_GO_BACKEND_MODE'): UnitEnvironment {
	const environmentFiles: string[] = [];
	let setsModeInline = false;
	let section = '';
	// systemd joins a line ending in a backslash with the next one.
	for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
		const header = /^\[(.+)\]$/.exec(line);
		if (header) {
			section = header[1]!;
			continue;
		}
		if (section !== 'Service') continue;
		const assignment = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
		if (!assignment) continue;
		const [, key, value] = assignment as unknown as [string, string, string];
		if (key === 'EnvironmentFile') {
			// An empty assignment resets the list (drop-ins use it).
			if (value === '') environmentFiles.length = 0;
			const file = value.replace(/^-/, '').trim();
			if (file.startsWith('/') && !file.includes('%')) environmentFiles.push(file);
		} else if (key === 'Environment') {
			if (new RegExp(`(^|[\\s"'])${modeKey}=`).test(value)) setsModeInline = true;
		}
	}
	return {environmentFiles, setsModeInline};
}
