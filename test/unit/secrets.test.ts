import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { charStats, isBase64OfText, looksRandom, shannonEntropy } from '../../src/core/memory/entropy';
import {
  SECRET_KINDS,
  describeFindings,
  detectSecrets,
  isPlaceholderValue,
  redactSecrets,
  scanSecrets,
  secretNameClass,
  type SecretFinding,
  type SecretKind,
} from '../../src/core/memory/secrets';
import { FAMILIES } from '../../bench/secretsCorpus';
import { seededRandom } from '../helpers/random';

// Every secret-shaped value below is generated at runtime (fixed prefixes + seeded random
// bodies) so this file itself contains nothing a secret scanner would flag.
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const B62 = UPPER + LOWER + DIGITS;
const B64 = B62 + '+/';
const B64URL = B62 + '-_';

const rnd = seededRandom(20240607);
const gen = (n: number, alphabet = B62): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
};
/** Random base62 that surely has upper, lower and digits (as real keys of that length do). */
const genMixed = (n: number): string => {
  for (;;) {
    const s = gen(n);
    if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
  }
};
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const PRIV = 'PRIVATE' + ' KEY';
const pem = (label: string, lines: number, end = true) =>
  `-----BEGIN ${label}${PRIV}-----\n` +
  Array.from({ length: lines }, () => gen(64, B64)).join('\n') +
  (end ? `\n-----END ${label}${PRIV}-----` : '');

/** Sample passwords, kept apart from their `password = …` contexts (which are templates here). */
const S = {
  js: 'Tr0ub4dor&3',
  env: 'hunter2x',
  yaml: 's3cr3t-Pa55',
  json: 'correct-horse-9',
  py: 'q8Fk29sLqP03mZx7Lw',
  yml: 'a8f3k29slqp03mzx7',
  tok: 'abc123def456ghi',
  php: 'pHp-s3cret',
  go: 'g0-s3cret!',
  ts: 'Ts-s3cret1',
  cli: 'Sup3rS3cret',
  libpq: 'libpq-S3cret',
  ado: 'Ad0-Net!',
  xml: 'm4ven-Pw9z!',
  pg: 'Xy7-pQ2z',
  mongo: 'm0ngo%40Pw',
  redis: 'R3dis-pass',
};
const ghp = 'ghp_' + genMixed(36);
const jwt = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"Jo","iat":1516239022}')}.${gen(43, B64URL)}`;
const awsId = 'AKIA' + gen(16, UPPER + DIGITS);
const awsSecret = genMixed(20) + gen(20, B64);
const pemKey = pem('RSA ', 6);
const opensshKey = pem('OPENSSH ', 4);

