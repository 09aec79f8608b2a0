import {mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {watchFiles, type FileWatcher} from '../../source/io/watcher.js';

/** Collects change batches; `next()` resolves with the next batch (or rejects after a generous bound). */
function collector() {
	const batches: string[][] = [];
	let waiting: ((batch: string[]) => void) | undefined;
	return {
		batches,
		onChange(changed: ReadonlySet<string>) {
			const batch = [...changed].sort();
			batches.push(batch);
			waiting?.(batch);
			waiting = undefined;
		},
		next(): Promise<string[]> {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no change seen')), 5000);
				waiting = batch => {
					clearTimeout(timer);
					resolve(batch);
				};
			});
		},
	};
}

const quiet = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

let dir: string;
let watcher: FileWatcher | undefined;
afterEach(async () => {
	await watcher?.close();
	watcher = undefined;
	rmSync(dir, {recursive: true, force: true});
});

describe('watchFiles', () => {
	it('closed before its first scan ends (q right after start), ready still settles: nobody awaiting it hangs', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-close-'));
		const plan = path.join(dir, 'plan.json');
		writeFileSync(plan, '{}');
		const early = watchFiles([plan], () => undefined);
		await early.close();
		await expect(early.ready).resolves.toBeUndefined();
	});

	it('sees a file that did not exist appear, change, be replaced by an atomic rename, and vanish', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-'));
		const plan = path.join(dir, 'plan.json');
		const events = collector();
		watcher = watchFiles([plan], changed => events.onChange(changed), {debounceMs: 20});
		await watcher.ready;

		let next = events.next();
		writeFileSync(plan, '{}');
		expect(await next).toEqual([plan]);

		next = events.next();
		writeFileSync(plan, '{"a":1}');
		expect(await next).toEqual([plan]);

		// How editors and write-file-atomic save: write a temporary file, rename it over the original.
		next = events.next();
		writeFileSync(path.join(dir, '.plan.json.swp'), '{"a":2}');
		renameSync(path.join(dir, '.plan.json.swp'), plan);
		expect(await next).toEqual([plan]);

		next = events.next();
		unlinkSync(plan);
		expect(await next).toEqual([plan]);
	});

	it('ignores other files in the same folder', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-'));
		const plan = path.join(dir, 'plan.json');
		const events = collector();
		watcher = watchFiles([plan], changed => events.onChange(changed), {debounceMs: 20});
		await watcher.ready;
		writeFileSync(path.join(dir, 'other.json'), '{}');
		await quiet(200);
		expect(events.batches).toEqual([]);
	});

	it('debounces a burst of writes into one callback naming every changed file', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-'));
		const a = path.join(dir, 'a.json');
		const b = path.join(dir, 'b.json');
		const events = collector();
		watcher = watchFiles([a, b], changed => events.onChange(changed), {debounceMs: 100});
		await watcher.ready;
		const next = events.next();
		for (let i = 0; i < 5; i++) {
			writeFileSync(a, String(i));
			writeFileSync(b, String(i));
		}
		expect(await next).toEqual([a, b]);
		await quiet(250);
		expect(events.batches).toHaveLength(1);
	});

	it('watches a folder that does not exist yet through its nearest existing ancestor', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-'));
		const plan = path.join(dir, 'etc', 'cavra', 'plan.json');
		const events = collector();
		watcher = watchFiles([plan], changed => events.onChange(changed), {debounceMs: 20});
		await watcher.ready;
		const next = events.next();
		mkdirSync(path.dirname(plan), {recursive: true});
		await quiet(100);
		writeFileSync(plan, '{}');
		expect(await next).toContain(plan);
		// Later writes are seen too (the new folder is watched).
		const after = events.next();
		writeFileSync(plan, '{"b":1}');
		expect(await after).toEqual([plan]);
	});

	it('closes cleanly with no files', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'cavra-watch-'));
		watcher = watchFiles([], () => undefined);
		await watcher.ready;
	});
});
