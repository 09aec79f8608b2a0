import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {watch, type FSWatcher} from 'chokidar';

/**
 * Watch a handful of files that may not exist yet. Each file's folder is watched (not the file:
 * editors save by writing a temporary file and renaming it over the original, which replaces
 * the inode a file watch would hold), filtered down to the files we care about. When a folder
 * does not exist either, its nearest existing ancestor is watched until it appears.
 * Bursts of events are debounced into one callback naming every file that changed.
 */

export interface FileWatcher {
	/** Resolves once the initial scan is done and changes will be seen. */
	ready: Promise<void>;
	close(): Promise<void>;
}

export interface WatchOptions {
	/** Quiet time after the last event before the callback runs. Default 50 ms. */
	debounceMs?: number;
	onError?(error: unknown): void;
}

export function watchFiles(files: readonly string[], onChange: (changed: ReadonlySet<string>) => void, options: WatchOptions = {}): FileWatcher {
	const debounceMs = options.debounceMs ?? 50;
	const targets = [...new Set(files.map(file => path.resolve(file)))];
	const targetSet = new Set(targets);
	if (targets.length === 0) return {ready: Promise.resolve(), close: async () => undefined};

	// Every folder on the way from a watched root down to a target's folder must pass the filter.
	const allowed = new Set<string>(targets);
	const roots = new Set<string>();
	let depth = 0;
	for (const target of targets) {
		const folder = path.dirname(target);
		const root = nearestExistingFolder(folder);
		roots.add(root);
		for (let dir = folder; ; dir = path.dirname(dir)) {
			allowed.add(dir);
			if (dir === root || dir === path.dirname(dir)) break;
		}
		depth = Math.max(depth, relativeDepth(root, folder));
	}
	// A root that is itself below another root would be watched twice: keep the outer one.
	const rootList = [...roots].filter(root => ![...roots].some(other => other !== root && isInside(root, other)));

	let pending = new Set<string>();
	let timer: NodeJS.Timeout | undefined;
	let closed = false;
	const flush = () => {
		timer = undefined;
		if (closed || pending.size === 0) return;
		const changed = pending;
		pending = new Set();
		onChange(changed);
	};

	const watcher: FSWatcher = watch(rootList, {
		ignoreInitial: true,
		depth,
		// Our own debounce handles unlink+add pairs; chokidar's atomic mode would delay them 100 ms.
		atomic: false,
		ignored: (candidate: string) => !allowed.has(path.resolve(candidate)),
	});
	const note = (changedPath: string) => {
		const resolved = path.resolve(changedPath);
		if (targetSet.has(resolved)) pending.add(resolved);
		// A folder appeared or vanished: every target inside it may have too.
		else for (const target of targets) if (isInside(target, resolved)) pending.add(target);
		if (pending.size === 0) return;
		if (timer) clearTimeout(timer);
		timer = setTimeout(flush, debounceMs);
	};
	watcher.on('all', (_event, changedPath) => note(changedPath));
	// chokidar throttles "change" events: a rename landing within ~50 ms of a write is dropped.
	// The raw fs.watch events are not, so they count too (our debounce merges the duplicates).
	watcher.on('raw', (_event: string, filename: unknown, details: unknown) => {
		const watched = (details as {watchedPath?: unknown} | undefined)?.watchedPath;
		if (typeof watched !== 'string') return;
		const base = path.resolve(watched);
		if (targetSet.has(base)) note(base);
		else if (typeof filename === 'string' && filename !== '') {
			const candidate = path.resolve(base, filename);
			if (targetSet.has(candidate)) note(candidate);
		}
	});
	watcher.on('error', error => options.onError?.(error));

	// Closed before chokidar's first scan ended (q right after start), 'ready' never comes: a close
	// settles `ready` too, or whoever awaits it would hang (on Node 22+ the process then ends with
	// exit 13, "unsettled top-level await").
	let settleReady: () => void = () => undefined;
	const ready = new Promise<void>(resolve => {
		settleReady = resolve;
		watcher.once('ready', () => resolve());
	});
	return {
		ready,
		async close() {
			closed = true;
			settleReady();
			if (timer) clearTimeout(timer);
			await watcher.close();
		},
	};
}

function nearestExistingFolder(folder: string): string {
	for (let dir = folder; ; dir = path.dirname(dir)) {
		if (isDirectory(dir) || dir === path.dirname(dir)) return dir;
	}
}

function isDirectory(dir: string): boolean {
	try {
		return existsSync(dir) && statSync(dir).isDirectory();
	} catch {
		return false;
	}
}

function relativeDepth(root: string, folder: string): number {
	const relative = path.relative(root, folder);
	return relative === '' ? 0 : relative.split(path.sep).length;
}

function isInside(child: string, parent: string): boolean {
	const relative = path.relative(parent, child);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
