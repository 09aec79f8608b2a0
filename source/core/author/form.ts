import {PLAN_SCHEMA_VERSION, REQUIRED_CONTROLS} from '../plan/constants.js';

/**
 * The plan as the wizard edits it: every field in the shape a person types it (minutes as text,
 * lists as arrays of strings), plus whatever else the source plan held, so nothing is lost on
 * the way through. `formToPlan` turns it back into the JSON object that gets written.
 */
export interface PlanForm {
	schemaVersion: string;
	/** As loaded or set; the save step decides what is written (ready, or draft while errors remain). */
	status: string;
	targetMode: string;
	approved: boolean;
	approvalId: string;
	/** Exactly what was typed; written as a number when it is one. */
	maxRecoveryMinutes: string;
	/** Checked controls, in the order they are written. */
	controls: string[];
	/** Every control offered in the multi-select: the required five plus custom ones, in display order. */
	controlOptions: string[];
	steps: string[];
	evidenceRefs: string[];
	/** The source's nested `approval` object, kept and kept in step with approved/approvalId. */
	approvalObject?: Record<string, unknown>;
	/** Keys the wizard does not edit (`$schema`, unknown keys): written back unchanged, in their order. */
	extras: Array<[string, unknown]>;
	/** Keys that go before schema_version when written (`$schema`, `$comment`). */
	leading: Array<[string, unknown]>;
}

/** The order CAVRA's documentation writes a plan's keys in (docs/go-backend-rollback.md). */
export const DOCUMENTED_KEY_ORDER = [
	'schema_version',
	'status',
	'target_mode',
	'approved',
	'approval_id',
	'approval',
	'max_recovery_minutes',
	'controls',
	'rollback_steps',
	'evidence_refs',
] as const;

const EDITED_KEYS = new Set<string>(DOCUMENTED_KEY_ORDER);
const LEADING_KEYS = new Set(['$schema', '$comment']);

export interface FormFromPlanOptions {
	/** Templates describe themselves in `$comment`; an authored plan does not carry that line. */
	dropComment?: boolean;
}

/** Notes on what loading changed, shown to the user (e.g. a wrong target_mode corrected). */
export interface LoadedForm {
	form: PlanForm;
	notes: string[];
}

export function emptyForm(): PlanForm {
	return {
		schemaVersion: PLAN_SCHEMA_VERSION,
		status: 'ready',
		targetMode: 'disabled',
		approved: false,
		approvalId: '',
		maxRecoveryMinutes: '',
		controls: [...REQUIRED_CONTROLS],
		controlOptions: [...REQUIRED_CONTROLS],
		steps: [],
		evidenceRefs: [],
		extras: [],
		leading: [],
	};
}

/**
 * Read a parsed plan (a template or an existing file) into a form. Values of the wrong type are
 * carried over as text where a person can see and fix them, never silently dropped; the two
 * constants a wizard-made plan must have (schema_version, target_mode) are set and reported.
 */
