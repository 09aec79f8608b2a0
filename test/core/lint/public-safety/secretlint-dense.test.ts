import {describe, expect, it} from 'vitest';
import {secretlintSpans} from '../../../../source/core/lint/public-safety/secretlint-adapter.js';
import {scanPublicSafety} from '../../../../source/core/lint/public-safety/index.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function body(index: number): string {
	let x = (index * 2_654_435_761) >>> 0 || 1;
	let out = '';
	for (let i = 0; i < 36; i++) {
		x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
		out += ALNUM[x % ALNUM.length];
	}
	return out;
}

describe('secretlint on token-dense input (its quadratic duplicate filter is bypassed)', () => {
	it('reports every one of 20 000 distinct tokens, each in its own string', async () => {
		const values = Array.from({length: 20_000}, (_, i) => `export GITHUB_TOKEN=ghp_${body(i + 1)}`);
		const spans = await secretlintSpans(values);
		const github = spans.filter(span => span.rule === 'public-safety/github-token');
		expect(new Set(github.map(span => span.index)).size).toBe(20_000);
		for (const span of github.slice(0, 50)) expect(values[span.index]!.slice(span.start, span.end)).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
	}, 60_000);

	it('the same secret twice in one string is still one finding', async () => {
		const token = `ghp_${body(7)}`;
		const hits = await scanPublicSafety([{pointer: '/a', value: `${token} and again ${token}`, offset: 0}]);
		expect(hits.filter(hit => hit.rule === 'public-safety/github-token')).toHaveLength(1);
	});
});
