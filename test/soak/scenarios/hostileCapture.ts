import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import type { Store } from '../../../src/core/db/store';
import { isDevStreamError } from '../../../src/core/errors';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import { MAX_CONTENT_BYTES, truncateToBytes } from '../../../src/core/memory/validate';
import { firstLine, hasStackTrace, runCli } from '../lib/env';
import { seededBytes } from '../lib/hostileText';
import { checkIndex } from '../lib/invariants';
import type { KnownBugId } from '../lib/knownBugs';
import { ms, n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';

const MB = 1024 * 1024;

/** What a capture must do: refuse with a DevStreamError saying why, or save exactly what was given. */
type Expect = { reject: RegExp } | { accept: true } | { acceptIntactOrReject: RegExp };

export interface CoreCase {
  name: string;
  content: () => unknown;
  expect: Expect;
}

/** Bytes that are not valid UTF-8, decoded the way Node decodes a Buffer (U+FFFD for each bad sequence). */
function invalidUtf8Text(): string {
  const text = Buffer.from('The retry policy for webhooks, '.repeat(200), 'utf8');
  for (let i = 7; i < text.length; i += 97) text[i] = 0xff; // a lone 0xff every 97 bytes
  return text.toString('utf8');
}

function minifiedJs(bytes: number): string {
  const unit = 'function a(b){return b&&b.c?b.c.map(function(d){return d*2}):[]};var e=a({c:[1,2,3]});';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

export const CORE_CASES: CoreCase[] = [
  {
    name: '10 MB of text',
    content: () => 'retry backoff '.repeat(Math.ceil((10 * MB) / 14)),
    expect: { reject: /Memory content is 10\.0 MB; the limit is 1\.0 MB/ },
  },
  {
    name: '10 MB of emoji (4-byte UTF-8)',
    content: () => '😀'.repeat((10 * MB) / 4),
    expect: { reject: /the limit is 1\.0 MB/ },
  },
  {
    name: '1 MB + 1 byte',
    content: () => 'a'.repeat(MAX_CONTENT_BYTES + 1),
    expect: { reject: /the limit is 1\.0 MB/ },
  },
  { name: 'exactly 1 MB', content: () => 'a '.repeat(MAX_CONTENT_BYTES / 2), expect: { accept: true } },
  {
    name: 'minified one-line 2 MB JavaScript',
    content: () => minifiedJs(2 * MB),
    expect: { reject: /Memory content is 2\.0 MB; the limit is 1\.0 MB/ },
  },
  {
    name: '64 KB of random bytes decoded as UTF-8',
    content: () => seededBytes(1, 64 * 1024).toString('utf8'),
    expect: { reject: /binary|broken Unicode/ },
  },
  {
    name: 'text with invalid UTF-8 bytes (a few U+FFFD)',
    content: invalidUtf8Text,
    expect: { acceptIntactOrReject: /binary|not valid text/ },
  },
  {
    name: 'mostly U+FFFD (a binary file decoded)',
    content: () => '\ufffd'.repeat(5000) + 'text',
    expect: { reject: /binary/ },
  },
  {
    name: 'lone high surrogate',
    content: () => 'retry \ud800 backoff',
    expect: { reject: /not valid text .*broken Unicode/ },
  },
  {
    name: 'lone low surrogate at the end',
    content: () => 'retry backoff \udc00',
    expect: { reject: /broken Unicode/ },
  },
  { name: 'reversed surrogate pair', content: () => 'a\udc00\ud800b', expect: { reject: /broken Unicode/ } },
  { name: 'NUL inside text', content: () => 'retry\0backoff', expect: { reject: /looks binary \(NUL/ } },
  { name: 'NUL after 100 KB of text', content: () => 'x'.repeat(100_000) + '\0', expect: { reject: /looks binary/ } },
  {
    name: 'control characters',
    content: () => '\x01\x02\x03\x04\x05\x06\x07\x08 abc',
    expect: { reject: /looks binary/ },
  },
  { name: 'empty string', content: () => '', expect: { reject: /Memory content is empty/ } },
  { name: 'whitespace only', content: () => ' \n\t\r\n \u00a0\u3000 ', expect: { reject: /Memory content is empty/ } },
  { name: 'a number instead of text', content: () => 42, expect: { reject: /Memory content must be text/ } },
  { name: 'null instead of text', content: () => null, expect: { reject: /Memory content must be text/ } },
  {
    name: 'a Buffer instead of text',
    content: () => Buffer.from('hello'),
    expect: { reject: /Memory content must be text/ },
  },
  // a hex dump: one long run of lowercase letters and digits (see checkLongRunScaling for how its cost grows)
  {
    name: '30 KB lowercase hex run (no spaces)',
    content: () => seededBytes(5, 15 * 1024).toString('hex'),
    expect: { accept: true },
  },
  {
    name: 'emoji, RTL and combining marks',
    content: () => '👩‍💻 \u202eretry\u202c e\u0301 日本語 🇮🇹',
    expect: { accept: true },
  },
];

/** A repository call that must finish (refuse or save) within this long. */
const CORE_LIMIT_MS = 5_000;

export interface CaseOutcome {
  outcome: 'rejected' | 'accepted' | 'threw';
  message: string;
  ms: number;
}

/** Runs one core case and adds its checks; the store's memory count must only grow when a memory was accepted. */
export function checkCoreCase(checks: Checks, store: Store, c: CoreCase): CaseOutcome {
  const repo = new MemoryRepository(store);
  const before = repo.count();
  const content = c.content();
  const t = performance.now();
  let result: CaseOutcome;
  let saved: string | undefined;
  try {
    const m = repo.add({ content: content as string, contentType: 'context', keywords: ['capture'] });
    saved = m.content;
    result = { outcome: 'accepted', message: `saved ${m.id}`, ms: performance.now() - t };
  } catch (e) {
    result = isDevStreamError(e)
      ? { outcome: 'rejected', message: e.message, ms: performance.now() - t }
      : { outcome: 'threw', message: `${(e as Error).name}: ${(e as Error).message}`, ms: performance.now() - t };
  }
  const after = repo.count();
  const label = `MemoryRepository.add(${c.name})`;
  checks.ok(`${label}: answers within ${ms(CORE_LIMIT_MS)}`, result.ms <= CORE_LIMIT_MS, ms(result.ms));
  checks.ok(`${label}: only DevStreamError is thrown`, result.outcome !== 'threw', result.message);
  const e = c.expect;
  if ('reject' in e) {
    checks.ok(
      `${label}: refused, saying ${e.reject}`,
      result.outcome === 'rejected' && e.reject.test(result.message),
      `${result.outcome}: ${firstLine(result.message)}`,
    );
  } else if ('accept' in e) {
    checks.ok(
      `${label}: saved exactly`,
      result.outcome === 'accepted' && saved === content,
      `${result.outcome}: ${firstLine(result.message)}`,
    );
  } else {
    checks.ok(
      `${label}: saved exactly, or refused saying ${e.acceptIntactOrReject}`,
      (result.outcome === 'accepted' && saved === content) ||
        (result.outcome === 'rejected' && e.acceptIntactOrReject.test(result.message)),
      `${result.outcome}: ${firstLine(result.message)}`,
    );
  }
  checks.ok(
    `${label}: nothing written unless saved`,
    after === before + (result.outcome === 'accepted' ? 1 : 0),
    `${before} memories before, ${after} after`,
  );
  return result;
}

/**
 * Known bug B13: the cost of saving one long run of lowercase letters/digits, at two sizes.
 * Linear code takes ~4× as long for 4× the text; the identifier regex takes ~16×. A 1 MB run
 * (the size limit) would take many minutes, so only 15 KB and 60 KB are timed.
 */
export function checkLongRunScaling(checks: Checks, store: Store): { smallMs: number; largeMs: number } {
  const repo = new MemoryRepository(store);
  const time = (bytes: number, seed: number) => {
    const content = seededBytes(seed, bytes / 2).toString('hex');
    const t = performance.now();
    repo.add({ content, contentType: 'output' });
    return performance.now() - t;
  };
  time(2_000, 20); // warm up
  const smallMs = time(15_000, 21);
  const largeMs = time(60_000, 22);
  checks.ok(
    'saving a 4× longer run of lowercase hex costs about 4× (linear), not 16×',
    largeMs < 200 || largeMs / smallMs < 8,
    `15 KB: ${ms(smallMs)}, 60 KB: ${ms(largeMs)} (×${(largeMs / smallMs).toFixed(1)}); a 1 MB run would take ~${ms(largeMs * ((1024 * 1024) / 60_000) ** 2)}`,
  );
  return { smallMs, largeMs };
}

/** truncateToBytes: the stated alternative to refusing a long capture. */
export function checkTruncation(checks: Checks, store: Store): string {
  const repo = new MemoryRepository(store);
  const results: string[] = [];
  for (const [name, text] of [
    ['minified 2 MB line', minifiedJs(2 * MB)],
    ['2 MB of emoji', '😀'.repeat(MB / 2)],
    ['2 MB of lines', 'line of text\n'.repeat((2 * MB) / 13)],
  ] as const) {
    const t = truncateToBytes(text);
    const bytes = Buffer.byteLength(t.text, 'utf8');
    checks.ok(
      `truncateToBytes(${name}): says it truncated, ≤ 1 MB, well-formed, a prefix`,
      t.truncated &&
        bytes <= MAX_CONTENT_BYTES &&
        t.text.isWellFormed() &&
        text.startsWith(t.text) &&
        bytes > MAX_CONTENT_BYTES * 0.89,
      `truncated=${t.truncated}, ${bytes} bytes, wellFormed=${t.text.isWellFormed()}`,
    );
    let savedOk = false;
    try {
      savedOk = repo.add({ content: t.text, contentType: 'code' }).content === t.text;
    } catch (e) {
      results.push(`${name}: ${(e as Error).message}`);
    }
    checks.ok(`truncateToBytes(${name}): the truncated text saves intact`, savedOk);
    results.push(`${name} → ${n(bytes)} B`);
  }
  return results.join(', ');
}

export interface FileCase {
  name: string;
  /** File written into the folder, or stdin when file is undefined. */
  file?: string;
  bytes: () => Buffer;
  args?: string[];
  expect: { code: 1; stderr: RegExp } | { code: 0 };
  bug?: KnownBugId;
}

export const FILE_CASES: FileCase[] = [
  {
    name: '10 MB text file',
    file: 'big.log',
    bytes: () =>
      Buffer.from('2026-11-26 retry webhook delivery failed, backing off\n'.repeat(Math.ceil((10 * MB) / 54))),
    expect: { code: 1, stderr: /Memory content is 10\.0 MB; the limit is 1\.0 MB/ },
  },
  {
    name: '20 lines of the 10 MB file',
    file: 'big.log',
    bytes: () =>
      Buffer.from('2026-11-26 retry webhook delivery failed, backing off\n'.repeat(Math.ceil((10 * MB) / 54))),
    args: ['--lines', '1-20'],
    expect: { code: 0 },
  },
  {
    name: 'minified one-line 2 MB .js',
    file: 'bundle.min.js',
    bytes: () => Buffer.from(minifiedJs(2 * MB)),
    expect: { code: 1, stderr: /Memory content is 2\.0 MB; the limit is 1\.0 MB/ },
  },
  {
    name: '256 KB random binary',
    file: 'blob.bin',
    bytes: () => seededBytes(2, 256 * 1024),
    expect: { code: 1, stderr: /binary/ },
  },
  {
    name: 'PNG header + data',
    file: 'image.png',
    bytes: () =>
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        seededBytes(3, 4096),
      ]),
    expect: { code: 1, stderr: /binary/ },
  },
  {
    name: 'UTF-16LE text with BOM',
    file: 'utf16.txt',
    bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('retry policy notes\n'.repeat(50), 'utf16le')]),
    expect: { code: 1, stderr: /binary/ },
  },
  {
    name: 'NUL after the first 8 KB',
    file: 'late-nul.txt',
    bytes: () => Buffer.from('x'.repeat(20_000) + '\0' + 'tail'),
    expect: { code: 1, stderr: /binary/ },
  },
  {
    name: 'empty file',
    file: 'empty.txt',
    bytes: () => Buffer.alloc(0),
    expect: { code: 1, stderr: /Memory content is empty/ },
  },
  {
    name: 'whitespace-only file',
    file: 'blank.txt',
    bytes: () => Buffer.from('   \n\t\n\r\n   '),
    expect: { code: 1, stderr: /Memory content is empty/ },
  },
  {
    name: 'Latin-1 file (not UTF-8)',
    file: 'latin1.txt',
    bytes: () => Buffer.from('Caf\xe9 na\xefve r\xe9sum\xe9: the retry policy\nsecond line\n', 'latin1'),
    expect: { code: 1, stderr: /UTF-8|encoding|not valid text/i },
  },
  {
    name: 'CESU-8 surrogate bytes',
    file: 'cesu.txt',
    bytes: () => Buffer.concat([Buffer.from('retry '), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(' backoff\n')]),
    expect: { code: 1, stderr: /UTF-8|encoding|not valid text/i },
  },
  {
    name: '10 MB on stdin',
    bytes: () => Buffer.from('x'.repeat(10 * MB)),
    expect: { code: 1, stderr: /Memory content is 10\.0 MB; the limit is 1\.0 MB/ },
  },
  {
    name: 'random bytes on stdin',
    bytes: () => seededBytes(4, 64 * 1024),
    expect: { code: 1, stderr: /binary|not valid text/ },
  },
];

