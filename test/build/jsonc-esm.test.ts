import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {RUNTIME_PARSER} from '../../source/build/jsonc-esm.js';
import {lintPlan} from '../../source/core/lint/lint-plan.js';
import {formatLintJson} from '../../source/format/lint-json.js';
import {assertBuilt, repoRoot, runCli} from '../helpers/cli.js';

/**
 * The bundle parses plans with jsonc-parser's ESM build (bundled), the sources with its UMD build
 * (loaded at run time): both must read every plan alike, hostile JSON included.
 */
const PLANS: Record<string, string> = {
	'duplicate keys and trailing comma': '{"schema_version": 1, "a": 1, "a": 2, "rollback_steps": ["x",],}',
	'comments and NaN': '{/* c */ "schema_version": NaN, // x\n "rollback_steps": [Infinity]}',
	'unterminated string and stray bytes': '{"schema_version": 1, "rollback_steps": ["restart \u0007 api}',
	'deep nesting': `${'['.repeat(600)}${']'.repeat(600)}`,
	'escapes and surrogates': '{"schema_version": 1, "rollback_steps": ["\\ud800 \\u202e x", "\\u0000"], "\\u0061": 1}',
	'not json at all': 'schema_version: 1\nrollback_steps:\n  - restart',
};

describe('jsonc-parser bundled from its ESM build', () => {
	it('replaces the run-time load in document.ts (the build fails when that line changes)', () => {
		expect(readFileSync(path.join(repoRoot, 'source/core/json/document.ts'), 'utf8')).toContain(RUNTIME_PARSER);
		assertBuilt();
		const chunks = path.join(repoRoot, 'dist/bundle/chunks');
		const bundled = readdirSync(chunks).filter(file => file.endsWith('.js')).map(file => readFileSync(path.join(chunks, file), 'utf8'));
		expect(bundled.some(code => code.includes('jsonc-parser/lib/umd'))).toBe(false);
		expect(bundled.some(code => code.includes('function createScanner('))).toBe(true);
	});

	it.each(Object.entries(PLANS))('the shipped lint reports what the sources report: %s', async (_name, plan) => {
		const fromSources = JSON.parse(formatLintJson([await lintPlan({path: '-', bytes: plan})])) as unknown;
		const shipped = runCli(['lint', '--format', 'json', '-'], {input: plan});
		expect(JSON.parse(shipped.stdout)).toEqual(fromSources);
	});
});
