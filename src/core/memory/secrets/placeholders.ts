/** Placeholders and references: values that stand for a secret without being one. */

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
export const RULE_RE = /^(?:[a-z_]+(?::[\w.,]*)?\|)+[a-z_]+(?::[\w.,]*)?$|^[a-z_]+:[a-z_][\w.,]*$/;

/** ENV_VAR_NAME style values: a pointer to an environment variable, not the secret. */
export const ENV_NAME_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

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
  // `ghp_AAAA…`, `sk_test_xxxx…`, `SK0000…`: maybe a vendor prefix, then a mask or an alphabet run.
  const prefix = /^[A-Za-z0-9]{1,12}[_.-]/.exec(v)?.[0].length ?? 0;
  if (v.length - prefix >= 16 && !realBody(v, prefix)) return true;
  if (name !== undefined) {
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
    const n = squash(name.slice(name.lastIndexOf('.') + 1));
    if (n && squash(v) === n) return true;
  }
  return false;
}

/** Longest share of `s` made of runs of consecutive characters (`abcdef`, `123456`), runs of 4 or more. */
function sequentialShare(s: string): number {
  let inRuns = 0;
  let run = 1;
  for (let i = 1; i <= s.length; i++) {
    if (i < s.length && s.charCodeAt(i) === s.charCodeAt(i - 1) + 1) run++;
    else {
      if (run >= 4) inRuns += run;
      run = 1;
    }
  }
  return s.length === 0 ? 0 : inRuns / s.length;
}

/**
 * For prefixed tokens: whether the part after the prefix is a real-looking body rather than a
 * mask or a documentation example (`xxxx`, `****`, `<your-token>`, `aaaa…`, `abcdefgh…`).
 */
export function realBody(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  if (/^[xX*.#0_-]+$/.test(body) || /xxxx|XXXX|\*\*\*\*|####|example|your|here$|\.\.\./i.test(body)) return false;
  if (new Set(body).size < Math.min(4, body.length)) return false; // `aaaa…`, `0000…`, `abab…`, `XX-XX`
  return sequentialShare(body) < 0.5;
}
