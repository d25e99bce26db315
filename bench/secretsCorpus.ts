/**
 * Synthetic secrets for the secrets benchmark, one generator per family, shaped after each
 * vendor's published token format (prefix, alphabet, length). Values are random (fixed seed):
 * none is a real credential.
 */
import type { SecretKind } from '../src/core/memory/secrets';
import { seededRandom } from '../test/helpers/random';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64URL = ALNUM + '-_';

export interface Family {
  name: string;
  kind: SecretKind;
  /** A fresh token of the family's documented shape. */
  make: (r: () => number) => string;
  /** Values of the same shape that stand for a token (docs, masks): must not be flagged. */
  placeholders: string[];
}

function pick(r: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

const b32 = UPPER + '234567';

export const FAMILIES: Family[] = [
  {
    name: 'GitHub',
    kind: 'github-token',
    make: (r) => 'ghp_' + pick(r, ALNUM, 36),
    placeholders: ['ghp_' + 'x'.repeat(36), 'ghp_<your-token>'],
  },
  {
    name: 'GitLab',
    kind: 'gitlab-token',
    make: (r) => ['glpat-', 'gldt-', 'glrt-', 'glptt-'][Math.floor(r() * 4)] + pick(r, B64URL, 20),
    placeholders: ['glpat-' + 'X'.repeat(20)],
  },
  { name: 'npm', kind: 'npm-token', make: (r) => 'npm_' + pick(r, ALNUM, 36), placeholders: ['npm_' + '0'.repeat(36)] },
  {
    name: 'Slack',
    kind: 'slack-token',
    make: (r) => 'xoxb-' + pick(r, DIGITS, 12) + '-' + pick(r, DIGITS, 13) + '-' + pick(r, ALNUM, 24),
    placeholders: ['xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx'],
  },
  {
    name: 'AWS access key',
    kind: 'aws-access-key',
    make: (r) => ['AKIA', 'ASIA', 'ABIA', 'ACCA'][Math.floor(r() * 4)] + pick(r, b32, 16),
    placeholders: ['AKIA' + 'X'.repeat(16), 'AKIAXXXXXXXXEXAMPLE0'],
  },
  {
    name: 'Stripe',
    kind: 'stripe-key',
    make: (r) => ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'][Math.floor(r() * 4)] + pick(r, ALNUM, 24),
    placeholders: ['sk_test_' + 'x'.repeat(24)],
  },
  {
    name: 'Google API',
    kind: 'google-api-key',
    make: (r) => 'AIza' + pick(r, B64URL, 35),
    placeholders: ['AIza' + 'a'.repeat(35), 'AIza' + 'abcdefghijklmnopqrstuvwxyzABCDEFGHI'],
  },
  {
    name: 'OpenAI',
    kind: 'openai-key',
    make: (r) => 'sk-proj-' + pick(r, ALNUM, 48),
    placeholders: ['sk-proj-' + '*'.repeat(20), 'sk-...'],
  },
  {
    name: 'Anthropic',
    kind: 'anthropic-key',
    make: (r) => 'sk-ant-api03-' + pick(r, B64URL, 93) + 'AA',
    placeholders: ['sk-ant-api03-' + 'x'.repeat(40)],
  },
  {
    name: 'Hugging Face',
    kind: 'huggingface-token',
    make: (r) => 'hf_' + pick(r, UPPER + LOWER, 34),
    placeholders: ['hf_' + 'x'.repeat(34), 'hf_...'],
  },
  {
    name: 'SendGrid',
    kind: 'sendgrid-key',
    make: (r) => 'SG.' + pick(r, B64URL, 22) + '.' + pick(r, B64URL, 43),
    placeholders: ['SG.' + 'x'.repeat(22) + '.' + 'x'.repeat(43)],
  },
  {
    name: 'PyPI',
    kind: 'pypi-token',
    make: (r) => 'pypi-AgEIcHlwaS5vcmc' + pick(r, B64URL, 60),
    placeholders: ['pypi-' + 'x'.repeat(40)],
  },
  {
    name: 'Shopify',
    kind: 'shopify-token',
    make: (r) => ['shpat_', 'shpss_', 'shpca_', 'shppa_'][Math.floor(r() * 4)] + pick(r, HEX, 32),
    placeholders: ['shpat_' + 'x'.repeat(32)],
  },
  {
    name: 'DigitalOcean',
    kind: 'digitalocean-token',
    make: (r) => ['dop_v1_', 'doo_v1_', 'dor_v1_'][Math.floor(r() * 3)] + pick(r, HEX, 64),
    placeholders: ['dop_v1_' + '0'.repeat(64)],
  },
  {
    name: 'Grafana',
    kind: 'grafana-token',
    make: (r) => (r() < 0.5 ? 'glsa_' + pick(r, ALNUM, 32) + '_' + pick(r, HEX, 8) : 'glc_eyJ' + pick(r, ALNUM, 60)),
    placeholders: ['glsa_' + 'x'.repeat(32) + '_' + 'x'.repeat(8)],
  },
  {
    name: 'Vault',
    kind: 'vault-token',
    make: (r) => (r() < 0.5 ? 'hvs.' + pick(r, B64URL, 24) : 'hvs.CAESI' + pick(r, B64URL, 86)),
    placeholders: ['hvs.' + 'x'.repeat(24)],
  },
  {
    name: 'Twilio',
    kind: 'twilio-key',
    make: (r) => 'SK' + pick(r, HEX, 32),
    placeholders: ['SK' + 'x'.repeat(32), 'SK' + '0'.repeat(32)],
  },
  {
    name: 'Azure AD secret',
    kind: 'azure-client-secret',
    make: (r) => pick(r, ALNUM, 3) + pick(r, DIGITS, 1) + 'Q~' + pick(r, ALNUM + '_~.-', 34),
    placeholders: ['abc1Q~' + 'x'.repeat(34)],
  },
  {
    name: 'Telegram bot',
    kind: 'telegram-bot-token',
    make: (r) => pick(r, '123456789', 1) + pick(r, DIGITS, 9) + ':AA' + pick(r, B64URL, 33),
    placeholders: ['123456789:AA' + 'x'.repeat(33)],
  },
  {
    name: 'Discord bot',
    kind: 'discord-bot-token',
    make: (r) => pick(r, 'MN', 1) + pick(r, ALNUM, 25) + '.' + pick(r, B64URL, 6) + '.' + pick(r, B64URL, 38),
    placeholders: ['M' + 'x'.repeat(25) + '.' + 'x'.repeat(6) + '.' + 'x'.repeat(38)],
  },
  {
    name: 'Sentry',
    kind: 'sentry-token',
    make: (r) => (r() < 0.5 ? 'sntryu_' + pick(r, HEX, 64) : 'sntrys_eyJ' + pick(r, ALNUM, 80)),
    placeholders: ['sntryu_' + 'x'.repeat(64)],
  },
  {
    name: 'Notion',
    kind: 'notion-token',
    make: (r) => (r() < 0.5 ? 'ntn_' + pick(r, DIGITS, 11) + pick(r, ALNUM, 35) : 'secret_' + pick(r, ALNUM, 43)),
    placeholders: ['secret_' + 'x'.repeat(43)],
  },
  {
    name: 'Linear',
    kind: 'linear-key',
    make: (r) => 'lin_api_' + pick(r, ALNUM, 40),
    placeholders: ['lin_api_' + 'x'.repeat(40)],
  },
  {
    name: '1Password',
    kind: 'onepassword-secret',
    make: (r) => 'A3-' + [6, 6, 5, 5, 5, 5].map((n) => pick(r, UPPER + DIGITS, n)).join('-'),
    placeholders: ['A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX'],
  },
  {
    name: 'Mailchimp',
    kind: 'mailchimp-key',
    make: (r) => pick(r, HEX, 32) + '-us' + (1 + Math.floor(r() * 20)),
    placeholders: ['x'.repeat(32) + '-us6'],
  },
  {
    name: 'Sourcegraph',
    kind: 'sourcegraph-token',
    make: (r) => 'sgp_' + pick(r, HEX, 16) + '_' + pick(r, HEX, 40),
    placeholders: ['sgp_' + 'x'.repeat(40)],
  },
  {
    name: 'Groq (secretlint rule)',
    kind: 'vendor-token',
    make: (r) => 'gsk_' + pick(r, ALNUM, 52),
    placeholders: ['gsk_' + 'x'.repeat(52)],
  },
  {
    name: 'Facebook',
    kind: 'facebook-token',
    make: (r) => 'EAA' + pick(r, 'BCDGIJ', 1) + pick(r, ALNUM, 100),
    placeholders: ['EAA' + 'x'.repeat(60)],
  },
];

/** Where a pasted token lands: bare, in a sentence, and the usual assignment shapes. */
export const SHAPES: { name: string; wrap: (t: string) => string }[] = [
  { name: 'bare', wrap: (t) => t },
  { name: 'prose', wrap: (t) => `I rotated it this morning, the old one was ${t} so please revoke it.` },
  { name: 'env', wrap: (t) => `API_TOKEN=${t}` },
  { name: 'yaml', wrap: (t) => `service:\n  token: ${t}\n` },
  { name: 'json', wrap: (t) => `{"name": "svc", "token": "${t}"}` },
  { name: 'code', wrap: (t) => `const client = new Client('${t}');` },
  { name: 'header', wrap: (t) => `Authorization: Bearer ${t}` },
];

export function tokens(family: Family, n: number, seed: number): string[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => family.make(r));
}
