import {readFileSync} from 'node:fs';

/** The package's own version, read from package.json next to dist/ (one source of truth). */
export function packageVersion(): string {
	const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
	return packageJson.version;
}
