import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {HomeMenu, type HomeAction} from '../../source/ui/screens/home-menu.js';

const turn = () => new Promise(resolve => setImmediate(resolve));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const actions: HomeAction[] = [
	{argv: ['rollback'], label: 'Guided rollback', description: 'roll back now'},
	{argv: ['readiness'], label: 'Readiness dashboard', description: 'dashboard'},
	{argv: ['author'], label: 'Author a plan', description: 'author'},
	{argv: ['lint'], label: 'Lint the plan', description: 'lint it'},
	{argv: null, label: 'Quit', description: 'leave'},
];

async function frameWith(app: ReturnType<typeof render>, text: string): Promise<string> {
	for (let i = 0; i < 400; i++) {
		const frame = app.lastFrame() ?? '';
		if (frame.includes(text)) {
			await turn();
			return frame;
		}
		await sleep(5);
	}
	throw new Error(`no frame with ${text}: ${app.lastFrame()}`);
}

/*
 * Keys that arrive in one read all count: a held key, a paste or a laggy SSH link hands the
 * screen several keys at once.
 */

describe('home menu keys', () => {
	it('three Down keys in one read move three rows', async () => {
		let chosen = -1;
		const app = render(<HomeMenu version="1" facts={[]} actions={actions} onChoose={index => (chosen = index)} />);
		await frameWith(app, 'Guided rollback');
		app.stdin.write('\u001B[B\u001B[B\u001B[B');
		await frameWith(app, 'lint it');
		app.stdin.write('\r');
		for (let i = 0; i < 200 && chosen === -1; i++) await sleep(5);
		expect(chosen).toBe(3);
		app.unmount();
	});
	it('jjj then Enter in one read chooses the fourth row', async () => {
		let chosen = -1;
		const app = render(<HomeMenu version="1" facts={[]} actions={actions} onChoose={index => (chosen = index)} />);
		await frameWith(app, 'Guided rollback');
		app.stdin.write('jjj\r');
		for (let i = 0; i < 200 && chosen === -1; i++) await sleep(5);
		expect(chosen).toBe(3);
		app.unmount();
	});
});

describe('the keypress layer', () => {
	it('is the only way screens read keys: no Ink useInput, no ink-select-input or ink-text-input', () => {
		const root = path.resolve(import.meta.dirname, '../../source/ui');
		const files = readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(file => /\.tsx?$/.test(file));
		const offenders = files.filter(file => {
			const source = readFileSync(path.join(root, file), 'utf8');
			return /import\s*\{[^}]*\buseInput\b[^}]*\}\s*from\s*'ink'/.test(source) || /from\s*'ink-(select|text)-input'/.test(source);
		});
		expect(offenders).toEqual([]);
		expect(files.length).toBeGreaterThan(10);
	});
});
