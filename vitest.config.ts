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
		fakeTimers: {toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']},
	},
});
