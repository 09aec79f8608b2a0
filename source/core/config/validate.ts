import {ConfigError} from '../errors.js';
import {printableKey} from '../json/pointer.js';
import {StructError, validate, type Struct} from '../superstruct.js';
import {didYouMean} from '../text/did-you-mean.js';
import {visible} from '../text/sanitize.js';
import {describePosition, type KeyPath, type ParsedConfig} from './parse.js';
import {ConfigStruct, ServiceStruct, serviceStructs, type CavraConfig} from './schema.js';

/**
 * Validate a parsed config. An error names the file, the key path, what is wanted (the valid values
 * of an enum, the closest known key for a typo) and, when known, the line and column. No raw outside
 * string is ever printed: values are described ("a string"), keys and enum values shown escaped.
 */

const HINT = 'see .cavrarc.example (or docs/configuration.md) for every key and its type';

export function validateConfig(raw: unknown, filepath: string, positionOf?: ParsedConfig['positionOf']): CavraConfig {
	let result: ReturnType<typeof validate<CavraConfig, unknown>>;
	try {
		result = validate(raw, ConfigStruct, {coerce: false});
	} catch {
		// superstruct formats values with `${value}`, which throws for objects like {"toString": 1}.
		throw new ConfigError(`${visible(filepath)}: a value has an unexpected shape`, {file: filepath, hint: HINT});
	}
	const [error, value] = result;
	if (error) throw describeStructError(error, raw, filepath, positionOf);
	return value;
}

function describeStructError(error: StructError, raw: unknown, filepath: string, positionOf: ParsedConfig['positionOf'] | undefined): ConfigError {
	const failures = error.failures();
	// An unknown key first: `unti` next to a missing `unit` is one typo, best answered "did you mean unit?".
	const failure = failures.find(candidate => candidate.type === 'never') ?? failures[0] ?? error;
	const keyPath = failure.path as Array<string | number>;
	const shownPath = keyPath.length > 0 ? keyPath.map(key => (typeof key === 'number' ? String(key) : printableKey(key))).join('.') : '(top level)';
	let problem: string;
	if (failure.type === 'never') {
		const known = knownKeys(keyPath.slice(0, -1), raw);
		const suggestion = didYouMean(String(keyPath.at(-1)), known);
		problem = `is not a known key${suggestion ? ` (did you mean ${suggestion}?)` : known.length > 0 ? `; the keys here are ${known.join(', ')}` : ''}`;
	} else if (failure.value === undefined) {
		problem = `is required (${failure.type})`;
	} else if (failure.type === 'enums') {
		const allowed = enumValues(keyPath, raw);
		// A value could be anything pasted (even a token): only a short word-like value is quoted whole.
		const got = typeof failure.value === 'string' ? `"${printableKey(failure.value)}"` : describeValue(failure.value);
		const suggestion = typeof failure.value === 'string' ? didYouMean(failure.value, allowed) : undefined;
		problem = `must be one of ${allowed.join(', ')}; got ${got}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
	} else if (failure.refinement) {
		problem = failure.message;
	} else {
		problem = `expected ${failure.type}, got ${describeValue(failure.value)}`;
	}
	const position = positionOf?.(keyPath, failure.type === 'never' ? 'key' : 'value');
	const at = position ? ` (${describePosition(position)})` : '';
	const more = failures.length > 1 ? ` [and ${failures.length - 1} more problem${failures.length > 2 ? 's' : ''}]` : '';
	return new ConfigError(`${visible(filepath)}: ${shownPath} ${problem}${at}${more}`, {file: filepath, keyPath: shownPath, hint: HINT});
}

/** The struct that validates the value at `keyPath` (services pick theirs by `kind`). */
function structAt(keyPath: KeyPath, raw: unknown): Struct<unknown, unknown> | undefined {
	let struct = ConfigStruct as unknown as Struct<unknown, unknown>;
	let value = raw;
	for (const key of keyPath) {
		if ((struct as unknown) === ServiceStruct) {
			const kind = (value as {kind?: unknown} | undefined)?.kind;
			if (typeof kind !== 'string' || !Object.hasOwn(serviceStructs, kind)) return undefined;
			struct = serviceStructs[kind as keyof typeof serviceStructs] as unknown as Struct<unknown, unknown>;
		}
		const schema = struct.schema as unknown;
		if (struct.type === 'array' && schema) struct = schema as Struct<unknown, unknown>;
		else if (struct.type === 'object' && schema && typeof schema === 'object' && Object.hasOwn(schema, key)) struct = (schema as Record<string, Struct<unknown, unknown>>)[key]!;
		else return undefined;
		value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
	}
	if ((struct as unknown) === ServiceStruct) {
		const kind = (value as {kind?: unknown} | undefined)?.kind;
		return typeof kind === 'string' && Object.hasOwn(serviceStructs, kind) ? (serviceStructs[kind as keyof typeof serviceStructs] as unknown as Struct<unknown, unknown>) : undefined;
	}
	return struct;
}

function knownKeys(keyPath: KeyPath, raw: unknown): string[] {
	const struct = structAt(keyPath, raw);
	return struct?.type === 'object' && struct.schema ? Object.keys(struct.schema as object) : [];
}

function enumValues(keyPath: KeyPath, raw: unknown): string[] {
	if (keyPath.length >= 2 && keyPath.at(-1) === 'kind' && keyPath.at(-3) === 'services') return Object.keys(serviceStructs);
	const struct = structAt(keyPath, raw);
	return struct?.type === 'enums' && struct.schema ? Object.values(struct.schema as Record<string, string>).map(String) : [];
}

function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return 'a string';
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return typeof value === 'object' ? 'an object' : typeof value;
}