/** [description, text, kind, the exact secret value] */
const POSITIVES: [string, string, SecretKind, string][] = [
  ['PEM RSA key (whole block)', `key:\n${pemKey}\ndone`, 'private-key', pemKey],
  ['PEM OpenSSH key', `${opensshKey}\n`, 'private-key', opensshKey],
  ['AWS access key id', `aws_access_key_id = ${awsId}`, 'aws-access-key', awsId],
  ['AWS temporary key id', `"AccessKeyId": "ASIA${gen(16, UPPER + DIGITS)}"`, 'aws-access-key', ''],
  ['AWS secret access key', `aws_secret_access_key = ${awsSecret}`, 'aws-secret-key', awsSecret],
  ['GitHub classic token', `GITHUB_TOKEN=${ghp}`, 'github-token', ghp],
  ['GitHub OAuth token in URL', `https://x-access-token:gho_${genMixed(36)}@github.com/o/r.git`, 'github-token', ''],
  ['GitHub fine-grained PAT', `"github_pat_${gen(22)}_${gen(59)}"`, 'github-token', ''],
  ['GitHub app tokens', `ghs_${genMixed(36)}`, 'github-token', ''],
  ['GitLab PAT', `GITLAB_TOKEN=glpat-${gen(20, B64URL)}`, 'gitlab-token', ''],
  ['npm token', `//registry.npmjs.org/:_authToken=npm_${genMixed(36)}`, 'npm-token', ''],
  [
    'Slack bot token',
    `SLACK_BOT_TOKEN="xoxb-${gen(12, DIGITS)}-${gen(13, DIGITS)}-${genMixed(24)}"`,
    'slack-token',
    '',
  ],
  [
    'Slack webhook',
    `url = "https://hooks.slack.com/services/T${gen(8, UPPER + DIGITS)}/B${gen(8, UPPER + DIGITS)}/${genMixed(24)}"`,
    'slack-webhook',
    '',
  ],
  ['Stripe live secret key', `stripe.api_key = '${'sk_' + 'live_'}${genMixed(24)}'`, 'stripe-key', ''],
  ['Stripe restricted key', `${'rk_' + 'live_'}${genMixed(24)}`, 'stripe-key', ''],
  ['Google API key', `apiKey: "AIza${gen(35, B64URL)}",`, 'google-api-key', ''],
  ['OpenAI legacy key', `OPENAI_API_KEY=sk-${genMixed(48)}`, 'openai-key', ''],
  ['OpenAI project key', `client = OpenAI(api_key="sk-proj-${genMixed(60)}${gen(40, B64URL)}")`, 'openai-key', ''],
  ['Anthropic key', `ANTHROPIC_API_KEY=sk-ant-api03-${gen(93, B64URL)}AA`, 'anthropic-key', ''],
  ['JWT', `const session = "${jwt}";`, 'jwt', jwt],
  ['JWT after Bearer', `Authorization: Bearer ${jwt}`, 'jwt', jwt],
  ['password in JS', `const password = "${S.js}";`, 'password-assignment', S.js],
  ['password in .env', `DB_PASSWORD=${S.env}`, 'password-assignment', S.env],
  ['passwd in YAML', `passwd: ${S.yaml}`, 'password-assignment', S.yaml],
  ['password in JSON', `{"password": "${S.json}", "user": "bob"}`, 'password-assignment', S.json],
  ['secret in Python', `client_secret = '${S.py}'`, 'password-assignment', S.py],
  ['api_key in YAML', `api_key: ${S.yml}`, 'password-assignment', S.yml],
  ['token= in env', `AUTH_TOKEN=${S.tok}`, 'password-assignment', S.tok],
  ['password in PHP array', `'password' => '${S.php}',`, 'password-assignment', S.php],
  ['password in Go', `password := "${S.go}"`, 'password-assignment', S.go],
  ['annotated TS', `let password: string = "${S.ts}";`, 'password-assignment', S.ts],
  ['CLI flag', `mysql --password=${S.cli} db`, 'password-assignment', S.cli],
  ['query parameter', `https://x.test/cb?access_token=${S.tok}&x=1`, 'password-assignment', S.tok],
  ['libpq keywords', `host=db user=app password=${S.libpq} dbname=x`, 'password-assignment', S.libpq],
  ['ADO.NET string', `Server=x;Database=y;User Id=sa;Password=${S.ado};`, 'password-assignment', S.ado],
  ['XML element', `<password>${S.xml}</password>`, 'password-assignment', S.xml],
  ['hex secret', `SECRET_KEY = "${gen(64, '0123456789abcdef')}"`, 'password-assignment', ''],
  ['postgres URL', `DATABASE_URL=postgres://app:${S.pg}@db.internal:5432/app`, 'connection-string-password', S.pg],
  [
    'mongodb+srv URL',
    `mongodb+srv://svc:${S.mongo}@cluster0.ab1cd.mongodb.net/db`,
    'connection-string-password',
    S.mongo,
  ],
  ['redis URL without user', `redis://:${S.redis}@cache:6379/0`, 'connection-string-password', S.redis],
  ['Authorization header', `curl -H "Authorization: Bearer ${genMixed(40)}" https://api.x.test`, 'generic-bearer', ''],
  [
    'basic auth header',
    `Authorization: Basic ${Buffer.from('admin:' + genMixed(12)).toString('base64')}`,
    'basic-auth',
    '',
  ],
  ['random value, ordinary name', `const cacheSeed = "${genMixed(32)}";`, 'high-entropy-assignment', ''],
  ['random value in env', `SESSION_COOKIE_SEED=${genMixed(24)}${gen(16, B64)}`, 'high-entropy-assignment', ''],
];

