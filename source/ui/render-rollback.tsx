import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {enableBracketedPaste} from './keys/bracketed-paste.js';
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
}

/**
 * Mount the rollback screen for the whole run, wait for the run and for Ink to unmount (the
 * final frame is flushed), and hand back the run's outcome. Never calls process.exit().
 */
export async function renderRollback<T extends {evidencePath?: string | undefined; runDir?: string | undefined}>(options: RenderRollbackOptions<T>): Promise<T> {
	const store = new RollbackStore();
	// Not on the alternate screen (ui/terminal-session.ts), on purpose: the preview is longer than a
	// terminal and the operator must be able to scroll back through what they confirm, and the
	// transcript of the run must stay in the scrollback. The live frame is kept shorter than the
	// terminal instead (RollbackScreen), so Ink never clears the screen and nothing above is wiped.
	const pasteOff = enableBracketedPaste(options.stdout);
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
	let outcome: T | undefined;
	let failure: unknown;
	try {
		outcome = await options.start({onState: store.onState, onPreview: store.onPreview, confirm: store.confirm});
		store.finish({evidencePath: outcome.evidencePath, runDir: outcome.runDir, flags: options.flags});
	} catch (error) {
		failure = error;
		store.finish({error: error instanceof Error ? error.message : String(error)});
	}
	try {
		await instance.waitUntilExit();
	} finally {
		pasteOff();
	}
	if (failure !== undefined) throw failure;
	return outcome!;
}
