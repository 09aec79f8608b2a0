import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readJsonIfExists} from '../../source/io/rehearsal-writer.js';

describe('reading the drill history', () => {
	it('a file that is not JSON is refused without quoting what it holds', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'cavra-drills-'));
		const file = path.join(dir, 'drills.json');
		// What a drill-history path swapped for a link to /etc/shadow would read.
		writeFileSync(file, 'root:$6$Qk7aZ0x9LmPw$abcdefghijklmnop:19000:0:99999:7:::\n');
		await expect(readJsonIfExists(file)).rejects.toThrow(`${file}: not valid JSON`);
		await expect(readJsonIfExists(file)).rejects.not.toThrow(/root|\$6\$/);
		writeFileSync(file, '{"drills" 1}');
		await expect(readJsonIfExists(file)).rejects.toThrow(/not valid JSON \(at position \d+/);
		expect(await readJsonIfExists(path.join(dir, 'absent.json'))).toBeUndefined();
	});
});
