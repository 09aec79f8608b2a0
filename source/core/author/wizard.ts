import {minutesProblem, type LoadedForm, type PlanForm} from './form.js';
import {stripHidden} from '../text/sanitize.js';

/**
 * The author wizard as a reducer: which step is showing, the plan being written, and every bit
 * of half-typed input, so moving back and forward never loses anything. Pure: the screen
 * dispatches actions and performs the effects (lint, file checks, the write) the state asks for.
 */

export const WIZARD_STEPS = ['source', 'approval', 'recovery', 'controls', 'steps', 'evidence', 'review', 'save'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const STEP_TITLES: Record<WizardStep, string> = {
	source: 'Start',
	approval: 'Approval',
	recovery: 'Recovery',
	controls: 'Controls',
	steps: 'Steps',
	evidence: 'Evidence',
	review: 'Review',
	save: 'Save',
};

export type ListName = 'steps' | 'evidence';

export type PlanSource = {kind: 'template'; name: string} | {kind: 'existing'; path: string};

export type SaveStatus = 'ready' | 'draft';

export type SavePhase =
	| {phase: 'choose'}
	| {phase: 'checking'; status: SaveStatus}
	| {phase: 'confirm-overwrite'; status: SaveStatus}
	| {phase: 'saving'; status: SaveStatus; overwrite: boolean}
	| {phase: 'saved'; status: SaveStatus; path: string; backupPath?: string}
	| {phase: 'failed'; status: SaveStatus; message: string};

export interface ListEdit {
	list: ListName;
	index: number;
	/** Added by this edit: dropped again if left empty. */
	isNew: boolean;
}

export interface WizardState {
	step: WizardStep;
	/** Undefined until a starting point is chosen. */
	form: PlanForm | undefined;
	source: PlanSource | undefined;
	/** What loading the source changed; shown on the approval and review steps. */
	notes: string[];
	/** Changed since loaded or last saved. */
	dirty: boolean;
	approvalFocus: 'approved' | 'id';
	cursors: Record<ListName | 'controls', number>;
	editing: ListEdit | undefined;
	/** Text of a custom control being typed; kept when the field is closed. */
	controlDraft: string;
	addingControl: boolean;
	confirmQuit: boolean;
	save: SavePhase;
	/** Why the last Enter/Tab did not move on (the value on this step is not valid yet), as `--plain` refuses it. */
	refused: string | undefined;
}

export type WizardAction =
	| {type: 'choose-source'; source: PlanSource; loaded: LoadedForm}
	| {type: 'next'}
	| {type: 'back'}
	| {type: 'goto'; step: WizardStep}
	| {type: 'set-approved'; approved: boolean}
	| {type: 'set-approval-id'; text: string}
	| {type: 'approval-focus'; focus: 'approved' | 'id'}
	| {type: 'set-minutes'; text: string}
	| {type: 'toggle-control'; name: string}
	| {type: 'control-cursor'; index: number}
	| {type: 'begin-add-control'}
	| {type: 'control-draft'; text: string}
	| {type: 'commit-control'}
	| {type: 'close-add-control'}
	| {type: 'cursor'; list: ListName; index: number}
	| {type: 'list-add'; list: ListName}
	| {type: 'list-edit'; list: ListName}
	| {type: 'list-text'; text: string}
	| {type: 'list-edit-end'}
	| {type: 'list-delete'; list: ListName}
	| {type: 'list-move'; list: ListName; delta: -1 | 1}
	| {type: 'request-quit'}
	| {type: 'cancel-quit'}
	| {type: 'save-start'; status: SaveStatus}
	| {type: 'save-checked'; exists: boolean}
	| {type: 'save-overwrite'}
	| {type: 'save-done'; path: string; backupPath?: string}
	| {type: 'save-failed'; message: string}
	| {type: 'save-back'};

export function initialWizardState(start?: {source: PlanSource; loaded: LoadedForm; step?: WizardStep}): WizardState {
	const state: WizardState = {
		step: 'source',
		form: undefined,
		source: undefined,
		notes: [],
		dirty: false,
		approvalFocus: 'approved',
		cursors: {steps: 0, evidence: 0, controls: 0},
		editing: undefined,
		controlDraft: '',
		addingControl: false,
		confirmQuit: false,
		save: {phase: 'choose'},
		refused: undefined,
	};
	if (!start) return state;
	return {...wizardReducer(state, {type: 'choose-source', source: start.source, loaded: start.loaded}), step: start.step ?? 'approval'};
}

export function stepIndex(step: WizardStep): number {
	return WIZARD_STEPS.indexOf(step);
}

function listOf(form: PlanForm, list: ListName): string[] {
	return list === 'steps' ? form.steps : form.evidenceRefs;
}

function withList(form: PlanForm, list: ListName, items: string[]): PlanForm {
	return list === 'steps' ? {...form, steps: items} : {...form, evidenceRefs: items};
}

function clamp(index: number, length: number): number {
	return Math.max(0, Math.min(index, Math.max(0, length - 1)));
}

/** Close whatever field is open, keeping its text (an item added and left empty is dropped). */
function closeEditors(state: WizardState): WizardState {
	let next = state;
	if (next.editing) next = endListEdit(next);
	if (next.addingControl) next = {...next, addingControl: false};
	return next;
}

function endListEdit(state: WizardState): WizardState {
	const {editing, form} = state;
	if (!editing || !form) return {...state, editing: undefined};
	const items = listOf(form, editing.list);
	const text = items[editing.index];
	if (editing.isNew && text !== undefined && text.trim() === '') {
		const kept = items.filter((_, index) => index !== editing.index);
		return {
			...state,
			form: withList(form, editing.list, kept),
			editing: undefined,
			cursors: {...state.cursors, [editing.list]: clamp(editing.index, kept.length)},
		};
	}
	return {...state, editing: undefined};
}

function move(state: WizardState, to: WizardStep): WizardState {
	const closed = closeEditors(state);
	const save: SavePhase = to === 'save' && closed.save.phase !== 'saved' ? {phase: 'choose'} : closed.save;
	return {...closed, step: to, save, refused: undefined};
}

/** What keeps the current step from moving on: only a value that cannot be written as typed. */
function stepProblem(state: WizardState): string | undefined {
	if (state.step === 'recovery' && state.form) return minutesProblem(state.form.maxRecoveryMinutes);
	return undefined;
}

function edit(state: WizardState, form: PlanForm): WizardState {
	return {...state, form, dirty: true};
}

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
	const {form} = state;
	switch (action.type) {
		case 'choose-source':
			return {
				...state,
				form: action.loaded.form,
				source: action.source,
				notes: action.loaded.notes,
				dirty: false,
				cursors: {steps: 0, evidence: 0, controls: 0},
				editing: undefined,
				addingControl: false,
				controlDraft: '',
				approvalFocus: 'approved',
				step: 'approval',
			};
		case 'next': {
			if (!form) return state;
			const index = stepIndex(state.step);
			if (index >= WIZARD_STEPS.length - 1) return state;
			const problem = stepProblem(state);
			if (problem) return {...state, refused: problem};
			return move(state, WIZARD_STEPS[index + 1]!);
		}
		case 'back': {
			if (state.editing || state.addingControl) return closeEditors(state);
			if (state.step === 'approval' && state.approvalFocus === 'id') return {...state, approvalFocus: 'approved'};
			const index = stepIndex(state.step);
			if (index === 0) return state;
			const to = WIZARD_STEPS[index - 1]!;
			const moved = move(state, to);
			return to === 'approval' ? {...moved, approvalFocus: 'id'} : moved;
		}
		case 'goto':
			if (!form && action.step !== 'source') return state;
			return move(state, action.step);
		case 'set-approved':
			if (!form) return state;
			return {...edit(state, {...form, approved: action.approved}), approvalFocus: 'id'};
		case 'set-approval-id':
			return form ? edit(state, {...form, approvalId: stripHidden(action.text)}) : state;
		case 'approval-focus':
			return {...state, approvalFocus: action.focus};
		case 'set-minutes':
			return form ? {...edit(state, {...form, maxRecoveryMinutes: stripHidden(action.text)}), refused: undefined} : state;
		case 'toggle-control': {
			if (!form) return state;
			const checked = form.controls.includes(action.name);
			const controls = checked ? form.controls.filter(name => name !== action.name) : orderLike([...form.controls, action.name], form.controlOptions);
			return edit(state, {...form, controls});
		}
		case 'control-cursor':
			return {...state, cursors: {...state.cursors, controls: action.index}};
		case 'begin-add-control':
			return {...state, addingControl: true};
		case 'control-draft':
			return {...state, controlDraft: stripHidden(action.text)};
		case 'commit-control': {
			if (!form) return state;
			const name = state.controlDraft.trim();
			if (name === '') return {...state, addingControl: false};
			const controlOptions = form.controlOptions.includes(name) ? form.controlOptions : [...form.controlOptions, name];
			const controls = form.controls.includes(name) ? form.controls : orderLike([...form.controls, name], controlOptions);
			return {
				...edit(state, {...form, controlOptions, controls}),
				addingControl: false,
				controlDraft: '',
				cursors: {...state.cursors, controls: controlOptions.indexOf(name)},
			};
		}
		case 'close-add-control':
			return {...state, addingControl: false};
		case 'cursor':
			return form && !state.editing ? {...state, cursors: {...state.cursors, [action.list]: clamp(action.index, listOf(form, action.list).length)}} : state;
		case 'list-add': {
			if (!form) return state;
			const closed = closeEditors(state);
			const items = listOf(closed.form!, action.list);
			const at = items.length === 0 ? 0 : Math.min(closed.cursors[action.list] + 1, items.length);
			const next = [...items.slice(0, at), '', ...items.slice(at)];
			return {
				...edit(closed, withList(closed.form!, action.list, next)),
				cursors: {...closed.cursors, [action.list]: at},
				editing: {list: action.list, index: at, isNew: true},
			};
		}
		case 'list-edit': {
			if (!form) return state;
			const closed = closeEditors(state);
			const items = listOf(closed.form!, action.list);
			if (items.length === 0) return wizardReducer(closed, {type: 'list-add', list: action.list});
			return {...closed, editing: {list: action.list, index: clamp(closed.cursors[action.list], items.length), isNew: false}};
		}
		case 'list-text': {
			if (!form || !state.editing) return state;
			const items = [...listOf(form, state.editing.list)];
			items[state.editing.index] = stripHidden(action.text);
			return edit(state, withList(form, state.editing.list, items));
		}
		case 'list-edit-end':
			return endListEdit(state);
		case 'list-delete': {
			if (!form || state.editing) return state;
			const items = listOf(form, action.list);
			if (items.length === 0) return state;
			const at = clamp(state.cursors[action.list], items.length);
			const kept = items.filter((_, index) => index !== at);
			return {...edit(state, withList(form, action.list, kept)), cursors: {...state.cursors, [action.list]: clamp(at, kept.length)}};
		}
		case 'list-move': {
			if (!form || state.editing) return state;
			const items = [...listOf(form, action.list)];
			const at = clamp(state.cursors[action.list], items.length);
			const to = at + action.delta;
			if (to < 0 || to >= items.length) return state;
			[items[at], items[to]] = [items[to]!, items[at]!];
			return {...edit(state, withList(form, action.list, items)), cursors: {...state.cursors, [action.list]: to}};
		}
		case 'request-quit':
			return {...state, confirmQuit: true};
		case 'cancel-quit':
			return {...state, confirmQuit: false};
		case 'save-start':
			return state.step === 'save' ? {...state, save: {phase: 'checking', status: action.status}} : state;
		case 'save-checked':
			if (state.save.phase !== 'checking') return state;
			return {
				...state,
				save: action.exists ? {phase: 'confirm-overwrite', status: state.save.status} : {phase: 'saving', status: state.save.status, overwrite: false},
			};
		case 'save-overwrite':
			return state.save.phase === 'confirm-overwrite' ? {...state, save: {phase: 'saving', status: state.save.status, overwrite: true}} : state;
		case 'save-done':
			if (state.save.phase !== 'saving') return state;
			return {
				...state,
				dirty: false,
				form: form ? {...form, status: state.save.status} : form,
				save: {phase: 'saved', status: state.save.status, path: action.path, ...(action.backupPath !== undefined && {backupPath: action.backupPath})},
			};
		case 'save-failed':
			return 'status' in state.save ? {...state, save: {phase: 'failed', status: state.save.status, message: action.message}} : state;
		case 'save-back':
			return {...state, save: {phase: 'choose'}};
	}
}

/** Keep checked controls in the order they are offered, so toggling never reshuffles the plan. */
function orderLike(values: string[], order: string[]): string[] {
	const unique = [...new Set(values)];
	return unique.sort((a, b) => rank(a) - rank(b));
	function rank(value: string): number {
		const index = order.indexOf(value);
		return index === -1 ? order.length : index;
	}
}
