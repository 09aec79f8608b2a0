import {ExitCode} from '../core/exit-codes.js';
import {listTemplates, readTemplate} from '../io/templates.js';
import {fitToWidth} from '../io/terminal.js';
import {createCommand, parseCommand} from './command-kit.js';
import type {CommandRun} from './context.js';

export const run: CommandRun = async context => {
	const command = createCommand('templates', context)
		.description('List the plan templates, or print one to start a plan from.')
		.argument('[name]', 'print this template (e.g. standard)')
		.option('--json', 'list as JSON: [{"name", "description"}]')
		.addHelpText('after', '\nExample: cavra-rollback templates api-service > /etc/cavra/go-backend-rollback-plan.json');
	parseCommand(command, context);
	const [name] = command.args;
	const {json} = command.opts<{json?: boolean}>();

	if (name !== undefined) {
		const {text} = await readTemplate(name);
		context.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
		return ExitCode.ok;
	}
	const templates = await listTemplates();
	if (json) {
		context.stdout.write(`${JSON.stringify(templates.map(({name: n, description}) => ({name: n, description})), null, 2)}\n`);
		return ExitCode.ok;
	}
	const width = Math.max(0, ...templates.map(template => template.name.length));
	const list = templates.map(template => `${template.name.padEnd(width)}  ${template.description}\n`).join('');
	// A description that does not fit continues under itself, not under the names.
	context.stdout.write(await fitToWidth(list, context.stdout, context.env, {hanging: width + 2}));
	return ExitCode.ok;
};
