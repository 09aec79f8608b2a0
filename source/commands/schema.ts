import {ExitCode} from '../core/exit-codes.js';
import {planJsonSchema} from '../core/plan/json-schema.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandRun} from './context.js';

export const run: CommandRun = async context => {
	const command = createCommand('schema', context)
		.description("Print the rollback plan's JSON Schema (draft 2020-12), for editors and CI validators.")
		.addHelpText('after', '\nSave it and point a plan at it: cavra-rollback schema > plan.schema.json, then "$schema": "./plan.schema.json".');
	parseCommand(command, context);
	context.stdout.write(`${JSON.stringify(planJsonSchema(), null, 2)}\n`);
	return ExitCode.ok;
};
