/**
 * The bridge between the runner and the Ink screen: the runner pushes machine states, the
 * preview and its question; the screen reads one snapshot and answers the question. The
 * transcript is append-only, so the scrollback reads like a log of the run.
 */
import {progressLines, summaryLines, type RunFlags} from '../../../core/rollback/progress-lines.js';
import type {RollbackState, StepState} from '../../../core/rollback/machine.js';
import {previewLines, type RollbackPreview} from '../../../core/rollback/preview.js';
import {redactStrings} from '../../../core/evidence/redact.js';

export type TranscriptItem =
	| {key: string; kind: 'header'; runId: string; runKind: RollbackState['kind']}
	| {key: string; kind: 'notice'; text: string}
	| {key: string; kind: 'preview'; preview: RollbackPreview}
	| {key: string; kind: 'step'; step: StepState}
	| {key: string; kind: 'info'; text: string};

export interface RollbackOutcomeView {
	evidencePath?: string | undefined;
	runDir?: string | undefined;
	/** How the run was started (the `--resume` command carries it). */
	flags?: RunFlags | undefined;
	/** Set when the run threw (a bug or an unexpected failure): shown instead of a result. */
	error?: string;
}

export interface RollbackView {
	state: RollbackState | undefined;
	transcript: TranscriptItem[];
	/** The runner waits for the operator to type the confirmation word. */
	awaitingConfirm: boolean;
	outcome: RollbackOutcomeView | undefined;
}

/** How the screen masks an outside string before it is kept or drawn (the command's `screenRedactor` with the run's secret values). */
export type Redact = (text: string) => string;

export class RollbackStore {
	/**
	 * Every string the runner hands the screen (states, preview, the failure's message) goes through
	 * `redact` here, on the way in, so no component can draw one unmasked: the token named by
	 * `api.tokenEnv` may have a name and a shape the pattern engine does not know.
	 */
	readonly #redact: Redact;
	#view: RollbackView = {state: undefined, transcript: [], awaitingConfirm: false, outcome: undefined};
	readonly #listeners = new Set<() => void>();
	#answer: ((ok: boolean) => void) | undefined;
	/** What the plain renderer (`--plain`) prints, line by line, for the transcript left on the normal screen. */
	readonly #log: string[] = [];

	constructor(redact: Redact = text => text) {
		this.#redact = redact;
	}

	/** `value` with every string in it masked; same shape. */
	#masked<T>(value: T): T {
		return redactStrings(value, this.#redact);
	}

	getSnapshot = (): RollbackView => this.#view;

	subscribe = (listener: () => void): (() => void) => {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	};

	#set(next: RollbackView): void {
		this.#view = next;
		for (const listener of this.#listeners) listener();
	}

	onState = (received: RollbackState): void => {
		const state = this.#masked(received);
		const prev = this.#view.state;
		this.#log.push(...progressLines(prev, state));
		const transcript = [...this.#view.transcript];
		if (!prev) transcript.push({key: 'header', kind: 'header', runId: state.runId, runKind: state.kind});
		for (const notice of state.notices) {
			if (!prev?.notices.includes(notice)) transcript.push({key: `notice:${transcript.length}`, kind: 'notice', text: notice});
		}
		if (state.cancelRequested && !prev?.cancelRequested && !state.abortRequested) {
			transcript.push({key: `info:${transcript.length}`, kind: 'info', text: 'Ctrl-C: stopping after the current step (Ctrl-C again aborts now)'});
		}
		if (state.abortRequested && !prev?.abortRequested) transcript.push({key: `info:${transcript.length}`, kind: 'info', text: 'Ctrl-C again: aborting now; the journal is still written'});
		for (const step of state.steps) {
			const before = prev?.steps.find(candidate => candidate.id === step.id);
			const finishedNow = step.status !== 'pending' && step.status !== 'running' && before?.status !== step.status;
			if (finishedNow) transcript.push({key: `step:${step.id}`, kind: 'step', step});
		}
		this.#set({...this.#view, state, transcript});
	};

	onPreview = (received: RollbackPreview): void => {
		const preview = this.#masked(received);
		this.#log.push('', ...previewLines(preview), '');
		this.#set({...this.#view, transcript: [...this.#view.transcript, {key: 'preview', kind: 'preview', preview}]});
	};

	/** The runner's `confirm`: resolves when the screen answers. */
	confirm = (): Promise<boolean> =>
		new Promise(resolve => {
			this.#answer = resolve;
			this.#set({...this.#view, awaitingConfirm: true});
		});

	answer = (ok: boolean): void => {
		const resolve = this.#answer;
		this.#answer = undefined;
		this.#set({...this.#view, awaitingConfirm: false});
		resolve?.(ok);
	};

	finish = (outcome: RollbackOutcomeView): void => {
		// A question still open (the run failed around it) is answered "no".
		if (this.#answer) this.answer(false);
		this.#set({...this.#view, outcome: this.#masked(outcome)});
	};

	/**
	 * The record an operator keeps in the scrollback once the full-screen view is gone, in the plain
	 * renderer's words: the run, its notices, the preview, every step's start and result, then the
	 * summary (verdict, recovery time, evidence path, how to verify and resume). A run cancelled
	 * before anything changed (declined, Esc) is one line. Already through the sanitizer; the
	 * command redacts and wraps it on the way out.
	 */
	transcriptLines = (): string[] => {
		const {state, outcome} = this.#view;
		if (!state) return [...this.#log];
		// A run that threw is reported by the command's error handler, after this record.
		if (!outcome || outcome.error !== undefined) return [...this.#log];
		const summary = summaryLines(state, outcome);
		const nothingChanged = summary.find(line => line.startsWith('nothing was changed'));
		const declined = state.result === 'cancelled' && state.clockStartedAtMs === undefined && state.kind !== 'dry-run';
		if (declined && nothingChanged) return [`${summary[0]}; ${nothingChanged}`];
		return [...this.#log, '', ...summary];
	};
}
