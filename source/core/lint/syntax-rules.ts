import type {RuleMeta} from './finding.js';

export const syntaxRules: RuleMeta[] = [
	syntax('syntax/invalid-json', 'the file is not valid JSON', 'Fix the JSON at the reported position; a JSON-aware editor shows it.'),
	syntax('syntax/empty-file', 'the file is empty', 'Start from a template: cavra-rollback templates standard > plan.json'),
	syntax('syntax/not-an-object', 'the top level is not an object', 'Wrap the plan in { ... }; CAVRA reports "metadata JSON must be an object".'),
	syntax('syntax/duplicate-key', 'a key appears twice in one object', 'Keep exactly one; CAVRA silently keeps the last, which can hide an earlier value (e.g. "approved": false then true).'),
	syntax('syntax/utf8-bom', 'the file starts with a UTF-8 byte order mark', 'Save as UTF-8 without BOM; CAVRA rejects the BOM.'),
	syntax('syntax/invalid-utf8', 'the file is not valid UTF-8', 'Re-save the file as UTF-8 text; CAVRA crashes on invalid bytes.'),
	syntax('syntax/non-finite-number', 'NaN, Infinity or a number too large to be finite', 'Use a finite number; CAVRA accepts these and then prints invalid JSON.'),
	syntax('syntax/too-deep', 'nesting too deep', 'A plan is a flat object of strings and lists; remove the nesting.'),
	syntax(
		'syntax/hidden-characters',
		'a key or value holds a control, bidi or zero-width character',
		'Delete it: a public plan must not hide text. Escape sequences, carriage returns, bidi overrides and zero-width characters can recolour, reorder or hide what a reviewer reads.',
	),
];

function syntax(id: string, title: string, help: string): RuleMeta {
	return {id, category: 'syntax', defaultSeverity: 'error', title, help};
}
