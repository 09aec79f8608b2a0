import {
	array,
	boolean,
	dynamic,
	enums,
	integer,
	literal,
	nonempty,
	number,
	object,
	optional,
	refine,
	string,
	type,
	type Infer,
	union,
	type Struct,
	size,
} from '../superstruct.js';
import {MAX_REQUEST_TIMEOUT_MS, MAX_RESTART_TIMEOUT_MS, MAX_TIMER_MS} from './limits.js';

/**
 * The configuration file (`.cavrarc`, `.cavrarc.json|yaml`, package.json "cavra", or --config).
 * Every key is documented in `.cavrarc.example`; keep the two in step.
 */

export const backendModes = ['disabled', 'shadow', 'enforce', 'promoted'] as const;
export type BackendMode = (typeof backendModes)[number];

const path = nonempty(string());
const positiveNumber = refine(number(), 'positive number', value => Number.isFinite(value) && value > 0 || 'expected a positive number');

export {MAX_TIMER_MS, MAX_REQUEST_TIMEOUT_MS, MAX_RESTART_TIMEOUT_MS} from './limits.js';
const timeoutMs = (ceiling: number, ceilingWords: string) =>
	refine(integer(), 'timeout', value =>
		(value >= 1 && value <= Math.min(ceiling, MAX_TIMER_MS)) || `must be a whole number of milliseconds from 1 to ${ceiling} (${ceilingWords})`,
	);
const requestTimeout = timeoutMs(MAX_REQUEST_TIMEOUT_MS, '10 minutes');
const restartTimeout = timeoutMs(MAX_RESTART_TIMEOUT_MS, '1 hour');

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * A value that becomes a command-line argument of a service manager (systemctl, kubectl, launchctl,
 * pm2): a leading "-" would be read as an option (`unit: --help`, `context: --kubeconfig=/tmp/x`).
 */
const argument = refine(nonempty(string()), 'argument', value => {
	if (value.startsWith('-')) return 'must not start with "-" (it would be read as an option by the service manager)';
	return !CONTROL.test(value) || 'must not contain control characters';
});
const argv = refine(size(array(nonempty(string())), 1, Infinity), 'argv', value => {
	if (value[0]!.startsWith('-')) return 'the program (first item) must not start with "-"; name the executable first';
	return !value.some(item => CONTROL.test(item)) || 'items must not contain control characters';
});

const envName = refine(string(), 'env var name', value => /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || 'expected an environment variable name such as AWS_PROFILE');

const httpUrl = refine(string(), 'http(s) URL', value => {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'expected an http:// or https:// URL';
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'expected an http:// or https:// URL';
	if (url.username || url.password) return 'must not contain a user name or password (put the token in the variable named by api.tokenEnv)';
	if (url.hash || value.includes('#')) return 'must not contain a #fragment';
	return true;
});

export const VerifyStruct = object({
	/** Polled until the service answers with `mode: <expectMode>` (CAVRA's rollback-readiness endpoint). */
	url: httpUrl,
	expectMode: optional(enums(backendModes)),
	/** Per-request timeout. */
	timeoutMs: optional(requestTimeout),
});

const serviceCommon = {
	name: nonempty(string()),
	/** Services sharing a group restart in parallel; groups run in config order. */
	group: optional(nonempty(string())),
	verify: optional(VerifyStruct),
	/** Restart command timeout. */
	timeoutMs: optional(restartTimeout),
	/** Names of the operator's variables the restart command needs besides PATH, HOME, locale, TZ and its manager's own (docs/rollback.md). */
	passEnv: optional(array(envName)),
};

/**
 * Ansible fields may use host variables, and only as `{{ name }}` (a bare variable): no filters,
 * lookups, `{% %}` or `{# #}`, so a config value can never run code on the controller.
 */
