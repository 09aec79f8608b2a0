/** What the linter reports. Shared by every rule, format and screen. */

export type Category = 'syntax' | 'schema' | 'public-safety';
export type Severity = 'error' | 'warning';

export interface Finding {
	/** Stable id prefixed by its category, e.g. `public-safety/aws-access-key`. */
	rule: string;
	category: Category;
	severity: Severity;
	/** What is wrong and how to fix it. Never contains a secret. */
	message: string;
	/** RFC 6901 pointer to the value holding the problem ("" for the whole document). */
	pointer: string;
	/** 1-based. */
	line: number;
	/** 1-based, UTF-16 code units. */
	column: number;
	/** Public-safety findings only: a masked preview of the matched value. */
	preview?: string;
	/** Public-safety findings only: a stable fingerprint for `lint.allow` (never the raw value). */
	fingerprint?: string;
}

export interface FileReport {
	path: string;
	/** True when no error finding remains (warnings allowed). */
	ok: boolean;
	findings: Finding[];
	/** Findings suppressed by `lint.allow`, by rule and fingerprint. */
	suppressed: number;
}

export interface AllowEntry {
	rule: string;
	fingerprint: string;
	reason?: string;
}

export interface RuleMeta {
	id: string;
	category: Category;
	defaultSeverity: Severity;
	/** One line, shown in SARIF `shortDescription` and `--help` listings. */
	title: string;
	/** How to fix, shown in SARIF `help`. */
	help: string;
}

export function compareFindings(a: Finding, b: Finding): number {
	return a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
