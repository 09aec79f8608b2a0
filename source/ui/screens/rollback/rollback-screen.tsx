import {plural} from '../../../core/text/quantities.js';
import {Box, useApp} from 'ink';
import {useKeypress} from '../../keys/use-keypress.js';
import {Text} from '../../components/text.js';
import {memo, useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import type {RollbackState, RunResult} from '../../../core/rollback/machine.js';
import {previewLines, type RollbackPreview} from '../../../core/rollback/preview.js';
import {summaryLines} from '../../../core/rollback/progress-lines.js';
import {visible} from '../../../core/text/sanitize.js';
import {wrapLines} from '../../../core/text/wrap.js';
import {confirmRows, RollbackConfirm} from '../../components/rollback-confirm.js';
import {RollbackCountdown} from '../../components/rollback-countdown.js';
import {RollbackStepRow} from '../../components/rollback-step-row.js';
import {useTerminalSize, type TerminalSize} from '../../use-terminal-size.js';
import {applyPaneMove, paneFooter, paneLines, paneMove} from './preview-pane.js';
import type {RollbackStore, RollbackView, TranscriptItem} from './store.js';

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
	/** Fixed size (tests); otherwise the terminal's, following resizes. */
	size?: TerminalSize;
}

const resultColors: Record<RunResult, string> = {recovered: 'green', previewed: 'cyan', partial: 'yellow', failed: 'red', cancelled: 'yellow'};

/**
 * The one rollback screen, drawn on the alternate screen (render-rollback.tsx) and never taller
 * than the window: one row is kept free, so Ink redraws in place instead of clearing. At the
 * question, the preview is a scrollable pane with the question and its keys pinned under it;
 * during the run, the finished steps above what runs now, the countdown and the output tail,
 * the newest at the bottom and the oldest leaving at the top. The whole record is printed to the
 * normal screen when the view closes (RollbackStore.transcriptLines).
 */
export function RollbackScreen({store, onStop, color, animate = true, tickMs = 1000, tailLines = 5, size}: RollbackScreenProps) {
	const view = useSyncExternalStore(store.subscribe, store.getSnapshot);
	const {exit} = useApp();
	const state = view.state;
	const clockRunning = state?.clockStartedAtMs !== undefined && state.clockStoppedAtMs === undefined && !view.outcome;
	const now = useNow(animate && clockRunning ? tickMs : 0);
	const {columns: width, rows} = useTerminalSize(size);
	const height = Math.max(3, rows - 1);

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

	const header = state ? <Header runKind={state.kind} runId={state.runId} /> : null;
	const preview = view.transcript.find(item => item.kind === 'preview');
	if (view.awaitingConfirm && preview?.kind === 'preview') {
		return (
			<Box flexDirection="column" width={width}>
				{header}
				<QuestionView preview={preview.preview} store={store} color={color} width={width} height={height - (header ? 1 : 0)} />
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width}>
			{header}
			<RunView view={view} color={color} animate={animate} now={now} tailLines={tailLines} width={width} height={height - (header ? 1 : 0)} />
		</Box>
	);
}

function Header({runKind, runId}: {runKind: RollbackState['kind']; runId: string}) {
	return (
		<Text bold wrap="truncate-end">
			cavra-rollback {runKind === 'rehearsal' ? 'REHEARSAL' : runKind === 'dry-run' ? 'rollback (dry run)' : 'rollback'} · run {runId}
		</Text>
	);
}

