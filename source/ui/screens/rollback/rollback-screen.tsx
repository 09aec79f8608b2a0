import {plural} from '../../../core/text/quantities.js';
import {Box, Static, useApp, useStdout} from 'ink';
import {useKeypress} from '../../keys/use-keypress.js';
import {Text} from '../../components/text.js';
import {useEffect, useState, useSyncExternalStore} from 'react';
import type {RunResult} from '../../../core/rollback/machine.js';
import {previewLines} from '../../../core/rollback/preview.js';
import {summaryLines} from '../../../core/rollback/progress-lines.js';
import {visible} from '../../../core/text/sanitize.js';
import {displayWidth, wrapLines} from '../../../core/text/wrap.js';
import {RollbackConfirm} from '../../components/rollback-confirm.js';
import {RollbackCountdown} from '../../components/rollback-countdown.js';
import {RollbackStepRow} from '../../components/rollback-step-row.js';
import type {RollbackStore, TranscriptItem} from './store.js';

export const CONFIRM_WORD = 'disable';

export interface RollbackScreenProps {
	store: RollbackStore;
	/** Ctrl-C: first stops after the current step, second aborts. */
	onStop(): void;
	color: boolean;
	/** Spinners and the live countdown tick (off in tests). */
	animate?: boolean;
	tickMs?: number;
	/** Lines of command output shown under the running step. */
	tailLines?: number;
}

const resultColors: Record<RunResult, string> = {recovered: 'green', previewed: 'cyan', partial: 'yellow', failed: 'red', cancelled: 'yellow'};

/** The one rollback screen: finished steps scroll up as a transcript; below, what runs now, the countdown, the output tail. */
export function RollbackScreen({store, onStop, color, animate = true, tickMs = 1000, tailLines = 5}: RollbackScreenProps) {
	const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const {exit} = useApp();
	const state = view.state;
	const clockRunning = state?.clockStartedAtMs !== undefined && state.clockStoppedAtMs === undefined && !view.outcome;
	const now = useNow(animate && clockRunning ? tickMs : 0);

	useKeypress(
		key => {
			if (key.ctrl && key.input === 'c') {
				if (view.awaitingConfirm) store.answer(false);
				else onStop();
			} else if (key.name === 'escape' && view.awaitingConfirm) store.answer(false);
		},
		{isActive: !view.outcome},
	);

	useEffect(() => {
		if (view.outcome) exit();
	}, [view.outcome, exit]);

	// Lines are wrapped here, at words, by the one wrapper (Ink's own wrap splits words and paths).
	const {columns, rows} = useStdout().stdout;
	const width = columns || 80;
	const running = state?.steps.filter(step => step.status === 'running') ?? [];
	// The live frame stays shorter than the terminal (Ink clears the whole screen, scrollback
	// included, once a frame is as tall as the window): a row can fold in two at a narrow width,
	// and about ten rows go to the countdown, what is next and the confirmation or summary.
	const room = Math.max(2, (rows || 24) - 10);
	const shownRunning = running.slice(0, Math.max(1, Math.floor(room / 2)));
	const shownTail = Math.max(0, Math.min(tailLines, room - 2 * shownRunning.length));
	const pending = state?.steps.filter(step => step.status === 'pending') ?? [];
	return (
		<>
			<Static items={view.transcript}>{item => <TranscriptLine key={item.key} item={item} color={color} width={width} />}</Static>
			<Box flexDirection="column">
				{shownRunning.map(step => (
					<RollbackStepRow key={step.id} step={step} color={color} animate={animate} />
				))}
				{running.length > shownRunning.length ? <Text dimColor>… and {running.length - shownRunning.length} more running</Text> : null}
				{view.awaitingConfirm ? <RollbackConfirm word={CONFIRM_WORD} color={color} onAnswer={store.answer} /> : null}
				{state && !view.outcome && !view.awaitingConfirm && pending.length > 0 && state.phase !== 'preflight' ? (
					<Text dimColor>
						{plural(pending.length, 'step')} to go; next: {visible(pending[0]!.label)}
					</Text>
				) : null}
				{state && state.clockStartedAtMs !== undefined && !view.outcome ? <RollbackCountdown state={state} nowMs={now} color={color} /> : null}
				{state && running.length > 0 && state.tail.length > 0 && shownTail > 0 ? (
					<Box flexDirection="column" marginLeft={2}>
						{state.tail.slice(-shownTail).map((line, index) => (
							<Text key={index} dimColor wrap="truncate-end">
								│ {visible(line)}
							</Text>
						))}
					</Box>
				) : null}
				{state?.cancelRequested && !view.outcome ? (
					<Text color={color ? 'yellow' : undefined}>{state.abortRequested ? 'Aborting: writing the journal…' : 'Stopping after the current step… (Ctrl-C again aborts now)'}</Text>
				) : null}
				{view.outcome && state ? <Summary view={view} color={color} width={width} /> : null}
			</Box>
		</>
	);
}

