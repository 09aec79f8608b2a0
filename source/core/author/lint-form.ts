import type {AllowEntry, FileReport} from '../lint/finding.js';
import {lintPlanSync} from '../lint/lint-plan.js';
import {formToPlan, serialisePlan, type PlanForm} from './form.js';

/**
 * Lint of the plan as it would be recorded when ready: what stands between it and "ready".
 * Synchronous (no secretlint pass), cheap enough for every keystroke; the save runs the full lint.
 */
export function lintForm(form: PlanForm, path: string, allow?: readonly AllowEntry[], knownSecrets?: readonly string[]): FileReport {
	return lintPlanSync({path, bytes: serialisePlan(formToPlan(form, 'ready'))}, {...(allow && {allow}), ...(knownSecrets && {knownSecrets})});
}