/** The preview as a pane the operator scrolls, the question and the keys pinned below it. */
function QuestionView({preview, store, color, width, height}: {preview: RollbackPreview; store: RollbackStore; color: boolean; width: number; height: number}) {
	const [offset, setOffset] = useState(0);
	const [wrong, setWrong] = useState<string | undefined>();
	const lines = useMemo(() => paneLines(previewLines(preview), width), [preview, width]);
	const question = confirmRows(CONFIRM_WORD, width, wrong);
	const fitsWhole = lines.length + question <= height;
	// A pane that scrolls gives a row to its footer (where it is, and that it scrolls).
	const page = fitsWhole ? lines.length : Math.max(1, height - question - 1);
	const maxOffset = Math.max(0, lines.length - page);
	const top = Math.min(offset, maxOffset);
	useKeypress(key => {
		const move = paneMove(key, page);
		if (move) setOffset(current => applyPaneMove(Math.min(current, maxOffset), move, maxOffset));
	});
	const shown = lines.slice(top, top + page);
	return (
		<>
			<Box flexDirection="column" height={shown.length} flexShrink={0}>
				{shown.map((line, index) => (
					<Text key={top + index} color={color ? diffColor(line) : undefined} bold={top + index === 0} wrap="truncate-end">
						{line === '' ? ' ' : line}
					</Text>
				))}
			</Box>
			<RollbackConfirm word={CONFIRM_WORD} color={color} width={width} wrong={wrong} onWrong={setWrong} onAnswer={store.answer} isReserved={key => paneMove(key, page) !== undefined} />
			{fitsWhole ? null : (
				<Text dimColor wrap="truncate-end">
					{paneFooter(top, shown.length, lines.length, width)}
				</Text>
			)}
		</>
	);
}

interface RunViewProps {
	view: RollbackView;
	color: boolean;
	animate: boolean;
	now: number;
	tailLines: number;
	width: number;
	height: number;
}

/** Preflight and the run: every row bottom-up in a window-tall box, so the newest are the ones in view. */
function RunView({view, color, animate, now, tailLines, width, height}: RunViewProps) {
	const state = view.state;
	const running = state?.steps.filter(step => step.status === 'running') ?? [];
	const shownRunning = running.slice(0, Math.max(1, Math.floor(height / 3)));
	const pending = state?.steps.filter(step => step.status === 'pending') ?? [];
	return (
		<Box flexDirection="column" height={height} overflow="hidden" justifyContent="flex-end">
			<Box flexDirection="column" flexShrink={0}>
				{view.transcript.map(item => (
					<TranscriptLine key={item.key} item={item} color={color} width={width} />
				))}
				{shownRunning.map(step => (
					<RollbackStepRow key={step.id} step={step} color={color} animate={animate} width={width} />
				))}
				{running.length > shownRunning.length ? <Text dimColor>… and {running.length - shownRunning.length} more running</Text> : null}
				{state && !view.outcome && pending.length > 0 && state.phase !== 'preflight' ? (
					<Text dimColor wrap="truncate-end">
						{plural(pending.length, 'step')} to go; next: {visible(pending[0]!.label)}
					</Text>
				) : null}
				{state && state.clockStartedAtMs !== undefined && !view.outcome ? <RollbackCountdown state={state} nowMs={now} color={color} columns={width} /> : null}
				{state && running.length > 0 && state.tail.length > 0 && tailLines > 0 ? (
					<Box flexDirection="column" marginLeft={2}>
						{state.tail.slice(-tailLines).map((line, index) => (
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
			{/* Below a short run, the rest of the window stays empty (the rows start at the top). */}
			<Box flexGrow={1} />
		</Box>
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
				{wrapLines([first], width, {breakLongWords: true}).join('\n')}
			</Text>
			{wrapLines(rest, width, {breakLongWords: true}).map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
		</Box>
	);
}

/** A row of the run: a notice, a Ctrl-C note or a finished step (the preview was the question's pane; the header is pinned). */
// Memoised: the store only appends items, so a clock tick or an output line redraws none of the finished rows.
const TranscriptLine = memo(function TranscriptLine({item, color, width}: {item: TranscriptItem; color: boolean; width: number}) {
	switch (item.kind) {
		case 'header':
		case 'preview':
			return null;
		case 'notice':
			return (
				<Text bold color={color ? 'yellow' : undefined}>
					{wrapLines([`!! ${visible(item.text)}`], width, {breakLongWords: true}).join('\n')}
				</Text>
			);
		case 'info':
			return <Text color={color ? 'yellow' : undefined}>{wrapLines([visible(item.text)], width, {breakLongWords: true}).join('\n')}</Text>;
		case 'step':
			return <RollbackStepRow step={item.step} color={color} animate={false} width={width} />;
	}
});

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
