import {decodeUtf8, firstInvalidUtf8Byte} from '../json/utf8.js';
import {parsePythonJson} from './py-json.js';
import {PyDict} from './py-value.js';

/**
 * One metadata file as CAVRA's `_read_json_check` sees it (contract §3). Reading the disk is
 * io/readiness-files.ts's job; this turns what was found into CAVRA's verdict on the file.
 */
export type MetadataRead =
	| {kind: 'unconfigured'}
	/** Does not exist, or is not a regular file (a directory counts as missing). */
	| {kind: 'missing'}
	| {kind: 'bytes'; bytes: Uint8Array}
	/**
	 * Exists but cannot be read (permission denied and the like). CAVRA crashes there; we
	 * report `needs_attention` with `reason` in the message.
	 */
	| {kind: 'unreadable'; reason: string};

export interface ReadinessFiles {
	plan: MetadataRead;
	rehearsal: MetadataRead;
	drillHistory: MetadataRead;
	drillSchedule: MetadataRead;
}

export type MetadataCheck = {valid: true; payload: PyDict} | {valid: false; message: string; payload: PyDict};

export const METADATA_MESSAGES = {
	notConfigured: 'metadata path is not configured',
	missing: 'metadata file is missing',
	notObject: 'metadata JSON must be an object',
} as const;

/**
 * The text Python's `Path.read_text(encoding="utf-8")` returns: strict UTF-8, the BOM kept
 * (json.loads then rejects it), and universal newlines (`\r\n` and `\r` read as `\n`), which
 * is what the positions in CPython's error messages count.
 */
export function decodeLikePython(bytes: Uint8Array): {ok: true; text: string} | {ok: false; message: string} {
	const bad = firstInvalidUtf8Byte(bytes);
	if (bad !== -1) {
		const byte = bytes[bad]!.toString(16).padStart(2, '0');
		return {ok: false, message: `metadata file is not valid UTF-8 (byte 0x${byte} at position ${bad})`};
	}
	const text = decodeUtf8(bytes);
	// `replace` copies the whole text even when nothing matches (10 MB for a 10 MB plan).
	return {ok: true, text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text};
}

export function checkMetadata(read: MetadataRead): MetadataCheck {
	const fail = (message: string): MetadataCheck => ({valid: false, message, payload: new PyDict()});
	switch (read.kind) {
		case 'unconfigured':
			return fail(METADATA_MESSAGES.notConfigured);
		case 'missing':
			return fail(METADATA_MESSAGES.missing);
		case 'unreadable':
			return fail(`metadata file cannot be read: ${read.reason}`);
		case 'bytes': {
			const decoded = decodeLikePython(read.bytes);
			if (!decoded.ok) return fail(decoded.message);
			const parsed = parsePythonJson(decoded.text);
			if (!parsed.ok) return fail(`metadata JSON is invalid: ${parsed.message}`);
			if (!(parsed.value instanceof PyDict)) return fail(METADATA_MESSAGES.notObject);
			return {valid: true, payload: parsed.value};
		}
	}
}