/** A CLI capture must end (refuse or save) within this long; the child is killed at twice that. */
const CLI_LIMIT_MS = 20_000;

export async function checkFileCase(
  checks: Checks,
  dir: string,
  db: string,
  c: FileCase,
): Promise<{ code: number | null; ms: number; err: string }> {
  const data = c.bytes();
  if (c.file) fs.writeFileSync(path.join(dir, c.file), data);
  const countBefore = count(db);
  const args = ['--db', db, 'memory', 'add', '--no-embed', ...(c.file ? ['--file', c.file] : []), ...(c.args ?? [])];
  const r = await runCli(args, { cwd: dir, input: c.file ? undefined : data, timeoutMs: CLI_LIMIT_MS * 2 });
  const countAfter = count(db);
  const label = `memory add ${c.file ? `--file (${c.name})` : `< stdin (${c.name})`}${c.args ? ' ' + c.args.join(' ') : ''}`;
  const check = (name: string, ok: boolean, detail?: string) =>
    c.bug ? checks.known(c.bug, name, ok, detail) : checks.ok(name, ok, detail);
  checks.ok(
    `${label}: ends within ${ms(CLI_LIMIT_MS)}`,
    !r.timedOut && r.ms <= CLI_LIMIT_MS,
    `${ms(r.ms)}${r.timedOut ? ' (killed)' : ''}`,
  );
  checks.ok(`${label}: no stack trace`, !hasStackTrace(r.err), firstLine(r.err));
  check(
    `${label}: exits ${c.expect.code}`,
    r.code === c.expect.code,
    `exit ${r.code}, stderr ${JSON.stringify(firstLine(r.err))}`,
  );
  if (c.expect.code === 1) {
    check(`${label}: stderr says ${c.expect.stderr}`, c.expect.stderr.test(r.err), JSON.stringify(firstLine(r.err)));
    check(`${label}: nothing written`, countAfter === countBefore, `${countBefore} → ${countAfter}`);
  } else {
    checks.ok(`${label}: one memory written`, countAfter === countBefore + 1, `${countBefore} → ${countAfter}`);
  }
  return { code: r.code, ms: r.ms, err: r.err };
}

