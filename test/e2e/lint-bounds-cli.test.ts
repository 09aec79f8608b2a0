import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

describe('cavra-rollback lint: bounded output', () => {
	it('300 000 duplicate keys: JSON and SARIF stay small, in a 384 MB heap (it took 1.9 GB), with one summary of the folded findings', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'cavra-lint-bounds-'));
		const file = path.join(dir, 'dup.json');
		writeFileSync(file, `{${Array.from({length: 300_000}, () => '"approved":true').join(',')}}`);
		for (const format of ['json', 'sarif']) {
			const result = runCli(['lint', '--format', format, file], {env: {NODE_OPTIONS: '--max-old-space-size=384'}, timeoutMs: 90_000});
			expect(result.code, `${format}: ${result.stderr.slice(0, 300)}`).toBe(1);
			expect(result.stdout.length, format).toBeLessThan(400_000);
			expect(result.stdout, format).toContain('299899 more syntax/duplicate-key findings in this file');
		}
	}, 200_000);
});
