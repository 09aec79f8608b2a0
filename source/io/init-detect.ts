/**
 * What `init` can find out about this machine, read only: env files that set
 * CAVRA_GO_BACKEND_MODE, systemd units whose EnvironmentFile is one of them (unit files are read,
 * `systemctl` never runs), the pm2 processes of a pm2 daemon that is already running (a `pm2`
 * command would start one otherwise), and the current kube context (`kubectl config
 * current-context`, which only reads the kubeconfig).
 *
 * Everything found here is hostile (any user may have named a unit or a file): a name with a
 * control, bidi or zero-width character is skipped and reported, never written to the config.
 */
import {execFile} from 'node:child_process';
import {constants, type Dirent} from 'node:fs';
import {open, readdir, readFile, realpath, stat} from 'node:fs/promises';
import {homedir} from 'node:os';
import path from 'node:path';
import {unitEnvironment} from '../core/init/systemd-unit.js';
import {hasHiddenCharacters, visible} from '../core/text/sanitize.js';
import {readEnvMode} from './env-files.js';
import {commandEnv} from './process-runner.js';

export interface DetectedEnvFile {
	path: string;
	/** CAVRA's reading of the value (normalised: trimmed, lower-cased, unknown → disabled). */
	mode: string;
	/** Why it was found: "candidate" (a usual place), "plan flag", or the unit that reads it. */
	foundBy: string[];
}

export interface DetectedUnit {
	unit: string;
	file: string;
	/** Its EnvironmentFile(s) that set CAVRA_GO_BACKEND_MODE. */
	envFiles: string[];
	/** The unit also sets the mode with Environment= (an env file edit would not change it). */
	inlineMode: boolean;
}

export interface Detection {
	plan?: string;
	envFiles: DetectedEnvFile[];
	systemdUnits: DetectedUnit[];
	/** undefined: pm2 not on PATH or no daemon running (see notes). */
	pm2Processes?: string[];
	kubeContext?: string;
	/** What was looked at and not used, and why (sanitized, one line each). */
	notes: string[];
}

export interface DetectOptions {
	env: NodeJS.ProcessEnv;
	cwd: string;
	systemdDirs?: readonly string[];
	envFileCandidates?: readonly string[];
	planCandidates?: readonly string[];
	/** Set false to skip running kubectl and pm2 (tests, --no-detect-tools). */
	tools?: boolean;
	/** Upper bound on unit files read (a folder with 100,000 files is not a reason to hang). */
	maxUnitFiles?: number;
}

export const DEFAULT_SYSTEMD_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'] as const;
export const DEFAULT_ENV_CANDIDATES = ['/etc/cavra/cavra.env', '/etc/default/cavra', '/etc/sysconfig/cavra'] as const;
export const DEFAULT_PLAN_CANDIDATES = ['/etc/cavra/go-backend-rollback-plan.json'] as const;
const MAX_UNIT_BYTES = 256 * 1024;
const MAX_ENV_BYTES = 1024 * 1024;
const TOOL_TIMEOUT_MS = 5000;

/** A detected string fit to write into the config: no hidden characters, not an option. */
export function acceptable(value: string): boolean {
	return value !== '' && !hasHiddenCharacters(value) && !value.startsWith('-');
}