function count(db: string): number {
  const store = openStore(db, { readonly: true });
  try {
    return new MemoryRepository(store).count();
  } finally {
    store.close();
  }
}

export const hostileCapture: Scenario = {
  name: 'hostile-capture',
  title:
    'Huge, binary, badly encoded and empty captures through MemoryRepository.add and `memory add`: a clear refusal or an exact save, never a hang.',
  async run(ctx) {
    const db = path.join(ctx.dir, 'capture.db');
    const store = openStore(db);
    let rejected = 0;
    let accepted = 0;
    let slowest = 0;
    try {
      for (const c of CORE_CASES) {
        const r = checkCoreCase(ctx.checks, store, c);
        if (r.outcome === 'accepted') accepted++;
        else rejected++;
        slowest = Math.max(slowest, r.ms);
      }
      const truncation = checkTruncation(ctx.checks, store);
      const scaling = checkLongRunScaling(ctx.checks, store);
      ctx.checks.note(
        `one run of lowercase hex: 15 KB saved in ${ms(scaling.smallMs)}, 60 KB in ${ms(scaling.largeMs)}`,
      );
      checkIndex(ctx.checks, 'after the core captures', store);
      ctx.checks.note(`truncateToBytes: ${truncation}`);
    } finally {
      store.close();
    }
    let cliRejected = 0;
    let cliAccepted = 0;
    let cliSlowest = 0;
    for (const c of FILE_CASES) {
      const r = await checkFileCase(ctx.checks, ctx.dir, db, c);
      if (r.code === 0) cliAccepted++;
      else cliRejected++;
      cliSlowest = Math.max(cliSlowest, r.ms);
    }
    const check = openStore(db);
    try {
      checkIndex(ctx.checks, 'after the CLI captures', check);
    } finally {
      check.close();
    }
    return (
      `core: ${CORE_CASES.length} captures, ${rejected} refused with DevStreamError, ${accepted} saved exactly, slowest ${ms(slowest)}, 3 truncations saved; ` +
      `CLI: ${FILE_CASES.length} captures, ${cliRejected} refused, ${cliAccepted} saved, slowest ${ms(cliSlowest)}; index in sync`
    );
  },
};
