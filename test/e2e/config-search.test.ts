import {copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {serviceKinds} from '../../source/core/config/schema.js';
import {repoRoot, runCli} from '../helpers/cli.js';

/**
 * Issue 9 §1: no config path ever executes code. cosmiconfig 9 loaded `.config/config.{js,ts,mjs,cjs}`
 * (a "meta config") with code loaders before ours, and a YAML meta config could redirect the search;
 * as root during an incident that is code execution from whatever folder the operator stands in.
 */

const codeMetaConfigs: Array<[string, (marker: string) => string]> = [
	['config.js', marker => `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {cavra: {plan: 'evil.json'}};`],
	['config.cjs', marker => `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = {cavra: {plan: 'evil.json'}};`],
	['config.mjs', marker => `import {writeFileSync} from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {cavra: {plan: 'evil.json'}};`],
	['config.ts', marker => `import {writeFileSync} from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default {cavra: {plan: 'evil.json'}};`],
];

/** A project folder with a good plan, an evil plan, and every meta config cosmiconfig would have honoured. */
function hostileProject(): {cwd: string; marker: string} {
	const cwd = mkdtempSync(path.join(tmpdir(), 'cavra-meta-'));
	const marker = path.join(cwd, 'MARKER-code-ran');
	copyFileSync(path.join(repoRoot, 'templates/standard.json'), path.join(cwd, 'good.json'));
	copyFileSync(path.join(repoRoot, 'templates/standard.json'), path.join(cwd, 'evil.json'));
	mkdirSync(path.join(cwd, '.config'));
	for (const [name, body] of codeMetaConfigs) writeFileSync(path.join(cwd, '.config', name), body(marker));
	// A YAML meta config: the tool's own section, and a redirection of the search places.
	writeFileSync(path.join(cwd, '.config', 'config.yaml'), 'cavra:\n  plan: evil.json\n  searchPlaces: [evil.yaml]\n  loaders: {}\n');
	writeFileSync(path.join(cwd, '.config', 'config.json'), '{"cavra": {"plan": "evil.json", "searchPlaces": ["evil.yaml"]}}');
	writeFileSync(path.join(cwd, 'evil.yaml'), 'plan: evil.json\n');
	return {cwd, marker};
}

function lintedPlan(stdout: string): string | undefined {
	return (JSON.parse(stdout) as {files: Array<{path: string}>}).files[0]?.path;
}

describe('config search never runs code and nothing else in a folder changes what is loaded', () => {
	it('with a .cavrarc.yaml found by the search', () => {
		const {cwd, marker} = hostileProject();
		writeFileSync(path.join(cwd, '.cavrarc.yaml'), 'plan: good.json\n');
		const result = runCli(['lint', '--format', 'json'], {cwd});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(lintedPlan(result.stdout)).toBe(path.join(cwd, 'good.json'));
		expect(existsSync(marker)).toBe(false);
	});

	it('with --config FILE', () => {
		const {cwd, marker} = hostileProject();
		writeFileSync(path.join(cwd, 'ops.json'), '{"plan": "good.json"}');
		const result = runCli(['--config', 'ops.json', 'lint', '--format', 'json'], {cwd});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(lintedPlan(result.stdout)).toBe(path.join(cwd, 'good.json'));
		expect(existsSync(marker)).toBe(false);
	});

	it('with no config of ours at all: nothing is loaded, nothing runs', () => {
		const {cwd, marker} = hostileProject();
		writeFileSync(path.join(cwd, 'package.json'), '{"name": "x"}');
		const result = runCli(['readiness', '--json'], {cwd});
		expect(existsSync(marker)).toBe(false);
		expect(result.stdout).not.toContain('evil.json');
	});

	it('a config error names the file and the fix, with line and column, and exits 2', () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'cavra-meta-'));
		writeFileSync(path.join(cwd, '.cavrarc.yaml'), 'services:\n  - name: api\n    kind: systemdd\n    unit: cavra-api.service\n');
		const result = runCli(['lint', '--format', 'json'], {cwd});
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain(`${path.join(cwd, '.cavrarc.yaml')}: services.0.kind must be one of ${serviceKinds.join(', ')}; got "systemdd" (did you mean systemd?) (line 3, column 11)`);
		expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
	});
});
