import {Box} from 'ink';
import {Text} from '../../components/text.js';
import {SelectList} from '../../components/select-list.js';
import Spinner from 'ink-spinner';
import type {SaveDecision} from '../../../core/author/save-decision.js';
import {draftSummary, nextStepLines} from '../../../core/author/save-decision.js';
import type {WizardAction, WizardState} from '../../../core/author/wizard.js';
import {AuthorKeyHints} from '../../components/author-key-hints.js';

export interface SaveStepProps {
	state: WizardState;
	dispatch: (action: WizardAction) => void;
	decision: SaveDecision;
	target: string;
	active: boolean;
	/** Spinners animate in a terminal; tests turn them off for stable frames. */
	animate: boolean;
}

export function SaveStep({state, dispatch, decision, target, active, animate}: SaveStepProps) {
	const save = state.save;
	switch (save.phase) {
		case 'choose': {
			const items = decision.readyAllowed
				? [
						{key: 'ready', label: 'Save as ready (status "ready")', value: 'ready'},
						{key: 'draft', label: 'Save as a draft (status "draft")', value: 'draft'},
						{key: 'back', label: 'Back to review', value: 'back'},
					]
				: [
						{key: 'draft', label: 'Save as a draft (status "draft")', value: 'draft'},
						{key: 'back', label: 'Back to fix them', value: 'back'},
					];
			return (
				<Box flexDirection="column">
					<Text>
						Save to <Text bold>{target}</Text>
					</Text>
					{decision.readyAllowed ? (
						<Text color="green">✔ No errors: the plan can be recorded as ready.</Text>
					) : (
						<Box flexDirection="column">
							<Text color="red" wrap="wrap">
								✖ {draftSummary(decision)}. What remains:
							</Text>
							{decision.remaining.map((line, index) => (
								<Text key={index} color="red" wrap="wrap">
									{'  - '}
									{line}
								</Text>
							))}
						</Box>
					)}
					<Box marginTop={1}>
						<SelectList
							items={items}
							isFocused={active}
							onSelect={item => {
								if (item.value === 'back') dispatch({type: 'back'});
								else dispatch({type: 'save-start', status: item.value === 'ready' ? 'ready' : 'draft'});
							}}
						/>
					</Box>
					<AuthorKeyHints hints={['↑/↓ move', 'enter choose', 'esc back', 'ctrl+c quit']} />
				</Box>
			);
		}
		case 'checking':
		case 'saving':
			return (
				<Text>
					{animate ? <Spinner type="dots" /> : '…'} {save.phase === 'checking' ? 'Checking' : 'Saving'} {target}
				</Text>
			);
		case 'confirm-overwrite':
			return (
				<Box flexDirection="column">
					<Text color="yellow" wrap="wrap">
						{target} already exists. Overwrite it? The current file is kept as a backup next to it.
					</Text>
					<SelectList
						items={[
							{key: 'no', label: 'No, go back', value: 'no'},
							{key: 'yes', label: `Yes, overwrite (save as ${save.status})`, value: 'yes'},
						]}
						isFocused={active}
						onSelect={item => dispatch(item.value === 'yes' ? {type: 'save-overwrite'} : {type: 'save-back'})}
					/>
					<AuthorKeyHints hints={['↑/↓ move', 'enter choose', 'esc back']} />
				</Box>
			);
		case 'saved':
			return (
				<Box flexDirection="column">
					<Text color="green">
						✔ Saved {save.path} (status "{save.status}")
					</Text>
					{save.backupPath ? <Text dimColor>previous version kept at {save.backupPath}</Text> : null}
					{save.status === 'draft' ? <Text color="yellow">It is a draft: CAVRA reports needs_attention until it is saved as ready.</Text> : null}
					{nextStepLines(save.path).map(line => (
						<Text key={line} dimColor>
							{line}
						</Text>
					))}
				</Box>
			);
		case 'failed':
			return (
				<Box flexDirection="column">
					<Text color="red" wrap="wrap">
						✖ Not saved: {save.message}
					</Text>
					<Text dimColor>The file on disk was not changed.</Text>
					<SelectList
						items={[
							{key: 'retry', label: 'Try again', value: 'retry'},
							{key: 'back', label: 'Back', value: 'back'},
						]}
						isFocused={active}
						onSelect={item => dispatch(item.value === 'retry' ? {type: 'save-start', status: save.status} : {type: 'save-back'})}
					/>
				</Box>
			);
	}
}
