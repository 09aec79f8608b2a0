import type {RuleMeta, Severity} from '../finding.js';

/**
 * The public-safety rule catalogue: stable ids, what each finding says and how to fix it.
 * Messages are fixed text chosen here, never built from the scanned value, so no detector can
 * leak what it matched through a message.
 */

export type RuleClass = 'secret' | 'endpoint' | 'personal';

interface RuleSpec {
	klass: RuleClass;
	title: string;
	/** Completes "this value holds what looks like …". */
	what: string;
	/** The fix, appended after the description. */
	fix: string;
	/**
	 * Specific rules win over generic ones of the same class on an overlapping span: a GitHub token
	 * after `token=` is reported as a GitHub token, once; digits inside a checksum-valid IBAN are
	 * not also a phone number.
	 */
	specific?: boolean;
	severity?: Severity;
}

const byName = (name: string) => `remove it and reference it by name instead, e.g. \${${name}}; if it was ever shared, rotate it`;

const SPECS = {
	'aws-access-key': {klass: 'secret', specific: true, title: 'AWS access key id', what: 'an AWS access key id', fix: byName('AWS_ACCESS_KEY_ID')},
	'aws-secret-key': {klass: 'secret', specific: true, title: 'AWS secret access key', what: 'an AWS secret access key', fix: byName('AWS_SECRET_ACCESS_KEY')},
	'github-token': {klass: 'secret', specific: true, title: 'GitHub token', what: 'a GitHub token', fix: byName('GITHUB_TOKEN')},
	'gitlab-token': {klass: 'secret', specific: true, title: 'GitLab token', what: 'a GitLab token', fix: byName('GITLAB_TOKEN')},
	'npm-token': {klass: 'secret', specific: true, title: 'npm access token', what: 'an npm access token', fix: byName('NPM_TOKEN')},
	'slack-token': {klass: 'secret', specific: true, title: 'Slack token', what: 'a Slack token', fix: byName('SLACK_TOKEN')},
	'slack-webhook': {klass: 'secret', specific: true, title: 'Slack webhook URL', what: 'a Slack webhook URL (the URL itself is the credential)', fix: byName('SLACK_WEBHOOK_URL')},
	'stripe-key': {klass: 'secret', specific: true, title: 'Stripe secret or restricted key', what: 'a Stripe secret key', fix: byName('STRIPE_SECRET_KEY')},
	'openai-key': {klass: 'secret', specific: true, title: 'OpenAI-style API key (sk-…)', what: 'an OpenAI-style API key', fix: byName('OPENAI_API_KEY')},
	'anthropic-key': {klass: 'secret', specific: true, title: 'Anthropic API key', what: 'an Anthropic API key', fix: byName('ANTHROPIC_API_KEY')},
	'google-api-key': {klass: 'secret', specific: true, title: 'Google API key', what: 'a Google API key', fix: byName('GOOGLE_API_KEY')},
	'gcp-service-account-key': {klass: 'secret', specific: true, title: 'GCP service account key', what: 'a GCP service account key', fix: byName('GOOGLE_APPLICATION_CREDENTIALS')},
	'sendgrid-key': {klass: 'secret', specific: true, title: 'SendGrid API key', what: 'a SendGrid API key', fix: byName('SENDGRID_API_KEY')},
	'shopify-token': {klass: 'secret', specific: true, title: 'Shopify access token', what: 'a Shopify access token', fix: byName('SHOPIFY_ACCESS_TOKEN')},
	'linear-token': {klass: 'secret', specific: true, title: 'Linear API key', what: 'a Linear API key', fix: byName('LINEAR_API_KEY')},
	'onepassword-token': {klass: 'secret', specific: true, title: '1Password service account token', what: 'a 1Password service account token', fix: byName('OP_SERVICE_ACCOUNT_TOKEN')},
	'provider-token': {klass: 'secret', specific: true, title: 'Provider API token or key', what: 'a provider API token', fix: byName('API_TOKEN')},
	'vendor-secret': {klass: 'secret', specific: true, title: 'Provider secret assigned to a setting named after the provider', what: 'a provider secret', fix: byName('API_TOKEN')},
	'webhook-url': {klass: 'secret', specific: true, title: 'Webhook URL with its secret path', what: 'a webhook URL (the URL itself is the credential)', fix: byName('WEBHOOK_URL')},
	'encoded-secret': {klass: 'secret', title: 'Secret hidden in base64', what: 'a base64-encoded secret (it decodes to a credential)', fix: byName('API_TOKEN')},
	jwt: {klass: 'secret', specific: true, title: 'JSON Web Token', what: 'a JSON Web Token (a bearer credential that also carries claims)', fix: byName('AUTH_TOKEN')},
	'private-key': {klass: 'secret', specific: true, title: 'Private key block', what: 'a private key', fix: 'remove the key block and refer to the key file by path or secret name (e.g. /run/secrets/deploy_key); rotate the key if it was ever shared'},
	'authorization-header': {klass: 'secret', title: 'Authorization header with credentials', what: 'an Authorization header with a credential', fix: 'keep the header but reference the credential by name instead, e.g. "Authorization: Bearer ${API_TOKEN}"'},
	'credentials-in-url': {klass: 'secret', title: 'Credentials in URL', what: 'a URL with a password in it (user:password@host)', fix: 'drop the user:password@ part and pass credentials separately, e.g. from ${DB_PASSWORD}'},
	'secret-in-query': {klass: 'secret', title: 'Secret in URL query parameter', what: 'a credential in a URL query parameter (token, sig, key, password…)', fix: 'drop the parameter or reference the value by name instead, e.g. ?token=${API_TOKEN}'},
	'secret-assignment': {klass: 'secret', title: 'Secret value assigned to a password, token or key', what: 'a real secret assigned to a password, token or key setting', fix: byName('API_TOKEN')},
	'known-secret-value': {
		klass: 'secret',
		specific: true,
		title: 'A secret this machine holds',
		what: 'the value of a secret this machine holds (the API token named by api.tokenEnv, or a secret-named environment variable)',
		fix: 'remove it and reference it by name instead, e.g. ${CAVRA_API_TOKEN}; it was typed or pasted from a live secret, so rotate it if the plan was ever shared',
	},
	secret: {klass: 'secret', title: 'Secret (detected by secretlint)', what: 'a secret', fix: 'remove it and reference it by name instead, e.g. ${SECRET_NAME}; if it was ever shared, rotate it'},
	'private-ip': {klass: 'endpoint', title: 'Private or link-local IP address', what: 'a private network address', fix: 'public plans must not reveal internal addresses: name the service instead (e.g. "the API service") and keep the address in local config; documentation ranges such as 192.0.2.0/24 or 2001:db8::/32 are fine in examples'},
	'internal-hostname': {klass: 'endpoint', title: 'Internal DNS name', what: 'an internal host name (.internal, .corp, .local, .lan …)', fix: 'name the service instead (e.g. "the API service") and keep host names in local config; use example.com names in examples'},
	'private-endpoint': {klass: 'endpoint', title: 'Cloud private-link or VPC endpoint identifier', what: 'a cloud private-link or VPC endpoint identifier', fix: 'name the dependency instead (e.g. "the database endpoint") and keep endpoint ids in infrastructure config'},
	'cluster-local-service': {klass: 'endpoint', title: 'Kubernetes cluster-local service name', what: 'a Kubernetes cluster-local service name (.svc / .cluster.local)', fix: 'name the service instead (e.g. "the API deployment") and keep namespaces and service DNS names in cluster config'},
	email: {klass: 'personal', title: 'Email address', what: 'an email address', fix: 'plans are public: name a role or team instead (e.g. "the on-call engineer"), or use an example.com address in examples'},
	'phone-number': {klass: 'personal', title: 'Phone number', what: 'a phone number', fix: 'plans are public: name the role or the paging tool instead (e.g. "page the on-call engineer")'},
	'payment-card': {klass: 'personal', specific: true, title: 'Payment card number', what: 'a payment card number (Luhn-valid)', fix: 'remove it; card numbers never belong in a plan'},
	'bank-account': {klass: 'personal', specific: true, title: 'Bank account number', what: 'a bank account number (IBAN, routing or account number)', fix: 'remove it; account numbers never belong in a plan'},
	'customer-id': {klass: 'personal', title: 'Tenant or customer identifier', what: 'a tenant, customer or account identifier', fix: 'plans are public: describe the scope instead (e.g. "the affected tenant") and keep ids in the incident record'},
} satisfies Record<string, RuleSpec>;

