import {
	array,
	boolean,
	dynamic,
	enums,
	integer,
	literal,
	min,
	nonempty,
	number,
	object,
	optional,
	refine,
	string,
	type Infer,
	type Struct,
	size,
} from '../superstruct.js';

/**
 * The configuration file (`.cavrarc`, `.cavrarc.json|yaml`, package.json "cavra", or --config).
 * Every key is documented in `.cavrarc.example`; keep the two in step.
 */

export const backendModes = ['disabled', 'shadow', 'enforce', 'promoted'] as const;
export type BackendMode = (typeof backendModes)[number];

const path = nonempty(string());
const argv = size(array(nonempty(string())), 1, Infinity);
const positiveNumber = refine(number(), 'positive number', value => Number.isFinite(value) && value > 0 || 'expected a positive number');
const httpUrl = refine(string(), 'http(s) URL', value => {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:' || 'expected an http:// or https:// URL';
	} catch {
		return 'expected an http:// or https:// URL';
	}
});

export const VerifyStruct = object({
	/** Polled until the service answers with `mode: <expectMode>` (CAVRA's rollback-readiness endpoint). */
	url: httpUrl,
	expectMode: optional(enums(backendModes)),
	/** Per-request timeout. */
	timeoutMs: optional(min(integer(), 1)),
});

const serviceCommon = {
	name: nonempty(string()),
	/** Services sharing a group restart in parallel; groups run in config order. */
	group: optional(nonempty(string())),
	verify: optional(VerifyStruct),
	/** Restart command timeout. */
	timeoutMs: optional(min(integer(), 1)),
};

export const serviceStructs = {
	systemd: object({...serviceCommon, kind: literal('systemd'), unit: nonempty(string()), user: optional(boolean())}),
	launchd: object({...serviceCommon, kind: literal('launchd'), label: nonempty(string()), domain: optional(nonempty(string()))}),
	kubernetes: object({
		...serviceCommon,
		kind: literal('kubernetes'),
		deployment: nonempty(string()),
		namespace: optional(nonempty(string())),
		container: optional(nonempty(string())),
		context: optional(nonempty(string())),
	}),
	pm2: object({...serviceCommon, kind: literal('pm2'), process: nonempty(string())}),
	command: object({...serviceCommon, kind: literal('command'), restart: argv}),
} as const;

export const serviceKinds = Object.keys(serviceStructs) as Array<keyof typeof serviceStructs>;

export const ServiceStruct = dynamic<ServiceConfig>(value => {
	const kind = (value as {kind?: unknown} | undefined)?.kind;
	if (typeof kind === 'string' && Object.hasOwn(serviceStructs, kind)) {
		return serviceStructs[kind as keyof typeof serviceStructs] as unknown as Struct<ServiceConfig>;
	}
	return object({kind: enums(serviceKinds)}) as unknown as Struct<ServiceConfig>;
});

export type SystemdService = Infer<(typeof serviceStructs)['systemd']>;
export type LaunchdService = Infer<(typeof serviceStructs)['launchd']>;
export type KubernetesService = Infer<(typeof serviceStructs)['kubernetes']>;
export type Pm2Service = Infer<(typeof serviceStructs)['pm2']>;
export type CommandService = Infer<(typeof serviceStructs)['command']>;
export type ServiceConfig = SystemdService | LaunchdService | KubernetesService | Pm2Service | CommandService;

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
			timeoutMs: optional(min(integer(), 1)),
			/** Plain http:// to a non-loopback host is refused unless this is true. */
			allowInsecureHttp: optional(boolean()),
		}),
	),
	mode: optional(
		object({
			/** Files where CAVRA_GO_BACKEND_MODE lives (KEY=VALUE env files). */
			envFiles: optional(array(path)),
		}),
	),
	services: optional(array(ServiceStruct)),
	evidence: optional(object({dir: optional(path)})),
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
