/**
 * A small unified diff (3 lines of context, GNU-style headers and hunks, "\ No newline at end of
 * file" markers) for the rollback preview. Env files are small, so a plain LCS over the lines
 * that differ is fast enough; past a size limit the differing middle is shown as one replacement,
 * which is still a correct diff. CRLF files keep their `\r` in the diff lines, as `diff -u` does,
 * so the diff applies with `patch`. Pure.
 *
 * The diff shows the file as it is, secrets included: callers that print it redact it first
 * (see `redactEnvDiff` in core/rollback/preview.ts).
 */

interface Line {
	text: string;
	/** The line ends with a line break (only the last line of a file may not). */
	terminated: boolean;
}

interface Op {
	kind: ' ' | '-' | '+';
	line: Line;
	/** 0-based index in the old / new file of the line this op is at (the next line for inserts/deletes). */
	oldIndex: number;
	newIndex: number;
}

const CONTEXT = 3;
/** Above this many cells the LCS table is skipped (env files never come close). */
const MAX_TABLE = 4_000_000;

export function unifiedDiff(path: string, before: string, after: string, options: {context?: number} = {}): string {
	if (before === after) return '';
	const context = options.context ?? CONTEXT;
	const ops = diffLines(splitLines(before), splitLines(after));
	const hunks = groupHunks(ops, context);
	let out = `--- ${path}\n+++ ${path}\n`;
	for (const hunk of hunks) out += formatHunk(hunk);
	return out;
}

function splitLines(text: string): Line[] {
	if (text === '') return [];
	const parts = text.split('\n');
	const lines: Line[] = parts.map(part => ({text: part, terminated: true}));
	if (text.endsWith('\n')) lines.pop();
	else lines[lines.length - 1]!.terminated = false;
	return lines;
}

const same = (a: Line, b: Line) => a.text === b.text && a.terminated === b.terminated;

function diffLines(a: Line[], b: Line[]): Op[] {
	let prefix = 0;
	while (prefix < a.length && prefix < b.length && same(a[prefix]!, b[prefix]!)) prefix += 1;
	let suffix = 0;
	while (suffix < a.length - prefix && suffix < b.length - prefix && same(a[a.length - 1 - suffix]!, b[b.length - 1 - suffix]!)) suffix += 1;
	const ops: Op[] = [];
	for (let i = 0; i < prefix; i++) ops.push({kind: ' ', line: a[i]!, oldIndex: i, newIndex: i});
	const midA = a.slice(prefix, a.length - suffix);
	const midB = b.slice(prefix, b.length - suffix);
	for (const op of diffMiddle(midA, midB)) ops.push({...op, oldIndex: op.oldIndex + prefix, newIndex: op.newIndex + prefix});
	for (let k = suffix; k > 0; k--) ops.push({kind: ' ', line: a[a.length - k]!, oldIndex: a.length - k, newIndex: b.length - k});
	return ops;
}

/** LCS by dynamic programming; a whole replacement when the table would be too large. */
function diffMiddle(a: Line[], b: Line[]): Op[] {
	const n = a.length;
	const m = b.length;
	const ops: Op[] = [];
	if ((n + 1) * (m + 1) > MAX_TABLE) {
		for (let i = 0; i < n; i++) ops.push({kind: '-', line: a[i]!, oldIndex: i, newIndex: 0});
		for (let j = 0; j < m; j++) ops.push({kind: '+', line: b[j]!, oldIndex: n, newIndex: j});
		return ops;
	}
	// table[i][j] = length of the LCS of a[i..] and b[j..]
	const width = m + 1;
	const table = new Uint32Array((n + 1) * width);
	for (let i = n - 1; i >= 0; i--) {
		for (let j = m - 1; j >= 0; j--) {
			table[i * width + j] = same(a[i]!, b[j]!) ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
		}
	}
	let i = 0;
	let j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && same(a[i]!, b[j]!)) {
			ops.push({kind: ' ', line: a[i]!, oldIndex: i, newIndex: j});
			i += 1;
			j += 1;
		} else if (i < n && (j >= m || table[(i + 1) * width + j]! >= table[i * width + j + 1]!)) {
			// Deletions before insertions, as diff -u prints them.
			ops.push({kind: '-', line: a[i]!, oldIndex: i, newIndex: j});
			i += 1;
		} else {
			ops.push({kind: '+', line: b[j]!, oldIndex: i, newIndex: j});
			j += 1;
		}
	}
	return ops;
}

/** Runs of changes with up to `context` unchanged lines around them; close runs share a hunk. */
function groupHunks(ops: Op[], context: number): Op[][] {
	const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter(index => index >= 0);
	const hunks: Op[][] = [];
	let start = -1;
	let end = -1;
	for (const index of changed) {
		const from = Math.max(0, index - context);
		const to = Math.min(ops.length - 1, index + context);
		if (start === -1) {
			start = from;
			end = to;
		} else if (from <= end + 1) {
			end = to;
		} else {
			hunks.push(ops.slice(start, end + 1));
			start = from;
			end = to;
		}
	}
	if (start !== -1) hunks.push(ops.slice(start, end + 1));
	return hunks;
}

function formatHunk(hunk: Op[]): string {
	const oldCount = hunk.filter(op => op.kind !== '+').length;
	const newCount = hunk.filter(op => op.kind !== '-').length;
	const first = hunk[0]!;
	// An empty range names the line before it (0 at the start of the file), as diff -u does.
	const oldStart = oldCount === 0 ? first.oldIndex : first.oldIndex + 1;
	const newStart = newCount === 0 ? first.newIndex : first.newIndex + 1;
	let out = `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`;
	for (const op of hunk) {
		out += `${op.kind}${op.line.text}\n`;
		if (!op.line.terminated) out += '\\ No newline at end of file\n';
	}
	return out;
}

function range(start: number, count: number): string {
	return count === 1 ? String(start) : `${start},${count}`;
}
