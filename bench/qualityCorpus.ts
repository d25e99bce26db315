/**
 * Docstring → function pairs for the retrieval-quality benchmark, extracted offline from the
 * sources installed on this machine: Debian's python3 standard library and the JavaScript /
 * TypeScript under node_modules. The query is the first sentence of a function's doc comment;
 * the document is the function with that comment removed. Nothing here is committed: the sets
 * are rebuilt from the installed files on every run, deterministically (sorted walks, seeded picks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { hashString } from '../src/core/embeddings/hashing';

export type Split = 'train' | 'dev' | 'test';

export interface Pair {
  /** Stable id: source file and function start offset. */
  id: string;
  /** The package (node_modules) or top-level module (python) it came from: the unit of the split. */
  unit: string;
  query: string;
  doc: string;
}

const MAX_DOC_CHARS = 3000;
const MIN_QUERY_WORDS = 4;
const MAX_QUERY_WORDS = 40;
/** No single package may dominate a set (typescript alone has thousands of functions). */
const MAX_PER_UNIT = 300;

/**
 * Package-level split, so that a held-out function never shares a file or package with the
 * functions a table was trained or a weight was tuned on: 50 % train, 20 % dev, 30 % test.
 */
export function splitOf(unit: string): Split {
  const b = hashString(unit, 0x51) % 10;
  return b < 5 ? 'train' : b < 7 ? 'dev' : 'test';
}

export function pythonRoot(): string | null {
  const dirs = fs.existsSync('/usr/lib')
    ? fs
        .readdirSync('/usr/lib')
        .filter((d) => /^python3\.\d+$/.test(d))
        .sort()
    : [];
  return dirs.length ? path.join('/usr/lib', dirs[dirs.length - 1]) : null;
}

function walk(dir: string, accept: (file: string) => boolean, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !e.isSymbolicLink()) walk(p, accept, out);
    else if (e.isFile() && accept(p)) out.push(p);
  }
  return out;
}

export interface SourceFile {
  file: string;
  unit: string;
}

/** The python sources, each with its unit (top-level module or package). Tests are left out. */
export function pythonFiles(root: string): SourceFile[] {
  return walk(root, (f) => f.endsWith('.py') && !/[\\/](test|tests|idlelib)[\\/]/.test(f)).map((file) => ({
    file,
    unit: 'py:' + path.relative(root, file).split(path.sep)[0].replace(/\.py$/, ''),
  }));
}

/** The JS/TS sources under node_modules (no declarations, minified files or tests), unit = package. */
export function jsFiles(root: string): SourceFile[] {
  const skipped = /[\\/](test|tests|__tests__|dist[\\/]umd)[\\/]/;
  const accept = (f: string) => /\.(m?js|cjs|ts)$/.test(f) && !/\.(d|min)\.[mc]?[jt]s$/.test(f) && !skipped.test(f);
  return walk(root, accept).map((file) => {
    const parts = path.relative(root, file).split(path.sep);
    const pkg = parts.slice(parts.lastIndexOf('node_modules') + 1);
    return { file, unit: 'js:' + (pkg[0]?.startsWith('@') ? pkg.slice(0, 2).join('/') : (pkg[0] ?? parts[0])) };
  });
}

/** The first sentence of a doc comment, one line, or null when it is too short to be a query. */
export function firstSentence(text: string): string | null {
  const para = text
    .split(/\n\s*\n/)[0]
    .replace(/\{@\w+\s+([^}|]+)(\|[^}]*)?\}/g, '$1')
    .replace(/<[^>]+>/g, ' ');
  const flat = para.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(flat);
  const s = (m ? m[1] : flat).trim();
  const words = s.split(' ').filter((w) => /[A-Za-z]/.test(w));
  if (words.length < MIN_QUERY_WORDS || words.length > MAX_QUERY_WORDS) return null;
  return s;
}

