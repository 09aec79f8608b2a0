import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {repoRoot as rootWithSlash} from '../helpers/cli.js';

const repoRoot = path.resolve(rootWithSlash);

/** README.md and every docs page: the reference a reader follows from the front door. */
const pages = ['README.md', ...readdirSync(path.join(repoRoot, 'docs')).filter(name => name.endsWith('.md')).sort().map(name => `docs/${name}`)];

/** The Markdown outside fenced code blocks and inline code: what renders as prose, links and headings. */
function prose(markdown: string): string[] {
	const lines: string[] = [];
	let fence: string | undefined;
	for (const line of markdown.split('\n')) {
		const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
		if (marker && (fence === undefined || marker.startsWith(fence))) {
			fence = fence === undefined ? marker : undefined;
			lines.push('');
			continue;
		}
		lines.push(fence === undefined ? line : '');
	}
	return lines;
}

function withoutInlineCode(line: string): string {
	return line.replace(/(`+)[^`]*?\1/g, '');
}

/** GitHub's heading anchors: the rendered text, lower-cased, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const line of prose(markdown)) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
		if (heading === undefined) continue;
		const text = heading.replace(/`([^`]*)`/g, '$1').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_]{1,2}([^*_]+)[*_]{1,2}/g, '$1');
		const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '').replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

type Link = {page: string; line: number; target: string};

function relativeLinks(page: string): Link[] {
	const links: Link[] = [];
	prose(readFileSync(path.join(repoRoot, page), 'utf8')).forEach((line, index) => {
		for (const match of withoutInlineCode(line).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			const target = match[1]!;
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
			links.push({page, line: index + 1, target});
		}
	});
	return links;
}

/** Why a link does not resolve, or undefined when it does. */
function brokenReason({page, target}: Link): string | undefined {
	const [file, anchor] = target.split('#', 2) as [string, string | undefined];
	const resolved = file === '' ? path.join(repoRoot, page) : path.resolve(path.dirname(path.join(repoRoot, page)), decodeURIComponent(file));
	if (!resolved.startsWith(repoRoot + path.sep)) return 'points outside the repository';
	if (!existsSync(resolved)) return 'no such file';
	if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
	return anchorsOf(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor)) ? undefined : `no heading with anchor #${anchor}`;
}

describe('links in README.md and docs/*.md', () => {
	it.each(pages)('every relative link in %s resolves to a file (and heading) in the repository', page => {
		const broken = relativeLinks(page).flatMap(link => {
			const reason = brokenReason(link);
			return reason ? [`${link.page}:${link.line}: ${link.target}: ${reason}`] : [];
		});
		expect(broken).toEqual([]);
	});

	it('the README links to a docs page for every command the CLI lists', () => {
		const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
		const linked = new Set(relativeLinks('README.md').map(link => link.target.split('#')[0]));
		for (const page of ['docs/lint.md', 'docs/readiness.md', 'docs/templates.md', 'docs/dashboard.md', 'docs/author.md', 'docs/rollback.md', 'docs/evidence.md', 'docs/configuration.md', 'docs/security.md']) {
			expect(linked, page).toContain(page);
		}
		expect(readme).toMatch(/\| `templates`, `schema` \|/);
	});

	it('the README\'s two commands are exactly the ones CI runs', () => {
		const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
		const block = /## Try it\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
		const commands = block.split('\n').map(line => line.replace(/#.*/, '').trim()).filter(Boolean);
		expect(commands).toEqual(['npm ci', 'npm test']);
		// .ci/run may wrap a command in its own helper (`leg "name" npm test`); comments do not count.
		const ci = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8').split('\n').map(line => line.trim()).filter(line => !line.startsWith('#'));
		expect(ci.some(line => /^npm ci(\s|$)/.test(line))).toBe(true);
		expect(ci.some(line => /(^|\s)npm test$/.test(line))).toBe(true);
	});
});

describe('the anchor rule the link check relies on', () => {
	it('matches GitHub for the headings the docs link to', () => {
		const anchors = anchorsOf([
			'## `lint --fix`: placeholders',
			'### Evidence: `<evidence.dir>/<run-id>/`',
			'## What is protected: the sanitizer',
			'### Lock: one run at a time',
			'```',
			'# not a heading inside a code block',
			'```',
			'## Notes',
			'## Notes',
		].join('\n'));
		expect([...anchors]).toEqual(['lint---fix-placeholders', 'evidence-evidencedirrun-id', 'what-is-protected-the-sanitizer', 'lock-one-run-at-a-time', 'notes', 'notes-1']);
	});

	it('catches a link to a missing file or heading', () => {
		expect(brokenReason({page: 'README.md', line: 1, target: 'docs/no-such-page.md'})).toBe('no such file');
		expect(brokenReason({page: 'docs/lint.md', line: 1, target: 'security.md#no-such-heading'})).toBe('no heading with anchor #no-such-heading');
		expect(brokenReason({page: 'docs/lint.md', line: 1, target: '#reviewed-exceptions'})).toBeUndefined();
		expect(brokenReason({page: 'docs/lint.md', line: 1, target: '../.cavrarc.example'})).toBeUndefined();
	});
});