/** Ordinary text that must produce no findings. */
const NEGATIVES: [string, string][] = [
  ['vendor prefix with a uniform body (a mask)', `token: ghp_${'A'.repeat(36)}`],
  [
    'TypeScript',
    `interface Login { user: string; password?: string; password2: string }
export async function login(password: string, token = await getToken()): Promise<void> {
  const apiKey = process.env.OPENAI_API_KEY;
  const password = req.body.password;
  if (password === "") return;
  const headers = { Authorization: \`Bearer \${token}\`, 'Content-Type': 'application/json' };
  const tokenizer = new Tokenizer(); const maxTokens = 4096; const tokenType = "Bearer";
  const nextPageToken = "CAoQAA"; const cacheKey = \`user:\${id}\`;
  const x = cond ? password : "default";
  e.password=t.password;
}`,
  ],
  [
    'React / HTML',
    `<input type="password" name="password" placeholder="Enter your password" autoComplete="current-password" />
<label htmlFor="password">Password</label>
{items.map((item) => <Row key={item.id} token={item.token} />)}`,
  ],
  [
    'form validation',
    `const errors = { password: 'Password is required', token: 'Token has expired' };
const schema = { password: 'required|min:8', confirm_password: 'same:password' };`,
  ],
  [
    'Python',
    `import os
SECRET_KEY = os.getenv("SECRET_KEY")
password = os.environ["DB_PASSWORD"]
token = None
def login(username: str, password: str = "") -> bool:
    password_hash = bcrypt.hashpw(password.encode(), salt)
    return check(user_input, password_hash)
password = user_input
class Settings(BaseSettings):
    api_key: SecretStr
    password: Optional[str] = None`,
  ],
  [
    'Go / Java / Rust / SQL',
    `password := os.Getenv("PASSWORD")
String password = System.getenv("DB_PASSWORD");
let password = rpassword::read_password()?;
SELECT password_hash FROM users WHERE email = $1;`,
  ],
  [
    'env placeholders',
    `PASSWORD=
PASSWORD=\${PASSWORD}
DB_PASSWORD=$DB_PASSWORD
API_KEY=<your-token-here>
SECRET=changeme
TOKEN=xxxx
DB_PASSWORD=****
CLIENT_SECRET=your_client_secret
GITHUB_TOKEN=ghp_${'x'.repeat(36)}
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7${'EXAM' + 'PLE'}
password = "\${PASSWORD}"
password=%DB_PASSWORD%`,
  ],
  [
    'YAML / templates',
    `env:
  password: \${DB_PASSWORD}
  token: \${{ secrets.GITHUB_TOKEN }}
  secret: "{{ .Values.db.password }}"
  password: !vault |
  secrets: inherit
  api_key: API_KEY`,
  ],
  [
    'UUIDs and SHAs',
    `id = "123e4567-e89b-12d3-a456-426614174000"
const requestId = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
commit = "e83c5163316f89bfbde7d9ab23ca2e25604af290"
const sha = '${gen(40, '0123456789abcdef')}';
"integrity": "sha512-${gen(86, B64)}=="
image: nginx@sha256:${gen(64, '0123456789abcdef')}`,
  ],
  [
    'URLs without credentials',
    `const url = "https://api.github.com/repos/owner/repo?per_page=100&page=2";
git clone git@github.com:owner/repo.git
https://user@host.example/path
http://localhost:8080/api
mysql://user:password@localhost/db
postgres://postgres:postgres@localhost:5432/postgres
postgres://app:\${DB_PASS}@db/app`,
  ],
  [
    'CSS',
    `.btn-primary { color: #ff00aa; background: rgba(0, 0, 0, 0.5); font-family: "Helvetica Neue", sans-serif; }`,
  ],
  [
    'paths and identifiers',
    `const p = "src/components/UserProfile2Card.tsx";
const dir = 'C:\\\\Users\\\\me\\\\AppData\\\\Local';
const handler = "SomeVeryLongClassName2Test";
const region = "ap-southeast-2.amazonaws.com";
const target = "aarch64-apple-darwin21.6.0";
const sk = "sk-loading-spinner-container-element";`,
  ],
  ['base64 of text', `const greeting = "${Buffer.from('Hello, World! How are you today?').toString('base64')}";`],
  [
    'prose and placeholders',
    `Use a bearer token to authenticate. Basic authentication is also supported.
Authorization: Bearer <token>
Authorization: Bearer YOUR_ACCESS_TOKEN
Authorization: Bearer $TOKEN
-----BEGIN ${PRIV}-----
...
-----END ${PRIV}-----
-----BEGIN PUBLIC KEY-----
${gen(64, B64)}
-----END PUBLIC KEY-----`,
  ],
  [
    'redacted text',
    'password = "[REDACTED:password-assignment]"\npostgres://app:[REDACTED:connection-string-password]@db/app',
  ],
  [
    'Ruby / C# / Kotlin',
    `validates :password, length: { minimum: 8 }
BCrypt::Password.new(password_digest) == password
config.secret_key_base = ENV["SECRET_KEY_BASE"]
public string Password { get; set; }
var password = Environment.GetEnvironmentVariable("DB_PASSWORD");
[JsonPropertyName("access_token")] public string AccessToken { get; set; }
val password: String = BuildConfig.PASSWORD
data class Credentials(val username: String, val password: String)`,
  ],
  [
    'shell and Dockerfile',
    `read -s -p "Password: " PASSWORD
export PGPASSWORD="$DB_PASSWORD"
curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user
TOKEN=$(gh auth token)
docker login -u "$USER" --password-stdin < token.txt
ARG NPM_TOKEN
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`,
  ],
  [
    'Kubernetes / Terraform / GitHub Actions',
    `stringData:
  password: {{ .Values.db.password | quote }}
      secretKeyRef:
        name: db-credentials
        key: password
resource "aws_db_instance" "db" {
  password = var.db_password
}
        with:
          token: \${{ secrets.PAT }}
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}`,
  ],
  [
    'docs, types and lockfiles',
    `Set \`OPENAI_API_KEY\` in your environment; the token needs the \`repo\` scope.
| password | The user's password |
readonly credentials: RequestCredentials
refreshToken: RefreshTokenEntity
onresumptiontoken: options?.onresumptiontoken
"pbkdf2-password": "1.2.1",
"resolved": "https://registry.npmjs.org/zod/-/zod-3.23.8.tgz",
const pubkey256 = '${gen(43, B64)}=';
longopt_pat = r'[a-zA-Z](?:[a-zA-Z0-9-]*)'
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
.a { background-image: url("data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')}") }`,
  ],
];

