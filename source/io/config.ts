import {closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {ConfigError} from '../core/errors.js';
import {MAX_CONFIG_BYTES, parseJsonConfig, type ParsedConfig} from '../core/config/parse.js';
import type {CavraConfig} from '../core/config/schema.js';
import {visible} from '../core/text/sanitize.js';


/**
 * Finds and reads the config: `--config FILE`, else the first of package.json "cavra", `.cavrarc`,
 * `.cavrarc.json`, `.cavrarc.yaml`, `.cavrarc.yml` from the working directory upward, stopping after
 * the first folder with a package.json (the project root) or the home folder.
 *
 * Our own search, on purpose: this tool runs as root during incidents. cosmiconfig 9 first loads a
 * `.config/config.{js,ts,…}` "meta config" with code loaders (and lets a YAML one redirect the
 * search), before any loader of ours applies. Here only the names above are ever opened, only as
 * JSON or YAML data, and nothing else in a folder can change what is read.
 */

export interface LoadedConfig {
	config: CavraConfig;
	/** The file the config came from, if any. */
	filepath: string | undefined;
}

export const configSearchPlaces = ['package.json', '.cavrarc', '.cavrarc.json', '.cavrarc.yaml', '.cavrarc.yml'] as const;

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx']);

export interface LoadConfigOptions {
	configPath?: string | undefined;
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** The search stops after this folder, and `~` in path values means it. Default: os.homedir(). */
	home?: string;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
	const home = options.home ?? homedir();
	const found = options.configPath ? await readNamed(path.resolve(options.cwd, options.configPath)) : await search(path.resolve(options.cwd), home);
	if (!found) return {config: {}, filepath: undefined};
	const {file, parsed} = found;
	if (parsed.value === undefined || parsed.value === null) return {config: {}, filepath: file};
	// The validator (superstruct and the schema) is a tenth of lint's cold start: load it only when
	// there is a config to validate, which CI's lint runs usually do not have.
	const {validateConfig} = await import('../core/config/validate.js');
	const config = validateConfig(parsed.value, file, parsed.positionOf);
	return {config: resolveConfigPaths(config, path.dirname(file), home), filepath: file};
}

/** The folders searched, nearest first: up to the project root (package.json) or home, whichever comes first. */
export function searchFolders(cwd: string, home: string): string[] {
	const folders: string[] = [];
	const stop = path.resolve(home);
	for (let dir = path.resolve(cwd); ; ) {
		folders.push(dir);
		if (dir === stop || exists(path.join(dir, 'package.json'))) return folders;
		const parent = path.dirname(dir);
		if (parent === dir) return folders;
		dir = parent;
	}
}

interface Found {
	file: string;
	parsed: ParsedConfig;
}

async function search(cwd: string, home: string): Promise<Found | undefined> {
	for (const dir of searchFolders(cwd, home)) {
		for (const place of configSearchPlaces) {
			const file = path.join(dir, place);
			const bytes = readConfigFile(file, {searching: true});
			if (bytes === undefined || isBlank(bytes)) continue;
			if (place === 'package.json') {
				const parsed = parsePackageJson(bytes, file);
				if (parsed) return {file, parsed};
				continue;
			}
			return {file, parsed: await parseByName(bytes, file)};
		}
	}
	return undefined;
}

async function readNamed(file: string): Promise<Found | undefined> {
	const extension = path.extname(file).toLowerCase();
	if (CODE_EXTENSIONS.has(extension)) {
		throw new ConfigError(`${visible(file)}: only JSON and YAML config files are read`, {
			file,
			hint: 'code-based config is refused because this tool may run as root; use .cavrarc.json or .cavrarc.yaml',
		});
	}
	if (!['', '.json', '.yaml', '.yml'].includes(extension)) {
		throw new ConfigError(`${visible(file)}: unknown config file type "${visible(extension)}"`, {file, hint: 'name a .json, .yaml or .yml file (or .cavrarc)'});
	}
	const bytes = readConfigFile(file, {searching: false})!;
	if (isBlank(bytes)) return {file, parsed: {value: undefined, positionOf: () => undefined}};
	if (path.basename(file) === 'package.json') return {file, parsed: parseJsonConfig(bytes, file, 'cavra')};
	return {file, parsed: await parseByName(bytes, file)};
}

async function parseByName(bytes: Buffer, file: string): Promise<ParsedConfig> {
	if (path.extname(file).toLowerCase() === '.json') return parseJsonConfig(bytes, file);
	// `.cavrarc` without extension has always been YAML (which also reads JSON). Loaded only when needed.
	const {parseYamlConfig} = await import('../core/config/parse-yaml.js');
	return parseYamlConfig(decodeUtf8(bytes, file), file);
}

/** package.json's "cavra" key, or undefined when this package.json holds none (then it is not ours). */
function parsePackageJson(bytes: Buffer, file: string): ParsedConfig | undefined {
	// Most package.json files are not ours: no "cavra" (and no \u escape that could spell it), no parse.
	if (!bytes.includes('"cavra"') && !bytes.includes('\\u')) return undefined;
	try {
		const parsed = parseJsonConfig(bytes, file, 'cavra');
		return parsed.value === undefined ? undefined : parsed;
	} catch (error) {
		// A broken package.json that never mentions us must not break every command run below it.
		if (!bytes.includes('"cavra"')) return undefined;
		throw error;
	}
}

/**
 * The bytes of a config file; undefined when a searched name does not exist (or is a folder).
 * Opened without following into a FIFO or device (a `.cavrarc` pipe would hang us), size-capped,
 * and refused when another user could have written it (see trustProblem).
 */
function readConfigFile(file: string, options: {searching: boolean}): Buffer | undefined {
	let fd: number;
	try {
		fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (options.searching && (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR')) return undefined;
		throw describeReadError(code, file, options.searching);
	}
	try {
		const stats = fstatSync(fd);
		if (stats.isDirectory()) {
			if (options.searching) return undefined;
			throw describeReadError('EISDIR', file, false);
		}
		if (!stats.isFile()) throw new ConfigError(`${visible(file)}: is not a regular file`, {file, hint: 'a config file is a plain JSON or YAML file, not a pipe, socket or device'});
		const trust = trustProblem(file, stats, options.searching);
		if (trust) throw new ConfigError(`${visible(file)}: ${trust.problem}`, {file, hint: trust.hint});
		if (stats.size > MAX_CONFIG_BYTES) throw tooLarge(file);
		const buffer = Buffer.alloc(Math.min(stats.size, MAX_CONFIG_BYTES) + 1);
		let length = 0;
		for (let read = 1; read > 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
		// The file grew between fstat and read: still capped.
		if (length > MAX_CONFIG_BYTES) throw tooLarge(file);
		return buffer.subarray(0, length);
	} finally {
		closeSync(fd);
	}
}

/**
 * A config another user could have planted or changed is refused (this tool runs as root): a file
 * writable by everyone, or, when searching, a file in a folder everyone may write to (such as /tmp)
 * that is owned by neither us nor root. POSIX only.
 */
function trustProblem(file: string, stats: Stats, searching: boolean): {problem: string; hint: string} | undefined {
	const uid = process.geteuid?.();
	if (uid === undefined) return undefined;
	if (stats.mode & 0o002) {
		return {problem: 'is writable by every user, so anyone could change what this tool does', hint: `remove that permission: chmod o-w ${visible(file)}`};
	}
	if (!searching || stats.uid === uid || stats.uid === 0) return undefined;
	let folder: Stats;
	try {
		folder = statSync(path.dirname(file));
	} catch {
		return undefined;
	}
	if (folder.mode & 0o002) {
		return {
			problem: `was found by the search in a folder every user can write to, and belongs to another user (uid ${stats.uid})`,
			hint: 'run from your project folder, or name a config you trust with --config FILE',
		};
	}
	return undefined;
}

function describeReadError(code: string | undefined, file: string, searching: boolean): ConfigError {
	const shown = visible(file);
	switch (code) {
		case 'ENOENT':
		case 'ENOTDIR':
			return new ConfigError(`${shown}: config file not found`, {file, hint: 'check the --config path'});
		case 'EISDIR':
			return new ConfigError(`${shown}: is a directory`, {file, hint: 'name the config file itself'});
		case 'EACCES':
		case 'EPERM':
			return new ConfigError(`${shown}: permission denied`, {
				file,
				hint: searching ? 'the search found this config but cannot read it; fix its permissions, or name another with --config FILE' : 'run as a user who can read it',
			});
		default:
			return new ConfigError(`${shown}: cannot be read (${code ?? 'unknown error'})`, {file});
	}
}

function tooLarge(file: string): ConfigError {
	return new ConfigError(`${visible(file)}: larger than ${MAX_CONFIG_BYTES / 1024} KB; this is not a config file`, {file, hint: 'a config file is a few KB of JSON or YAML'});
}

function decodeUtf8(bytes: Buffer, file: string): string {
	try {
		return new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes);
	} catch {
		throw new ConfigError(`${visible(file)}: cannot parse config: not valid UTF-8 text`, {file, hint: 'save the file as UTF-8'});
	}
}

function isBlank(bytes: Buffer): boolean {
	return bytes.every(byte => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

function exists(file: string): boolean {
	try {
		return statSync(file, {throwIfNoEntry: false}) !== undefined;
	} catch {
		return false;
	}
}

/**
 * Paths in a config file are relative to that file's folder, not to wherever the command runs;
 * `~` and `~/…` are the home folder.
 */
function resolveConfigPaths(config: CavraConfig, dir: string, home: string): CavraConfig {
	const resolve = (value: string) => (value === '~' ? home : value.startsWith('~/') ? path.join(home, value.slice(2)) : path.resolve(dir, value));
	const resolved: CavraConfig = {...config};
	for (const key of ['plan', 'rehearsalEvidence', 'drillHistory', 'drillSchedule', 'promotionEvidence'] as const) {
		if (config[key] !== undefined) resolved[key] = resolve(config[key]);
	}
	if (config.mode?.envFiles) resolved.mode = {...config.mode, envFiles: config.mode.envFiles.map(resolve)};
	// An Ansible inventory is a path on the controller (a host pattern stays as written).
	if (config.services) resolved.services = config.services.map(service => (service.kind === 'ansible' && !service.inventory.includes('{{') ? {...service, inventory: resolve(service.inventory)} : service));
	if (config.evidence) {
		const {dir: evidenceDir, signingKey, allowedSigners} = config.evidence;
		resolved.evidence = {
			...config.evidence,
			...(evidenceDir !== undefined && {dir: resolve(evidenceDir)}),
			...(signingKey !== undefined && {signingKey: resolve(signingKey)}),
			...(allowedSigners !== undefined && {allowedSigners: resolve(allowedSigners)}),
		};
	}
	return resolved;
}
