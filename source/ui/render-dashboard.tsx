import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {enterFullScreen} from './terminal-session.js';
import {ColorProvider} from './components/text.js';
import type {DashboardStore} from '../core/dashboard/index.js';
import {DashboardScreen} from './screens/dashboard/dashboard-screen.js';

export interface DashboardUiOptions {
	store: DashboardStore;
	onRefresh(): void;
	rollbackAvailable: boolean;
	color: boolean;
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
	/** Fixed size (tests, bench); otherwise the terminal's. */
	size?: {columns: number; rows: number};
	/** Every frame written in full (tests). */
	debug?: boolean;
	/** Aborting it closes the screen (e.g. the config turned out unusable). */
	signal?: AbortSignal;
}

/** What the operator asked for on the way out: nothing more, or the guided rollback. */
export type DashboardUiResult = {next: 'quit'} | {next: 'rollback'};

/** Mount the dashboard, wait for `q`, Ctrl-C or `b`, unmount; resolves once Ink has let go of the terminal. */
export async function runDashboardUi(options: DashboardUiOptions): Promise<DashboardUiResult> {
	let result: DashboardUiResult = {next: 'quit'};
	// A signal (kill, a closed terminal) closes the screen like `q` does.
	const screen = enterFullScreen(options.stdout ?? process.stdout, {onSignal: () => instance.unmount()});
	const instance = render(
		<ColorProvider value={options.color}>
		<DashboardScreen
			store={options.store}
			onRefresh={options.onRefresh}
			rollbackAvailable={options.rollbackAvailable}
			onBeginRollback={() => (result = {next: 'rollback'})}
			color={options.color}
			{...(options.size && {size: options.size})}
		/>
		</ColorProvider>,
		{
			exitOnCtrlC: true,
			patchConsole: false,
			maxFps: 20,
			stdin: keyInputStream(options.stdin ?? process.stdin),
			...(options.stdout && {stdout: options.stdout}),
			...(options.stderr && {stderr: options.stderr}),
			...(options.debug && {debug: true}),
		},
	);
	options.signal?.addEventListener('abort', () => instance.unmount(), {once: true});
	try {
		await instance.waitUntilExit();
	} finally {
		screen.close();
	}
	return result;
}