const valueOf = (text: string, f: SecretFinding) => text.slice(f.start, f.end);

describe('secret detection', () => {
  it('finds every kind in its positive samples, with the exact value span', () => {
    for (const [what, text, kind, value] of POSITIVES) {
      const found = detectSecrets(text);
      assert.equal(
        found.length,
        1,
        `${what}: expected one finding in ${JSON.stringify(text.slice(0, 300))}, got ${JSON.stringify(found)}`,
      );
      assert.equal(found[0].kind, kind, what);
      const got = valueOf(text, found[0]);
      if (value) assert.equal(got, value, what);
      else assert.ok(got.length >= 16 && !/\s/.test(got), `${what}: ${got}`);
      assert.equal(found[0].preview, got.slice(0, Math.min(4, Math.floor(got.length / 3))) + '…', what);
    }
    // Vendor families are sampled per shape in secrets.families.test.ts (from bench/secretsCorpus.ts).
    const covered = new Set([...POSITIVES.map((p) => p.at(2)), ...FAMILIES.map((f) => f.kind)]);
    assert.deepEqual(
      SECRET_KINDS.filter((k) => !covered.has(k)),
      [],
      'every kind has a sample',
    );
  });

  it('reports nothing for ordinary code, identifiers, URLs and placeholders', () => {
    for (const [what, text] of NEGATIVES) {
      const found = detectSecrets(text);
      assert.deepEqual(
        found.map((f) => `${f.kind}: ${valueOf(text, f)}`),
        [],
        `${what} should have no findings`,
      );
    }
  });

  it('covers the secret value only, with correct lines, and names the assigned key', () => {
    const tok = 'ghp_' + genMixed(36);
    const text = `# config\nuser = "bob"\r\nGITHUB_TOKEN="${tok}"\n\n  password: ${S.env} # dev only\n`;
    const found = detectSecrets(text);
    assert.deepEqual(
      found.map((f) => ({ kind: f.kind, line: f.line, value: valueOf(text, f), name: f.name })),
      [
        { kind: 'github-token', line: 3, value: tok, name: undefined },
        { kind: 'password-assignment', line: 5, value: S.env, name: 'password' },
      ],
    );
    assert.equal(found[0].start, text.indexOf(tok));
    assert.equal(found[0].end, text.indexOf(tok) + tok.length);
    assert.equal(found[1].preview, 'hu…', 'short values show fewer characters');
  });

  it('handles truncated and escaped PEM blocks', () => {
    const truncated = `-----BEGIN ${PRIV}-----\n${gen(64, B64)}\n${gen(64, B64)}`;
    const text = `const k = \`${truncated}\nthen code`;
    const [f] = detectSecrets(text);
    assert.equal(f.kind, 'private-key');
    assert.equal(valueOf(text, f), truncated);
    const escaped = `-----BEGIN ${PRIV}-----\\n${gen(64, B64)}\\n${gen(20, B64)}\\n-----END ${PRIV}-----\\n`;
    const json = `{"type": "service_account", "private_key": "${escaped}", "client_email": "x@y.iam"}`;
    const found = detectSecrets(json);
    assert.equal(found.length, 1);
    assert.equal(valueOf(json, found[0]), escaped.slice(0, -2));
  });

  it('finds nothing in its own sources and documentation', async () => {
    const root = path.resolve(__dirname, '../../..');
    const own = fs.readdirSync(path.join(root, 'src/core/memory/secrets')).map((f) => `src/core/memory/secrets/${f}`);
    const files = [
      'test/unit/secrets.test.ts',
      'test/unit/secrets.families.test.ts',
      'src/core/memory/entropy.ts',
      'src/core/memory/secretPolicy.ts',
      'bench/secretsCorpus.ts',
      'docs/secrets.md',
      ...own,
    ];
    for (const file of files) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      assert.deepEqual(
        (await scanSecrets(text)).map((f) => `${f.kind} on line ${f.line}`),
        [],
        file,
      );
    }
  });

  it('prefers the most specific kind when rules overlap', () => {
    const key = 'sk-ant-api03-' + gen(93, B64URL) + 'AA';
    const text = `api_key = "${key}"\npassword: "${ghp}"\nhttps://u:${ghp}@github.com`;
    assert.deepEqual(
      detectSecrets(text).map((f) => f.kind),
      ['anthropic-key', 'github-token', 'github-token'],
    );
  });

  it('detects long random values but not structured ones (seeded random strings)', () => {
    let hits = 0;
    const n = 200;
    for (let i = 0; i < n; i++) {
      const v = gen(24 + (i % 40), i % 2 ? B64 : B64URL);
      if (detectSecrets(`const seed = "${v}";`).length === 1) hits++;
    }
    assert.ok(hits / n >= 0.9, `random values detected ${hits}/${n}`);
    // the same shapes stay quiet under names that carry digests and ids
    for (let i = 0; i < 50; i++) {
      const v = genMixed(32);
      assert.deepEqual(detectSecrets(`integrity = "${v}"\nrequestId: ${v}\nconst fileHash = '${v}';`), []);
    }
  });
});

