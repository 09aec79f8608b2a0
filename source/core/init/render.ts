/**
 * `init`: the commented `.cavrarc.yaml` it writes. Pure: choices in, YAML text out.
 *
 * Every value came from this machine (file names, unit names, a kube context) or from the user, so
 * each is emitted by the yaml library as a double-quoted scalar: no value can close a quote, start
 * a comment, add a key or change the structure. Values with hidden characters never get here
 * (io/init-detect.ts skips them, flags refuse them).
 */
import {stringify} from 'yaml';

export type InitService =
	| {kind: 'systemd'; name: string; unit: string}
	| {kind: 'pm2'; name: string; process: string}
	| {kind: 'kubernetes'; name: string; deployment: string; namespace?: string; context?: string};

export interface InitChoices {
	plan?: string;
	envFiles: readonly string[];
	services: readonly InitService[];
	api?: {url: string; tokenEnv?: string};
	evidenceDir?: string;
	/** Shown as a commented example when no kubernetes service was chosen. */
	kubeContext?: string;
	/** One line each, in the header: what was detected and where. */
	notes: readonly string[];
}

/** A YAML scalar that is exactly `value`, whatever it holds. */
export function yamlScalar(value: string): string {
	return stringify(value, {defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0}).trimEnd();
}

/** A comment line; a note quotes detected names, so line breaks in it cannot start a key. */
function comment(text: string): string {
	return `# ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;
}

export function renderInitConfig(choices: InitChoices, generatedAt?: Date): string {
	const lines: string[] = [
		'# cavra-rollback configuration, written by `cavra-rollback init`' + (generatedAt ? ` on ${generatedAt.toISOString().slice(0, 10)}` : '') + '.',
		'# Every key is optional; all of them are described in .cavrarc.example and docs/configuration.md.',
		'# Relative paths are resolved against the folder of this file; ~/ is the home folder.',
		'# Check it with: cavra-rollback readiness --config <this file>',
	];
	if (choices.notes.length > 0) lines.push('#', '# Found on this machine:', ...choices.notes.map(note => comment(`  ${note}`)));
	lines.push('');

	lines.push("# The public rollback plan (cavra.go-backend-rollback-plan.v1); default: $CAVRA_GO_ROLLBACK_PLAN.");
	lines.push('# Used by lint (no FILE), readiness, dashboard, author and rollback. Create one: cavra-rollback author');
	lines.push(choices.plan === undefined ? '# plan: /etc/cavra/go-backend-rollback-plan.json' : `plan: ${yamlScalar(choices.plan)}`);
	lines.push('');

	lines.push('# KEY=VALUE env files where CAVRA_GO_BACKEND_MODE lives (systemd EnvironmentFile, dotenv, sourced');
	lines.push('# shell). A rollback sets CAVRA_GO_BACKEND_MODE=disabled in each, keeping a backup.');
	if (choices.envFiles.length === 0) lines.push('# mode:', '#   envFiles: [/etc/cavra/cavra.env]');
	else lines.push('mode:', '  envFiles:', ...choices.envFiles.map(file => `    - ${yamlScalar(file)}`));
	lines.push('');

	lines.push('# The services a rollback restarts, in order, after the env files are changed (kinds: systemd,');
	lines.push('# pm2, kubernetes, launchd, command, ansible; see .cavrarc.example). Add `verify: {url: ...}` to');
	lines.push("# poll a service's rollback-readiness endpoint until it reports mode disabled.");
	if (choices.services.length === 0) {
		lines.push('# services:', '#   - name: api', '#     kind: systemd', '#     unit: cavra-api.service');
	} else {
		lines.push('services:', ...choices.services.flatMap(serviceLines));
	}
	if (!choices.services.some(service => service.kind === 'kubernetes') && choices.kubeContext !== undefined) {
		lines.push('# A kubernetes deployment in the current kube context (fill in the deployment and namespace):');
		lines.push('#   - name: api-cluster', '#     kind: kubernetes', '#     deployment: cavra-api', '#     namespace: cavra', comment(`    context: ${yamlScalar(choices.kubeContext)}`));
	}
	lines.push('');

	lines.push("# CAVRA's HTTP API (dashboard, rollback before/after reports). tokenEnv is the NAME of the variable");
	lines.push('# holding the bearer token, never the token. Plain http:// only to a loopback address.');
	if (choices.api === undefined) {
		lines.push('# api:', '#   url: "http://127.0.0.1:8000"', '#   tokenEnv: CAVRA_API_TOKEN');
	} else {
		lines.push('api:', `  url: ${yamlScalar(choices.api.url)}`);
		if (choices.api.tokenEnv !== undefined) lines.push(`  tokenEnv: ${yamlScalar(choices.api.tokenEnv)}`);
	}
	lines.push('');

	lines.push('# Where rollback evidence bundles go (journal, reports, file hashes); default: ./cavra-evidence (of the working folder).');
	lines.push('# Sign them with evidence.signingKey (an SSH key) and evidence.signer; see docs/evidence.md.');
	lines.push(choices.evidenceDir === undefined ? '# evidence:\n#   dir: /var/lib/cavra-rollback/evidence' : `evidence:\n  dir: ${yamlScalar(choices.evidenceDir)}`);
	return `${lines.join('\n')}\n`;
}

function serviceLines(service: InitService): string[] {
	const head = [`  - name: ${yamlScalar(service.name)}`, `    kind: ${service.kind}`];
	switch (service.kind) {
		case 'systemd':
			return [...head.map((line, index) => (index === 1 ? `${line}                 # systemctl restart UNIT` : line)), `    unit: ${yamlScalar(service.unit)}`];
		case 'pm2':
			return [...head.map((line, index) => (index === 1 ? `${line}                      # pm2 restart NAME --update-env` : line)), `    process: ${yamlScalar(service.process)}`];
		case 'kubernetes':
			return [
				...head.map((line, index) => (index === 1 ? `${line}               # kubectl set env + rollout status` : line)),
				`    deployment: ${yamlScalar(service.deployment)}`,
				...(service.namespace === undefined ? [] : [`    namespace: ${yamlScalar(service.namespace)}`]),
				...(service.context === undefined ? [] : [`    context: ${yamlScalar(service.context)}`]),
			];
	}
}
