import {formFromPlan, type LoadedForm} from './form.js';
import type {PlanSource} from './wizard.js';

/** A plan template as the wizard offers it. */
export interface TemplateChoice {
	name: string;
	description: string;
	text: string;
}

/** The plan already at the target path, if any. */
export interface ExistingPlan {
	path: string;
	text: string;
}

export interface SourceOption {
	key: string;
	label: string;
	description: string;
	/** Undefined when it cannot be loaded (the description says why). */
	load?: () => {source: PlanSource; loaded: LoadedForm};
}

/** The starting points: the existing plan at the target (first, when there is one), then every template. */
export function sourceOptions(templates: readonly TemplateChoice[], existing: ExistingPlan | undefined): SourceOption[] {
	const options: SourceOption[] = [];
	if (existing) {
		const parsed = parseObject(existing.text);
		options.push({
			key: 'existing',
			label: 'The existing plan at the target path',
			description: parsed
				? `Edit ${existing.path}; saving asks before replacing it and keeps a backup.`
				: `${existing.path} is not a JSON object, so it cannot be edited here; start from a template (saving asks before replacing it and keeps a backup).`,
			...(parsed && {load: () => ({source: {kind: 'existing', path: existing.path}, loaded: formFromPlan(parsed)})}),
		});
	}
	for (const template of templates) {
		const parsed = parseObject(template.text);
		options.push({
			key: `template:${template.name}`,
			label: `Template: ${template.name}`,
			description: template.description || '(no description)',
			...(parsed && {load: () => ({source: {kind: 'template', name: template.name}, loaded: formFromPlan(parsed, {dropComment: true})})}),
		});
	}
	return options;
}

/** The JSON object in `text`, or undefined when it is not one (a BOM is tolerated here; lint reports it). */
export function parseObject(text: string): Record<string, unknown> | undefined {
	try {
		const value = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}