function Summary({view, color, width}: {view: ReturnType<RollbackStore['getSnapshot']>; color: boolean; width: number}) {
	const state = view.state!;
	// A run that threw is reported by the command's error handler (on stderr, after unmount).
	if (view.outcome?.error !== undefined) return null;
	const [first = '', ...rest] = summaryLines(state, {evidencePath: view.outcome?.evidencePath, runDir: view.outcome?.runDir, flags: view.outcome?.flags});
	const result = state.result ?? 'cancelled';
	return (
		<Box flexDirection="column" marginTop={1}>
			<Text bold color={color ? resultColors[result] : undefined}>
				{wrapLines([first], width).join('\n')}
			</Text>
			{wrapLines(rest, width).map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
		</Box>
	);
}

function TranscriptLine({item, color, width}: {item: TranscriptItem; color: boolean; width: number}) {
	switch (item.kind) {
		case 'header':
			return (
				<Text bold>
					cavra-rollback {item.runKind === 'rehearsal' ? 'REHEARSAL' : item.runKind === 'dry-run' ? 'rollback (dry run)' : 'rollback'} · run {item.runId}
				</Text>
			);
		case 'notice':
			return (
				<Text bold color={color ? 'yellow' : undefined}>
					{wrapLines([`!! ${visible(item.text)}`], width).join('\n')}
				</Text>
			);
		case 'info':
			return <Text color={color ? 'yellow' : undefined}>{wrapLines([visible(item.text)], width).join('\n')}</Text>;
		case 'step':
			return <RollbackStepRow step={item.step} color={color} animate={false} />;
		case 'preview': {
			const lines = wrapLines(
				previewLines(item.preview)
					// Notices are shown once already, as they arrived.
					.filter(line => !line.startsWith('!! ')),
				width,
			);
			// A command or path longer than the whole terminal is left whole for the terminal to fold
			// (a fold copies back as one line; Ink's own wrap would break it). The transcript is
			// written once (Static), never redrawn, so a folded line cannot upset the frame below.
			const widest = Math.max(width, ...lines.map(line => displayWidth(line)));
			return (
				<Box flexDirection="column" marginY={1} width={widest} flexShrink={0}>
					{lines.map((line, index) => (
						<Text key={index} color={color ? diffColor(line) : undefined} bold={index === 0}>
							{line === '' ? ' ' : line}
						</Text>
					))}
				</Box>
			);
		}
	}
}

function diffColor(line: string): string | undefined {
	const trimmed = line.trimStart();
	if (trimmed.startsWith('+++') || trimmed.startsWith('---')) return undefined;
	if (trimmed.startsWith('+')) return 'green';
	if (trimmed.startsWith('-')) return 'red';
	if (trimmed.startsWith('@@')) return 'cyan';
	return undefined;
}

/** Epoch ms, re-read every `intervalMs`; 0 when not ticking (the countdown then follows the machine's own clock). */
function useNow(intervalMs: number): number {
	const [now, setNow] = useState(() => (intervalMs > 0 ? Date.now() : 0));
	useEffect(() => {
		if (intervalMs <= 0) {
			setNow(0);
			return undefined;
		}
		setNow(Date.now());
		const timer = setInterval(() => setNow(Date.now()), intervalMs);
		return () => clearInterval(timer);
	}, [intervalMs]);
	return now;
}
