import {ExitCode, exitCodeName} from '../core/exit-codes.js';
import type {CavraConfig} from '../core/config/schema.js';
import {packageVersion} from '../io/package-info.js';
import {loadWithNotice} from '../io/terminal.js';
import type {CommandContext, CommandRun} from './context.js';
import {findCommand, type CommandName} from './registry.js';
import type {HomeAction} from '../ui/screens/home-menu.js';

/**
 * The interactive home menu (`cavra-rollback` with no command, in a terminal). Each choice runs
 * the ordinary command module after Ink has unmounted, so the command owns the terminal alone.
 */
export const run: CommandRun = async context => {
	const {chooseFromHome} = await loadWithNotice(context.stdout, 'cavra-rollback: loading', () => import('../ui/render-home.js'));
	// The menu's title is drawn at once (Ink's first render is synchronous); the config, then the
	// verdict, are read after it and fill the menu in: the first frame waits for neither, and
	// their loading does not compete with the screen's.
	const content = readContent(context);
	// Handled at once so that an unreadable config never counts as an unhandled rejection; the
	// screen reports it (exit 2).
	content.catch(() => undefined);

	let lastResult: string | undefined;
	let index = 0;
	for (;;) {
		// Recomputed for every showing: a rollback, a rehearsal or a new plan changes it.
		const verdict = content.then(async ({config, mask}) => mask(await (await import('../io/home-verdict.js')).homeVerdict(config, context.env)));
		verdict.catch(() => undefined);
		index = await chooseFromHome({version: packageVersion(), content, verdict, lastResult, initialIndex: index, color: context.globals.color});
		const {actions} = await content;
		const action = actions[index];
		if (!action || action.argv === null) return ExitCode.ok;
		const [name, ...argv] = action.argv;
		context.stdout.write(`\n$ cavra-rollback ${action.argv.join(' ')}\n`);
		const code = await runCommand(name!, {...context, argv});
		// The real exit, by the table's name: quitting a NEEDS ATTENTION dashboard is "exit 1 (findings)".
		const codeName = exitCodeName(code);
		lastResult = `last: ${action.argv.join(' ')} → exit ${code}${codeName ? ` (${codeName})` : ''}`;
		context.stdout.write('\n');
	}
};

/** The config's facts and the actions it allows. */
async function readContent(context: CommandContext): Promise<{config: CavraConfig; facts: string[]; actions: HomeAction[]; mask: (text: string) => string}> {
	const {loadConfig} = await import('../io/config.js');
	const {config, filepath} = await loadConfig({configPath: context.globals.configPath, cwd: context.cwd, env: context.env});
	const plan = config.plan ?? context.env['CAVRA_GO_ROLLBACK_PLAN'];
	const facts = [
		`config: ${filepath ?? 'none found (cavra-rollback init writes one)'}`,
		`plan:   ${plan ?? 'not configured (set "plan" in .cavrarc or CAVRA_GO_ROLLBACK_PLAN)'}`,
	];
	const actions = availableActions(Boolean(plan), Boolean(config.promotionEvidence ?? context.env['CAVRA_GO_PROMOTION_EVIDENCE']));
	// The facts and the verdict line (paths, a file's error) are masked like the rollback screen's
	// strings, with the token under api.tokenEnv's name; loaded after the first frame, like the config.
	const {redactText, runSecretValues} = await import('../core/evidence/redact.js');
	const secretValues = runSecretValues({env: context.env, tokenEnv: config.api?.tokenEnv});
	const mask = (text: string) => redactText(text, secretValues);
	return {config, facts: facts.map(mask), actions, mask};
}

export function availableActions(hasPlan: boolean, hasPromotion = false): HomeAction[] {
	const actions: HomeAction[] = [];
	const add = (command: CommandName, argv: string[], label: string, description: string) => {
		actions.push({argv: [command, ...argv], label, description});
	};
	add('dashboard', [], 'Readiness dashboard', 'Live view: mode, plan, rehearsal, drills, schedule, API, services.');
	add('rollback', [], 'Guided rollback', 'Set CAVRA_GO_BACKEND_MODE=disabled, restart, verify, keep evidence.');
	add('author', [], 'Author a plan', 'A wizard that writes a plan CAVRA accepts and that is safe to publish.');
	if (hasPlan) add('lint', [], 'Lint the plan', 'Schema and public-safety findings for the configured plan.');
	if (hasPlan && hasPromotion) add('evidence', ['attach'], 'Attach to promotion evidence', "Link the plan, its approval, the latest rehearsal and a verified bundle into CAVRA's promotion evidence.");
	add('readiness', ['--report', 'all'], 'Readiness reports', "CAVRA's own verdicts: plan, rehearsal, drills, schedule.");
	add('rollback', ['--rehearse'], 'Rehearse the rollback', 'The same flow against this config (a staging or demo stand-in); also writes rehearsal evidence and a drill.');
	add('evidence', ['list'], 'Evidence: past runs', 'Every rollback and rehearsal bundle: id, kind, result, started, duration, signed.');
	add('evidence', ['verify'], 'Evidence: verify the latest run', 'Re-check its hash chain, sealed files and signature offline.');
	add('templates', [], 'List plan templates', 'Starting points: standard, API service, CI runners, workstations.');
	add('schema', [], "Print the plan's JSON Schema", 'For editors and CI validators: cavra-rollback schema > plan.schema.json.');
	add('init', [], 'Set up this machine', 'Write a commented .cavrarc.yaml from what is found here (shell completion: cavra-rollback completion bash).');
	actions.push({argv: null, label: 'Quit', description: 'Leave cavra-rollback.'});
	return actions;
}

async function runCommand(name: string, context: CommandContext): Promise<number> {
	const {reportError} = await import('../main.js');
	try {
		const entry = findCommand(name);
		if (!entry) throw new Error(`home menu offers an unknown command "${name}"`);
		const {run} = await entry.load();
		return await run(context);
	} catch (error) {
		return reportError(error, context.stderr);
	}
}
