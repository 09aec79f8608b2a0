import {readFileSync} from 'node:fs';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {formFromPlan} from '../../../source/core/author/form.js';
import {initialWizardState, wizardReducer, WIZARD_STEPS, type WizardAction, type WizardState} from '../../../source/core/author/wizard.js';

const standard = JSON.parse(readFileSync(new URL('../../../templates/standard.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const start = () => initialWizardState({source: {kind: 'template', name: 'standard'}, loaded: formFromPlan(standard, {dropComment: true})});
const run = (state: WizardState, ...actions: WizardAction[]) => actions.reduce(wizardReducer, state);

describe('author wizard reducer', () => {
	it('starts at the source step with no plan; choosing a source moves to approval, clean', () => {
		const empty = initialWizardState();
		expect(empty.step).toBe('source');
		expect(wizardReducer(empty, {type: 'next'})).toBe(empty);
		const chosen = start();
		expect(chosen).toMatchObject({step: 'approval', dirty: false});
		expect(chosen.form?.steps).toHaveLength(3);
	});

	it('walks every step forward and back', () => {
		let state = start();
		const seen = [state.step];
		for (let i = 0; i < 10; i++) {
			state = wizardReducer(state, {type: 'next'});
			seen.push(state.step);
		}
		expect([...new Set(seen)]).toEqual(WIZARD_STEPS.slice(1));
		for (let i = 0; i < 10; i++) state = wizardReducer(state, {type: 'back'});
		expect(state.step).toBe('source');
	});

	it('back and forward never lose typed input, even in an open editor', () => {
		let state = run(start(), {type: 'set-approval-id', text: 'CAB-77'}, {type: 'next'}, {type: 'set-minutes', text: '12'}, {type: 'next'}, {type: 'next'});
		state = run(state, {type: 'list-add', list: 'steps'}, {type: 'list-text', text: 'Page the on-call lead'});
		expect(state.editing).toBeDefined();
		state = run(state, {type: 'back'}, {type: 'back'}, {type: 'back'}, {type: 'back'});
		expect(state.step).toBe('approval');
		state = run(state, {type: 'next'}, {type: 'next'}, {type: 'next'});
		expect(state.step).toBe('steps');
		expect(state.form).toMatchObject({approvalId: 'CAB-77', maxRecoveryMinutes: '12'});
		expect(state.form?.steps[1]).toBe('Page the on-call lead');
	});

	it('esc (back) first closes an open editor, keeping its text, and only then leaves the step', () => {
		let state = run(start(), {type: 'goto', step: 'steps'}, {type: 'list-edit', list: 'steps'}, {type: 'list-text', text: 'changed'});
		state = wizardReducer(state, {type: 'back'});
		expect(state).toMatchObject({step: 'steps', editing: undefined});
		expect(state.form?.steps[0]).toBe('changed');
		expect(wizardReducer(state, {type: 'back'}).step).toBe('controls');
	});

	it('a new item left empty is dropped; list add, edit, delete, move up and down', () => {
		let state = run(start(), {type: 'goto', step: 'steps'}, {type: 'list-add', list: 'steps'}, {type: 'list-edit-end'});
		expect(state.form?.steps).toHaveLength(3);
		state = run(state, {type: 'cursor', list: 'steps', index: 2}, {type: 'list-move', list: 'steps', delta: -1});
		expect(state.form?.steps[1]).toBe('Capture rollback readiness and production readiness reports.');
		expect(state.cursors.steps).toBe(1);
		state = run(state, {type: 'list-move', list: 'steps', delta: 1}, {type: 'list-move', list: 'steps', delta: 1});
		expect(state.form?.steps[2]).toBe('Capture rollback readiness and production readiness reports.');
		state = run(state, {type: 'cursor', list: 'steps', index: 0}, {type: 'list-delete', list: 'steps'});
		expect(state.form?.steps).toEqual(['Restart API, CI runner, or workstation process using CAVRA.', 'Capture rollback readiness and production readiness reports.']);
		state = run(state, {type: 'list-edit', list: 'steps'}, {type: 'list-text', text: 'Restart the API.'}, {type: 'list-edit-end'});
		expect(state.form?.steps[0]).toBe('Restart the API.');
		expect(state.dirty).toBe(true);
	});

	it('controls: toggling keeps the offered order; a custom control is added checked; its draft survives closing', () => {
		let state = run(start(), {type: 'goto', step: 'controls'}, {type: 'toggle-control', name: 'python-fallback-available'});
		expect(state.form?.controls).not.toContain('python-fallback-available');
		state = wizardReducer(state, {type: 'toggle-control', name: 'python-fallback-available'});
		expect(state.form?.controls[0]).toBe('python-fallback-available');
		state = run(state, {type: 'begin-add-control'}, {type: 'control-draft', text: 'pager-dut'}, {type: 'back'});
		expect(state).toMatchObject({addingControl: false, controlDraft: 'pager-dut', step: 'controls'});
		state = run(state, {type: 'begin-add-control'}, {type: 'control-draft', text: 'pager-duty-escalation'}, {type: 'commit-control'});
		expect(state.form?.controls.at(-1)).toBe('pager-duty-escalation');
		expect(state.form?.controlOptions.at(-1)).toBe('pager-duty-escalation');
		expect(state.controlDraft).toBe('');
	});

	it('save: checks the target, asks before overwriting, and records the outcome', () => {
		let state = run(start(), {type: 'goto', step: 'save'}, {type: 'set-minutes', text: '9'}, {type: 'save-start', status: 'ready'});
		expect(state.save).toEqual({phase: 'checking', status: 'ready'});
		state = wizardReducer(state, {type: 'save-checked', exists: true});
		expect(state.save).toEqual({phase: 'confirm-overwrite', status: 'ready'});
		expect(wizardReducer(state, {type: 'save-back'}).save).toEqual({phase: 'choose'});
		state = wizardReducer(state, {type: 'save-overwrite'});
		expect(state.save).toEqual({phase: 'saving', status: 'ready', overwrite: true});
		state = wizardReducer(state, {type: 'save-done', path: '/x/plan.json', backupPath: '/x/plan.json.bak'});
		expect(state.save).toMatchObject({phase: 'saved', backupPath: '/x/plan.json.bak'});
		expect(state.dirty).toBe(false);
		const fresh = run(start(), {type: 'goto', step: 'save'}, {type: 'save-start', status: 'draft'}, {type: 'save-checked', exists: false});
		expect(fresh.save).toEqual({phase: 'saving', status: 'draft', overwrite: false});
		expect(wizardReducer(fresh, {type: 'save-failed', message: 'disk full'}).save).toMatchObject({phase: 'failed', message: 'disk full'});
	});

	it('property: no sequence of actions loses a committed step or leaves the cursor out of range', () => {
		const action = fc.oneof(
			fc.constant<WizardAction>({type: 'next'}),
			fc.constant<WizardAction>({type: 'back'}),
			fc.constant<WizardAction>({type: 'list-add', list: 'steps'}),
			fc.constant<WizardAction>({type: 'list-edit', list: 'steps'}),
			fc.constant<WizardAction>({type: 'list-edit-end'}),
			fc.constant<WizardAction>({type: 'list-move', list: 'steps', delta: 1}),
			fc.constant<WizardAction>({type: 'list-move', list: 'steps', delta: -1}),
			fc.integer({min: -2, max: 8}).map<WizardAction>(index => ({type: 'cursor', list: 'steps', index})),
			fc.string({minLength: 1}).map<WizardAction>(text => ({type: 'list-text', text: `x${text}`})),
		);
		fc.assert(
			fc.property(fc.array(action, {maxLength: 40}), actions => {
				const state = run(start(), {type: 'goto', step: 'steps'}, ...actions);
				const steps = state.form!.steps;
				expect(state.cursors.steps).toBeGreaterThanOrEqual(0);
				expect(state.cursors.steps).toBeLessThanOrEqual(Math.max(0, steps.length - 1));
				// Only an open editor may hold an empty, never-typed item.
				const empties = steps.filter(step => step === '').length;
				expect(empties).toBeLessThanOrEqual(state.editing?.isNew ? 1 : 0);
			}),
		);
	});
});
