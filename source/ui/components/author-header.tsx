import {Box} from 'ink';
import {Text} from './text.js';
import {STEP_TITLES, stepIndex, WIZARD_STEPS, type WizardStep} from '../../core/author/wizard.js';

/** Where the plan goes and where you are in the wizard. */
export function AuthorHeader({target, step}: {target: string; step: WizardStep}) {
	const current = stepIndex(step);
	return (
		<Box flexDirection="column" marginBottom={1}>
			<Text>
				<Text bold>cavra-rollback author</Text>
				<Text dimColor> → {target}</Text>
			</Text>
			<Text wrap="truncate-end">
				{WIZARD_STEPS.map((id, index) => (
					<Text key={id}>
						{index > 0 ? <Text dimColor> › </Text> : null}
						{index === current ? (
							<Text bold color="cyan">
								{STEP_TITLES[id]}
							</Text>
						) : (
							<Text dimColor={index > current}>{STEP_TITLES[id]}</Text>
						)}
					</Text>
				))}
			</Text>
		</Box>
	);
}
