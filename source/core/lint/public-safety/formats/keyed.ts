/**
 * Credentials that have no prefix of their own: a 32-hex value is a secret only when it is
 * assigned to a setting named after its vendor (`ALGOLIA_KEY=…`, `"sumo_access_id": "…"`). Each
 * entry lists the vendor's keywords (lower case, matched anywhere in the setting name) and the
 * documented shapes of its secrets; the value must match a shape exactly.
 */
export interface KeyedFormat {
	keywords: readonly string[];
	what: string;
	shapes: readonly RegExp[];
	rule?: 'aws-secret-key' | 'vendor-secret';
}

const alnum = (n: number | string) => new RegExp(`^[a-z0-9]{${n}}$`, 'i');
const hex = (n: number | string) => new RegExp(`^[a-f0-9]{${n}}$`, 'i');
const word = (n: number | string) => new RegExp(`^[a-z0-9_=-]{${n}}$`, 'i');
const UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
const digits = (n: number | string) => new RegExp(`^\\d{${n}}$`);
const keyed = (keywords: string | readonly string[], what: string, ...shapes: RegExp[]): KeyedFormat => ({
	keywords: typeof keywords === 'string' ? [keywords] : keywords,
	what,
	shapes,
});

export const keyedFormats: readonly KeyedFormat[] = [
	{keywords: ['aws'], what: 'an AWS secret access key', shapes: [/^[A-Za-z0-9/+]{40}$/], rule: 'aws-secret-key'},
	keyed('adafruit', 'an Adafruit IO key', word(32)),
	keyed('adobe', 'an Adobe client id or secret', hex(32)),
	keyed('airtable', 'an Airtable API key', alnum(17)),
	keyed('algolia', 'an Algolia API key', alnum(32)),
	keyed('alibaba', 'an Alibaba Cloud secret key', alnum(30)),
	keyed('asana', 'an Asana client secret', digits(16), alnum(32)),
	keyed(['atlassian', 'confluence', 'jira'], 'an Atlassian API token', alnum(24)),
	keyed('azure', 'an Azure client secret', /^[a-z0-9_~.-]{34,40}$/i),
	keyed('beamer', 'a Beamer API key', /^b_[a-z0-9=_-]{44}$/i),
	keyed('bitbucket', 'a Bitbucket client secret', alnum(32), word(64)),
	keyed('bittrex', 'a Bittrex key', alnum(32)),
	keyed('circle', 'a CircleCI token', hex(40)),
	keyed('cloudflare', 'a Cloudflare API key or token', word(40), hex(37)),
	keyed('codecov', 'a Codecov token', alnum(32), UUID),
	keyed(['cohere', 'co_api_key'], 'a Cohere API key', alnum(40)),
	keyed('coinbase', 'a Coinbase token', word(64)),
	keyed('confluent', 'a Confluent key or secret', alnum(16), alnum(64)),
	keyed('contentful', 'a Contentful delivery token', word(43)),
	keyed(['datadog', 'dd_api', 'dd_app', 'dd-api', 'dd-app'], 'a Datadog API or application key', alnum(40), hex(32)),
	keyed('discord', 'a Discord client secret or token', hex(64), digits(18), word(32)),
	keyed('droneci', 'a Drone CI token', alnum(32)),
	keyed('dropbox', 'a Dropbox API token', alnum(15), /^[a-z0-9]{11}AAAAAAAAAA[a-z0-9_=-]{43}$/i, /^sl\.[a-z0-9_=-]{130,140}$/i),
	keyed('etsy', 'an Etsy API key', alnum(24)),
	keyed('facebook', 'a Facebook app secret', hex(32)),
	keyed('fastly', 'a Fastly API token', word(32)),
	keyed('finicity', 'a Finicity secret', hex(32), alnum(20)),
	keyed('finnhub', 'a Finnhub token', alnum(20)),
	keyed('flickr', 'a Flickr API key', alnum(32)),
	keyed('freshbooks', 'a FreshBooks token', alnum(64)),
	keyed('gitter', 'a Gitter token', word(40)),
	keyed('gocardless', 'a GoCardless token', /^live_[a-z0-9_=-]{40}$/i),
	keyed('heroku', 'a Heroku API key', UUID),
	keyed('hubspot', 'a HubSpot API key', UUID),
	keyed('intercom', 'an Intercom token', word(60)),
	keyed(['jfrog', 'artifactory', 'bintray', 'xray'], 'a JFrog API key or identity token', alnum(73), alnum(64)),
	keyed('kraken', 'a Kraken API key', /^[a-z0-9/=_+-]{80,90}$/i),
	keyed('kucoin', 'a KuCoin key', hex(24), UUID),
	keyed('launchdarkly', 'a LaunchDarkly token', word(40)),
	keyed('linear', 'a Linear client secret', hex(32)),
	keyed(['linkedin', 'linked_in', 'linked-in'], 'a LinkedIn client secret', alnum(14), alnum(16)),
	keyed('lob', 'a Lob API key', /^(?:live|test)_[a-f0-9]{35}$/i, /^(?:live|test)_pub_[a-f0-9]{31}$/i),
	keyed('mailchimp', 'a Mailchimp API key', /^[a-f0-9]{32}-us\d{1,2}$/i),
	keyed('mailgun', 'a Mailgun key', /^(?:key|pubkey)-[a-f0-9]{32}$/i, /^[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}$/i),
	keyed('mapbox', 'a Mapbox token', /^pk\.[a-z0-9]{60}\.[a-z0-9]{22}$/i),
	keyed('mattermost', 'a Mattermost token', alnum(26)),
	keyed('meraki', 'a Cisco Meraki API key', hex(40)),
	keyed(['messagebird', 'message-bird', 'message_bird'], 'a MessageBird key', alnum(25), UUID),
	keyed('netlify', 'a Netlify token', word('40,46')),
	keyed(['newrelic', 'new-relic', 'new_relic'], 'a New Relic key', alnum(64), /^NRJS-[a-f0-9]{19}$/i, /^NRII-[a-z0-9-]{32}$/i, /^NRAK-[a-z0-9]{27}$/i),
	keyed(['nytimes', 'newyorktimes', 'new-york-times'], 'a New York Times API key', word(32)),
	keyed('okta', 'an Okta API token', /^00[a-z0-9_=-]{40}$/i),
	keyed('pagerduty', 'a PagerDuty API key', /^[a-z0-9_+-]{20}$/i),
	keyed('plaid', 'a Plaid secret', /^access-(?:sandbox|development|production)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i, alnum(24), alnum(30)),
	keyed('postmark', 'a Postmark server token', UUID),
	keyed(['privateai', 'private_ai', 'private-ai'], 'a Private AI key', alnum(32)),
	keyed('rapidapi', 'a RapidAPI key', word(50)),
	keyed('sendbird', 'a Sendbird token', UUID, hex(40)),
	keyed('sentry', 'a Sentry token', hex(64), hex(32)),
	keyed(['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'], 'a Sidekiq Enterprise credential', /^[a-f0-9]{8}:[a-f0-9]{8}$/i),
	keyed('snyk', 'a Snyk API token', UUID),
	keyed('sonar', 'a SonarQube token', word(40)),
	keyed('sourcegraph', 'a Sourcegraph token', hex(40)),
	keyed('squarespace', 'a Squarespace token', UUID),
	keyed('sumo', 'a Sumo Logic access id or key', /^su[a-z0-9]{12}$/i, alnum(64)),
	keyed('telegr', 'a Telegram bot token', /^\d{5,16}:A[a-z0-9_-]{34}$/i),
	keyed('travis', 'a Travis CI token', alnum(22)),
	keyed('twilio', 'a Twilio auth token', hex(32)),
	keyed('twitch', 'a Twitch token', alnum(30)),
	keyed('twitter', 'a Twitter / X API credential', alnum(25), alnum(45), alnum(50), /^\d{15,25}-[a-z0-9]{20,40}$/i, /^A{22}[a-z0-9%]{80,100}$/i),
	keyed('typeform', 'a Typeform token', /^tfp_[a-z0-9_.=-]{59}$/i),
	keyed('yandex', 'a Yandex credential', /^t1\.[a-z0-9_-]+={0,2}\.[a-z0-9_-]{86}={0,2}$/i, /^AQVN[a-z0-9_-]{35,38}$/i, /^YC[a-z0-9_-]{38}$/i),
	keyed('zendesk', 'a Zendesk API token', alnum(40)),
	keyed('shopify', 'a Shopify secret', hex(32)),
	keyed('slack', 'a Slack signing secret', hex(32)),
	keyed('stripe', 'a Stripe secret', /^(?:sk|rk)_(?:live|test)_[a-z0-9]{16,99}$/i),
	keyed('github', 'a GitHub OAuth client secret', hex(40)),
	keyed('gitlab', 'a GitLab runner or OAuth secret', hex(64)),
	keyed(['google', 'gcp'], 'a Google OAuth client secret', /^GOCSPX-[a-z0-9_-]{28}$/i),
	keyed('adyen', 'an Adyen client key', /^(?:test|live)_[a-z0-9]{30,40}$/i),
	keyed('chargebee', 'a Chargebee API key', /^(?:test|live)_[a-z0-9]{32,34}$/i),
	keyed('looker', 'a Looker client id or secret', alnum(20), alnum(24)),
	keyed('vault', 'a Vault token', /^(?:hvs|hvb|s)\.[a-z0-9_-]{24,300}$/i),
];
