import {readFileSync} from 'node:fs';
import {packagePath} from './package-root.js';

interface PackageJson {
	version: string;
	bin: Record<string, string>;
}

function readPackageJson(): PackageJson {
	return JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as PackageJson;
}

/** The package's own version, read from its package.json (one source of truth). */
export function packageVersion(): string {
	return readPackageJson().version;
}

/** The file `npm install` links as the `cavra-rollback` command (the bundle), for the bench and the tests. */
export function shippedBin(): string {
	return packagePath(readPackageJson().bin['cavra-rollback']!);
}
