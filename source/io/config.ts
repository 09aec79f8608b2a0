import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {StructError, validate} from '../core/superstruct.js';
import {ConfigError} from '../core/errors.js';
import {ConfigStruct, type CavraConfig} from '../core/config/schema.js';

/**
 * Loads `.cavrarc` / `.cavrarc.json` / `.cavrarc.yaml` / package.json "cavra", or `--config FILE`.
 * Only JSON and YAML are ever parsed: this tool runs as root during incidents and must not
 * execute code found in a directory, so every code loader is replaced by a refusal.
 */

export interface LoadedConfig {
	config: CavraConfig;
	/** The file the config came from, if any. */
	filepath: string | undefined;
}

const searchPlaces = ['package.json', '.cavrarc', '.cavrarc.json', '.cavrarc.yaml', '.cavrarc.yml'];

export async function loadConfig(options: {configPath?: string; cwd: string; env?: NodeJS.ProcessEnv}): Promise<LoadedConfig> {
	// Loading cosmiconfig (and its YAML and JSON parsers) is a sixth of `lint`'s cold start; CI runs
	// us where no config exists, so look first and load it only when there is something to read.
	if (!options.configPath && !mayHoldConfig(options.cwd)) return {config: {}, filepath: undefined};
	const explorer = await createExplorer();

	let result: {config: unknown; filepath: string; isEmpty?: boolean} | null;
	try {
		if (options.configPath) {
			const filepath = path.resolve(options.cwd, options.configPath);
			result = await explorer.load(filepath);
		} else {
			result = await explorer.search(options.cwd);
		}
	} catch (error) {
		if (error instanceof ConfigError) throw error;
		throw describeLoadError(error, options.configPath ? path.resolve(options.cwd, options.configPath) : undefined);
	}

	if (!result || result.isEmpty || result.config === undefined || result.config === null) {
		return {config: {}, filepath: result?.filepath};
	}
	const config = validateConfig(result.config, result.filepath);
	return {config: resolveConfigPaths(config, path.dirname(result.filepath)), filepath: result.filepath};
}

/** The one cosmiconfig explorer: our search places, JSON and YAML loaders, every code loader refused. */
export async function createExplorer() {
	const {cosmiconfig, defaultLoaders} = await import('cosmiconfig');
	const refuse = (filepath: string): never => {
		throw new ConfigError(`${filepath}: only JSON and YAML config files are read`, {
			file: filepath,
			hint: 'code-based config is refused because this tool may run as root; use .cavrarc.json or .cavrarc.yaml',
		});
	};
	return cosmiconfig('cavra', {
		searchPlaces,
		searchStrategy: 'project',
		cache: false,
		loaders: {
			'.json': defaultLoaders['.json'],
			'.yaml': defaultLoaders['.yaml'],
			'.yml': defaultLoaders['.yaml'],
			noExt: defaultLoaders['.yaml'],
			'.js': refuse,
			'.mjs': refuse,
			'.cjs': refuse,
			'.ts': refuse,
			'.mts': refuse,
			'.cts': refuse,
		},
	});
}

/**
 * False only when no search place exists in `cwd` or any folder above it (or package.json has no
 * "cavra" key). Conservative: it looks past the project root cosmiconfig stops at, and anything it
 * cannot rule out (an unreadable package.json, a folder it cannot list) counts as a candidate, so
 * cosmiconfig stays the one that decides what is found and reports every error.
 */
export function mayHoldConfig(cwd: string): boolean {
	for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
		for (const place of searchPlaces) {
			const file = path.join(dir, place);
			let exists: boolean;
			try {
				exists = statSync(file, {throwIfNoEntry: false}) !== undefined;
			} catch {
				return true;
			}
			if (!exists) continue;
			if (place !== 'package.json') return true;
			try {
				if (readFileSync(file, 'utf8').includes('"cavra"')) return true;
			} catch {
				return true;
			}
		}
		if (path.dirname(dir) === dir) return false;
	}
}

/** Validate an already-parsed config object; errors name the file, the key path and what was expected. */
export function validateConfig(raw: unknown, filepath: string): CavraConfig {
	let result: ReturnType<typeof validate<CavraConfig, unknown>>;
	try {
		result = validate(raw, ConfigStruct, {coerce: false});
	} catch {
		// superstruct formats values with `${value}`, which throws for objects like {"toString": 1}.
		throw new ConfigError(`${filepath}: a value has an unexpected shape`, {file: filepath, hint: 'see .cavrarc.example for every key and its type'});
	}
	const [error, value] = result;
	if (error) throw describeStructError(error, filepath);
	return value;
}

function describeStructError(error: StructError, filepath: string): ConfigError {
	const failure = error.failures()[0] ?? error;
	const keyPath = failure.path.length > 0 ? failure.path.join('.') : '(top level)';
	let expected: string;
	if (failure.value === undefined && failure.type !== 'never') {
		expected = `is required (${failure.type})`;
	} else if (failure.type === 'never') {
		expected = 'is not a known key';
	} else {
		expected = failure.refinement ? failure.message : `expected ${failure.type}, got ${describeValue(failure.value)}`;
	}
	return new ConfigError(`${filepath}: ${keyPath} ${expected}`, {
		file: filepath,
		keyPath,
		hint: 'see .cavrarc.example in the cavra-rollback repository for every key and its type',
	});
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return 'a string';
	return typeof value === 'object' ? 'an object' : String(typeof value === 'number' || typeof value === 'boolean' ? value : typeof value);
}

function describeLoadError(error: unknown, filepath: string | undefined): ConfigError {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const file = filepath ?? (error as {filepath?: string} | undefined)?.filepath ?? 'config';
	if (code === 'ENOENT') return new ConfigError(`${file}: config file not found`, {file, hint: 'check the --config path'});
	if (code === 'EISDIR') return new ConfigError(`${file}: is a directory`, {file, hint: 'name the config file itself'});
	if (code === 'EACCES') return new ConfigError(`${file}: permission denied`, {file});
	// YAML/JSON parse errors carry a position in their first line; never echo file content beyond that.
	const message = error instanceof Error ? error.message.split('\n')[0] ?? 'unreadable' : String(error);
	return new ConfigError(`${file}: cannot parse config: ${message.slice(0, 200)}`, {
		file,
		hint: 'the file must be JSON or YAML',
	});
}

/** Paths in a config file are relative to that file's folder, not to wherever the command runs. */
function resolveConfigPaths(config: CavraConfig, dir: string): CavraConfig {
	const resolve = (value: string | undefined) => (value === undefined ? undefined : path.resolve(dir, value));
	return {
		...config,
		...(config.plan !== undefined && {plan: resolve(config.plan)}),
		...(config.rehearsalEvidence !== undefined && {rehearsalEvidence: resolve(config.rehearsalEvidence)}),
		...(config.drillHistory !== undefined && {drillHistory: resolve(config.drillHistory)}),
		...(config.drillSchedule !== undefined && {drillSchedule: resolve(config.drillSchedule)}),
		...(config.mode?.envFiles && {mode: {...config.mode, envFiles: config.mode.envFiles.map(file => path.resolve(dir, file))}}),
		...(config.evidence?.dir !== undefined && {evidence: {...config.evidence, dir: path.resolve(dir, config.evidence.dir)}}),
	};
}
