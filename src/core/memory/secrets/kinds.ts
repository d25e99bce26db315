/**
 * The one table of secret kinds: each kind's label for messages, its priority when two findings
 * overlap (higher wins: the more specific rule), and which secretlint rules report it.
 */
export const KINDS = {
  'private-key': { label: 'private key', priority: 100, secretlint: ['privatekey', 'gcp'] },
  'aws-access-key': { label: 'AWS access key', priority: 90 },
  'github-token': { label: 'GitHub token', priority: 90, secretlint: ['github'] },
  'gitlab-token': { label: 'GitLab token', priority: 90, secretlint: ['gitlab'] },
  'npm-token': { label: 'npm token', priority: 90, secretlint: ['npm'] },
  'slack-token': { label: 'Slack token', priority: 90, secretlint: ['slack'] },
  'slack-webhook': { label: 'Slack webhook', priority: 90 },
  'stripe-key': { label: 'Stripe key', priority: 90, secretlint: ['stripe'] },
  'google-api-key': { label: 'Google API key', priority: 90 },
  'anthropic-key': { label: 'Anthropic key', priority: 90, secretlint: ['anthropic'] },
  'huggingface-token': { label: 'Hugging Face token', priority: 90, secretlint: ['huggingface'] },
  'sendgrid-key': { label: 'SendGrid key', priority: 90, secretlint: ['sendgrid'] },
  'pypi-token': { label: 'PyPI token', priority: 90 },
  'shopify-token': { label: 'Shopify token', priority: 90, secretlint: ['shopify'] },
  'digitalocean-token': { label: 'DigitalOcean token', priority: 90 },
  'grafana-token': { label: 'Grafana token', priority: 90, secretlint: ['grafana'] },
  'vault-token': { label: 'Vault token', priority: 90, secretlint: ['hashicorp-vault'] },
  'twilio-key': { label: 'Twilio API key', priority: 90 },
  'azure-client-secret': { label: 'Azure AD client secret', priority: 90 },
  'telegram-bot-token': { label: 'Telegram bot token', priority: 90 },
  'discord-bot-token': { label: 'Discord bot token', priority: 90 },
  'sentry-token': { label: 'Sentry token', priority: 90 },
  'notion-token': { label: 'Notion token', priority: 90, secretlint: ['notion'] },
  'linear-key': { label: 'Linear API key', priority: 90, secretlint: ['linear'] },
  'onepassword-secret': { label: '1Password secret', priority: 90, secretlint: ['1password'] },
  'mailchimp-key': { label: 'Mailchimp API key', priority: 90 },
  'sourcegraph-token': { label: 'Sourcegraph token', priority: 90 },
  'facebook-token': { label: 'Facebook access token', priority: 90 },
  /** secretlint rules for vendors without a kind of their own (Groq, Vercel, Docker, Figma…). */
  'vendor-token': { label: 'access token', priority: 88 },
  'openai-key': { label: 'OpenAI key', priority: 85, secretlint: ['openai'] },
  jwt: { label: 'JWT', priority: 80 },
  'connection-string-password': {
    label: 'connection-string password',
    priority: 70,
    secretlint: ['database-connection-string'],
  },
  'generic-bearer': { label: 'bearer token', priority: 60 },
  'basic-auth': { label: 'basic-auth credentials', priority: 60, secretlint: ['basicauth'] },
  'aws-secret-key': { label: 'AWS secret key', priority: 55, secretlint: ['aws'] },
  'password-assignment': { label: 'password', priority: 50 },
  'high-entropy-assignment': { label: 'high-entropy value', priority: 40 },
} as const satisfies Record<string, { label: string; priority: number; secretlint?: readonly string[] }>;

export type SecretKind = keyof typeof KINDS;
export const SECRET_KINDS = Object.keys(KINDS) as SecretKind[];

export interface SecretFinding {
  kind: SecretKind;
  /** Offset (UTF-16 code units) of the first character of the secret value. */
  start: number;
  /** Offset just past the secret value. */
  end: number;
  /** 1-based line of `start`. */
  line: number;
  /** Masked preview: at most the first 4 characters (fewer for short values) and '…'. */
  preview: string;
  /** For assignment kinds: the key or variable the value is assigned to. */
  name?: string;
}

export interface RedactionResult {
  text: string;
  redacted: number;
  /** Distinct kinds redacted, in order of first appearance. */
  kinds: SecretKind[];
}

/** A span one detector proposes, before overlaps are resolved. */
export interface Candidate {
  kind: SecretKind;
  start: number;
  end: number;
  name?: string;
}
