import {spawnSync} from 'node:child_process';

/** Median wall time of a command, runs interleaved with its baseline so machine noise hits both. */
export function medianSpawnMs(commands: Array<{args: string[]; env?: NodeJS.ProcessEnv}>, runs: number): number[] {
	const samples = commands.map(() => [] as number[]);
	for (let run = 0; run < runs; run++) {
		commands.forEach((command, index) => {
			const start = process.hrtime.bigint();
			const result = spawnSync(process.execPath, command.args, {env: command.env ?? process.env, stdio: ['ignore', 'ignore', 'ignore']});
			const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
			if (result.error) throw result.error;
			samples[index]!.push(elapsed);
		});
	}
	return samples.map(median);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function timeAsync(fn: () => Promise<unknown>, repeat = 1): Promise<number> {
	const samples: number[] = [];
	for (let i = 0; i < repeat; i++) {
		const start = process.hrtime.bigint();
		await fn();
		samples.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return median(samples);
}

export function ms(value: number): string {
	return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}