const JINJA_PART = /\{\{|\}\}|\{%|%\}|\{#|#\}/;
function plainVariablesOnly(value: string): true | string {
	const rest = value.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, '');
	return !JINJA_PART.test(rest) || 'may use host variables only as {{ name }} (no filters, lookups or {% %})';
}
const ansibleText = refine(nonempty(string()), 'ansible value', value => {
	if (value.startsWith('-')) return 'must not start with "-" (it would be read as an option)';
	if (CONTROL.test(value)) return 'must not contain control characters';
	return plainVariablesOnly(value);
});
const ansibleArgv = refine(size(array(nonempty(string())), 1, Infinity), 'argv', value => {
	if (value[0]!.startsWith('-')) return 'the program (first item) must not start with "-"; name the executable first';
	if (value.some(item => CONTROL.test(item))) return 'items must not contain control characters';
	const bad = value.map(plainVariablesOnly).find(verdict => verdict !== true);
	return bad ?? true;
});
/** Ansible's `serial`: a batch size (whole number ≥ 1) or a share of the hosts ("25%"). */
const serial = refine(union([integer(), string()]), 'serial', value => {
	if (typeof value === 'number') return value >= 1 || 'must be a whole number of hosts ≥ 1 or a percentage such as "25%"';
	return /^(100|[1-9][0-9]?)%$/.test(value) || 'must be a whole number of hosts ≥ 1 or a percentage from 1% to 100% such as "25%"';
});
const ansibleUrl = refine(ansibleText, 'http(s) URL', value => {
	const shape = value.replace(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, 'x');
	if (!/^https?:\/\/[^\s/@#]+(\/[^\s#]*)?$/.test(shape)) return 'expected an http:// or https:// URL without user:password@ or #fragment (host variables allowed)';
	return true;
});

export const serviceStructs = {
	systemd: object({...serviceCommon, kind: literal('systemd'), unit: argument, user: optional(boolean())}),
	launchd: object({...serviceCommon, kind: literal('launchd'), label: argument, domain: optional(argument)}),
	kubernetes: object({
		...serviceCommon,
		kind: literal('kubernetes'),
		deployment: argument,
		namespace: optional(argument),
		container: optional(argument),
		context: optional(argument),
	}),
	pm2: object({...serviceCommon, kind: literal('pm2'), process: argument}),
	command: object({...serviceCommon, kind: literal('command'), restart: argv}),
	ansible: refine(object({
		name: serviceCommon.name,
		group: serviceCommon.group,
		timeoutMs: serviceCommon.timeoutMs,
		passEnv: serviceCommon.passEnv,
		kind: literal('ansible'),
		inventory: ansibleText,
		/** Ansible host pattern. */
		hosts: ansibleText,
		/** The env file on each host (host variables allowed). */
		envFile: ansibleText,
		/** argv run on each host (host variables allowed); or `systemd`. */
		restart: optional(ansibleArgv),
		systemd: optional(ansibleText),
		serial: optional(serial),
		/** Checked per host from the controller (host variables allowed). */
		verify: optional(object({url: ansibleUrl, expectMode: optional(enums(backendModes)), timeoutMs: optional(requestTimeout)})),
	}), 'restart or systemd', value => (value.restart === undefined) !== (value.systemd === undefined) || 'needs exactly one of restart (an argv list) or systemd (a unit name)'),
} as const;

export const serviceKinds = Object.keys(serviceStructs) as Array<keyof typeof serviceStructs>;

export const ServiceStruct = dynamic<ServiceConfig>(value => {
	const kind = (value as {kind?: unknown} | undefined)?.kind;
	if (typeof kind === 'string' && Object.hasOwn(serviceStructs, kind)) {
		return serviceStructs[kind as keyof typeof serviceStructs] as unknown as Struct<ServiceConfig>;
	}
	// Only `kind` is judged until it is known: the error is the list of kinds, not the kind's keys.
	return type({kind: enums(serviceKinds)}) as unknown as Struct<ServiceConfig>;
});

export type SystemdService = Infer<(typeof serviceStructs)['systemd']>;
export type LaunchdService = Infer<(typeof serviceStructs)['launchd']>;
export type KubernetesService = Infer<(typeof serviceStructs)['kubernetes']>;
export type Pm2Service = Infer<(typeof serviceStructs)['pm2']>;
export type CommandService = Infer<(typeof serviceStructs)['command']>;
export type AnsibleService = Infer<(typeof serviceStructs)['ansible']>;
export type ServiceConfig = SystemdService | LaunchdService | KubernetesService | Pm2Service | CommandService | AnsibleService;

export const ConfigStruct = object({
	/** The rollback plan; else $CAVRA_GO_ROLLBACK_PLAN. */
	plan: optional(path),
	rehearsalEvidence: optional(path),
	drillHistory: optional(path),
	drillSchedule: optional(path),
	drillMaxAgeDays: optional(positiveNumber),
	drillDueSoonDays: optional(positiveNumber),
	api: optional(
		object({
			url: httpUrl,
			/** Name of the environment variable holding the bearer token (never the token itself). */
			tokenEnv: optional(refine(string(), 'env var name', value => /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || 'expected an environment variable name such as CAVRA_API_TOKEN')),
			timeoutMs: optional(requestTimeout),
			/** Plain http:// to a non-loopback host is refused unless this is true. */
			allowInsecureHttp: optional(boolean()),
			/** Shown after a connection failure of api.url's origin: how to bring the API up (one line). */
			unreachableHint: optional(
				refine(nonempty(string()), 'hint', value => (value.length > 300 ? 'at most 300 characters' : CONTROL.test(value) ? 'must be one line without control characters' : true)),
			),
		}),
	),
	mode: optional(
		object({
			/** Files where CAVRA_GO_BACKEND_MODE lives (KEY=VALUE env files). */
			envFiles: optional(array(path)),
		}),
	),
	services: optional(array(ServiceStruct)),
	/** CAVRA's promotion evidence file (`evidence attach` links plan, approval and bundle into it). */
	promotionEvidence: optional(path),
	evidence: optional(
		object({
			dir: optional(path),
			/** SSH private key for `ssh-keygen -Y sign`; `~` is the home folder. */
			signingKey: optional(path),
			/** The principal the signature is made as (ssh-keygen -I). */
			signer: optional(refine(nonempty(string()), 'principal', value => !CONTROL.test(value) || 'must not contain control characters')),
			/** allowed_signers file for `ssh-keygen -Y verify`. */
			allowedSigners: optional(path),
		}),
	),
	lint: optional(
		object({
			/** Reviewed exceptions, by rule and fingerprint, never by raw value. */
			allow: optional(
				array(
					object({
						rule: nonempty(string()),
						fingerprint: refine(string(), 'fingerprint', value => /^[0-9a-f]{16}$/.test(value) || 'expected a 16-character hex fingerprint as printed by lint'),
						reason: optional(string()),
					}),
				),
			),
		}),
	),
});

export type CavraConfig = Infer<typeof ConfigStruct>;