export async function detectMachine(options: DetectOptions): Promise<Detection> {
	const notes: string[] = [];
	const skip = (what: string, why: string) => void notes.push(`skipped ${visible(what)}: ${why}`);
	const envFiles = new Map<string, DetectedEnvFile>();
	const modeOf = new Map<string, string | undefined>();

	/** The mode an env file sets, or undefined; each file read once, at most MAX_ENV_BYTES. */
	async function readMode(file: string): Promise<string | undefined> {
		if (modeOf.has(file)) return modeOf.get(file);
		let mode: string | undefined;
		try {
			const info = await stat(file);
			if (info.isFile() && info.size <= MAX_ENV_BYTES) {
				const reading = await readEnvMode(file);
				if (reading.assignments > 0) mode = reading.mode;
			}
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'ENOENT' && code !== 'ENOTDIR') skip(file, code === 'EACCES' || code === 'EPERM' ? 'permission denied (run init as root to read it)' : 'cannot be read');
		}
		modeOf.set(file, mode);
		return mode;
	}
	const addEnvFile = (file: string, mode: string, foundBy: string) => {
		const entry = envFiles.get(file) ?? {path: file, mode, foundBy: []};
		if (!entry.foundBy.includes(foundBy)) entry.foundBy.push(foundBy);
		envFiles.set(file, entry);
	};

	const candidates = [...(options.envFileCandidates ?? DEFAULT_ENV_CANDIDATES), ...(options.env['CAVRA_ENV_FILE'] ? [options.env['CAVRA_ENV_FILE']] : [])];
	for (const file of candidates) {
		if (!acceptable(file)) {
			skip(file, 'hidden characters in the name');
			continue;
		}
		const mode = await readMode(file);
		if (mode !== undefined) addEnvFile(file, mode, 'candidate');
	}

	const systemdUnits: DetectedUnit[] = [];
	for (const unit of await readUnits(options.systemdDirs ?? DEFAULT_SYSTEMD_DIRS, options.maxUnitFiles ?? 5000, notes)) {
		if (!acceptable(unit.unit)) {
			skip(unit.unit, 'hidden characters in the unit name');
			continue;
		}
		const files: string[] = [];
		for (const file of unit.environment.environmentFiles) {
			if (!acceptable(file)) {
				skip(file, `hidden characters in the EnvironmentFile of ${visible(unit.unit)}`);
				continue;
			}
			const mode = await readMode(file);
			if (mode === undefined) continue;
			files.push(file);
			addEnvFile(file, mode, unit.unit);
		}
		if (files.length > 0 || unit.environment.setsModeInline) systemdUnits.push({unit: unit.unit, file: unit.file, envFiles: files, inlineMode: unit.environment.setsModeInline});
	}

	const detection: Detection = {envFiles: [...envFiles.values()], systemdUnits, notes};
	const plan = await findPlan(options, notes);
	if (plan !== undefined) detection.plan = plan;
	if (options.tools !== false) {
		const [pm2, kube] = await Promise.all([pm2Processes(options.env, notes), kubeContext(options.env, notes)]);
		if (pm2 !== undefined) detection.pm2Processes = pm2;
		if (kube !== undefined) detection.kubeContext = kube;
	}
	return detection;
}

interface UnitFile {
	unit: string;
	file: string;
	environment: ReturnType<typeof unitEnvironment>;
}

/**
 * `*.service` files and their `*.service.d/*.conf` drop-ins, first folder first (an /etc unit
 * hides the /lib one of the same name, as in systemd). Links are not followed: an enabled unit's
 * link in /etc points at a file read from /lib anyway, and a masked one points at /dev/null.
 */
async function readUnits(dirs: readonly string[], maxFiles: number, notes: string[]): Promise<UnitFile[]> {
	const seenDirs = new Set<string>();
	const units = new Map<string, UnitFile>();
	let budget = maxFiles;
	for (const dir of dirs) {
		const real = await realpath(dir).catch(() => undefined);
		if (real === undefined || seenDirs.has(real)) continue;
		seenDirs.add(real);
		const entries = await readdir(dir, {withFileTypes: true}).catch(() => [] as Dirent[]);
		for (const entry of entries) {
			if (!entry.isFile() || !entry.name.endsWith('.service') || units.has(entry.name)) continue;
			if (budget-- <= 0) {
				notes.push(`stopped reading unit files after ${maxFiles}`);
				return [...units.values()];
			}
			const file = path.join(dir, entry.name);
			let text = await readSmall(file);
			if (text === undefined) continue;
			for (const dropIn of await dropIns(path.join(dir, `${entry.name}.d`))) text += `\n[Service]\n${dropIn}`;
			units.set(entry.name, {unit: entry.name, file, environment: unitEnvironment(text)});
		}
	}
	return [...units.values()];
}

async function dropIns(folder: string): Promise<string[]> {
	const entries = await readdir(folder, {withFileTypes: true}).catch(() => [] as Dirent[]);
	const names = entries.filter(entry => entry.isFile() && entry.name.endsWith('.conf')).map(entry => entry.name).sort();
	const texts: string[] = [];
	for (const name of names.slice(0, 50)) {
		const text = await readSmall(path.join(folder, name));
		// A drop-in's own section headers still apply; the [Service] prefix only covers a headerless start.
		if (text !== undefined) texts.push(text);
	}
	return texts;
}