describe('entropy heuristics', () => {
  it('scores random text above words and identifiers', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.ok(shannonEntropy(genMixed(40)) > shannonEntropy('getUserByIdFromDatabaseCache'));
    assert.equal(looksRandom(genMixed(40)), true);
    for (const s of [
      'SomeVeryLongClassName2Test',
      'src/components/UserProfile2Card.tsx',
      'Mozilla/5.0_Windows_NT_10.0',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    ]) {
      assert.equal(looksRandom(s), false, s);
    }
    assert.deepEqual(charStats('aB3-'), {
      lower: 1,
      upper: 1,
      digit: 1,
      other: 1,
      classes: 4,
      transitionRatio: 1,
      wordyRatio: 0,
    });
    assert.equal(isBase64OfText(Buffer.from('plain words in base64').toString('base64')), true);
    assert.equal(
      isBase64OfText(Buffer.from(Array.from({ length: 30 }, () => Math.floor(rnd() * 256))).toString('base64')),
      false,
    );
  });

  it('classifies names and placeholders', () => {
    for (const n of [
      'password',
      'DB_PASSWORD',
      'dbPassword',
      'passwd',
      'client_secret',
      'jwtSecret',
      'apiKey',
      'X-API-Key',
      'OPENAI_API_KEY',
      'access_token',
      'AUTH_TOKEN',
      'secretValue',
      'SecretString',
      'credentials',
      'GH_PAT',
    ]) {
      assert.ok(secretNameClass(n), n);
    }
    for (const n of [
      'passwordLabel',
      'password_length',
      'tokenType',
      'token_url',
      'maxTokens',
      'tokenizer',
      'secretName',
      'nextPageToken',
      'primaryKey',
      'cacheKey',
      'public_key',
      'access_key_id',
      'bypass',
    ]) {
      assert.equal(secretNameClass(n), null, n);
    }
    for (const v of [
      '',
      'changeme',
      'xxxx',
      '****',
      '<your-token-here>',
      '${PASSWORD}',
      '$TOKEN',
      'process.env.X',
      '{{ .Values.pw }}',
      'your_api_key',
      'REPLACE_ME',
      '[REDACTED:jwt]',
    ]) {
      assert.equal(isPlaceholderValue(v), true, v);
    }
    assert.equal(isPlaceholderValue('password', 'password'), true);
    assert.equal(isPlaceholderValue(S.js), false);
  });
});

