import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export interface TerminalSize {
	columns: number;
	rows: number;
}

/** The terminal's size, following resizes (SIGWINCH), or a fixed one (tests, the bench). */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = () => fixed ?? {columns: stdout.columns || 80, rows: stdout.rows || 24};
	const [size, setSize] = useState(read);
	useEffect(() => {
		if (fixed) return undefined;
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => void stdout.off('resize', onResize);
	}, [stdout, fixed]);
	return fixed ?? size;
}
