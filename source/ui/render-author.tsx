import {render} from 'ink';
import {keyInputStream} from './key-input.js';
import {enableBracketedPaste} from './keys/bracketed-paste.js';
import {enterFullScreen} from './terminal-session.js';
import {ColorProvider} from './components/text.js';
import {AuthorWizard, type AuthorWizardProps} from './screens/author/wizard.js';
import type {WizardOutcome} from './screens/author/types.js';

export type {AuthorDeps, ExistingPlan, SaveResult, TemplateChoice, WizardOutcome} from './screens/author/types.js';

/**
 * Mount the author wizard, wait until it is done, unmount; resolves to what happened. Ink owns
 * ctrl+c here (the wizard asks before discarding), and nothing else reads the keyboard meanwhile.
 */
export async function runAuthorWizard(
	props: Omit<AuthorWizardProps, 'onExit'>,
	streams: {stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; color?: boolean},
): Promise<WizardOutcome> {
	let outcome: WizardOutcome = {kind: 'cancelled'};
	// A signal ends the wizard as a cancel would (the plan on disk is untouched until a save).
	const screen = enterFullScreen(streams.stdout, {onSignal: () => instance.unmount()});
	const pasteOff = enableBracketedPaste(streams.stdout);
	const instance = render(
		<ColorProvider value={streams.color ?? true}>
			<AuthorWizard {...props} onExit={result => (outcome = result)} />
		</ColorProvider>,
		{
			stdin: keyInputStream(streams.stdin),
			stdout: streams.stdout,
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	try {
		await instance.waitUntilExit();
	} finally {
		pasteOff();
		screen.close();
	}
	return outcome;
}