describe('redaction', () => {
  it('replaces only the secret values, keeping the code readable', () => {
    const tok = 'ghp_' + genMixed(36);
    const text = `const password = "${S.js}";\nGITHUB_TOKEN=${tok}\nurl: postgres://app:${S.pg}@db:5432/app # primary\n`;
    assert.deepEqual(redactSecrets(text), {
      text:
        'const password = "[REDACTED:password-assignment]";\n' +
        'GITHUB_TOKEN=[REDACTED:github-token]\n' +
        'url: postgres://app:[REDACTED:connection-string-password]@db:5432/app # primary\n',
      redacted: 3,
      kinds: ['password-assignment', 'github-token', 'connection-string-password'],
    });
    const block = `before\n${pemKey}\nafter`;
    assert.equal(redactSecrets(block).text, 'before\n[REDACTED:private-key]\nafter');
    assert.equal(redactSecrets(`Authorization: Bearer ${jwt}`).text, 'Authorization: Bearer [REDACTED:jwt]');
    assert.deepEqual(redactSecrets('nothing to see here'), { text: 'nothing to see here', redacted: 0, kinds: [] });
  });

  it('accepts caller-supplied findings in any order and skips overlaps', () => {
    const text = 'a=1234567890 b=abcdefghij';
    const f = (start: number, end: number): SecretFinding => ({
      kind: 'password-assignment',
      start,
      end,
      line: 1,
      preview: '…',
    });
    assert.equal(
      redactSecrets(text, [f(15, 25), f(2, 12), f(4, 8)]).text,
      'a=[REDACTED:password-assignment] b=[REDACTED:password-assignment]',
    );
  });

  it('leaves nothing detectable after redaction', () => {
    for (const [what, text] of POSITIVES) {
      const out = redactSecrets(text);
      assert.equal(out.redacted, 1, what);
      assert.deepEqual(detectSecrets(out.text), [], `${what}: ${out.text}`);
    }
  });
});

