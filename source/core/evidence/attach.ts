import type {Node} from 'jsonc-parser';
import {parseJsonDocument} from '../json/document.js';
import {applyEdits, detectJsonStyle, serializeWithStyle, stringLiteral, type JsonStyle, type TextEdit} from '../json/style.js';
import {ATTACHMENT_KEY, attachmentRefs, buildAttachmentBlock, isOwnRef, PROMOTION_SCHEMA_VERSION, type AttachmentFacts} from './promotion.js';

/**
 * The edit `evidence attach` makes to a promotion evidence file, as text: our refs in
 * `evidence_refs` and our block, and not one other byte changed. Key order, indentation, line
 * endings, escapes and the final newline stay as the file has them; a value we add is written in
 * the file's own style (core/json/style.ts). A re-run replaces our refs and block (refs in our
 * schemes, and the refs the previous block says it added); everyone else's refs stay, in order.
 * Attaching the same facts again keeps the earlier `attached_at`, so the bytes do not change.
 */

export type AttachOutcome =
	| {ok: true; text: string; changed: boolean; block: Record<string, unknown>; refs: string[]; replaced: boolean}
	/** The file cannot be edited safely; `reason` names the field and the fix. */
	| {ok: false; reason: string};

export function attachToPromotion(input: Uint8Array | string, facts: AttachmentFacts): AttachOutcome {
	const document = parseJsonDocument(input);
	const text = document.text;
	const problem = document.problems[0];
	if (problem) {
		const at = document.positionAt(problem.offset);
		return {ok: false, reason: `line ${at.line}, column ${at.column}: ${problem.message}`};
	}
	const root = document.root;
	const value = document.value as Record<string, unknown> | undefined;
	if (!root || root.type !== 'object' || !value) return {ok: false, reason: 'the top level is not a JSON object'};
	if (value['schema_version'] !== PROMOTION_SCHEMA_VERSION) {
		return {ok: false, reason: `schema_version is not "${PROMOTION_SCHEMA_VERSION}": not CAVRA's promotion evidence`};
	}
	const existingRefs = value['evidence_refs'];
	if (existingRefs !== undefined && !(Array.isArray(existingRefs) && existingRefs.every(ref => typeof ref === 'string'))) {
		return {ok: false, reason: 'evidence_refs is not a list of strings (CAVRA: "promotion evidence_refs must be a list of strings"); fix it first'};
	}

	const previous = isRecord(value[ATTACHMENT_KEY]) ? (value[ATTACHMENT_KEY] as Record<string, unknown>) : undefined;
	const previouslyAdded = new Set(stringList(previous?.['added_refs']));
	const refs = (existingRefs ?? []) as string[];
	const keep = refs.map(ref => !isOwnRef(ref) && !previouslyAdded.has(ref));
	const kept = refs.filter((_, index) => keep[index]);
	const added = attachmentRefs(facts).filter(ref => !kept.includes(ref));

	let block = buildAttachmentBlock(facts, added);
	const previousAt = previous?.['attached_at'];
	if (previous && typeof previousAt === 'string' && sameBesidesTime(previous, block)) block = {...block, attached_at: previousAt};

	const style = detectJsonStyle(text, root);
	const edits = editsFor(text, root, style, {keep, added, block});
	const next = applyEdits(text, edits);
	return {ok: true, text: next, changed: next !== text, block, refs: added, replaced: previous !== undefined};
}

function editsFor(text: string, root: Node, style: JsonStyle, change: {keep: boolean[]; added: string[]; block: Record<string, unknown>}): TextEdit[] {
	const properties = root.children ?? [];
	const property = (key: string) => properties.findLast(node => node.children?.[0]?.value === key);
	const refsNode = property('evidence_refs')?.children?.[1];
	const blockNode = property(ATTACHMENT_KEY)?.children?.[1];
	const edits: TextEdit[] = [];
	const inserted: Array<[string, unknown]> = [];

	if (refsNode) edits.push({offset: refsNode.offset, length: refsNode.length, text: rebuildList(text, refsNode, change.keep, change.added, style)});
	else inserted.push(['evidence_refs', change.added]);
	if (blockNode) edits.push({offset: blockNode.offset, length: blockNode.length, text: serializeWithStyle(change.block, style, 1)});
	else inserted.push([ATTACHMENT_KEY, change.block]);
	if (inserted.length === 0) return edits;

	const last = properties.at(-1);
	if (!last) {
		// `{}`: the object is written anew, in the file's style.
		return [{offset: root.offset, length: root.length, text: serializeWithStyle(Object.fromEntries(inserted), style, 0)}];
	}
	const beforeLast = properties.at(-2);
	const separator = beforeLast ? text.slice(end(beforeLast), last.offset) : style.indent ? `,${style.eol}${style.indent}` : style.comma;
	const addition = inserted.map(([key, item]) => `${separator}${stringLiteral(key, style)}${style.colon}${serializeWithStyle(item, style, 1)}`).join('');
	edits.push({offset: end(last), length: 0, text: addition});
	return edits;
}

/**
 * The list again from its own text: kept items and the separators that followed them verbatim,
 * new items after them with the list's own separator. Unchanged items keep their bytes.
 */
function rebuildList(text: string, list: Node, keep: readonly boolean[], added: readonly string[], style: JsonStyle): string {
	const items = list.children ?? [];
	let open: string;
	let close: string;
	let separator: string;
	if (items.length > 0) {
		open = text.slice(list.offset + 1, items[0]!.offset);
		close = text.slice(end(items.at(-1)!), end(list) - 1);
		if (items.length >= 2) separator = text.slice(end(items.at(-2)!), items.at(-1)!.offset);
		else separator = open === '' ? style.comma : `,${open}`;
	} else if (style.indent) {
		open = `${style.eol}${style.indent.repeat(2)}`;
		close = `${style.eol}${style.indent}`;
		separator = `,${open}`;
	} else {
		open = close = '';
		separator = style.comma;
	}
	let body = '';
	let previous = -1;
	items.forEach((item, index) => {
		if (!keep[index]) return;
		if (previous >= 0) body += text.slice(end(items[previous]!), items[previous + 1]!.offset);
		body += text.slice(item.offset, end(item));
		previous = index;
	});
	for (const ref of added) body += `${body ? separator : ''}${stringLiteral(ref, style)}`;
	return body ? `[${open}${body}${close}]` : '[]';
}

const end = (node: Node) => node.offset + node.length;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function sameBesidesTime(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	return JSON.stringify({...a, attached_at: null}) === JSON.stringify({...b, attached_at: null});
}
