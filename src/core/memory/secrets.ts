/**
 * Secret detection and redaction for memory content (see docs/secrets.md).
 *
 * detectSecrets finds credentials in arbitrary text (code, env files, YAML, JSON, logs):
 * vendor-prefixed tokens, PEM private keys, JWTs, passwords in connection strings,
 * Authorization headers, values assigned to secret-looking names and long random values
 * in assignments. Offsets cover the secret value only, so redactSecrets can replace it
 * and leave the surrounding code readable.
 *
 * Performance: every regular expression here is linear on any input (each is either
 * anchored on a literal, or guarded by a one-character lookbehind so that it can only start
 * at the beginning of a run, and its quantifiers are bounded or separated by characters
 * they cannot match); the assignment scanner reads each quoted string and bare value once
 * thanks to small caches. A 1 MB adversarial input scans in well under a second.
 */
import { charStats, isBase64OfText, isHexish, isUuid, looksRandom, shannonEntropy } from './entropy';

export const SECRET_KINDS = [
  'private-key',
  'aws-access-key',
  'aws-secret-key',
  'github-token',
  'gitlab-token',
  'npm-token',
  'slack-token',
  'slack-webhook',
  'stripe-key',
  'google-api-key',
  'openai-key',
  'anthropic-key',
  'jwt',
  'connection-string-password',
  'generic-bearer',
  'basic-auth',
  'password-assignment',
  'high-entropy-assignment',
] as const;

export type SecretKind = (typeof SECRET_KINDS)[number];

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

interface Candidate {
  kind: SecretKind;
  start: number;
  end: number;
  name?: string;
}

/** Higher wins when two candidates overlap (the more specific rule). */
const PRIORITY: Record<SecretKind, number> = {
  'private-key': 100,
  'aws-access-key': 90,
  'github-token': 90,
  'gitlab-token': 90,
  'npm-token': 90,
  'slack-token': 90,
  'slack-webhook': 90,
  'stripe-key': 90,
  'google-api-key': 90,
  'anthropic-key': 90,
  'openai-key': 85,
  jwt: 80,
  'connection-string-password': 70,
  'generic-bearer': 60,
  'basic-auth': 60,
  'aws-secret-key': 55,
  'password-assignment': 50,
  'high-entropy-assignment': 40,
};

const LABELS: Record<SecretKind, string> = {
  'private-key': 'private key',
  'aws-access-key': 'AWS access key',
  'aws-secret-key': 'AWS secret key',
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'npm-token': 'npm token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack webhook',
  'stripe-key': 'Stripe key',
  'google-api-key': 'Google API key',
  'openai-key': 'OpenAI key',
  'anthropic-key': 'Anthropic key',
  jwt: 'JWT',
  'connection-string-password': 'connection-string password',
  'generic-bearer': 'bearer token',
  'basic-auth': 'basic-auth credentials',
  'password-assignment': 'password',
  'high-entropy-assignment': 'high-entropy value',
};

// ---------------------------------------------------------------------------------------
// Placeholders and references: values that stand for a secret without being one.

const PLACEHOLDER_WORDS = new Set(
  (
    'changeme change-me change_me changeit password passwd pass pwd secret secrets token apikey api_key api-key key ' +
    'test testing dummy fake example sample placeholder none null nil undefined empty redacted hidden masked todo ' +
    'tbd fixme replaceme replace_me value string str bool boolean int integer number text required optional default ' +
    'foo bar baz foobar qux asdf asdfg asdfgh qwer qwerty 123456 12345678 sensitive secure private public admin root user username guest ' +
    'true false yes no on off env environment'
  ).split(' '),
);

