import {readFile, stat} from 'node:fs/promises';
import type {MetadataRead, ReadinessFiles, ReadinessSettings} from '../core/readiness/index.js';

/**
 * Reads CAVRA's four metadata files the way its `_read_json_check` finds them (contract §3):
 * an empty path is not configured; a path that does not exist or is not a regular file (a
 * directory, a FIFO, a broken symlink) is missing; otherwise the bytes. Relative paths resolve
 * against the process's working directory, as in CAVRA.
 *
 * Where CAVRA crashes (stat or read failing with permission denied and the like), the file is
 * `unreadable` and the report says why instead.
 */

/** Errors pathlib's exists()/is_file() swallow as "does not exist". */
const MISSING_CODES = new Set(['ENOENT', 'ENOTDIR', 'EBADF', 'ELOOP']);

function reason(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	return code ?? (error instanceof Error ? error.message : String(error));
}

export async function readMetadataFile(path: string): Promise<MetadataRead> {
	if (path === '') return {kind: 'unconfigured'};
	try {
		const info = await stat(path);
		if (!info.isFile()) return {kind: 'missing'};
	} catch (error) {
		if (MISSING_CODES.has((error as NodeJS.ErrnoException).code ?? '')) return {kind: 'missing'};
		return {kind: 'unreadable', reason: reason(error)};
	}
	try {
		return {kind: 'bytes', bytes: await readFile(path)};
	} catch (error) {
		// Gone between stat and read: what CAVRA's next request would see.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'missing'};
		return {kind: 'unreadable', reason: reason(error)};
	}
}

export async function readReadinessFiles(settings: Pick<ReadinessSettings, 'rollbackPlanPath' | 'rollbackRehearsalPath' | 'rollbackDrillHistoryPath' | 'rollbackDrillSchedulePath'>): Promise<ReadinessFiles> {
	const [plan, rehearsal, drillHistory, drillSchedule] = await Promise.all([
		readMetadataFile(settings.rollbackPlanPath),
		readMetadataFile(settings.rollbackRehearsalPath),
		readMetadataFile(settings.rollbackDrillHistoryPath),
		readMetadataFile(settings.rollbackDrillSchedulePath),
	]);
	return {plan, rehearsal, drillHistory, drillSchedule};
}
