import {PyDict} from './py-value.js';

/** Ordinary JSON values, for consumers that use JSON.stringify or compare with plain objects. */
export type PlainJson = null | boolean | number | string | PlainJson[] | {[key: string]: PlainJson};

/**
 * A report as ordinary JS values: Python ints become numbers (a few very large ones lose
 * precision), objects from the files become plain objects (a plain object puts integer-like
 * keys first; toPythonJson keeps the file's order). Non-finite floats stay as they are, which
 * JSON.stringify prints as null.
 */
export function toPlainJson(value: unknown): PlainJson {
	if (value === null || value === undefined) return null;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
	if (Array.isArray(value)) return value.map(toPlainJson);
	if (value instanceof PyDict) return Object.fromEntries([...value.entries()].map(([key, item]) => [key, toPlainJson(item)]));
	if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlainJson(item)]));
	throw new TypeError(`not a report value: ${typeof value}`);
}