describe('describeFindings', () => {
  it('summarises kinds and lines', () => {
    const text = `x\ny\nGITHUB_TOKEN=${ghp}\n\n\n\npassword = "${S.js}"\n`;
    assert.equal(
      describeFindings(detectSecrets(text)),
      '2 likely secrets (GitHub token on line 3, password on line 7)',
    );
    assert.equal(describeFindings([]), 'No likely secrets');
    assert.equal(describeFindings(detectSecrets(`api_key: ${S.yml}`)), '1 likely secret (API key on line 1)');
    assert.equal(
      describeFindings(detectSecrets(`\n\nSECRET_KEY = "${gen(40, '0123456789abcdef')}"`)),
      '1 likely secret (secret key on line 3)',
    );
    const many = Array.from({ length: 7 }, (_, i) => `${'ABCDEFG'[i]}_TOKEN=${S.tok}${i}`).join('\n');
    assert.equal(
      describeFindings(detectSecrets(many)),
      '7 likely secrets (token on line 1, token on line 2, token on line 3, token on line 4, token on line 5, 2 more)',
    );
  });
});

describe('scanning cost', () => {
  const MB = 1024 * 1024;
  const time = (label: string, text: string, expected: number) => {
    const t0 = performance.now();
    const found = detectSecrets(text);
    const ms = performance.now() - t0;
    console.log(
      `# ${label}: ${(text.length / MB).toFixed(2)} MB scanned in ${ms.toFixed(0)} ms, ${found.length} findings`,
    );
    assert.equal(found.length, expected, label);
    return found;
  };

  it('scans 1 MB adversarial inputs in linear time', () => {
    time("'a=' repeated", 'a='.repeat(MB / 2), 0);
    time('one run of base64 characters', gen(MB, B64), 0);
    time('runs of identifier characters', ('x'.repeat(4000) + ' ').repeat(MB / 4001), 0);
    time("'password=' chained", 'password='.repeat(MB / 9), 0);
    time('unterminated quotes after names', 'token="'.repeat(MB / 7), 0);
    time('escaped quotes', 'a="\\"'.repeat(MB / 5), 0);
    time('PEM headers without END', `-----BEGIN ${PRIV}-----`.repeat(MB / 27), 0);
    time('PEM headers, one END at the end', `-----BEGIN ${PRIV}-----\n`.repeat(MB / 28) + `-----END ${PRIV}-----`, 1);
    time('JWT-like dotted runs', ('eyJ' + 'a'.repeat(20) + '.').repeat(MB / 24), 0);
    time('URL schemes', 'ab://c:'.repeat(MB / 7), 0);
    time('Bearer chains', 'Bearer '.repeat(MB / 7), 0);
    // A 3.9 KB "password": a finding, and costly-regex bait (varied enough not to read as a mask).
    const odd = `password="${('-my' + gen(5)).repeat(487)}"\n`;
    time('long quoted values', odd.repeat(MB / odd.length), Math.floor(MB / odd.length));
    const line = `DB_PASSWORD=${S.env}\n`;
    time('many real findings', line.repeat(MB / line.length), Math.floor(MB / line.length));
  });
});