const PLACEHOLDER_SUBSTRINGS =
  /xxxx|\*\*\*|\.\.\.|•••|example|placeholder|changeme|change[-_]me|redacted|replace[-_ ]?(?:me|with|this)|dummy|insert[-_ ]|[-_ ]here$|^<|>$|\{\{|\}\}|\$\{|\$\(|%\(|#\{|%s$/i;

const YOUR_OR_MY = /(?:^|[-_ .])(?:your|my)/i;
const SECRET_WORD = /pass|pwd|secret|token|key|cred/i;

/** References that name where a secret lives instead of containing it. */
const REFERENCE_RE =
  /^(?:\$[A-Za-z_{(]|%[A-Za-z_][\w]*%$|process\.env\b|import\.meta\.env\b|os\.environ\b|os\.getenv\b|env\(|ENV\[|System\.getenv|secrets\.|vault:|op:\/\/|arn:aws:|ref\+|sm:\/\/|awssm|gcp:|azurekv)/;

/** Validation rules (`required|min:8`, `same:password`) assigned to a field named password. */
const RULE_RE = /^(?:[a-z_]+(?::[\w.,]*)?\|)+[a-z_]+(?::[\w.,]*)?$|^[a-z_]+:[a-z_][\w.,]*$/;

/** ENV_VAR_NAME style values: a pointer to an environment variable, not the secret. */
const ENV_NAME_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * True for values that are obviously not real secrets: empty, masks (`****`, `xxxx`),
 * well-known placeholders (`changeme`, `<your-token-here>`, `your_api_key`), templates
 * (`${PASSWORD}`, `{{ .Values.pw }}`, `%(pw)s`), environment references (`$TOKEN`,
 * `process.env.X`), and the value repeating its own name (`password: "password"`).
 */
export function isPlaceholderValue(value: string, name?: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower)) return true;
  if (/^(.)\1*$/.test(v)) return true; // "aaaa", "0000", "----"
  if (/^[xX*.#•?_\-\s0]+$/.test(v)) return true; // "xxxx-xxxx", "****"
  if (PLACEHOLDER_SUBSTRINGS.test(v)) return true;
  if (YOUR_OR_MY.test(v) && SECRET_WORD.test(v)) return true; // your_api_key, my-secret-token
  if (REFERENCE_RE.test(v)) return true;
  if (/\{[A-Za-z_][\w.\s]*\}/.test(v)) return true; // f"{pw}", "{PASSWORD}"
  if (name !== undefined) {
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const n = squash(name.slice(name.lastIndexOf('.') + 1));
    if (n && squash(v) === n) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Names

type SecretNameClass = 'password' | 'secret' | 'token' | 'key' | 'credential';

/** Splits an identifier into lowercase words: `DB_PASSWORD`, `dbPassword`, `x-api-key`, `APIKey`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const KEY_QUALIFIERS = new Set(
  'api access secret private signing encryption encrypt master client app auth consumer subscription admin account hmac jwt session storage shared sas webhook service'.split(
    ' ',
  ),
);
const NOT_SECRET_TOKEN_QUALIFIERS = new Set('page next continuation cancellation cancel sync resume cursor'.split(' '));
/** Trailing words that keep a name secret: `secretValue`, `SecretString`, `api_key_b64`. */
const VALUE_SUFFIXES = new Set('value string str plain plaintext raw b64 base64 hex bytes text'.split(' '));

function classifyWord(w: string, prev: string | undefined, name: string): SecretNameClass | null {
  if (/^(?:[a-z]*password|[a-z]*passwd|passphrase|passcode|pwd|pass|pw)$/.test(w)) return 'password';
  if (/^(?:[a-z]*secret)$/.test(w)) return 'secret';
  if (w === 'pat') return /[a-z]/.test(name) ? null : 'token'; // GH_PAT, not longopt_pat
  if (/^[a-z]*token$/.test(w)) {
    if (w !== 'token' && NOT_SECRET_TOKEN_QUALIFIERS.has(w.slice(0, -5))) return null;
    if (w === 'token' && prev !== undefined && NOT_SECRET_TOKEN_QUALIFIERS.has(prev)) return null;
    return 'token';
  }
  if (w === 'key') return prev !== undefined && KEY_QUALIFIERS.has(prev) ? 'key' : null;
  if (w.endsWith('key') && KEY_QUALIFIERS.has(w.slice(0, -3))) return 'key';
  if (w === 'credential' || w === 'credentials' || w === 'creds' || w === 'auth') return 'credential';
  return null;
}

/** Whether a key/variable name says its value is a secret (judged on its last word). */
export function secretNameClass(name: string): SecretNameClass | null {
  const ws = words(name);
  let i = ws.length - 1;
  while (i > 0 && /^[0-9]+$/.test(ws[i])) i--; // password_2
  if (i > 0 && VALUE_SUFFIXES.has(ws[i])) i--;
  if (i < 0) return null;
  return classifyWord(ws[i].replace(/[0-9]+$/, ''), ws[i - 1], name); // password2
}

/** Names whose long random-looking values are identifiers, digests or data, not secrets. */
const NON_SECRET_NAME_WORDS = new Set(
  (
    'id ids uuid guid hash hashes sha sha1 sha256 sha512 md5 digest checksum integrity etag commit rev revision ' +
    'version cid nonce fingerprint thumbprint public publishable pub class classname style d path src href url uri ' +
    'file filename name label title text message description pattern regex format locale mime type image img icon ' +
    'logo font data blob svg placeholder example sample salt iv challenge signature sig pubkey publickey md ' +
    // JWT / OIDC claims that carry ids
    'sub oid tid kid jti uti aud iss'
  ).split(' '),
);

function nameLabel(cls: SecretNameClass | null, name: string): string {
  switch (cls) {
    case 'password':
      return 'password';
    case 'token':
      return 'token';
    case 'key':
      return /api/i.test(name) ? 'API key' : 'secret key';
    case 'credential':
      return 'credentials';
    default:
      return 'secret';
  }
}

// ---------------------------------------------------------------------------------------
// Pattern rules (vendor tokens and structural secrets)

interface PatternRule {
  kind: SecretKind;
  re: RegExp;
  /** Capture group holding the secret (needs the `d` flag); 0 = the whole match. */
  group?: number;
  valid?: (value: string, m: RegExpExecArray) => boolean;
}

/** For prefixed tokens: reject bodies that are masks or documentation examples. */
function realBody(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  return !/^[xX*.#0_-]+$/.test(body) && !/xxxx|\*\*\*\*|example|your|here$/i.test(body);
}

function mixedBody(body: string): boolean {
  const st = charStats(body);
  return st.digit > 0 && st.upper > 0 && st.lower > 0;
}

function validJwt(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const json: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && typeof (json as Record<string, unknown>).alg === 'string';
  } catch {
    return false;
  }
}

function validBasic(b64: string): boolean {
  if (b64.replace(/=+$/, '').length % 4 === 1) return false;
  const decoded = Buffer.from(b64, 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1 && /^[\x20-\x7e]+$/.test(decoded) && !isPlaceholderValue(decoded.slice(colon + 1));
}

/** Bearer values: not a placeholder, and a token rather than a word (`Bearer authentication`). */
function validBearer(token: string): boolean {
  if (isPlaceholderValue(token)) return false;
  const st = charStats(token);
  return st.digit > 0 && st.lower + st.upper > 0;
}

const PATTERN_RULES: PatternRule[] = [
  { kind: 'aws-access-key', re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, valid: (v) => realBody(v, 4) },
  {
    kind: 'github-token',
    re: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,240})(?![A-Za-z0-9_])/g,
    valid: (v) => realBody(v, v.startsWith('github_pat_') ? 11 : 4),
  },
  { kind: 'gitlab-token', re: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g, valid: (v) => realBody(v, 6) },
  { kind: 'npm-token', re: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, valid: (v) => realBody(v, 4) },
  {
    kind: 'slack-token',
    re: /(?<![A-Za-z0-9_-])xox[abpr]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9-])/g,
    valid: (v) => /[0-9]/.test(v) && realBody(v, 5),
  },
  {
    kind: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/services\/(T[A-Z0-9]{6,12}\/B[A-Z0-9]{6,12}\/[A-Za-z0-9]{20,32})(?![A-Za-z0-9])/dg,
    group: 1,
    valid: (v) => realBody(v, 0),
  },
  { kind: 'stripe-key', re: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{16,247}(?![A-Za-z0-9_])/g, valid: (v) => realBody(v, 8) },
  { kind: 'google-api-key', re: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g, valid: (v) => realBody(v, 4) },
  { kind: 'anthropic-key', re: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{32,300}(?![A-Za-z0-9_-])/g, valid: (v) => realBody(v, 7) },
  {
    kind: 'openai-key',
    re: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,300}(?![A-Za-z0-9_-])/g,
    valid: (v) => {
      if (v.startsWith('sk-ant-')) return false;
      const body = v.replace(/^sk-(?:(?:proj|svcacct|admin)-)?/, '');
      return body.length >= 32 && mixedBody(body) && realBody(body, 0);
    },
  },
  {
    kind: 'jwt',
    re: /(?<![A-Za-z0-9_.-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g,
    valid: validJwt,
  },
  {
    kind: 'connection-string-password',
    re: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/([^\s:@/?#"'`<>\\]{0,256}):([^\s@/?#"'`<>\\]{1,256})@(?=[A-Za-z0-9[._-])/dg,
    group: 2,
    valid: (pass, m) => pass.length >= 4 && !isPlaceholderValue(decodeURIComponentSafe(pass)) && pass !== m[1],
  },
  {
    kind: 'generic-bearer',
    re: /(?<![A-Za-z0-9_])(?:Bearer|bearer|BEARER)[ \t]{1,8}([A-Za-z0-9._~+/-]{12,4096}={0,2})(?![A-Za-z0-9._~+/=-])/dg,
    group: 1,
    valid: validBearer,
  },
  {
    kind: 'basic-auth',
    re: /(?<![A-Za-z0-9_])(?:Basic|BASIC)[ \t]{1,8}([A-Za-z0-9+/]{8,1024}={0,2})(?![A-Za-z0-9+/=])/dg,
    group: 1,
    valid: validBasic,
  },
];

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function runPatternRules(text: string, out: Candidate[]): void {
  for (const rule of PATTERN_RULES) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(text)) !== null) {
      const g = rule.group ?? 0;
      const value = m[g];
      const start = g === 0 ? m.index : m.indices![g][0];
      if (value && (!rule.valid || rule.valid(value, m))) out.push({ kind: rule.kind, start, end: start + value.length });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
}

// ---------------------------------------------------------------------------------------
// PEM private keys

const PEM_BEGIN = /-----BEGIN[ A-Z0-9]{0,60}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9]{0,60}PRIVATE KEY(?: BLOCK)?-----/g;
/** A body line of a truncated block: base64 (or a PEM header), maybe quoted / `\n`-escaped in code. */
const PEM_BODY_LINE =
  /^([ \t"'`]*)([A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version):[^\n]*)(?:\\[nr])*(?:["'`][ \t]*[,+;]?)?[ \t\r]*$/;
const PEM_SAME_LINE = /(?:\\[nr]|[A-Za-z0-9+/=]){1,8192}/y;
const MAX_PEM_LINE = 8192;

function countBase64(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47) n++;
  }
  return n;
}

/**
 * Whole BEGIN…END blocks. A block whose END is missing (a truncated selection) extends
 * over the base64 lines that follow its header. Bodies with fewer than 32 base64
 * characters are documentation (`-----BEGIN PRIVATE KEY-----\n...\n-----END...`).
 * The END search and the newline search are cached, so many headers cost linear time.
 */
function findPrivateKeys(text: string, out: Candidate[]): void {
  PEM_BEGIN.lastIndex = 0;
  let endCache: { from: number; index: number; length: number } | null = null; // first END at/after `from`
  let nl = -2; // cached: first newline at or after some offset (-1: none)
  const newlineFrom = (i: number): number => {
    if (nl === -2 || (nl >= 0 && nl < i)) nl = text.indexOf('\n', i);
    return nl;
  };
  let m: RegExpExecArray | null;
  while ((m = PEM_BEGIN.exec(text)) !== null) {
    const start = m.index;
    const headerEnd = start + m[0].length;
    if (!endCache || endCache.from > headerEnd || (endCache.index >= 0 && endCache.index < headerEnd)) {
      PEM_END.lastIndex = headerEnd;
      const e = PEM_END.exec(text);
      endCache = { from: headerEnd, index: e ? e.index : -1, length: e ? e[0].length : 0 };
    }
    let end: number;
    let bodyEnd: number;
    if (endCache.index >= 0) {
      bodyEnd = endCache.index;
      end = endCache.index + endCache.length;
    } else {
      // Truncated: the rest of the header line when it continues with `\n`-escaped base64,
      // then whole lines of base64 (or PEM headers).
      PEM_SAME_LINE.lastIndex = headerEnd;
      const same = PEM_SAME_LINE.exec(text);
      end = headerEnd + (same ? same[0].length : 0);
      let lineStart = newlineFrom(end);
      while (lineStart >= 0 && lineStart < text.length) {
        let lineEnd = text.indexOf('\n', lineStart + 1);
        if (lineEnd < 0) lineEnd = text.length;
        if (lineEnd - lineStart > MAX_PEM_LINE) break;
        const lm = PEM_BODY_LINE.exec(text.slice(lineStart + 1, lineEnd));
        if (!lm) break;
        end = lineStart + 1 + lm[1].length + lm[2].length;
        lineStart = lineEnd;
      }
      bodyEnd = end;
    }
    if (countBase64(text, headerEnd, bodyEnd) >= 32) {
      out.push({ kind: 'private-key', start, end });
      PEM_BEGIN.lastIndex = Math.max(PEM_BEGIN.lastIndex, end);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Assignments: `name = value`, `name: value`, `"name": "value"`, `NAME=value`, `name := value`,
// `'name' => 'value'`, `--name=value`, `?name=value`, `<name>value</name>`.

/**
 * The part before the value. A one-character lookbehind makes the name start only at the
 * beginning of an identifier run; the optional `: Type` covers annotations
 * (`password: str = "…"`, `val token: String = "…"`).
 */
const ASSIGN_RE =
  /(?<![\w$.-])(?:--?)?(["'`]?)([A-Za-z_$][\w$.-]{0,99})\1\]?(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z_][\w.]{0,40}(?:\[[\w., |]{0,40}\]|<[\w., |]{0,40}>)?[?!]?)?[ \t]{0,8}(:=|=>|===?|!==?|=|:(?!:))[ \t]{0,8}/g;

const XML_RE = /<([A-Za-z_][\w.:-]{0,60})>([^<>\s]{1,1024})<\/\1>/g;

/** Bare values stop at whitespace, quotes and separators used in key/value lists. */
function isBareTerminator(c: number): boolean {
  // \t \n \r space " ' ` , ; &
  return c === 9 || c === 10 || c === 13 || c === 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 38;
}

const MAX_VALUE = 4096;

/** Scans with caches so that overlapping requests never re-read the same characters. */
class ValueReader {
  private bareFrom = -1;
  private bareEnd = -1;
  private readonly quoteCache = new Map<number, { from: number; close: number; eol: number }>();

  constructor(private readonly text: string) {}

  /** End of the bare run starting at `p` (first terminator at or after p). */
  bareRunEnd(p: number): number {
    if (p >= this.bareFrom && p <= this.bareEnd) return this.bareEnd;
    const t = this.text;
    let i = p;
    while (i < t.length && !isBareTerminator(t.charCodeAt(i))) i++;
    this.bareFrom = p;
    this.bareEnd = i;
    return i;
  }

  /**
   * Offset of the closing quote for a string whose content starts at `p`, on the same line,
   * honouring backslash escapes; -1 when the line ends first. A later scan from inside an
   * earlier one's range has the same answer, so it is served from the cache.
   */
  closingQuote(p: number, q: number): number {
    const c = this.quoteCache.get(q);
    if (c && p > c.from && p <= (c.close >= 0 ? c.close : c.eol)) return c.close;
    const t = this.text;
    let i = p;
    let close = -1;
    while (i < t.length) {
      const ch = t.charCodeAt(i);
      if (ch === 10 || ch === 13) break;
      if (ch === 92) {
        i += 2;
        continue;
      }
      if (ch === q) {
        close = i;
        break;
      }
      i++;
    }
    this.quoteCache.set(q, { from: p, close, eol: Math.min(i, t.length) });
    return close;
  }
}

interface ValueSpan {
  start: number;
  end: number;
  quoted: boolean;
  /** Bare values only: how the value ends. */
  context?: 'eol' | 'list' | 'code';
  template?: boolean;
}

function readValue(text: string, p: number, reader: ValueReader, tightEquals: boolean, afterQuery: boolean): ValueSpan | null {
  let i = p;
  let template = false;
  // String prefixes: r"…" b'…' f"…" @"…" $"…" (f and $ interpolate).
  const c0 = text[i];
  const pre =
    c0 !== undefined && 'rRbBuUfF@$'.includes(c0) ? /^(?:[rRbBuU]{1,2}|[fF][rR]?|[rR][fF]|@\$?|\$@?)(?=["'`])/.exec(text.slice(i, i + 3)) : null;
  if (pre) {
    template = /[fF$]/.test(pre[0]);
    i += pre[0].length;
  }
  const q = text.charCodeAt(i);
  if (q === 34 || q === 39 || q === 96) {
    const close = reader.closingQuote(i + 1, q);
    if (close < 0 || close - i - 1 > MAX_VALUE) return null;
    return { start: i + 1, end: close, quoted: true, template: template || q === 96 };
  }
  if (pre) return null;
  const end = reader.bareRunEnd(p);
  if (end === p || end - p > MAX_VALUE) return null;
  let j = end;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  const next = text[j];
  let context: ValueSpan['context'] = 'code';
  if (j >= text.length || next === '\n' || next === '\r' || (next === '#' && j > end) || text.startsWith('//', j)) context = 'eol';
  else if (afterQuery || (tightEquals && /[\s"'`;&]/.test(text[end]))) context = 'list';
  return { start: p, end, quoted: false, context };
}

const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const MEMBER_ACCESS = /^[A-Za-z_$][\w$]*!?(?:\??\.[A-Za-z_$][\w$]*!?)+$/;
/** Values that name a secret rather than contain one: `"accountTokenHeader"`, `secretValue`. */
const MENTIONS_SECRET = /pass(?:word|wd)|secret|token|api[-_]?key|credential/i;
const VERSION_RE = /^[~^<>=v]*[0-9]+(?:\.[0-9]+)+(?:[-+][\w.]+)?$/;

/** Bare values: which ones are literals (env files, YAML, query strings) rather than code. */
function bareValueIsLiteral(v: string, span: ValueSpan, op: string): boolean {
  if (span.context === 'code') return false;
  if (/^[$%{[(<!&*|>@\\]/.test(v) || /[()[\]{}<>]/.test(v)) return false;
  if (/=[^=]/.test(v)) return false; // `a=b=c`: a chain, not a value (base64 padding is only trailing)
  if (span.context === 'eol' && op !== ':' && op !== '=') return false;
  if (MEMBER_ACCESS.test(v)) return false; // options?.token, this.password
  if (IDENTIFIER_PATH.test(v) && !looksRandom(v)) {
    if (v.includes('.')) return false; // args.password, settings.TOKEN
    if (/(?:[A-Z][a-z]{2,}){2}/.test(v)) return false; // RequestCredentials, TokenEntity: a type
    if (/^[a-z][a-z0-9]*[A-Z]/.test(v)) return false; // userPassword
    if (/^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(v)) return false; // db_password
    if (span.context === 'eol' && op === '=' && !/[0-9]/.test(v)) return false; // Python/INI `password = hunter`
  }
  return true;
}

const KEYWORD_VALUES = /^(?:true|false|null|none|nil|undefined|nan|string|str|bool|boolean|int|number|bytes|object|any|unknown|void|secretstr)$/i;

function isPathOrUrl(v: string): boolean {
  return /^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v) || /^[a-z][a-z0-9+.-]*:\/\//i.test(v);
}

/** A literal assigned to a secret-looking name: is it plausibly the secret itself? */
function plausibleSecret(v: string, cls: SecretNameClass, name: string): boolean {
  if (v.length < (cls === 'password' ? 6 : 8)) return false;
  if (/\s/.test(v)) return false; // prose: labels, error messages, help text
  if (KEYWORD_VALUES.test(v) || ENV_NAME_RE.test(v) || RULE_RE.test(v) || VERSION_RE.test(v)) return false;
  if (MENTIONS_SECRET.test(v) && !looksRandom(v)) return false;
  if (isPlaceholderValue(v, name) || isPathOrUrl(v)) return false;
  if (cls !== 'password') {
    const st = charStats(v);
    if (st.classes < 2 && !(v.length >= 16 && shannonEntropy(v) >= 3)) return false;
    if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(v)) return false; // "my-app-secret", "keyboard_cat"
  }
  return true;
}

/** A value assigned to an ordinary name: is it long, random and token-shaped? */
function highEntropyLiteral(v: string): boolean {
  if (v.length < 20 || v.length > 256) return false;
  if (!/^[A-Za-z0-9+/=_\-.~]+$/.test(v)) return false;
  if (isUuid(v) || isHexish(v) || /^(?:sha\d+|md5)[-:]/i.test(v)) return false;
  if (isPathOrUrl(v) || isPlaceholderValue(v) || isBase64OfText(v)) return false;
  return looksRandom(v);
}

interface NameInfo {
  cls: SecretNameClass | null;
  aws: boolean;
  /** Digests, ids, paths, data…: random-looking values under these names are expected. */
  nonSecret: boolean;
}

/** Names repeat a lot in real text; splitting them is the costly part, so it is cached per scan. */
function nameInfo(name: string, cache: Map<string, NameInfo>): NameInfo {
  let info = cache.get(name);
  if (!info) {
    const ws = words(name);
    info = {
      cls: secretNameClass(name),
      aws: ws.includes('aws') || (ws.includes('secret') && ws.includes('access')),
      nonSecret: ws.some((w) => NON_SECRET_NAME_WORDS.has(w) || NON_SECRET_NAME_WORDS.has(w.replace(/[0-9]+$/, ''))),
    };
    if (cache.size < 10_000) cache.set(name, info);
  }
  return info;
}

function classifyAssignment(name: string, info: NameInfo, v: string, out: Candidate[], start: number): void {
  if (info.cls) {
    if (!plausibleSecret(v, info.cls, name)) return;
    const kind: SecretKind = info.aws && /^[A-Za-z0-9/+]{40}$/.test(v) ? 'aws-secret-key' : 'password-assignment';
    out.push({ kind, start, end: start + v.length, name });
    return;
  }
  if (!info.nonSecret && highEntropyLiteral(v)) out.push({ kind: 'high-entropy-assignment', start, end: start + v.length, name });
}

function findAssignments(text: string, out: Candidate[]): void {
  const reader = new ValueReader(text);
  const names = new Map<string, NameInfo>();
  ASSIGN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ASSIGN_RE.exec(text)) !== null) {
    const name = m[2];
    const op = m[3];
    const info = nameInfo(name, names);
    if (!info.cls && info.nonSecret) continue;
    const valueAt = m.index + m[0].length;
    const opAt = m.index + m[0].lastIndexOf(op, m[0].length - 1);
    const tight = op === '=' && text[opAt - 1] !== ' ' && text[opAt - 1] !== '\t' && valueAt === opAt + 1;
    const before = m.index > 0 ? text[m.index - 1] : '';
    const span = readValue(text, valueAt, reader, tight, before === '?' || before === '&');
    if (!span) continue;
    const v = text.slice(span.start, span.end);
    if (span.template && /\$\{|\{[A-Za-z_]/.test(v)) continue;
    if (!span.quoted && !bareValueIsLiteral(v, span, op)) continue;
    classifyAssignment(name, info, v, out, span.start);
  }
  XML_RE.lastIndex = 0;
  while ((m = XML_RE.exec(text)) !== null) {
    const start = m.index + m[1].length + 2;
    const info = nameInfo(m[1], names);
    if (info.cls) classifyAssignment(m[1], info, m[2], out, start);
  }
}

// ---------------------------------------------------------------------------------------
// Public API

/** First 4 characters (a third of values under 12 characters, so short passwords stay hidden). */
function preview(value: string): string {
  let k = Math.min(4, Math.floor(value.length / 3));
  const c = value.charCodeAt(k - 1);
  if (k > 0 && c >= 0xd800 && c <= 0xdbff) k--; // never split a surrogate pair
  return value.slice(0, k) + '…';
}

/** Keeps the highest-priority candidate among overlapping ones (longer on ties). */
function resolveOverlaps(cands: Candidate[]): Candidate[] {
  cands.sort((a, b) => a.start - b.start || PRIORITY[b.kind] - PRIORITY[a.kind] || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of cands) {
    const last = kept[kept.length - 1];
    if (!last || c.start >= last.end) kept.push(c);
    else if (PRIORITY[c.kind] > PRIORITY[last.kind] || (PRIORITY[c.kind] === PRIORITY[last.kind] && c.end - c.start > last.end - last.start)) {
      kept[kept.length - 1] = c;
    }
  }
  return kept;
}

/** Finds likely secrets in `text`, sorted by offset, without overlaps. */
export function detectSecrets(text: string): SecretFinding[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const cands: Candidate[] = [];
  findPrivateKeys(text, cands);
  runPatternRules(text, cands);
  findAssignments(text, cands);
  const kept = resolveOverlaps(cands);
  const findings: SecretFinding[] = [];
  let line = 1;
  let nextNewline = text.indexOf('\n');
  for (const c of kept) {
    while (nextNewline >= 0 && nextNewline < c.start) {
      line++;
      nextNewline = text.indexOf('\n', nextNewline + 1);
    }
    const f: SecretFinding = { kind: c.kind, start: c.start, end: c.end, line, preview: preview(text.slice(c.start, c.end)) };
    if (c.name !== undefined) f.name = c.name;
    findings.push(f);
  }
  return findings;
}

/**
 * Replaces each finding's value with `[REDACTED:<kind>]`, leaving everything else as it was.
 * Findings may come in any order; overlapping or out-of-range ones are skipped.
 */
export function redactSecrets(text: string, findings: readonly SecretFinding[] = detectSecrets(text)): RedactionResult {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  const kinds: SecretKind[] = [];
  let pos = 0;
  let redacted = 0;
  for (const f of sorted) {
    if (f.start < pos || f.end > text.length || f.end <= f.start) continue;
    parts.push(text.slice(pos, f.start), `[REDACTED:${f.kind}]`);
    pos = f.end;
    redacted++;
    if (!kinds.includes(f.kind)) kinds.push(f.kind);
  }
  parts.push(text.slice(pos));
  return { text: parts.join(''), redacted, kinds };
}

/** Human label of one finding: "GitHub token", "password", "API key"… */
export function findingLabel(f: Pick<SecretFinding, 'kind' | 'name'>): string {
  if (f.kind === 'password-assignment' && f.name !== undefined) return nameLabel(secretNameClass(f.name), f.name);
  return LABELS[f.kind] ?? f.kind;
}

/**
 * A short message for prompts and logs:
 * "2 likely secrets (GitHub token on line 3, password on line 7)".
 */
export function describeFindings(findings: readonly SecretFinding[], maxListed = 5): string {
  if (findings.length === 0) return 'No likely secrets';
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  const listed = sorted.slice(0, maxListed).map((f) => `${findingLabel(f)} on line ${f.line}`);
  if (sorted.length > maxListed) listed.push(`${sorted.length - maxListed} more`);
  const n = findings.length;
  return `${n} likely secret${n === 1 ? '' : 's'} (${listed.join(', ')})`;
}
