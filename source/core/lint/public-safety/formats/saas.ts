import {custom, format, hasDigitAndLetter, mixedCase, type TokenFormat} from './format.js';

/**
 * Messaging, payments and SaaS credentials with a documented prefix or URL shape, including the
 * webhook URLs whose path is the credential.
 */

const HEX = '[a-f0-9]';
const UUID = '[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}';

export const saasFormats: readonly TokenFormat[] = [
	format('an Adobe client secret', 'p8e-', '[A-Za-z0-9]{32}'),
	format('an Atlassian API token', 'ATATT3', '[A-Za-z0-9_=-]{180,200}', {after: 'A-Za-z0-9_=-'}),
	format('an Atlassian Connect / Bitbucket token', 'ATCTT3', '[A-Za-z0-9_=-]{180,200}', {after: 'A-Za-z0-9_=-'}),
	format('a Bitbucket app password', 'ATBB', '[A-Za-z0-9_=-]{28,40}', {accept: s => mixedCase(s.slice(4))}),
	custom('a Discord webhook URL (the URL itself is the credential)', /discord(?:app)?\.com\/api\/webhooks\/(\d{17,20}\/[A-Za-z0-9_-]{60,68})(?![A-Za-z0-9_-])/g, ['discord'], {rule: 'webhook-url'}),
	custom('a Discord bot token', /(?<![A-Za-z0-9_.-])([MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?![A-Za-z0-9_.-])/g, ['.'], {accept: mixedCase}),
	format('an EasyPost API key', ['EZAK', 'EZTK'], '[A-Za-z0-9]{54}'),
	format('a Facebook page or user access token', ['EAAB', 'EAAC', 'EAAD', 'EAAG', 'EAAI', 'EAAJ', 'EAAM', 'EAAN', 'EAAQ', 'EAAU', 'EAAW'], '[A-Za-z0-9]{90,400}'),
	custom('a Facebook app access token', /(?<![A-Za-z0-9_])(\d{15,16}(?:\||%7C|%)[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])/gi, ['|', '%'], {accept: s => /[A-Za-z]/.test(s.slice(17))}),
	format('a Notion integration token', 'ntn_', '[0-9]{11}[A-Za-z0-9]{35}'),
	format('a Notion integration token', 'secret_', '[A-Za-z0-9]{43}', {accept: s => mixedCase(s.slice(7))}),
	format('a SendGrid API key', 'SG.', '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', {rule: 'sendgrid-key', after: 'A-Za-z0-9_-'}),
	// Some generators and older keys do not keep the dot at 22: any 66-character body counts.
	format('a SendGrid API key', 'SG.', '[A-Za-z0-9=_.-]{66}', {rule: 'sendgrid-key', after: 'A-Za-z0-9=_.-', accept: s => hasDigitAndLetter(s.slice(3)) && !/^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/.test(s)}),
	format('a Sendinblue / Brevo API key', ['xkeysib-', 'xsmtpsib-'], `${HEX}{64}-[A-Za-z0-9]{16}`),
	format('a Shopify access token', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], '[a-fA-F0-9]{32}', {rule: 'shopify-token'}),
	format('a Linear API key', 'lin_api_', '[A-Za-z0-9]{40}', {rule: 'linear-token'}),
	format('a Linear OAuth token', 'lin_oauth_', '[A-Za-z0-9]{64}', {rule: 'linear-token'}),
	format('a Slack app-level token', 'xapp-', '\\d-[A-Z0-9]{9,12}-\\d{10,14}-[a-z0-9]{40,70}', {rule: 'slack-token', flags: 'i'}),
	format('a Slack configuration token', ['xoxe.xoxb-', 'xoxe.xoxp-'], '\\d-[A-Za-z0-9]{140,170}', {rule: 'slack-token'}),
	custom('a Microsoft Teams webhook URL (the URL itself is the credential)', new RegExp(`\\.webhook\\.office\\.com/webhookb2/(${UUID}@${UUID}/IncomingWebhook/[a-z0-9]{32}/${UUID}(?:/[A-Za-z0-9_-]{20,80})?)`, 'gi'), ['webhook.office.com'], {rule: 'webhook-url'}),
	custom('a Microsoft Teams webhook URL (the URL itself is the credential)', new RegExp(`outlook\\.office(?:365)?\\.com/webhook/(${UUID}@${UUID}/IncomingWebhook/[a-z0-9]{32}/${UUID})`, 'gi'), ['outlook.office'], {rule: 'webhook-url'}),
	custom('a Telegram bot token', /api\.telegram\.org\/(?:file\/)?bot(\d{5,16}:[A-Za-z0-9_-]{30,40})/g, ['api.telegram.org']),
	custom('a Telegram bot token', /(?<![A-Za-z0-9_])(\d{5,16}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])/g, [':A'], {accept: s => mixedCase(s.slice(s.indexOf(':') + 1))}),
	custom('a Twilio auth token (Account SID:token pair)', /(?<![A-Za-z0-9])AC[a-f0-9]{32}:([a-f0-9]{32})(?![A-Za-z0-9])/g, ['AC']),
	format('a Twilio API key', 'SK', '[a-fA-F0-9]{32}', {accept: s => hasDigitAndLetter(s.slice(2))}),
	format('a Square access token', ['sq0atp-', 'EAAA'], '[A-Za-z0-9_-]{22,60}', {accept: s => mixedCase(s.slice(4)), after: 'A-Za-z0-9_-'}),
	format('a Square OAuth secret', 'sq0csp-', '[A-Za-z0-9_-]{40,50}', {after: 'A-Za-z0-9_-'}),
	format('a Stripe key', ['sk_prod_', 'rk_prod_'], '[A-Za-z0-9]{10,99}', {rule: 'stripe-key'}),
	format('a Duffel API token', ['duffel_test_', 'duffel_live_'], '[A-Za-z0-9_=-]{43}', {after: 'A-Za-z0-9_=-'}),
	format('a Flutterwave key', ['FLWSECK_TEST-', 'FLWSECK-', 'FLWPUBK_TEST-', 'FLWPUBK-'], '[a-hA-H0-9]{32}-X', {before: 'A-Za-z0-9_'}),
	format('a Flutterwave encryption key', ['FLWSECK_TEST', 'FLWSECK'], '[a-hA-H0-9]{12}', {before: 'A-Za-z0-9_'}),
	format('a Shippo API token', ['shippo_live_', 'shippo_test_'], '[a-fA-F0-9]{40}'),
	custom('a Mailchimp API key', /(?<![A-Za-z0-9_])([a-f0-9]{32}-us\d{1,2})(?![A-Za-z0-9_])/g, ['-us']),
	format('a HubSpot private app token', ['pat-na1-', 'pat-eu1-'], UUID),
	format('a Typeform token', 'tfp_', '[A-Za-z0-9_.=-]{59}', {after: 'A-Za-z0-9_.=-'}),
	format('a Mapbox secret token', 'sk.eyJ', '[A-Za-z0-9_-]{40,200}\\.[A-Za-z0-9_-]{20,40}', {after: 'A-Za-z0-9_.-'}),
	format('an Airtable personal access token', 'pat', '[A-Za-z0-9]{14}\\.[a-f0-9]{64}'),
	format('a base64-encoded JSON Web Token', 'ZXlK', '[A-Za-z0-9+/]{40,4000}={0,2}', {rule: 'jwt', after: 'A-Za-z0-9+/='}),
	format('a Contentful personal access token', 'CFPAT-', '[A-Za-z0-9_-]{43}', {after: 'A-Za-z0-9_-'}),
	format('a LaunchDarkly key', ['api-', 'sdk-', 'mob-'], UUID, {before: 'A-Za-z0-9_-'}),
	format('a Buildkite agent token', 'bkua_', '[a-f0-9]{40}'),
	format('an Asana personal access token', ['1/', '2/'], '\\d{10,16}(?::|/\\d{10,16}:)[a-f0-9]{32}', {before: 'A-Za-z0-9/'}),
	format('a Mailgun API key', 'key-', `${HEX}{32}`, {accept: s => hasDigitAndLetter(s.slice(4))}),
	format('an Adyen API key', 'AQE', '[a-z0-9]{5,40}\\.[A-Za-z0-9_=-]{50,80}', {after: 'A-Za-z0-9_=-'}),
	format('a Braintree access token', ['access_token$production$', 'access_token$sandbox$'], '[a-z0-9]{16}', {before: 'A-Za-z0-9_$'}),
	format('a Braintree tokenization key', ['production_', 'sandbox_'], '[a-z0-9]{8}_[a-z0-9]{16}', {accept: s => hasDigitAndLetter(s.slice(s.indexOf('_') + 1))}),
	format('a LangSmith API key', ['lsv2_pt_', 'lsv2_sk_'], '[a-z0-9]{32}_[a-z0-9]{10}'),
	format('a CAST AI API key', 'castai_v1_', '[A-Za-z0-9]{64}_[A-Za-z0-9]{8}'),
	custom('an Azure Data Factory integration runtime key', /(?<![A-Za-z0-9])(IR@[0-9a-zA-Z-]{36}@[^@\s]{1,100}@[0-9a-zA-Z=-]{0,40}@[A-Za-z0-9+/=]{44})/g, ['IR@']),
	custom('a Django secret key', /["'](django-insecure-[^"'\s]{1,250})["']/g, ['django-insecure-']),
	custom('an Ansible Vault payload', /(\$?ANSIBLE_VAULT;\d\.\d;AES256;?[\r\n]+[0-9a-f]{16,})/g, ['ANSIBLE_VAULT;']),
	format('a Slack legacy token', ['xoxo-', 'xoxs-'], '\\d+-\\d+-\\d+-[a-fA-F0-9]{8,64}', {rule: 'slack-token'}),
];
