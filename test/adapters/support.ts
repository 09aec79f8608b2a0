import type {CommandRunner, RunOptions, RunResult} from '../../source/io/process-runner.js';

export interface RecordedCall {
	argv: string[];
	options: RunOptions;
}

/** A runner that records every call and answers from `answer` (default: exit 0). */
export function fakeRunner(answer: (argv: readonly string[], call: number) => Partial<RunResult> = () => ({})): CommandRunner & {calls: RecordedCall[]} {
	const calls: RecordedCall[] = [];
	const runner = async (argv: readonly string[], options: RunOptions): Promise<RunResult> => {
		calls.push({argv: [...argv], options});
		const partial = answer(argv, calls.length - 1);
		const exitCode = partial.exitCode === undefined ? 0 : partial.exitCode;
		return {
			argv: [...argv],
			exitCode,
			signal: null,
			timedOut: false,
			cancelled: false,
			durationMs: 5,
			stdoutTail: '',
			stderrTail: '',
			ok: exitCode === 0 && !partial.timedOut && !partial.error && !partial.cancelled,
			...partial,
		};
	};
	return Object.assign(runner, {calls});
}
