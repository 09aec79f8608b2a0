/**
 * The one list of commands. Every entry loads its module with a static `import()` so a bundler can
 * see it (and split it into its own chunk), while the command still loads only when it runs:
 * `--help` and `lint` never pay for the Ink screens. cli/main, the home menu and the dashboard's
 * "begin rollback" all dispatch through this table; add a command here and nowhere else.
 */
import type {CommandRun} from './context.js';

export interface CommandEntry {
	summary: string;
	load: () => Promise<{run: CommandRun}>;
}

export const commands = {
	author: {summary: 'guided plan authoring (wizard; --plain, or flags for scripts)', load: () => import('./author.js')},
	lint: {summary: 'schema and public-safety lint of plans (--format text|json|sarif)', load: () => import('./lint.js')},
	readiness: {summary: "CAVRA-compatible readiness reports (--json, --report, --now)", load: () => import('./readiness.js')},
	dashboard: {summary: 'live readiness dashboard (line mode when not a TTY)', load: () => import('./dashboard.js')},
	rollback: {summary: 'guided rollback to Python-only mode (--dry-run, --yes, --rehearse, --resume)', load: () => import('./rollback.js')},
	evidence: {summary: 'evidence list, verify [PATH] (journal, files, SSH signature), attach to promotion evidence', load: () => import('./evidence.js')},
	templates: {summary: 'list plan templates, or print one: templates [NAME]', load: () => import('./templates.js')},
	schema: {summary: "print the plan's JSON Schema (draft 2020-12)", load: () => import('./schema.js')},
	completion: {summary: 'print a shell completion script: completion bash|zsh|fish', load: () => import('./completion.js')},
	init: {summary: 'write a commented .cavrarc.yaml for this machine (asks in a terminal; --yes, --json)', load: () => import('./init.js')},
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commands;

/** The entry for a name typed by a user (never an inherited property such as `constructor`). */
export function findCommand(name: string): CommandEntry | undefined {
	return Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;
}

/** The interactive home menu is not a command of its own (it runs when none is given). */
export const loadHome = () => import('./home.js');
