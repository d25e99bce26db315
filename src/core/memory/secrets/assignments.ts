/**
 * Assignments: `name = value`, `name: value`, `"name": "value"`, `NAME=value`, `name := value`,
 * `'name' => 'value'`, `--name=value`, `?name=value`, `<name>value</name>`.
 */
import { charStats, isBase64OfText, isHexish, isUuid, looksRandom, shannonEntropy } from '../entropy';
import type { Candidate, SecretKind } from './kinds';
import { NON_SECRET_NAME_WORDS, secretNameClass, words, type SecretNameClass } from './names';
import { ENV_NAME_RE, isPlaceholderValue, RULE_RE } from './placeholders';

/**
 * The part before the value. A one-character lookbehind makes the name start only at the
 * beginning of an identifier run; the optional `: Type` covers annotations
 * (`password: str = "…"`, `val token: String = "…"`).
 */
const ASSIGN_RE =
  /(?<![\w$.-])(?:--?)?(["'`]?)([A-Za-z_$][\w$.-]{0,99})\1\]?(?:[ \t]{0,4}:[ \t]{0,4}[A-Za-z_][\w.]{0,40}(?:\[[\w., |]{0,40}\]|<[\w., |]{0,40}>)?[?!]?|[ \t]{1,4}(?:string|\[\]byte))?[ \t]{0,8}(::=|:=|\?=|\.=|=>|===?|!==?|=|:(?!:))[ \t]{0,8}/g;

const XML_RE = /<([A-Za-z_][\w.:-]{0,60})>([^<>\s]{1,1024})<\/\1>/g;
/** .NET configuration: `<add key="DbPassword" value="…" />`. */
const ADD_KEY_RE = /<add[ \t]+key=(["'])([A-Za-z_][\w.:-]{0,60})\1[ \t]+value=(["'])([^"'<>\s]{1,1024})\3/g;

/** Bare values stop at whitespace, quotes and separators used in key/value lists. */
function isBareTerminator(c: number): boolean {
  // \t \n \r space " ' ` , ; &
  return (
    c === 9 || c === 10 || c === 13 || c === 32 || c === 34 || c === 39 || c === 96 || c === 44 || c === 59 || c === 38
  );
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

function readValue(
  text: string,
  p: number,
  reader: ValueReader,
  tightEquals: boolean,
  afterQuery: boolean,
): ValueSpan | null {
  let i = p;
  let template = false;
  // String prefixes: r"…" b'…' f"…" @"…" $"…" (f and $ interpolate).
  const c0 = text[i];
  const pre =
    c0 !== undefined && 'rRbBuUfF@$'.includes(c0)
      ? /^(?:[rRbBuU]{1,2}|[fF][rR]?|[rR][fF]|@\$?|\$@?)(?=["'`])/.exec(text.slice(i, i + 3))
      : null;
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
  if (j >= text.length || next === '\n' || next === '\r' || (next === '#' && j > end) || text.startsWith('//', j))
    context = 'eol';
  else if (afterQuery || (tightEquals && /[\s"'`;&]/.test(text[end]))) context = 'list';
  return { start: p, end, quoted: false, context };
}

const IDENTIFIER_PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;
const MEMBER_ACCESS = /^[A-Za-z_$][\w$]*!?(?:\??\.[A-Za-z_$][\w$]*!?)+$/;
/** Values that name a secret rather than contain one: `"accountTokenHeader"`, `secretValue`. */
const MENTIONS_SECRET = /pass(?:word|wd)|secret|token|api[-_]?key|credential/i;
const VERSION_RE = /^[~^<>=v]*[0-9]+(?:\.[0-9]+)+(?:[-+][\w.]+)?$/;

/** Operators after which a bare value up to the end of the line is a literal (env, YAML, Makefile). */
const MAKE_OR_ENV_OPS = new Set([':', '=', '?=', '::=']);

/** Bare values: which ones are literals (env files, YAML, query strings) rather than code. */
function bareValueIsLiteral(v: string, span: ValueSpan, op: string): boolean {
  if (span.context === 'code') return false;
  if (/^[$%{[(<!&*|>@\\]/.test(v) || /[()[\]{}<>]/.test(v)) return false;
  if (/=[^=]/.test(v)) return false; // `a=b=c`: a chain, not a value (base64 padding is only trailing)
  if (span.context === 'eol' && !MAKE_OR_ENV_OPS.has(op)) return false;
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

const KEYWORD_VALUES =
  /^(?:true|false|null|none|nil|undefined|nan|string|str|bool|boolean|int|number|bytes|object|any|unknown|void|secretstr)$/i;

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
  if (!info.nonSecret && highEntropyLiteral(v))
    out.push({ kind: 'high-entropy-assignment', start, end: start + v.length, name });
}

export function findAssignments(text: string, out: Candidate[]): void {
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
  ADD_KEY_RE.lastIndex = 0;
  while ((m = ADD_KEY_RE.exec(text)) !== null) {
    const info = nameInfo(m[2], names);
    // before the closing quote
    if (info.cls) classifyAssignment(m[2], info, m[4], out, m.index + m[0].length - 1 - m[4].length);
  }
}
