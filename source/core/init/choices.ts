/**
 * From what `init` detected and what the flags say to the config it writes. Pure.
 * Flags win over detection; detection only adds what clearly belongs to CAVRA: env files that set
 * CAVRA_GO_BACKEND_MODE and the systemd units reading them. pm2 processes and a kube context are
 * only suggested (a pm2 list or a cluster is not CAVRA's alone), unless named by a flag.
 */
import type {InitChoices, InitService} from './render.js';

export interface InitFlags {
	plan?: string;
	envFile: string[];
	systemd: string[];
	pm2: string[];
	kubeDeployment?: string;
	kubeNamespace?: string;
	kubeContext?: string;
	apiUrl?: string;
	tokenEnv?: string;
	evidenceDir?: string;
	/** --no-detect: only what the flags say. */
	detect: boolean;
}

/** The subset of io/init-detect's Detection the choices need. */
export interface DetectedFacts {
	plan?: string;
	envFiles: ReadonlyArray<{path: string; mode: string; foundBy: readonly string[]}>;
	systemdUnits: ReadonlyArray<{unit: string; envFiles: readonly string[]; inlineMode: boolean}>;
	pm2Processes?: readonly string[];
	kubeContext?: string;
	notes: readonly string[];
}

export const EMPTY_DETECTION: DetectedFacts = {envFiles: [], systemdUnits: [], notes: []};

/** `cavra-api.service` → `cavra-api`. */
export function serviceNameOfUnit(unit: string): string {
	return unit.replace(/\.service$/, '') || unit;
}

export function detectionNotes(detected: DetectedFacts): string[] {
	const notes: string[] = [];
	for (const file of detected.envFiles) notes.push(`env file ${file.path} sets CAVRA_GO_BACKEND_MODE (now ${file.mode})${file.foundBy.some(by => by !== 'candidate') ? `, read by ${file.foundBy.filter(by => by !== 'candidate').join(', ')}` : ''}`);
	for (const unit of detected.systemdUnits) {
		if (unit.inlineMode) notes.push(`systemd unit ${unit.unit} sets CAVRA_GO_BACKEND_MODE with Environment=: a rollback's env file edit does not change it; edit the unit`);
	}
	if (detected.pm2Processes && detected.pm2Processes.length > 0) notes.push(`pm2 processes: ${detected.pm2Processes.join(', ')} (add one with --pm2 NAME)`);
	if (detected.kubeContext !== undefined) notes.push(`kube context: ${detected.kubeContext} (add a deployment with --kube-deployment NAME)`);
	if (detected.plan !== undefined) notes.push(`plan: ${detected.plan}`);
	return [...notes, ...detected.notes];
}

export function initialChoices(detected: DetectedFacts, flags: InitFlags): InitChoices {
	const found = flags.detect ? detected : EMPTY_DETECTION;
	const envFiles = unique([...flags.envFile, ...found.envFiles.map(file => file.path)]);
	const services: InitService[] = [];
	const names = new Set<string>();
	const add = (service: InitService) => {
		let name = service.name;
		for (let n = 2; names.has(name); n++) name = `${service.name}-${n}`;
		names.add(name);
		services.push({...service, name});
	};
	const units = unique([...flags.systemd, ...found.systemdUnits.filter(unit => unit.envFiles.length > 0).map(unit => unit.unit)]);
	for (const unit of units) add({kind: 'systemd', name: serviceNameOfUnit(unit), unit});
	for (const process of unique(flags.pm2)) add({kind: 'pm2', name: process, process});
	const kubeContext = flags.kubeContext ?? found.kubeContext;
	if (flags.kubeDeployment !== undefined) {
		add({
			kind: 'kubernetes',
			name: flags.kubeDeployment,
			deployment: flags.kubeDeployment,
			...(flags.kubeNamespace !== undefined && {namespace: flags.kubeNamespace}),
			...(kubeContext !== undefined && {context: kubeContext}),
		});
	}
	const plan = flags.plan ?? found.plan;
	return {
		...(plan !== undefined && {plan}),
		envFiles,
		services,
		...(flags.apiUrl !== undefined && {api: {url: flags.apiUrl, ...(flags.tokenEnv !== undefined && {tokenEnv: flags.tokenEnv})}}),
		...(flags.evidenceDir !== undefined && {evidenceDir: flags.evidenceDir}),
		...(kubeContext !== undefined && {kubeContext}),
		notes: flags.detect ? detectionNotes(detected) : [],
	};
}

function unique(values: readonly string[]): string[] {
	return [...new Set(values)];
}
