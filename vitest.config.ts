import {availableParallelism} from 'node:os';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		reporters: ['default', './test/helpers/summary-reporter.ts'],
		environment: 'node',
		testTimeout: 20_000,
		hookTimeout: 30_000,
		// Forks isolate process-level state (env, cwd, signal handlers) between files.
		pool: 'forks',
		// Vitest's default (cores - 1) runs one file at a time on a 2-core machine; most files
		// spend their time waiting on child processes, so two at once nearly halve the suite.
		maxWorkers: Math.max(2, availableParallelism() - 1),
		fakeTimers: {toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']},
	},
});