export type RuleName = keyof typeof SPECS;
export type RuleId = `public-safety/${RuleName}`;

export const RULE_PREFIX = 'public-safety/';

export function ruleId(name: RuleName): RuleId {
	return `public-safety/${name}`;
}

/** By full id: looked up for every hit, so a token-dense plan should not slice an id each time. */
const SPEC_BY_ID = new Map<string, RuleSpec>((Object.keys(SPECS) as RuleName[]).map(name => [`${RULE_PREFIX}${name}`, SPECS[name]]));

function spec(id: RuleId): RuleSpec {
	return SPEC_BY_ID.get(id) ?? SPECS[id.slice(RULE_PREFIX.length) as RuleName];
}

export function ruleClass(id: RuleId): RuleClass {
	return spec(id).klass;
}

export function isSpecificRule(id: RuleId): boolean {
	return spec(id).specific === true;
}

export function ruleSeverity(id: RuleId): Severity {
	return spec(id).severity ?? 'error';
}

/**
 * The message for a hit. `what` lets a detector name a sub-case (e.g. "the cloud metadata
 * endpoint 169.254.169.254"); callers pass only constants, never scanned text.
 */
export function ruleMessage(id: RuleId, what?: string): string {
	const s = spec(id);
	return `this value holds what looks like ${what ?? s.what}; ${s.fix}`;
}

export const publicSafetyRules: RuleMeta[] = (Object.keys(SPECS) as RuleName[]).map(name => {
	const s: RuleSpec = SPECS[name];
	return {
		id: ruleId(name),
		category: 'public-safety',
		defaultSeverity: s.severity ?? 'error',
		title: s.title,
		help: `${s.fix[0]!.toUpperCase()}${s.fix.slice(1)}.`,
	};
});