export function formFromPlan(plan: Record<string, unknown>, options: FormFromPlanOptions = {}): LoadedForm {
	const notes: string[] = [];
	const form = emptyForm();

	const schemaVersion = plan['schema_version'];
	if (schemaVersion !== PLAN_SCHEMA_VERSION) {
		notes.push(`schema_version ${schemaVersion === undefined ? 'was missing' : 'was not CAVRA\'s'}; it is set to ${PLAN_SCHEMA_VERSION}`);
	}
	const targetMode = plan['target_mode'];
	if (targetMode !== 'disabled') {
		notes.push(`target_mode ${targetMode === undefined ? 'was missing' : 'was not "disabled"'}; it is set to "disabled" (rollback returns CAVRA to Python-only mode)`);
	}
	form.status = typeof plan['status'] === 'string' ? plan['status'] : 'ready';

	const approval = plan['approval'];
	const approvalObject = isObject(approval) ? approval : undefined;
	form.approved = plan['approved'] === true || approvalObject?.['status'] === 'approved';
	const topId = plan['approval_id'];
	const nestedId = approvalObject?.['approval_id'];
	form.approvalId = textOf(truthy(topId) ? topId : truthy(nestedId) ? nestedId : '');
	if (approvalObject) form.approvalObject = {...approvalObject};

	const minutes = plan['max_recovery_minutes'];
	form.maxRecoveryMinutes = minutes === undefined || minutes === null ? '' : typeof minutes === 'number' ? numberText(minutes) : textOf(minutes);

	const controls = Array.isArray(plan['controls']) ? plan['controls'].map(textOf) : [];
	if (plan['controls'] !== undefined && !Array.isArray(plan['controls'])) notes.push('controls was not a list; tick the controls that are in place');
	form.controls = unique(controls);
	form.controlOptions = unique([...form.controls, ...REQUIRED_CONTROLS]);

	const steps = plan['rollback_steps'];
	form.steps = Array.isArray(steps) ? steps.map(textOf) : typeof steps === 'string' ? [steps] : [];
	const refs = plan['evidence_refs'];
	form.evidenceRefs = Array.isArray(refs) ? refs.map(textOf) : typeof refs === 'string' ? [refs] : [];

	for (const [key, value] of Object.entries(plan)) {
		if (EDITED_KEYS.has(key)) continue;
		if (LEADING_KEYS.has(key)) {
			if (key === '$comment' && options.dropComment) continue;
			form.leading.push([key, value]);
		} else {
			form.extras.push([key, value]);
		}
	}
	return {form, notes};
}

/** The plan object to write, keys in CAVRA's documented order, extras after. */
export function formToPlan(form: PlanForm, status: string = form.status): Record<string, unknown> {
	const plan: Record<string, unknown> = {};
	for (const [key, value] of form.leading) plan[key] = value;
	plan['schema_version'] = form.schemaVersion;
	plan['status'] = status;
	plan['target_mode'] = form.targetMode;
	plan['approved'] = form.approved;
	if (form.approvalId !== '') plan['approval_id'] = form.approvalId;
	if (form.approvalObject) {
		const synced: Record<string, unknown> = {...form.approvalObject};
		// CAVRA counts approval.status === "approved" as approval: keep it saying what the form says.
		if (form.approved) synced['status'] = 'approved';
		else if (synced['status'] === 'approved') synced['status'] = 'pending';
		if (form.approvalId !== '' || Object.hasOwn(synced, 'approval_id')) synced['approval_id'] = form.approvalId;
		plan['approval'] = synced;
	}
	const minutes = parseMinutes(form.maxRecoveryMinutes);
	if (minutes.kind === 'number') plan['max_recovery_minutes'] = minutes.value;
	else if (minutes.kind === 'text') plan['max_recovery_minutes'] = minutes.text;
	plan['controls'] = [...form.controls];
	plan['rollback_steps'] = [...form.steps];
	plan['evidence_refs'] = [...form.evidenceRefs];
	for (const [key, value] of form.extras) if (!Object.hasOwn(plan, key)) plan[key] = value;
	return plan;
}

/** 2-space JSON with a trailing newline: the form a plan is written and reviewed in. */
export function serialisePlan(plan: Record<string, unknown>): string {
	return `${JSON.stringify(plan, null, 2)}\n`;
}

export type MinutesValue = {kind: 'empty'} | {kind: 'number'; value: number} | {kind: 'text'; text: string};

/** "15" and "7.5" are numbers; anything else typed is kept as text so lint can say what is wrong. */
export function parseMinutes(text: string): MinutesValue {
	const trimmed = text.trim();
	if (trimmed === '') return {kind: 'empty'};
	if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
		const value = Number(trimmed);
		if (Number.isFinite(value)) return {kind: 'number', value};
	}
	return {kind: 'text', text};
}

/** Why typed minutes would not be accepted, as you type; undefined when fine. */
export function minutesProblem(text: string): string | undefined {
	const value = parseMinutes(text);
	if (value.kind === 'empty') return 'enter the recovery target in minutes, e.g. 15';
	if (value.kind === 'text') return 'enter a number of minutes (digits, e.g. 15 or 7.5)';
	if (value.value <= 0) return 'the recovery target must be greater than 0 minutes';
	return undefined;
}

function numberText(value: number): string {
	return Number.isFinite(value) ? String(value) : '';
}

function textOf(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

function truthy(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '' && value !== false && value !== 0;
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