/** Python functions whose body starts with a docstring. */
export function pythonPairs(root: string): Pair[] {
  const out: Pair[] = [];
  for (const { file, unit } of pythonFiles(root)) {
    const rel = path.relative(root, file);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const def = /^(\s*)(?:async\s+)?def\s+(\w+)\s*\(/.exec(lines[i]);
      if (!def || def[2].startsWith('test')) continue;
      const indent = def[1].length;
      let j = i;
      while (j < lines.length && j < i + 12 && !/:\s*(#.*)?$/.test(lines[j])) j++;
      const first = j + 1;
      const open = first < lines.length ? /^\s*[rRuU]?("""|''')/.exec(lines[first]) : null;
      if (!open) continue;
      let end = first;
      const rest = lines[first].slice(lines[first].indexOf(open[1]) + 3);
      if (!rest.includes(open[1])) {
        end = first + 1;
        while (end < lines.length && !lines[end].includes(open[1])) end++;
      }
      const docstring = [rest, ...lines.slice(first + 1, end + 1)].join('\n').split(open[1])[0];
      let last = end + 1;
      while (last < lines.length && (lines[last].trim() === '' || lines[last].search(/\S/) > indent)) last++;
      const body = lines.slice(end + 1, last).filter((l) => l.trim() !== '');
      const query = firstSentence(docstring);
      if (!query || body.length < 2) continue;
      const doc = [...lines.slice(i, j + 1), ...body]
        .map((l) => l.slice(Math.min(indent, l.search(/\S|$/))))
        .join('\n');
      out.push({ id: `${rel}:${i + 1}`, unit, query, doc: doc.slice(0, MAX_DOC_CHARS) });
    }
  }
  return out;
}

// What may follow a doc comment for it to document a function with a body.
const JS_FUNCTION = new RegExp(
  [
    String.raw`^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*[\w$]+\s*[<(]`,
    String.raw`^(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*[\w$]+\s*[<(][^;{]*\{`,
    String.raw`^(?:export\s+)?(?:const|let|var)\s+[\w$]+\s*=\s*` +
      String.raw`(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[\w$]+\s*=>)`,
    String.raw`^[\w$.]+\s*=\s*(?:async\s+)?function\b`,
  ].join('|'),
);

/** JS/TS functions and methods preceded by a JSDoc comment. */
export function jsPairs(root: string): Pair[] {
  const out: Pair[] = [];
  for (const { file, unit } of jsFiles(root)) {
    const rel = path.relative(root, file);
    const src = fs.readFileSync(file, 'utf8');
    if (src.length > 3_000_000) continue;
    const re = /\/\*\*([\s\S]*?)\*\//g;
    for (let m = re.exec(src); m; m = re.exec(src)) {
      const after = re.lastIndex;
      const head = src.slice(after, after + 400).replace(/^\s+/, '');
      if (!JS_FUNCTION.test(head)) continue;
      const start = src.indexOf(head.slice(0, 20), after);
      const end = bodyEnd(src, start);
      if (end < 0) continue;
      const description = m[1]
        .split('\n')
        .map((l) => l.replace(/^\s*\*?\s?/, ''))
        .join('\n')
        .split(/^\s*@/m)[0];
      const query = firstSentence(description);
      const doc = dedent(src.slice(start, end));
      if (!query || doc.split('\n').length < 3) continue;
      out.push({ id: `${rel}:${start}`, unit, query, doc: doc.slice(0, MAX_DOC_CHARS) });
    }
  }
  return out;
}

/**
 * Where the function body that starts after `from` ends: braces matched, skipping strings,
 * template literals and comments (regex literals may fool it; such functions are dropped by the
 * length limit). -1 when no body closes within the limit.
 */
function bodyEnd(src: string, from: number): number {
  let i = src.indexOf('{', from);
  if (i < 0 || i - from > 400) return -1;
  let depth = 0;
  const limit = Math.min(src.length, i + MAX_DOC_CHARS * 2);
  for (; i < limit; i++) {
    const c = src[i];
    if (c === '{') depth++;
    else if (c === '}') {
      if (--depth === 0) return i + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      for (i++; i < limit && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < limit && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 1;
    }
  }
  return -1;
}

function dedent(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const tail = lines
    .slice(1)
    .map((l) => l.search(/\S/))
    .filter((n) => n >= 0);
  const cut = tail.length ? Math.min(...tail) : 0;
  return lines.map((l, i) => (i === 0 ? l : l.slice(Math.min(cut, l.search(/\S|$/))))).join('\n');
}

/**
 * Duplicates removed (the same function vendored twice; the same sentence documenting several
 * functions makes the query ambiguous), at most MAX_PER_UNIT pairs per package, in a seeded order.
 */
export function clean(pairs: Pair[], seed: number): Pair[] {
  const byQuery = new Map<string, number>();
  for (const p of pairs) byQuery.set(p.query.toLowerCase(), (byQuery.get(p.query.toLowerCase()) ?? 0) + 1);
  const seenDoc = new Set<string>();
  const perUnit = new Map<string, number>();
  const kept: Pair[] = [];
  const order = [...pairs].sort((a, b) => hashString(a.id, seed) - hashString(b.id, seed) || (a.id < b.id ? -1 : 1));
  for (const p of order) {
    if (byQuery.get(p.query.toLowerCase())! > 1 || seenDoc.has(p.doc)) continue;
    seenDoc.add(p.doc);
    const n = perUnit.get(p.unit) ?? 0;
    if (n >= MAX_PER_UNIT) continue;
    perUnit.set(p.unit, n + 1);
    kept.push(p);
  }
  return kept;
}
