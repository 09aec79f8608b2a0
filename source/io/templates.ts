import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {UsageError} from '../core/errors.js';
import {packagePath} from './package-root.js';

/** Plan templates ship in `templates/` at the package root; a template's name is its file name without `.json`. */
export function templatesDir(): string {
	return packagePath('templates');
}

export interface TemplateInfo {
	name: string;
	description: string;
	path: string;
}

export async function listTemplates(dir = templatesDir()): Promise<TemplateInfo[]> {
	const entries = await readdir(dir, {withFileTypes: true});
	const names = entries.filter(entry => entry.isFile() && entry.name.endsWith('.json')).map(entry => entry.name.slice(0, -'.json'.length));
	names.sort();
	return Promise.all(
		names.map(async name => {
			const file = path.join(dir, `${name}.json`);
			return {name, description: describe(await readFile(file, 'utf8')), path: file};
		}),
	);
}

export async function readTemplate(name: string, dir = templatesDir()): Promise<{info: TemplateInfo; text: string}> {
	const templates = await listTemplates(dir);
	const info = templates.find(template => template.name === name);
	if (!info) throw new UsageError(`no template named "${name}"`, `templates: ${templates.map(template => template.name).join(', ')}`);
	return {info, text: await readFile(info.path, 'utf8')};
}

/** The template's `$comment` is its one-line description (CAVRA ignores the key). */
function describe(text: string): string {
	try {
		const comment = (JSON.parse(text) as {$comment?: unknown}).$comment;
		return typeof comment === 'string' ? comment : '';
	} catch {
		return '(not valid JSON)';
	}
}