/** A regular file's text, at most MAX_UNIT_BYTES, never through a link or into a FIFO. */
async function readSmall(file: string): Promise<string | undefined> {
	try {
		const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
		try {
			const info = await handle.stat();
			if (!info.isFile() || info.size > MAX_UNIT_BYTES) return undefined;
			return await handle.readFile('utf8');
		} finally {
			await handle.close();
		}
	} catch {
		return undefined;
	}
}

async function findPlan(options: DetectOptions, notes: string[]): Promise<string | undefined> {
	const fromEnv = options.env['CAVRA_GO_ROLLBACK_PLAN'];
	const candidates = [...(fromEnv ? [fromEnv] : []), ...(options.planCandidates ?? DEFAULT_PLAN_CANDIDATES)];
	for (const file of candidates) {
		if (!acceptable(file)) {
			notes.push(`skipped ${visible(file)}: hidden characters in the name`);
			continue;
		}
		const info = await stat(path.resolve(options.cwd, file)).catch(() => undefined);
		if (info?.isFile()) return path.resolve(options.cwd, file);
	}
	return undefined;
}

/** Run a harmless read-only tool with our minimal environment; its stdout, or undefined. */
function runTool(argv: readonly string[], env: NodeJS.ProcessEnv, passEnv: readonly string[]): Promise<string | undefined> {
	return new Promise(resolve => {
		execFile(argv[0]!, argv.slice(1), {env: commandEnv({parentEnv: env, passEnv}), timeout: TOOL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8'}, (error, stdout) => {
			resolve(error ? undefined : stdout);
		});
	});
}

async function onPath(name: string, env: NodeJS.ProcessEnv): Promise<boolean> {
	for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
		if (!dir) continue;
		const info = await stat(path.join(dir, name)).catch(() => undefined);
		if (info?.isFile() && info.mode & 0o111) return true;
	}
	return false;
}

async function kubeContext(env: NodeJS.ProcessEnv, notes: string[]): Promise<string | undefined> {
	if (!(await onPath('kubectl', env))) return undefined;
	const out = await runTool(['kubectl', 'config', 'current-context'], env, ['KUBECONFIG']);
	const context = out?.trim();
	if (!context) return undefined;
	if (!acceptable(context) || context.includes('\n')) {
		notes.push(`skipped kube context ${visible(context)}: hidden characters or not one name`);
		return undefined;
	}
	return context;
}

/**
 * Names of the processes of the pm2 daemon already running for PM2_HOME (~/.pm2). Any pm2 command
 * starts a daemon when none runs, so without a live pid file pm2 is not asked at all.
 */
async function pm2Processes(env: NodeJS.ProcessEnv, notes: string[]): Promise<string[] | undefined> {
	if (!(await onPath('pm2', env))) return undefined;
	const home = env['PM2_HOME'] ?? path.join(env['HOME'] ?? homedir(), '.pm2');
	const pid = Number((await readFile(path.join(home, 'pm2.pid'), 'utf8').catch(() => '')).trim());
	if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
		notes.push('pm2 is installed but its daemon is not running; pm2 processes not listed');
		return undefined;
	}
	const out = await runTool(['pm2', 'jlist'], {...env, PM2_HOME: home}, ['PM2_HOME']);
	const start = out?.indexOf('[') ?? -1;
	if (out === undefined || start < 0) return undefined;
	let list: unknown;
	try {
		list = JSON.parse(out.slice(start));
	} catch {
		return undefined;
	}
	if (!Array.isArray(list)) return undefined;
	// Only names: a process list also carries each process's whole environment (tokens included).
	const names = new Set<string>();
	for (const item of list) {
		const name = (item as {name?: unknown} | null)?.name;
		if (typeof name !== 'string') continue;
		if (acceptable(name)) names.add(name);
		else notes.push(`skipped pm2 process ${visible(name)}: hidden characters in the name`);
	}
	return [...names];
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

