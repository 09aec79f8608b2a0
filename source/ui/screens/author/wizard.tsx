import {Box, useApp} from 'ink';
import {SelectList} from '../../components/select-list.js';
import {Text} from '../../components/text.js';
import {useKeypress} from '../../keys/use-keypress.js';
import {useEffect, useMemo, useReducer, useRef} from 'react';
import {formToPlan, serialisePlan} from '../../../core/author/form.js';
import {decideSave} from '../../../core/author/save-decision.js';
import {initialWizardState, wizardReducer, type WizardState} from '../../../core/author/wizard.js';
import {lintForm} from '../../../core/author/lint-form.js';
import {AuthorHeader} from '../../components/author-header.js';
import {AuthorStatusLine} from '../../components/author-status-line.js';
import {ControlsStep} from './controls-step.js';
import {ApprovalStep, RecoveryStep} from './field-steps.js';
import {ListStep} from './list-step.js';
import {ReviewStep} from './review-step.js';
import {SaveStep} from './save-step.js';
import {SourceStep} from './source-step.js';
import {sourceOptions} from '../../../core/author/sources.js';
import type {AuthorDeps, ExistingPlan, TemplateChoice, WizardOutcome} from './types.js';
import type {AllowEntry} from '../../../core/lint/finding.js';

export interface AuthorWizardProps {
	/** Where the plan is saved. */
	target: string;
	templates: readonly TemplateChoice[];
	existing?: ExistingPlan;
	/** `--template NAME`: start from it and skip the first step. */
	initialTemplate?: string;
	deps: AuthorDeps;
	onExit(outcome: WizardOutcome): void;
	/** Spinners off for tests. */
	animate?: boolean;
	/** Reviewed exceptions from the config (`lint.allow`). */
	allow?: readonly AllowEntry[];
	/** Secret values this machine holds (the api.tokenEnv token, secret-named variables): flagged whatever their shape. */
	knownSecrets?: readonly string[];
}

export function AuthorWizard(props: AuthorWizardProps) {
	const {target, deps, onExit} = props;
	const {exit} = useApp();
	const options = useMemo(() => sourceOptions(props.templates, props.existing), [props.templates, props.existing]);
	const [state, dispatch] = useReducer(wizardReducer, undefined, (): WizardState => {
		const chosen = props.initialTemplate ? options.find(option => option.key === `template:${props.initialTemplate}`) : undefined;
		return chosen?.load ? initialWizardState(chosen.load()) : initialWizardState();
	});
	const finished = useRef(false);
	const finish = (outcome: WizardOutcome) => {
		if (finished.current) return;
		finished.current = true;
		onExit(outcome);
		exit();
	};

	const report = useMemo(() => (state.form ? lintForm(state.form, target, props.allow, props.knownSecrets) : undefined), [state.form, target, props.allow, props.knownSecrets]);
	const decision = useMemo(() => (report ? decideSave(report) : undefined), [report]);
	const defaultStatus = decision?.readyAllowed ? 'ready' : 'draft';
	const reviewPlan = useMemo(() => (state.form ? formToPlan(state.form, defaultStatus) : undefined), [state.form, defaultStatus]);
	const verdict = useMemo(() => {
		if (state.step !== 'review' || !reviewPlan || !deps.readiness) return undefined;
		return deps.readiness(new TextEncoder().encode(serialisePlan(reviewPlan)));
	}, [state.step, reviewPlan, deps]);

	const busy = state.save.phase === 'checking' || state.save.phase === 'saving' || state.save.phase === 'saved';

	useKeypress(key => {
		if (key.ctrl && key.input === 'c') {
			if (state.confirmQuit || !state.dirty) finish({kind: 'cancelled'});
			else dispatch({type: 'request-quit'});
			return;
		}
		if (state.confirmQuit) {
			if (key.name === 'escape') dispatch({type: 'cancel-quit'});
			return;
		}
		if (busy) return;
		if (key.name === 'escape') {
			if (state.step === 'save' && (state.save.phase === 'confirm-overwrite' || state.save.phase === 'failed')) dispatch({type: 'save-back'});
			else dispatch({type: 'back'});
		} else if (key.name === 'tab') {
			if (key.shift) dispatch({type: 'back'});
			else if (state.step !== 'save') dispatch({type: 'next'});
		}
	});

	// Effects the save phases ask for: look at the target, write, then leave.
	useEffect(() => {
		const save = state.save;
		let live = true;
		if (save.phase === 'checking') {
			deps.targetExists().then(
				exists => live && dispatch({type: 'save-checked', exists}),
				(error: unknown) => live && dispatch({type: 'save-failed', message: messageOf(error)}),
			);
		} else if (save.phase === 'saving' && state.form && decision) {
			if (save.status === 'ready' && !decision.readyAllowed) {
				dispatch({type: 'save-failed', message: 'errors remain, so the plan cannot be recorded as ready; save it as a draft'});
			} else {
				deps.save(serialisePlan(formToPlan(state.form, save.status)), {overwrite: save.overwrite}).then(
					result => live && dispatch({type: 'save-done', path: result.path, ...(result.backupPath !== undefined && {backupPath: result.backupPath})}),
					(error: unknown) => live && dispatch({type: 'save-failed', message: messageOf(error)}),
				);
			}
		} else if (save.phase === 'saved') {
			finish({kind: 'saved', status: save.status, path: save.path, ...(save.backupPath !== undefined && {backupPath: save.backupPath})});
		}
		return () => {
			live = false;
		};
	}, [state.save]);

	if (state.confirmQuit) {
		return (
			<Box flexDirection="column" paddingX={1}>
				<AuthorHeader target={target} step={state.step} />
				<Text color="yellow">You have unsaved changes. Discard them and quit?</Text>
				<SelectList
					items={[
						{key: 'keep', label: 'No, keep editing', value: 'keep'},
						{key: 'discard', label: 'Yes, discard and quit', value: 'discard'},
					]}
					onSelect={item => (item.value === 'discard' ? finish({kind: 'cancelled'}) : dispatch({type: 'cancel-quit'}))}
				/>
				<Text dimColor>enter choose · esc keep editing · ctrl+c discard</Text>
			</Box>
		);
	}

	const active = !busy;
	const stepProps = report ? {state, dispatch, report, active} : undefined;
	let body;
	switch (state.step) {
		case 'source':
			body = <SourceStep state={state} dispatch={dispatch} options={options} active={active} />;
			break;
		case 'approval':
			body = stepProps && <ApprovalStep {...stepProps} />;
			break;
		case 'recovery':
			body = stepProps && <RecoveryStep {...stepProps} />;
			break;
		case 'controls':
			body = stepProps && <ControlsStep {...stepProps} />;
			break;
		case 'steps':
			body = stepProps && <ListStep {...stepProps} list="steps" />;
			break;
		case 'evidence':
			body = stepProps && <ListStep {...stepProps} list="evidence" />;
			break;
		case 'review':
			body = stepProps && reviewPlan && decision && <ReviewStep {...stepProps} plan={reviewPlan} decision={decision} verdict={verdict} />;
			break;
		case 'save':
			body = decision && <SaveStep state={state} dispatch={dispatch} decision={decision} target={target} active={active} animate={props.animate ?? true} />;
			break;
	}
	return (
		<Box flexDirection="column" paddingX={1}>
			<AuthorHeader target={target} step={state.step} />
			{body}
			{report && state.step !== 'review' && state.save.phase !== 'saved' ? (
				<Box marginTop={1}>
					<AuthorStatusLine report={report} />
				</Box>
			) : null}
		</Box>
	);
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
