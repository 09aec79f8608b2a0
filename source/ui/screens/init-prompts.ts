/**
 * `init` in a terminal: line-by-line questions, as `author --plain`. The questions, defaults and
 * validation live here once; the Prompter given decides how each is shown and read (@inquirer/prompts
 * in a terminal that moves a cursor, bare lines under TERM=dumb; see ../prompts/). Ink never loads
 * and nothing else reads the keyboard meanwhile. Every detected name shown goes through the
 * sanitizer; typed answers have hidden characters stripped.
 */
import {serviceNameOfUnit} from '../../core/init/choices.js';
import type {InitChoices, InitService} from '../../core/init/render.js';
import {stripHidden, visible} from '../../core/text/sanitize.js';
import type {Detection} from '../../io/init-detect.js';
import {isPromptExit, type Prompter} from '../prompts/prompter.js';

export interface InitPromptOptions {
	detection: Detection;
	/** What the flags and the detection already give; the questions start from it. */
	choices: InitChoices;
	target: string;
	/** The target exists and --force was not given: ask before replacing it. */
	exists: boolean;
	/** How questions are asked; closed when the questions end. */
	prompts: Prompter;
	output: NodeJS.WritableStream;
}

/** The answers, or undefined when the user pressed Ctrl-C or declined to replace the file. */
export async function askInitChoices(options: InitPromptOptions): Promise<{choices: InitChoices; overwrite: boolean} | undefined> {
	try {
		return await ask(options);
	} catch (error) {
		if (isPromptExit(error)) return undefined;
		throw error;
	} finally {
		options.prompts.close();
	}
}

async function ask(options: InitPromptOptions): Promise<{choices: InitChoices; overwrite: boolean} | undefined> {
	const {detection, prompts} = options;
	const say = (text: string) => void options.output.write(`${visible(text)}\n`);
	const typed = (value: string) => stripHidden(value).trim();
	// A prompt with a default gives the default for an empty answer, so "-" is the way to say "none".
	const orNone = (value: string) => (typed(value) === '-' ? '' : typed(value));
	let overwrite = false;
	if (options.exists) {
		overwrite = await prompts.confirm({message: `${visible(options.target)} exists. Replace it (a backup is kept)?`, default: false});
		if (!overwrite) return undefined;
	}
	say(`cavra-rollback init: a config for this machine, saved to ${options.target}`);
	for (const note of detection.notes) say(`  ${note}`);

	const envChoices = options.choices.envFiles.map(file => {
		const found = detection.envFiles.find(entry => entry.path === file);
		return {value: file, name: visible(file), description: found ? `mode now ${visible(found.mode)}` : 'from --mode-file', checked: true};
	});
	let envFiles: string[] = envChoices.length === 0 ? [] : await prompts.checkbox({message: 'Env files a rollback sets CAVRA_GO_BACKEND_MODE=disabled in', choices: envChoices});
	const extraEnv = typed(await prompts.input({message: envFiles.length === 0 ? 'Env file holding CAVRA_GO_BACKEND_MODE (empty: none)' : 'Another env file (empty: none)'}));
	if (extraEnv) envFiles = [...envFiles, extraEnv];

	const serviceChoices = options.choices.services.map(service => ({value: service, name: `${visible(service.name)} (${service.kind})`, checked: true}));
	for (const unit of detection.systemdUnits) {
		if (!options.choices.services.some(service => service.kind === 'systemd' && service.unit === unit.unit)) {
			serviceChoices.push({value: {kind: 'systemd', name: serviceNameOfUnit(unit.unit), unit: unit.unit}, name: `${visible(unit.unit)} (systemd)`, checked: false});
		}
	}
	for (const name of detection.pm2Processes ?? []) {
		if (!options.choices.services.some(service => service.kind === 'pm2' && service.process === name)) {
			serviceChoices.push({value: {kind: 'pm2', name, process: name}, name: `${visible(name)} (pm2)`, checked: false});
		}
	}
	const services: InitService[] = serviceChoices.length === 0 ? [] : await prompts.checkbox({message: 'Services a rollback restarts', choices: serviceChoices});
	const kubeContext = options.choices.kubeContext;
	if (kubeContext !== undefined && !services.some(service => service.kind === 'kubernetes')) {
		const deployment = typed(await prompts.input({message: `Kubernetes deployment to restart in context ${visible(kubeContext)} (empty: none)`}));
		if (deployment) {
			const namespace = typed(await prompts.input({message: 'Its namespace (empty: the context default)'}));
			services.push({kind: 'kubernetes', name: deployment, deployment, context: kubeContext, ...(namespace && {namespace})});
		}
	}

	const plan = orNone(await prompts.input({message: 'Rollback plan file ("-" or empty: leave it unset)', default: options.choices.plan ?? ''}));
	const apiUrl = orNone(await prompts.input({message: 'CAVRA\'s API URL ("-": none)', default: options.choices.api?.url ?? 'http://127.0.0.1:8000'}));
	let tokenEnv = options.choices.api?.tokenEnv;
	if (apiUrl) {
		tokenEnv = orNone(await prompts.input({message: 'Name of the variable holding the API token ("-": none)', default: tokenEnv ?? 'CAVRA_API_TOKEN', validate: value => /^(-|[A-Za-z_][A-Za-z0-9_]*)?$/.test(value.trim()) || 'a variable NAME such as CAVRA_API_TOKEN, never the token itself'})) || undefined;
	}
	const {plan: _plan, api: _api, ...rest} = options.choices;
	return {
		overwrite,
		choices: {
			...rest,
			envFiles,
			services,
			...(plan && {plan}),
			...(apiUrl && {api: {url: apiUrl, ...(tokenEnv !== undefined && {tokenEnv})}}),
		},
	};
}
