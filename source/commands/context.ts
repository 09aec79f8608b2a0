/** What every command module receives from cli.ts. Streams are injectable for tests. */
export interface CommandContext {
	/** Arguments after the command name. */
	argv: string[];
	globals: GlobalOptions;
	stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream & {isTTY?: boolean};
	env: NodeJS.ProcessEnv;
	cwd: string;
}

export interface GlobalOptions {
	/** `--config FILE`: overrides the config search (source/io/config.ts). */
	configPath?: string;
	/** False under `--no-color`, NO_COLOR, TERM=dumb or a non-TTY stdout (unless FORCE_COLOR). */
	color: boolean;
}

/** A command module's one export. Resolves to the exit code; throws CavraError for expected failures. */
export type CommandRun = (context: CommandContext) => Promise<number>;
