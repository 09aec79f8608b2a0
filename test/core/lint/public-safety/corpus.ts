import {ALNUM, BASE64, BASE64URL, DIGITS, UPPER_DIGITS, randomChars} from './fixtures.js';

/**
 * Our own recall/precision corpus. Positives follow the vendors' documented token formats (and
 * the assignment styles, encodings and evasions of issue 10), each with a synthetic random body
 * built at run time; negatives are look-alikes a plan legitimately contains. Prefixes are split
 * by concatenation so no scanner flags this file.
 */

export interface CorpusCase {
	category: string;
	name: string;
	/** The text to plant: a token, or a whole assignment when context is what makes it a secret. */
	text: string;
}

const HEX = 'abcdef0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_HEX = 'ABCDEF0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const B32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';

export function positives(seed = 1): CorpusCase[] {
	let salt = 0;
	const r = (n: number, alphabet = ALNUM) => randomChars(seed * 1009 + ++salt, n, alphabet);
	const uuid = () => `${r(8, HEX)}-${r(4, HEX)}-${r(4, HEX)}-${r(4, HEX)}-${r(12, HEX)}`;
	const out: CorpusCase[] = [];
	const add = (category: string, name: string, text: string) => out.push({category, name, text});
	const token = (name: string, text: string) => add('token', name, text);
	const keyed = (name: string, text: string) => add('keyed', name, text);

	// ------------------------------------------------------------ prefixed formats
	for (const p of ['AK' + 'IA', 'AS' + 'IA', 'AB' + 'IA', 'AC' + 'CA', 'AI' + 'DA', 'AR' + 'OA', 'AG' + 'PA', 'AN' + 'PA']) token(`aws ${p}`, p + r(16, UPPER_DIGITS));
	token('aws A3T', 'A3' + 'T' + r(17, UPPER_DIGITS));
	for (const p of ['gh' + 'p_', 'gh' + 'o_', 'gh' + 'u_', 'gh' + 's_', 'gh' + 'r_']) token(`github ${p}`, p + r(36));
	token('github fine-grained', 'github' + '_pat_' + r(22) + '_' + r(59));
	for (const p of ['glp' + 'at-', 'gld' + 't-', 'glr' + 't-', 'glso' + 'at-', 'glf' + 't-', 'glff' + 'ct-']) token(`gitlab ${p}`, p + r(20));
	token('gitlab glptt', 'glp' + 'tt-' + r(40, HEX));
	token('gitlab glimt', 'gli' + 'mt-' + r(25));
	token('gitlab glagent', 'glag' + 'ent-' + r(50));
	token('gitlab gloas', 'glo' + 'as-' + r(64));
	token('gitlab glcbt', 'glc' + 'bt-' + r(3) + '_' + r(20));
	token('gitlab runner registration', 'GR13' + '48941' + r(20));
	token('gitlab session cookie', '_gitlab_' + 'session=' + r(32, LOWER_ALNUM));
	token('npm', 'np' + 'm_' + r(36));
	token('slack bot', 'xo' + 'xb-' + r(12, DIGITS) + '-' + r(13, DIGITS) + '-' + r(24));
	token('slack user', 'xo' + 'xp-' + r(12, DIGITS) + '-' + r(12, DIGITS) + '-' + r(13, DIGITS) + '-' + r(32, HEX));
	token('slack app', 'xa' + 'pp-1-' + r(11, UPPER_DIGITS) + '-' + r(13, DIGITS) + '-' + r(64, HEX));
	token('slack config', 'xoxe.' + 'xoxp-1-' + r(163));
	token('slack webhook', 'https://hooks.sl' + 'ack.com/services/T' + r(10, UPPER_DIGITS) + '/B' + r(10, UPPER_DIGITS) + '/' + r(24));
	token('stripe live', 'sk' + '_live_' + r(24));
	token('stripe test', 'sk' + '_test_' + r(24));
	token('stripe restricted', 'rk' + '_live_' + r(24));
	token('stripe webhook secret', 'wh' + 'sec_' + r(32));
	token('openai', 'sk' + '-proj-' + r(58) + 'T3Blbk' + 'FJ' + r(58));
	token('openai legacy', 'sk' + '-' + r(20) + 'T3Blbk' + 'FJ' + r(20));
	token('anthropic', 'sk' + '-ant-api03-' + r(93, BASE64URL) + 'AA');
	token('anthropic admin', 'sk' + '-ant-admin01-' + r(93, BASE64URL) + 'AA');
	token('google api key', 'AI' + 'za' + r(35, BASE64URL));
	token('google oauth secret', 'GOC' + 'SPX-' + r(28));
	token('jwt', 'eyJhbGciOiJIUzI1NiJ9' + '.eyJ' + r(40, BASE64URL) + '.' + r(43, BASE64URL));
	token('jwt base64', Buffer.from('eyJhbGciOiJIUzI1NiJ9' + '.eyJ' + r(40, BASE64URL) + '.' + r(43, BASE64URL)).toString('base64'));
	token('1password service account', 'op' + 's_eyJ' + r(300, `${ALNUM}+/`));
	token('1password secret key', 'A3' + '-' + r(6, UPPER_DIGITS) + '-' + r(11, UPPER_DIGITS) + '-' + r(5, UPPER_DIGITS) + '-' + r(5, UPPER_DIGITS) + '-' + r(5, UPPER_DIGITS));
	token('adobe client secret', 'p8' + 'e-' + r(32));
	token('alibaba access key', 'LT' + 'AI' + r(20));
	token('atlassian api token', 'ATA' + 'TT3' + r(186, `${ALNUM}_-`));
	token('cloudflare origin ca', 'v1.' + '0-' + r(24, HEX) + '-' + r(146, HEX));
	token('discord webhook', 'https://discord.com/api/' + 'webhooks/' + r(18, DIGITS) + '/' + r(68, `${ALNUM}_-`));
	token('discord bot token', 'M' + r(23) + '.' + r(6) + '.' + r(27));
	token('easypost', 'EZ' + 'AK' + r(54));
	token('easypost test', 'EZ' + 'TK' + r(54));
	token('facebook page token', 'EA' + 'AM' + r(120));
	token('facebook user token', 'EA' + 'AB' + r(150));
	token('facebook app token', r(15, DIGITS) + '|' + r(27, `${ALNUM}_-`));
	token('notion', 'nt' + 'n_' + r(11, DIGITS) + r(35));
	token('notion legacy', 'sec' + 'ret_' + r(43));
	token('pypi', 'py' + 'pi-AgEIcHlwaS5vcmc' + r(70, `${ALNUM}_-`));
	token('sendgrid', 'S' + 'G.' + r(22) + '.' + r(43));
	token('sendgrid undotted body', 'S' + 'G.' + r(66, `${LOWER_ALNUM}=_-`));
	token('artifactory reference', 'cmV' + 'md' + r(59));
	token('stripe short body', 'sk' + '_test_' + r(12));
	token('sourcegraph', 'sg' + 'p_' + r(16, HEX) + '_' + r(40, HEX));
	token('sourcegraph short', 'sg' + 'p_' + r(40, HEX));
	token('telegram bot token', r(10, DIGITS) + ':AA' + r(33, `${ALNUM}_-`));
	token('telegram bot url', 'https://api.telegram.org/' + 'bot' + r(10, DIGITS) + ':AA' + r(33) + '/sendMessage');
	token('twilio sid:token', 'AC' + r(32, HEX) + ':' + r(32, HEX));
	token('twilio api key', 'S' + 'K' + r(32, HEX));
	token('teams webhook', `https://acme.webhook.office.com/webhook` + `b2/${uuid()}@${uuid()}/IncomingWebhook/${r(32, LOWER_ALNUM)}/${uuid()}`);
	token('azure ad client secret', r(3) + '8Q' + '~' + r(34, `${ALNUM}_~.-`));
	token('azure storage key', 'DefaultEndpointsProtocol=https;AccountName=acme;Account' + 'Key=' + r(86, `${ALNUM}+/`) + '==;EndpointSuffix=core.windows.net');
	token('databricks', 'da' + 'pi' + r(32, HEX));
	token('digitalocean pat', 'do' + 'p_v1_' + r(64, HEX));
	token('digitalocean oauth', 'do' + 'o_v1_' + r(64, HEX));
	token('doppler', 'dp.' + 'pt.' + r(43));
	token('dynatrace', 'dt0' + 'c01.' + r(24, UPPER_DIGITS) + '.' + r(64, UPPER_DIGITS));
	token('fly.io', 'fo' + '1_' + r(43));
	token('grafana cloud', 'gl' + 'c_' + r(48, `${ALNUM}+/`) + '==');
	token('grafana service account', 'gl' + 'sa_' + r(32) + '_' + r(8, HEX));
	token('grafana api key', 'eyJr' + 'Ijoi' + r(80));
	token('terraform cloud', r(14, LOWER_ALNUM) + '.atl' + 'asv1.' + r(67, `${ALNUM}_-`));
	token('vault service', 'hv' + 's.' + r(95, `${ALNUM}_-`));
	token('vault batch', 'hv' + 'b.' + r(140, `${ALNUM}_-`));
	token('heroku v2', 'HR' + 'KU-AA' + r(58, `${ALNUM}_-`));
	token('hubspot pat', 'pat-' + 'na1-' + uuid());
	token('linear', 'lin' + '_api_' + r(40));
	token('mailchimp', r(32, HEX) + '-us' + '12');
	token('new relic user key', 'NR' + 'AK-' + r(27, UPPER_DIGITS));
	token('okta style via keyword', 'OKTA_API_TOKEN=00' + r(40));
	token('postman', 'PM' + 'AK-' + r(24, HEX) + '-' + r(34, HEX));
	token('pulumi', 'pu' + 'l-' + r(40, HEX));
	token('rubygems', 'ruby' + 'gems_' + r(48, HEX));
	token('sentry user', 'sntr' + 'yu_' + r(64, HEX));
	token('shopify', 'shp' + 'at_' + r(32, HEX));
	token('shopify shared secret', 'shp' + 'ss_' + r(32, HEX));
	token('square', 'sq0' + 'atp-' + r(22, `${ALNUM}_-`));
	token('square secret', 'sq0' + 'csp-' + r(43, `${ALNUM}_-`));
	token('twitch via keyword', 'TWITCH_CLIENT_SECRET=' + r(30, LOWER_ALNUM));
	token('age', 'AGE-SEC' + 'RET-KEY-1' + r(58, B32));
	token('artifactory', 'AK' + 'Cp' + r(69));
	token('clojars', 'CLOJ' + 'ARS_' + r(60, LOWER_ALNUM));
	token('duffel', 'duf' + 'fel_live_' + r(43));
	token('flutterwave', 'FLWSE' + 'CK_TEST-' + r(32, 'abcdefgh0123456789') + '-X');
	token('frame.io', 'fio' + '-u-' + r(64));
	token('huggingface', 'h' + 'f_' + r(34, LETTERS));
	token('infracost', 'ic' + 'o-' + r(32));
	token('openshift', 'sha' + '256~' + r(43, `${ALNUM}_-`));
	token('perplexity', 'ppl' + 'x-' + r(48));
	token('planetscale', 'pscale' + '_tkn_' + r(43));
	token('prefect', 'pn' + 'u_' + r(36));
	token('readme', 'rd' + 'me_' + r(70, LOWER_ALNUM));
	token('scalingo', 'tk-' + 'us-' + r(48, `${ALNUM}_-`));
	token('sendinblue', 'xkey' + 'sib-' + r(64, HEX) + '-' + r(16));
	token('shippo', 'shi' + 'ppo_live_' + r(40, HEX));
	token('typeform', 'tf' + 'p_' + r(59));
	token('maxmind', r(6) + '_' + r(29) + '_m' + 'mk');
	token('harness', 'pa' + 't.' + r(22) + '.' + r(24) + '.' + r(20));
	token('docker hub', 'dckr' + '_pat_' + r(27));
	token('private key pem', '-----BEGIN RSA PRIV' + 'ATE KEY-----\n' + r(64, BASE64) + '\n' + r(64, BASE64) + '\n-----END RSA PRIVATE KEY-----');
	token('private key openssh', '-----BEGIN OPENSSH PRIV' + 'ATE KEY-----\n' + r(70, BASE64) + '\n-----END OPENSSH PRIVATE KEY-----');
	token('private key pgp', '-----BEGIN PGP PRIV' + 'ATE KEY BLOCK-----\n\n' + r(64, BASE64) + '\n-----END PGP PRIVATE KEY BLOCK-----');

	// ------------------------------------------------------------ keyword-anchored (the value alone has no prefix)
	keyed('aws secret bare', `aws_secret = "${r(40, `${ALNUM}+/`)}"`);
	keyed('aws secret yaml', `AWS_SECRET: ${r(40, `${ALNUM}/+`)}`);
	keyed('adafruit', `ADAFRUIT_IO_KEY=${r(32, LOWER_ALNUM)}`);
	keyed('adobe client id', `adobe_client_id: '${r(32, HEX)}'`);
	keyed('algolia', `algoliaAdminKey := "${r(32, LOWER_ALNUM)}"`);
	keyed('alibaba secret', `alibaba_secret_key ?= ${r(30, LOWER_ALNUM)}`);
	keyed('asana', `ASANA_CLIENT_SECRET=${r(32, LOWER_ALNUM)}`);
	keyed('atlassian', `JIRA_API_TOKEN=${r(24, LOWER_ALNUM)}`);
	keyed('bitbucket', `bitbucket_secret = "${r(64, `${LOWER_ALNUM}_-`)}"`);
	keyed('cloudflare', `CLOUDFLARE_API_TOKEN=${r(40, `${ALNUM}_-`)}`);
	keyed('cloudflare global', `cloudflare_global_api_key: ${r(37, HEX)}`);
	keyed('codecov', `CODECOV_TOKEN=${uuid()}`);
	keyed('datadog', `DD_API_KEY=${r(32, HEX)}`);
	keyed('datadog app', `datadog_app_key: ${r(40, LOWER_ALNUM)}`);
	keyed('discord', `DISCORD_CLIENT_SECRET=${r(32, `${ALNUM}_-`)}`);
	keyed('dropbox', `dropbox_api_token="${r(15, LOWER_ALNUM)}"`);
	keyed('fastly', `FASTLY_API_TOKEN=${r(32, `${ALNUM}_-`)}`);
	keyed('facebook secret', `facebook_app_secret => '${r(32, HEX)}'`);
	keyed('heroku uuid', `HEROKU_API_KEY=${uuid()}`);
	keyed('hubspot uuid', `hubspot_api_key: "${uuid().toUpperCase()}"`);
	keyed('jfrog', `ARTIFACTORY_API_KEY=${r(73, LOWER_ALNUM)}`);
	keyed('launchdarkly', `LAUNCHDARKLY_ACCESS_TOKEN=${r(40, `${ALNUM}_-`)}`);
	keyed('linear secret', `linear_client_secret=${r(32, HEX)}`);
	keyed('mailgun', `MAILGUN_API_KEY=key-${r(32, HEX)}`);
	keyed('mailgun signing', `mailgun_signing_key: ${r(32, 'abcdefgh0123456789')}-${r(8, 'abcdefgh0123456789')}-${r(8, 'abcdefgh0123456789')}`);
	keyed('mapbox', `MAPBOX_TOKEN=pk.${r(60, LOWER_ALNUM)}.${r(22, LOWER_ALNUM)}`);
	keyed('meraki', `MERAKI_DASHBOARD_API_KEY=${r(40, HEX)}`);
	keyed('netlify', `NETLIFY_AUTH_TOKEN=${r(43, `${ALNUM}_-`)}`);
	keyed('new relic', `NEW_RELIC_API_KEY=${r(64, LOWER_ALNUM)}`);
	keyed('okta', `okta.client.token: 00${r(40, `${ALNUM}_-`)}`);
	keyed('plaid', `PLAID_SECRET=${r(30, LOWER_ALNUM)}`);
	keyed('sendbird', `SENDBIRD_API_TOKEN=${r(40, HEX)}`);
	keyed('sentry', `SENTRY_AUTH_TOKEN=${r(64, HEX)}`);
	keyed('snyk', `SNYK_TOKEN=${uuid()}`);
	keyed('sonar', `SONAR_TOKEN=${r(40, `${LOWER_ALNUM}_`)}`);
	keyed('sourcegraph', `SRC_ACCESS_TOKEN_SOURCEGRAPH = ${r(40, HEX)}`);
	keyed('sumo id', `SUMO_ACCESS_ID=su${r(12)}`);
	keyed('sumo key', `sumo_access_key: ${r(64)}`);
	keyed('telegram', `TELEGRAM_BOT_TOKEN=${r(10, DIGITS)}:A${r(34, `${ALNUM}_-`)}`);
	keyed('travis', `TRAVIS_TOKEN=${r(22, LOWER_ALNUM)}`);
	keyed('twilio', `TWILIO_AUTH_TOKEN=${r(32, HEX)}`);
	keyed('twitter', `TWITTER_API_SECRET=${r(50)}`);
	keyed('twitter access token', `twitter_access_token: ${r(19, DIGITS)}-${r(30)}`);
	keyed('zendesk', `ZENDESK_API_TOKEN=${r(40)}`);
	keyed('yandex', `yandex_api_key = "AQVN${r(36, `${ALNUM}_-`)}"`);
	keyed('kucoin', `KUCOIN_API_KEY=${r(24, HEX)}`);
	keyed('confluent', `CONFLUENT_API_SECRET=${r(64)}`);
	keyed('contentful', `CONTENTFUL_DELIVERY_TOKEN=${r(43, `${ALNUM}_-`)}`);

	// ------------------------------------------------------------ assignment styles
	const pw = () => r(14, `${ALNUM}!#%`);
	add('assignment', 'make ?=', `DB_PASSWORD ?= ${pw()}`);
	add('assignment', 'go :=', `apiToken := "${r(32)}"`);
	add('assignment', 'makefile ::=', `SECRET_KEY ::= ${r(32)}`);
	add('assignment', 'makefile :::=', `API_SECRET :::= ${r(32)}`);
	add('assignment', 'php .=', `$password .= "${pw()}";`);
	add('assignment', 'go var typed', `var dbPassword string = "${pw()}"`);
	add('assignment', 'ts const typed', `const apiKey: string = "${r(32)}";`);
	add('assignment', 'java setProperty', `System.setProperty("DB_PASSWORD", "${pw()}");`);
	add('assignment', 'xml add key value', `<add key="Password" value="${pw()}" />`);
	add('assignment', 'xml element', `<password>${pw()}</password>`);
	add('assignment', 'xml attribute', `<datasource user="app" password="${pw()}"/>`);
	add('assignment', 'yaml', `  db_password: ${pw()}`);
	add('assignment', 'ini', `secret_key = ${r(40)}`);
	add('assignment', 'toml', `api_token = "${r(32)}"`);
	add('assignment', 'curl -u', `curl -u deploy:${pw()} https://api.acme.io/v1/deploy`);
	add('assignment', 'curl --user', `curl --user "ops:${pw()}" https://api.acme.io`);
	add('assignment', 'sshpass', `sshpass -p '${pw()}' ssh deploy@bastion`);
	add('assignment', 'mysql -p', `mysql -u root -p${pw()} -h db cavra`);
	add('assignment', 'PGPASSWORD', `PGPASSWORD=${pw()} psql -h db -U app`);
	add('assignment', 'HMAC_KEY', `HMAC_KEY=${r(32)}`);
	add('assignment', 'docker auth', `{"auths":{"registry.acme.io":{"auth":"${Buffer.from(`deploy:${pw()}`).toString('base64')}"}}}`);
	add('assignment', 'k8s secret data', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  DATABASE_URL: ${Buffer.from(`postgres://app:${pw()}@db:5432/app`).toString('base64')}\n`);
	add('assignment', 'k8s secret opaque value', `kind: Secret\ntype: Opaque\ndata:\n  api: ${Buffer.from(r(24)).toString('base64')}\n`);
	add('assignment', 'base64 in url', `https://hooks.acme.io/notify?payload=${Buffer.from(`password=${pw()}`).toString('base64')}`);
	add('assignment', 'json', `{"client_secret": "${r(32)}"}`);
	add('assignment', 'cli flag', `deploy --api-key ${r(32)}`);
	add("assignment", "url credentials", `postgres://app:${r(16)}@db.acme.io:5432/app`);

	// ------------------------------------------------------------ customer and personal data
	add('personal', 'customer=', 'customer=acme-corp');
	add('personal', 'tenant:', 'tenant: Globex');
	add('personal', 'Customer:', 'Customer: Initech Industries');
	add('personal', 'AWS account', `AWS account ${r(12, DIGITS)}`);
	add('personal', 'aws account id', `aws_account_id: ${r(4, DIGITS)}-${r(4, DIGITS)}-${r(4, DIGITS)}`);
	add('personal', 'card in url path', 'https://pay.acme.io/cards/4242424242424242/charge');
	add('personal', 'stripe connected account', 'acct' + '_' + r(16));
	add('personal', 'email', 'Page jane.doe@acme-corp.com');
	add('endpoint', 'decimal metadata ip', 'curl http://2852039166/latest/meta-data/');
	add('endpoint', 'hex metadata ip', 'curl http://0xa9fea9fe/latest/meta-data/');
	add('endpoint', 'octal metadata ip', 'curl http://0251.0376.0251.0376/latest/');
	add('endpoint', 'short private ip', 'curl http://10.1:8080/health');
	add('endpoint', 'bare hex ip', 'connect to 0xc0a80001 on port 22');
	add('endpoint', 'private ip', 'ssh 10.20.30.40');

	// ------------------------------------------------------------ evasion: a hidden character inside the token
	for (const [label, ch] of [['zero-width space', '\u200b'], ['ESC', '\u001b'], ['bidi mark', '\u202e'], ['soft hyphen', '\u00ad']] as const) {
		const body = r(36);
		add('evasion', `github token split by ${label}`, 'gh' + 'p_' + body.slice(0, 10) + ch + body.slice(10));
	}
	const slack = 'xo' + 'xb-' + r(12, DIGITS) + '-' + r(13, DIGITS) + '-' + r(24);
	add('evasion', 'slack token split by zero-width joiner', slack.slice(0, 8) + '\u200d' + slack.slice(8));
	return out;
}

/** Look-alikes: placeholders, wrong lengths, references, encrypted values. None is a finding. */
export function negatives(): CorpusCase[] {
	const out: CorpusCase[] = [];
	let category = 'token';
	const add = (name: string, text: string) => out.push({category, name, text});
	add('slack placeholder', 'xo' + 'xb-abcdef-abcdef');
	add('slack your token', 'xo' + 'xb-your-bot-token');
	add('grafana repeated', 'gl' + 'c_' + '1'.repeat(40));
	add('github repeated', 'gh' + 'p_' + 'x'.repeat(36));
	add('github sequential', 'gh' + 'p_' + 'abcdefghijklmnopqrstuvwxyz0123456789');
	add('aws example', 'AK' + 'IAIOSFODNN7EXAMPLE');
	add('aws secret example', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY');
	add('npm wrong length', 'np' + 'm_' + 'Ab3'.repeat(5));
	add('shopify wrong length', 'shp' + 'at_' + 'a1b2c3d4e5f6');
	category = 'assignment';
	add('sops', 'password: ENC[AES256_GCM,data:Tr7o1g==,iv:1Bq7k1JcUuY7hJ0bWcCgO3f5V3f8s3x1A1pqz3nOMqE=,tag:1Y2pQJZkqQ==,type:str]');
	add('terraform var', 'password = var.db_password');
	add('terraform local', 'db_password = local.db_password');
	add('helm values', 'password: {{ .Values.db.password }}');
	add('helm quoted', 'token: "{{ .Values.api.token }}"');
	add('github expression', 'token: ${{ secrets.DEPLOY_TOKEN }}');
	add('empty key block', '-----BEGIN RSA PRIV' + 'ATE KEY-----\n-----END RSA PRIVATE KEY-----');
	add('dummy key block', '-----BEGIN PRIV' + 'ATE KEY-----\n...\n-----END PRIVATE KEY-----');
	add('elided key block', '-----BEGIN OPENSSH PRIV' + 'ATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA…\n-----END OPENSSH PRIVATE KEY-----');
	add('public token name', 'publicToken: pk_9f8e7d6c5b4a39281706');
	add('csrf token', 'csrf_token = 8f14e45fceea167a5a36dedd4bea2543');
	add('next page token', 'nextPageToken: CgYIARABGAE2k1');
	add('max tokens', 'max_tokens: 4096');
	add('password rotation', 'password_rotation_days = 90');
	add('secret name', 'SECRET_NAME=cavra-api-prod');
	add('key file', 'KEY_FILE=/run/secrets/deploy_key');
	add('env reference', 'export DB_PASSWORD=${DB_PASSWORD}');
	add('vault path', 'vault kv get -field=password secret/cavra/db');
	add('git sha', 'git revert 9fceb02d0ae598e95dc970b74767f19372d61af8');
	add('docker digest', 'image ghcr.io/acme/cavra-api@sha256:4f1c0e3b2a9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b');
	add('uuid run id', 'run 3f0c2a1e-8b7d-4c6e-9a5f-1d2e3c4b5a69 is the reference drill');
	category = 'keyed';
	add('heroku app name', 'heroku apps:info --app cavra-api-production');
	add('jira ticket', 'JIRA: OPS-1234 tracks the rollback');
	add('datadog dashboard', 'datadog dashboard: https://app.datadoghq.com/dashboard/abc-123-def');
	add('twitter handle', 'twitter: @cavra_status');
	add('sentry project', 'SENTRY_PROJECT=cavra-api');
	category = 'endpoint';
	add('version', 'Deploy v10.1.2 and confirm 10.1 is gone');
	add('timestamp', 'started at 1733318400 (unix)');
	add('duration', 'timeout 2852 seconds');
	add('loopback', 'curl http://127.0.0.1:8000/health');
	add('documentation ip', 'curl http://192.0.2.10/health');
	category = 'personal';
	add('customer prose', 'Customer: the affected tenant');
	add('tenant prose', 'Notify each tenant admin before the restart.');
	add('customer placeholder', 'customer=${CUSTOMER}');
	add('aws account prose', 'Use the AWS account that owns the cluster.');
	add('test card prose', 'Card numbers never belong in a plan.');
	category = 'token';
	add('mailchimp wrong', 'datacenter us12 hosts the list');
	add('telegram doc', 'Telegram bot token goes in TELEGRAM_BOT_TOKEN.');
	add('teams prose', 'Post to the Teams channel via the webhook in the secret store.');
	category = 'assignment';
	add('placeholder password', 'password: <your-password>');
	add('masked', 'password: ********');
	add('redacted', 'token=<REDACTED>');
	add('sequential password', 'password=abc123');
	add('example jwt header only', 'header eyJhbGciOiJIUzI1NiJ9 only');
	add('sha256 label', 'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
	add('hex color', 'color #a9fea9 is fine');
	add('go var non-secret', 'var mode string = "disabled"');
	add('setProperty non-secret', 'System.setProperty("CAVRA_GO_BACKEND_MODE", "disabled");');
	add('xml non-secret', '<add key="Mode" value="disabled" />');
	add('curl -u placeholder', 'curl -u deploy:$DEPLOY_PASSWORD https://api.acme.io');
	add('mysql prompt', 'mysql -u root -p -h db cavra');
	add('docker auth placeholder', '{"auths":{"registry.acme.io":{"auth":"${REGISTRY_AUTH}"}}}');
	add('k8s secret template', 'kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n');
	add('base64 word', 'payload=SGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0');
	category = 'token';
	add('stripe publishable', 'pk' + '_live_' + 'placeholder');
	add('azure guid', 'subscription 00000000-0000-0000-0000-000000000000');
	add('sk slug', 'sk-rollback-runbook-for-the-go-backend-mode');
	category = 'evasion';
	add('zero-width space in prose', 'Restart\u200b the API');
	add('bidi mark around a word', 'mode \u202edisabled\u202c');
	return out;
}

/** Two contexts every positive must be found in: a plan step and an evidence note. */
export const CONTEXTS: ReadonlyArray<[string, (text: string) => string]> = [
	['plan step', text => `export ${text}`],
	['evidence note', text => `Evidence: ${text} (captured during the drill)`],
];
