/**
 * The one exit-code table shared by every command (DESIGN.md, "Commands").
 * Scripts depend on these numbers; never reuse one for another meaning.
 */
export const ExitCode = {
	/** ok / ready / due_soon / not_requested / no error findings / rollback recovered */
	ok: 0,
	/** findings, needs_attention, rollback not verified or partial, evidence tampered */
	findings: 1,
	/** usage, configuration or unreadable input */
	usage: 2,
	/** an external step failed: service manager, required API unreachable */
	external: 3,
	/** cancelled by the operator (Ctrl-C) */
	cancelled: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodeTable: ReadonlyArray<{code: ExitCodeValue; meaning: string}> = [
	{code: ExitCode.ok, meaning: 'ok: ready, due_soon, not_requested, no error findings, rollback recovered'},
	{code: ExitCode.findings, meaning: 'findings: error findings, needs_attention, rollback not verified, evidence tampered'},
	{code: ExitCode.usage, meaning: 'usage, configuration or unreadable input'},
	{code: ExitCode.external, meaning: 'an external step failed (service manager, required API unreachable)'},
	{code: ExitCode.cancelled, meaning: 'cancelled'},
];

/** The table's name for a code (`ok`, `findings`, `usage`, `external`, `cancelled`), or undefined for one outside it. */
export function exitCodeName(code: number): keyof typeof ExitCode | undefined {
	return (Object.keys(ExitCode) as Array<keyof typeof ExitCode>).find(name => ExitCode[name] === code);
}
