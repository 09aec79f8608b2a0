/**
 * `author --plain` and `author` on a TERM=dumb terminal: the wizard's steps as line-by-line
 * questions, for screen readers and simple terminals. The questions, defaults and validation live
 * here once; the Prompter given decides how each is shown and read (@inquirer/prompts for --plain,
 * bare lines for TERM=dumb; see ../../prompts/). Ink and React are never loaded on this path, and
 * nothing else reads the keyboard while a question is open.
 */
import {withArticle} from '../../../core/text/quantities.js';
import {countFindings, describeCounts, displayItem, findingsFor, findingText, maskedText, maskPlan, placeFinding, type FieldKey} from '../../../core/author/findings.js';
import {formToPlan, minutesProblem, serialisePlan, type PlanForm} from '../../../core/author/form.js';
import {lintForm} from '../../../core/author/lint-form.js';
import {lintPlanSync} from '../../../core/lint/lint-plan.js';
import {decideSave, draftSummary, nextStepLines} from '../../../core/author/save-decision.js';
import {sourceOptions, type ExistingPlan, type TemplateChoice} from '../../../core/author/sources.js';
import type {Verdict} from '../../../core/author/verdict.js';
import {appendPointer} from '../../../core/json/pointer.js';
import {stripHidden, visible, visibleLines} from '../../../core/text/sanitize.js';
import type {AllowEntry, FileReport} from '../../../core/lint/finding.js';
import {CONTROL_DESCRIPTIONS, EVIDENCE_REF_PATTERN, REQUIRED_CONTROLS} from '../../../core/plan/constants.js';
import {isPromptExit, type Prompter} from '../../prompts/prompter.js';
import type {SaveResult} from './types.js';

export interface PlainAuthorOptions {
	target: string;
	templates: readonly TemplateChoice[];
	existing: ExistingPlan | undefined;
	initialTemplate: string | undefined;
	deps: {
		targetExists(): Promise<boolean>;
		save(text: string, options: {overwrite: boolean}): Promise<SaveResult>;
		readiness?(bytes: Uint8Array): Verdict;
	};
	allow?: readonly AllowEntry[] | undefined;
	/** Secret values this machine holds: flagged in the plan whatever their shape. */
	knownSecrets?: readonly string[] | undefined;
	/** How questions are asked; the flow closes it when it ends. */
	prompts: Prompter;
	output: NodeJS.WritableStream;
}

export type PlainOutcome = {kind: 'saved'; status: 'ready' | 'draft'; path: string; backupPath?: string} | {kind: 'cancelled'};

type Section = 'approval' | 'recovery' | 'controls' | 'steps' | 'evidence';
const SECTIONS: Section[] = ['approval', 'recovery', 'controls', 'steps', 'evidence'];
const SECTION_TITLES: Record<Section, string> = {
	approval: 'Approval',
	recovery: 'Recovery target',
	controls: 'Controls',
	steps: 'Rollback steps',
	evidence: 'Evidence refs',
};

class Quit extends Error {}

/**
 * After an answer is given, a prompt prints it once more; a value that looks like a secret is
 * printed as its masked preview instead (while typing, the line shows what is typed).
 */
export function maskAnswer(value: string, {isFinal}: {isFinal: boolean}): string {
	if (!isFinal || value === '') return visible(value);
	const report = lintPlanSync({path: 'answer', bytes: JSON.stringify({rollback_steps: [value]})});
	const hit = report.findings.find(finding => finding.category === 'public-safety' && finding.pointer === '/rollback_steps/0');
	return visible(hit ? maskedText(hit.preview ?? '••••') : value);
}

