/** Pattern rules: vendor tokens and structural secrets (JWTs, URLs with passwords, auth headers). */
import { charStats } from '../entropy';
import type { Candidate, SecretKind } from './kinds';
import { isPlaceholderValue } from './placeholders';
import { VENDOR_RULES } from './vendorRules';

export interface PatternRule {
  kind: SecretKind;
  re: RegExp;
  /** Capture group holding the secret (needs the `d` flag); 0 = the whole match. */
  group?: number;
  valid?: (value: string, m: RegExpExecArray) => boolean;
}

export function mixedBody(body: string): boolean {
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
  return (
    colon > 0 &&
    colon < decoded.length - 1 &&
    /^[\x20-\x7e]+$/.test(decoded) &&
    !isPlaceholderValue(decoded.slice(colon + 1))
  );
}

/** Bearer values: not a placeholder, and a token rather than a word (`Bearer authentication`). */
function validBearer(token: string): boolean {
  if (isPlaceholderValue(token)) return false;
  const st = charStats(token);
  return st.digit > 0 && st.lower + st.upper > 0;
}

const PATTERN_RULES: PatternRule[] = [
  ...VENDOR_RULES,
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
    // `Authorization: Token …` (Django REST, GitHub), `X-Api-Key: …` is an assignment.
    kind: 'generic-bearer',
    re: /(?<![A-Za-z0-9_-])Authorization["']?[ \t]{0,4}[:=][ \t]{0,4}["']?(?:Token|token)[ \t]{1,8}([A-Za-z0-9._~+/-]{12,4096}={0,2})(?![A-Za-z0-9._~+/=-])/dg,
    group: 1,
    valid: validBearer,
  },
  {
    // `curl -u user:password`, `--user 'user:password'` (a password alone prompts: nothing to find).
    kind: 'basic-auth',
    re: /(?<![\w-])(?:-u|--user)[ \t]{1,8}["']?([^\s:"'`]{1,256}):([^\s"'`]{1,256})/dg,
    group: 2,
    valid: (pass) => pass.length >= 4 && !isPlaceholderValue(pass),
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

export function runPatternRules(text: string, out: Candidate[]): void {
  for (const rule of PATTERN_RULES) {
    rule.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = rule.re.exec(text)) !== null) {
      const g = rule.group ?? 0;
      const value = m[g];
      const start = g === 0 ? m.index : m.indices![g][0];
      if (value && (!rule.valid || rule.valid(value, m)))
        out.push({ kind: rule.kind, start, end: start + value.length });
      if (m[0].length === 0) rule.re.lastIndex++;
    }
  }
}
