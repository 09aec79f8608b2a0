import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {enableBracketedPaste} from './keys/bracketed-paste.js';
import {enterFullScreen} from './terminal-session.js';
import {ColorProvider} from './components/text.js';
import type {RollbackPreview} from '../core/rollback/preview.js';
import type {RollbackState} from '../core/rollback/machine.js';
import type {RunFlags} from '../core/rollback/progress-lines.js';
import {RollbackScreen} from './screens/rollback/rollback-screen.js';
import {RollbackStore} from './screens/rollback/store.js';

export interface RunHooks {
	onState(state: RollbackState): void;
	onPreview(preview: RollbackPreview): void;
	confirm(preview: RollbackPreview): Promise<boolean>;
}

export interface RenderRollbackOptions<T extends {evidencePath?: string | undefined; runDir?: string | undefined}> {
	stdout: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
	stderr: NodeJS.WriteStream;
	color: boolean;
	/** Ctrl-C (raw mode delivers it as a key, not a signal). */
	onStop(): void;
	/** How the run was started: the summary's `--resume` command carries it. */
	flags?: RunFlags;
	/** Start the run with the screen's hooks. */
	start(hooks: RunHooks): Promise<T>;
	/**
	 * The record of the run, printed on the normal screen once the full-screen view is gone (the
	 * plain renderer's words, already sanitized): the command redacts and wraps it. Called on every
	 * way out but a crash, a failed run included (before its error is reported).
	 */
	printTranscript(lines: string[]): void;
	/**
	 * Masks every outside string before the screen keeps or draws it (the command passes
	 * `redactText` with the run's secret values: the api.tokenEnv token under any name).
	 */
	redact?: (text: string) => string;
}

/**
 * Mount the rollback screen on the alternate screen for the whole run, wait for the run and for
 * Ink to unmount, leave the alternate screen, print the run's transcript on the normal screen,
 * and hand back the run's outcome. Never calls process.exit().
 */
export async function renderRollback<T extends {evidencePath?: string | undefined; runDir?: string | undefined}>(options: RenderRollbackOptions<T>): Promise<T> {
	const store = new RollbackStore(options.redact);
	// The alternate screen, as for the dashboard and the wizard: the operator's scrollback is never
	// touched, the preview scrolls in its own pane, and the record of the run is printed below the
	// scrollback on the way out. No `onSignal`: the command owns its signals (Ctrl-C stops after the
	// step, SIGTERM and SIGHUP abort, each ending through the normal path below); a crash or an
	// exit() leaves the screen through the session's 'exit' handler.
	const screen = enterFullScreen(options.stdout);
	const pasteOff = enableBracketedPaste(options.stdout);
	let outcome: T | undefined;
	let failure: unknown;
	try {
		const instance = render(
			<ColorProvider value={options.color}>
				<RollbackScreen store={store} onStop={options.onStop} color={options.color} />
			</ColorProvider>,
			{
				stdout: options.stdout,
				stdin: keyInputStream(options.stdin),
				stderr: options.stderr,
				exitOnCtrlC: false,
				patchConsole: false,
			},
		);
		try {
			outcome = await options.start({onState: store.onState, onPreview: store.onPreview, confirm: store.confirm});
			store.finish({evidencePath: outcome.evidencePath, runDir: outcome.runDir, flags: options.flags});
		} catch (error) {
			failure = error;
			store.finish({error: error instanceof Error ? error.message : String(error)});
		}
		await instance.waitUntilExit();
	} finally {
		pasteOff();
		screen.close();
	}
	options.printTranscript(store.transcriptLines());
	if (failure !== undefined) throw failure;
	return outcome!;
}