export async function runPlainAuthor(options: PlainAuthorOptions): Promise<PlainOutcome> {
	const {target, deps, output, prompts} = options;
	// Everything printed quotes the plan: through the sanitizer, newlines kept (the review prints JSON).
	const say = (text = '') => void output.write(`${visibleLines(text)}\n`);
	let form: PlanForm | undefined;
	let dirty = false;

	/** Run a prompt; on ctrl+c ask before discarding unsaved changes, then re-ask the same question. */
	async function ask<T>(prompt: () => Promise<T>): Promise<T> {
		for (;;) {
			try {
				return await prompt();
			} catch (error) {
				if (!isPromptExit(error)) throw error;
				if (!dirty) throw new Quit();
				let discard = true;
				try {
					discard = await prompts.confirm({message: 'You have unsaved changes. Discard them and quit?', default: false});
				} catch (inner) {
					if (!isPromptExit(inner)) throw inner;
				}
				if (discard) throw new Quit();
			}
		}
	}
	const report = (): FileReport => lintForm(form!, target, options.allow, options.knownSecrets);
	const status = () => say(`lint: ${describeCounts(countFindings(report().findings))}`);
	const showFindings = (field: FieldKey) => {
		for (const placed of findingsFor(report(), field)) {
			say(`  ${placed.finding.severity === 'error' ? 'error' : 'warning'}: ${findingText(placed.finding)}`);
		}
	};
	const update = (next: PlanForm) => {
		form = next;
		dirty = true;
	};

	try {
		say(`cavra-rollback author: the plan will be saved to ${target}`);
		// Step 1: where to start.
		const choices = sourceOptions(options.templates, options.existing);
		const preset = options.initialTemplate ? choices.find(choice => choice.key === `template:${options.initialTemplate}`) : undefined;
		let chosen = preset;
		while (!chosen?.load) {
			const key = await ask(() =>
				prompts.select({message: 'Start the plan from', choices: choices.map(choice => ({value: choice.key, name: choice.label, description: choice.description}))}),
			);
			chosen = choices.find(choice => choice.key === key);
			if (!chosen?.load) say(chosen?.description ?? 'that choice cannot be loaded');
		}
		const loaded = chosen.load().loaded;
		form = loaded.form;
		for (const note of loaded.notes) say(`note: ${note}`);

		for (const section of SECTIONS) await editSection(section);

		// Review, then save, or go back to any section.
		for (;;) {
			review();
			const next = await ask(() =>
				prompts.select({
						message: 'What next?',
						choices: [
							{value: 'save', name: 'Save'},
							...SECTIONS.map(section => ({value: section, name: `Edit: ${SECTION_TITLES[section].toLowerCase()}`})),
							{value: 'quit', name: 'Quit without saving'},
						],
					}),
			);
			if (next === 'quit') {
				if (!dirty || (await ask(() => prompts.confirm({message: 'Discard your changes and quit?', default: false})))) throw new Quit();
				continue;
			}
			if (next !== 'save') {
				await editSection(next as Section);
				continue;
			}
			const saved = await save();
			if (saved) return saved;
		}
	} catch (error) {
		if (error instanceof Quit) return {kind: 'cancelled'};
		throw error;
	} finally {
		prompts.close();
	}

	async function editSection(section: Section): Promise<void> {
		say();
		say(`== ${SECTION_TITLES[section]} ==`);
		switch (section) {
			case 'approval': {
				const approved = await ask(() => prompts.confirm({message: 'Is this rollback plan approved? (CAVRA only reports ready for an approved plan)', default: form!.approved}));
				update({...form!, approved});
				const approvalId = await ask(() => prompts.input({message: 'Approval id (the change or approval record, e.g. CAB-1234)', default: visible(form!.approvalId), transformer: maskAnswer}));
				update({...form!, approvalId: stripHidden(approvalId).trim()});
				break;
			}
			case 'recovery': {
				const minutes = await ask(() =>
					prompts.input({message: 'Maximum recovery time, in minutes', default: visible(form!.maxRecoveryMinutes), validate: value => minutesProblem(stripHidden(value)) ?? true, transformer: visible}),
				);
				update({...form!, maxRecoveryMinutes: stripHidden(minutes).trim()});
				break;
			}
			case 'controls': {
				const picked = await ask(() =>
					prompts.checkbox({
							message: 'Which controls are in place? (tick only what is true)',
							choices: form!.controlOptions.map(value => ({
								value,
								name: (REQUIRED_CONTROLS as readonly string[]).includes(value) ? `${value} (required)` : visible(value),
								checked: form!.controls.includes(value),
								description: CONTROL_DESCRIPTIONS[value as (typeof REQUIRED_CONTROLS)[number]] ?? 'a custom control',
							})),
						}),
				);
				update({...form!, controls: picked});
				for (;;) {
					const custom = stripHidden(await ask(() => prompts.input({message: 'Add a custom control (leave empty to go on)', transformer: maskAnswer}))).trim();
					if (custom === '') break;
					update({...form!, controlOptions: [...new Set([...form!.controlOptions, custom])], controls: [...new Set([...form!.controls, custom])]});
				}
				break;
			}
			case 'steps':
			case 'evidence':
				await editList(section);
				break;
		}
		showFindings(section);
		status();
	}

	async function editList(section: 'steps' | 'evidence'): Promise<void> {
		const noun = section === 'steps' ? 'step' : 'evidence ref';
		const pointer = section === 'steps' ? '/rollback_steps' : '/evidence_refs';
		const items = () => (section === 'steps' ? form!.steps : form!.evidenceRefs);
		const setItems = (next: string[]) => update(section === 'steps' ? {...form!, steps: next} : {...form!, evidenceRefs: next});
		const validate = (typed: string) => {
			const value = stripHidden(typed);
			if (section === 'evidence' && value.trim() !== '' && !EVIDENCE_REF_PATTERN.test(value.trim())) return 'write it as scheme://path, e.g. go-rollback-readiness://ci/ready';
			return true;
		};
		for (;;) {
			const current = items();
			const findings = report().findings;
			say(current.length === 0 ? `(no ${noun}s yet)` : `${section === 'steps' ? 'Rollback steps' : 'Evidence refs'}:`);
			current.forEach((item, index) => {
				say(`  ${index + 1}. ${displayItem(item, appendPointer(pointer, index), findings)}`);
				for (const placed of findingsFor(report(), section).filter(candidate => candidate.item === index)) say(`     ${placed.finding.severity}: ${findingText(placed.finding)}`);
			});
			const action = await ask(() =>
				prompts.select({
						message: `${section === 'steps' ? 'Rollback steps' : 'Evidence refs'}: what next?`,
						choices: [
							{value: 'done', name: 'Done, go on'},
							{value: 'add', name: `Add ${withArticle(noun)}`},
							...(current.length > 0
								? [
										{value: 'edit', name: `Edit ${withArticle(noun)}`},
										{value: 'delete', name: `Delete ${withArticle(noun)}`},
									]
								: []),
							...(current.length > 1
								? [
										{value: 'up', name: `Move ${withArticle(noun)} up`},
										{value: 'down', name: `Move ${withArticle(noun)} down`},
									]
								: []),
						],
					}),
			);
			if (action === 'done') return;
			if (action === 'add') {
				const text = stripHidden(await ask(() => prompts.input({message: `New ${noun}${section === 'evidence' ? ' (scheme://path)' : ''}`, validate, transformer: maskAnswer})));
				if (text.trim() !== '') setItems([...items(), text.trim()]);
				continue;
			}
			const which = await ask(() =>
				prompts.select({
						message: `Which ${noun}?`,
						choices: current.map((item, index) => ({value: index, name: `${index + 1}. ${visible(displayItem(item, appendPointer(pointer, index), findings))}`})),
					}),
			);
			const next = [...items()];
			if (action === 'edit') {
				// A flagged value is not put back on screen: the user retypes it.
				const flagged = displayItem(next[which] ?? '', appendPointer(pointer, which), findings) !== next[which];
				const text = await ask(() =>
					prompts.input({message: `${noun} ${which + 1}${flagged ? ' (its old text is hidden: it looked like a secret)' : ''}`, ...(!flagged && {default: visible(next[which] ?? ''), prefill: 'editable' as const}), validate, transformer: maskAnswer}),
				);
				next[which] = stripHidden(text).trim();
				setItems(next.filter(item => item !== ''));
			} else if (action === 'delete') {
				setItems(next.filter((_, index) => index !== which));
			} else {
				const to = action === 'up' ? which - 1 : which + 1;
				if (to >= 0 && to < next.length) {
					[next[which], next[to]] = [next[to]!, next[which]!];
					setItems(next);
				}
			}
		}
	}

	function review(): void {
		const lint = report();
		const decision = decideSave(lint);
		const plan = formToPlan(form!, decision.readyAllowed ? 'ready' : 'draft');
		say();
		say(`== Review: the plan as it will be written (status "${String(plan['status'])}"${decision.readyAllowed ? '' : ', because errors remain'}) ==`);
		say(serialisePlan(maskPlan(plan, lint.findings) as Record<string, unknown>).trimEnd());
		const verdict = deps.readiness?.(new TextEncoder().encode(serialisePlan(plan)));
		if (verdict) {
			say(`CAVRA readiness in promoted mode with this plan: ${verdict.status}`);
			for (const check of verdict.failing) say(`  failing: ${check.id}: ${check.message}`);
		}
		say(`lint: ${describeCounts(countFindings(lint.findings))}`);
		for (const finding of lint.findings) {
			const field = placeFinding(finding).field;
			say(`  ${finding.severity}: [${field === 'plan' ? 'plan' : SECTION_TITLES[field]}] ${findingText(finding)}`);
		}
	}

	async function save(): Promise<PlainOutcome | undefined> {
		const decision = decideSave(report());
		let status: 'ready' | 'draft';
		if (decision.readyAllowed) {
			const choice = await ask(() =>
				prompts.select({
						message: `Save to ${target} as`,
						choices: [
							{value: 'ready', name: 'ready (status "ready")'},
							{value: 'draft', name: 'a draft (status "draft")'},
							{value: 'back', name: 'Back to review'},
						],
					}),
			);
			if (choice === 'back') return undefined;
			status = choice;
		} else {
			say(`${draftSummary(decision)}. What remains:`);
			for (const line of decision.remaining) say(`  - ${line}`);
			const asDraft = await ask(() => prompts.confirm({message: 'Save it as a draft?', default: true}));
			if (!asDraft) return undefined;
			status = 'draft';
		}
		let overwrite = false;
		if (await deps.targetExists()) {
			overwrite = await ask(() => prompts.confirm({message: `${target} already exists. Overwrite it? (the current file is kept as a backup)`, default: false}));
			if (!overwrite) return undefined;
		}
		try {
			const result = await deps.save(serialisePlan(formToPlan(form!, status)), {overwrite});
			dirty = false;
			say(`Saved ${result.path} (status "${status}")`);
			if (result.backupPath) say(`previous version kept at ${result.backupPath}`);
			if (status === 'draft') say('It is a draft: CAVRA reports needs_attention until it is saved as ready.');
			for (const line of nextStepLines(result.path)) say(line);
			return {kind: 'saved', status, path: result.path, ...(result.backupPath !== undefined && {backupPath: result.backupPath})};
		} catch (error) {
			say(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
			return undefined;
		}
	}
}
