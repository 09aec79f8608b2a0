import type {Dispatch} from 'react';
import type {Verdict} from '../../../core/author/verdict.js';
import type {WizardAction, WizardState} from '../../../core/author/wizard.js';
import type {FileReport} from '../../../core/lint/finding.js';

export type {ExistingPlan, TemplateChoice} from '../../../core/author/sources.js';

export interface SaveResult {
	path: string;
	backupPath?: string;
}

/** Effects the wizard needs, injected by the command (and by tests). */
export interface AuthorDeps {
	/** Is there a file at the target path right now? */
	targetExists(): Promise<boolean>;
	/** Write atomically (with a backup when overwriting). Rejects with a message the user can act on. */
	save(text: string, options: {overwrite: boolean}): Promise<SaveResult>;
	/** The CAVRA readiness verdict for these plan bytes (promoted mode, nothing else configured). */
	readiness?(bytes: Uint8Array): Verdict;
}

export type WizardOutcome = {kind: 'saved'; status: 'ready' | 'draft'; path: string; backupPath?: string} | {kind: 'cancelled'};

export interface StepProps {
	state: WizardState;
	dispatch: Dispatch<WizardAction>;
	report: FileReport;
}
