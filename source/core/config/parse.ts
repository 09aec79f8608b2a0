import {ConfigError} from '../errors.js';
import {parseJsonDocument, type SourcePosition, type SyntaxRule} from '../json/document.js';
import {appendPointer} from '../json/pointer.js';
import {visible} from '../text/sanitize.js';

/**
 * Config text to a plain value, for `.cavrarc.json` and package.json (YAML is in parse-yaml.ts,
 * loaded only when a YAML file is found). Data only: nothing here can run code, import another
 * file or redirect the search. Errors name the file, the line and the column, never echo content.
 */

/** The largest config file read; a real one is a few KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export type KeyPath = ReadonlyArray<string | number>;

export interface ParsedConfig {
	value: unknown;
	/**
	 * Where the value at a key path (or its nearest existing ancestor) starts, when known; with
	 * `of: 'key'`, where its key is written (for "not a known key").
	 */
	positionOf(keyPath: KeyPath, of?: 'value' | 'key'): SourcePosition | undefined;
}

/** "line 3, column 7", the one way config errors show a position. */
export function describePosition(position: SourcePosition | undefined): string {
	return position ? `line ${position.line}, column ${position.column}` : '';
}

export function parseError(file: string, message: string, position?: SourcePosition): ConfigError {
	const at = position ? ` at ${describePosition(position)}` : '';
	return new ConfigError(`${visible(file)}: cannot parse config${at}: ${message}`, {
		file,
		hint: 'the file must be one JSON or YAML document; fix it at that position',
	});
}

// A BOM is harmless in a config file (CAVRA never reads it); every other problem is an error.
const TOLERATED: ReadonlySet<SyntaxRule> = new Set(['syntax/utf8-bom']);
const WHOLE_FILE: ReadonlySet<SyntaxRule> = new Set(['syntax/invalid-json', 'syntax/invalid-utf8', 'syntax/too-deep', 'syntax/empty-file']);

/** A JSON config (duplicate keys are an error naming the key). `pick` selects package.json's "cavra". */
export function parseJsonConfig(input: Uint8Array | string, file: string, pick?: string): ParsedConfig {
	const document = parseJsonDocument(input);
	const base = pick === undefined ? '' : appendPointer('', pick);
	// In package.json only our own key counts: a duplicate "scripts" is not our business.
	const ours = (pointer: string) => pick === undefined || pointer === base || pointer.startsWith(`${base}/`);
	const problem = document.problems.find(candidate => !TOLERATED.has(candidate.rule) && (WHOLE_FILE.has(candidate.rule) || ours(candidate.pointer)));
	if (problem) {
		// The plan linter's messages end with what CAVRA would do; a config error says what and where.
		const message = problem.message.replace(/; CAVRA .*$/, problem.rule === 'syntax/duplicate-key' ? '; keep exactly one' : '');
		throw parseError(file, message, document.positionAt(problem.offset));
	}
	const pointerOf = (keyPath: KeyPath) => keyPath.reduce<string>((pointer, key) => appendPointer(pointer, key), base);
	let value = document.value;
	if (pick !== undefined) value = isRecord(value) && Object.hasOwn(value, pick) ? value[pick] : undefined;
	return {
		value,
		positionOf(keyPath, of = 'value') {
			const node = document.nodeAt(pointerOf(keyPath));
			const keyNode = of === 'key' && node?.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
			return document.positionAt(keyNode?.offset ?? document.offsetOf(pointerOf(keyPath)));
		},
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
