import {spawnSync} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliNode, cliPath, runCli} from '../helpers/cli.js';

/** A folder with a `cavra-rollback` on PATH (the built CLI), a config and an evidence folder with two runs. */
function setup() {
	const root = mkdtempSync(path.join(tmpdir(), 'cavra-completion-'));
	const bin = path.join(root, 'bin');
	mkdirSync(bin);
	writeFileSync(path.join(bin, 'cavra-rollback'), `#!/bin/sh\nexec "${cliNode}" "${cliPath}" "$@"\n`);
	chmodSync(path.join(bin, 'cavra-rollback'), 0o755);
	writeFileSync(path.join(root, 'package.json'), '{}');
	writeFileSync(path.join(root, '.cavrarc.yaml'), 'evidence:\n  dir: ./ev\n');
	for (const id of ['rb-20260101T120000Z-a1b2c3', 'rb-20260102T120000Z-d4e5f6', 'not-a-run']) mkdirSync(path.join(root, 'ev', id), {recursive: true});
	mkdirSync(path.join(root, 'ev', 'rb-20260103T120000Z-0000aa\u001b[2J'), {recursive: true});
	return {root, bin};
}

/** Completion as bash itself does it: the script sourced, COMP_WORDS/COMP_CWORD set, the function called. */
function bashComplete(line: string[], env: {root: string; bin: string}): string[] {
	const script = runCli(['completion', 'bash']).stdout;
	const words = line.map(word => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
	const program = `${script}\nCOMP_WORDS=(cavra-rollback ${words}); COMP_CWORD=${line.length}; _cavra_rollback; printf '%s\\n' "\${COMPREPLY[@]}"`;
	const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], {cwd: env.root, env: {PATH: `${env.bin}:/usr/bin:/bin`, HOME: env.root}, encoding: 'utf8', timeout: 30_000});
	expect(result.status, result.stderr).toBe(0);
	return result.stdout.split('\n').filter(Boolean);
}

describe('cavra-rollback completion', () => {
	it('bash really completes: commands, flags from the command definitions, template names, run ids', () => {
		const env = setup();
		expect(bashComplete(['li'], env)).toEqual(['lint']);
		expect(bashComplete(['init', '--mo'], env)).toEqual(['--mode-file']);
		expect(bashComplete(['templates', 'api'], env)).toEqual(['api-service']);
		expect(bashComplete(['author', '--template', ''], env)).toEqual(expect.arrayContaining(['standard', 'workstation']));
		// Run ids from the config's evidence folder, newest first; a folder with an escape sequence in its name is never offered.
		expect(bashComplete(['rollback', '--resume', ''], env)).toEqual(['rb-20260102T120000Z-d4e5f6', 'rb-20260101T120000Z-a1b2c3']);
		expect(bashComplete(['evidence', 'verify', 'rb-20260101'], env)).toEqual(['rb-20260101T120000Z-a1b2c3']);
		expect(bashComplete(['evidence', ''], env)).toEqual(['verify', 'list', 'attach']);
	});

	it('every command listed in --help completes, and each of its flags comes from its own --help', () => {
		const commands = runCli(['__complete', '']).stdout.trim().split('\n');
		expect(commands).toEqual(expect.arrayContaining(['lint', 'readiness', 'rollback', 'completion', 'init', 'help']));
		for (const command of ['lint', 'readiness', 'init', 'rollback']) {
			const flags = runCli(['__complete', command, '--']).stdout.trim().split('\n');
			const help = runCli([command, '--help']).stdout;
			for (const flag of flags) expect(help + '--config --no-color', `${command} ${flag}`).toContain(flag);
			expect(flags.length, command).toBeGreaterThan(3);
		}
	});

	it('__complete never fails loudly (a Tab must not print errors), and is not in --help', () => {
		const broken = mkdtempSync(path.join(tmpdir(), 'cavra-completion-broken-'));
		writeFileSync(path.join(broken, '.cavrarc.yaml'), 'evidence: [\n');
		const result = runCli(['__complete', 'rollback', '--resume', ''], {cwd: broken});
		expect(result).toMatchObject({code: 0, stdout: '', stderr: ''});
		expect(runCli(['--help']).stdout).not.toContain('__complete');
	});

	it('an unknown shell is a usage error; zsh and fish scripts parse, and complete, when those shells are installed', () => {
		const unknown = runCli(['completion', 'tcsh']);
		expect(unknown.code).toBe(2);
		expect(unknown.stderr).toContain('bash, zsh, fish');
		const env = setup();
		const run = (shell: string, program: string) => spawnSync(shell, shell === 'zsh' ? ['-fc', program] : ['-c', program], {cwd: env.root, env: {PATH: `${env.bin}:/usr/bin:/bin`, HOME: env.root}, encoding: 'utf8', timeout: 30_000});
		for (const shell of ['zsh', 'fish']) {
			const script = runCli(['completion', shell]);
			expect(script.code).toBe(0);
			expect(script.stdout).toContain('cavra-rollback __complete');
			if (spawnSync(shell, ['--version']).status !== 0) continue;
			const file = path.join(env.root, `completion.${shell}`);
			writeFileSync(file, script.stdout);
			const checked = spawnSync(shell, ['-n', file], {encoding: 'utf8'});
			expect(checked.status, checked.stderr).toBe(0);
			// zsh: the function called as the completion system would, compadd and _files stubbed to print what they get.
			const result =
				shell === 'zsh'
					? run('zsh', `source ${file}; compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift; print -l -- "$@"; }; _files() { print FILES; }; words=(cavra-rollback templates api); CURRENT=3; _cavra_rollback; words=(cavra-rollback init --out ""); CURRENT=4; _cavra_rollback`)
					: run('fish', `source ${file}; complete -C "cavra-rollback templates api"; complete -C "cavra-rollback init --mo"`);
			expect(result.status, result.stderr).toBe(0);
			expect(result.stdout.trim().split('\n'), shell).toEqual(shell === 'zsh' ? ['api-service', 'FILES'] : ['api-service', '--mode-file']);
		}
	});
});
