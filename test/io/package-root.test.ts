/** Templates, package.json and the demo folder are found from one place, whatever the module's depth. */
import {existsSync, readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {packagePath, packageRoot} from '../../source/io/package-root.js';
import {packageVersion, shippedBin} from '../../source/io/package-info.js';
import {listTemplates} from '../../source/io/templates.js';

describe('package root', () => {
	it('is the directory holding our own package.json, with the templates beside it', async () => {
		const packageJson = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {name: string; version: string};
		expect(packageJson.name).toBe('cavra-rollback');
		expect(packageVersion()).toBe(packageJson.version);
		expect(existsSync(packagePath('templates', 'standard.json'))).toBe(true);
		expect((await listTemplates()).map(template => template.name)).toContain('standard');
	});

	it('names the shipped bin inside the package', () => {
		expect(shippedBin().startsWith(packageRoot())).toBe(true);
		expect(shippedBin().endsWith('.js')).toBe(true);
	});
});
