#!/usr/bin/env node
// Builds media/code-vectors.bin, the code word-vector table of the built-in embedder, by latent
// semantic analysis of source code installed on this machine: Debian's python3 standard library
// and the JS/TS under node_modules. Words that occur in the same pieces of code (identifier
// parts, comments, docstrings, strings) get similar vectors, so "number of items" lands near
// `len`/`count`/`size` and "readonly" near `is_readable`. Only packages of the *train* split
// are read (bench/qualityCorpus.ts splitOf), so the retrieval benchmark's held-out queries and
// their functions never feed the table. Re-run after `npx tsc -p .`:
//
//   node scripts/build-code-vectors.mjs [--dims 128] [--words 30000] [--out media/code-vectors.bin]
//
// Deterministic for the same installed files (sorted walks, seeded random projection).
//
// Steps: each train-split file is cut into chunks of CHUNK_LINES lines; each chunk is tokenized
// exactly as the embedder tokenizes (src/core/embeddings/tokenize.ts, stop words removed, stemmed);
// the words kept are the `--words` most common by chunk frequency (seen in >= 2 chunks); the
// word × chunk matrix holds (1 + ln tf) · idf; a randomized SVD (Halko et al. 2011: Gaussian
// projection, 2 power iterations, Gram-Schmidt, Jacobi on the small matrix) gives its top
// dims + 1 left singular vectors; the first (the direction every word shares, mostly frequency) is
// dropped; word vectors are U · sqrt(Σ), unit-normalised, then int8 with one float32 scale per
// word: the format of media/word-vectors.bin (scripts/build-word-vectors.mjs). Rows are in
// chunk-frequency order, so the embedder's rank-based weights apply unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = (p) => path.join(root, 'out', p);
if (!fs.existsSync(out('bench/qualityCorpus.js'))) {
  throw new Error('run `npx tsc -p .` first (this script uses the compiled tokenizer)');
}
const corpus = require(out('bench/qualityCorpus.js'));
const { tokenize, stem } = require(out('src/core/embeddings/tokenize.js'));
const { hashString } = require(out('src/core/embeddings/hashing.js'));

const CHUNK_LINES = 20;
/** Per package: a huge one (typescript) must not define the whole vocabulary. */
const MAX_BYTES_PER_UNIT = 8_000_000;
const MIN_DF = 2;
const OVERSAMPLE = 10;
const POWER_ITERATIONS = 2;

function parseArgs(argv) {
  const args = { dims: 128, words: 60000, out: path.join(root, 'media', 'code-vectors.bin') };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--dims') args.dims = Number(v);
    else if (k === '--words') args.words = Number(v);
    else if (k === '--out') args.out = path.resolve(v);
    else throw new Error(`unknown argument ${k}`);
  }
  if (!Number.isInteger(args.dims) || args.dims < 8 || args.dims > 512)
    throw new Error('--dims must be an integer in 8..512');
  if (!Number.isInteger(args.words) || args.words < 1000) throw new Error('--words must be an integer >= 1000');
  return args;
}

/** The train-split source files, in a fixed order, at most MAX_BYTES_PER_UNIT per package. */
function trainFiles() {
  const files = [];
  const py = corpus.pythonRoot();
  if (py) files.push(...corpus.pythonFiles(py));
  const nm = path.join(root, 'node_modules');
  if (fs.existsSync(nm)) files.push(...corpus.jsFiles(fs.realpathSync(nm)));
  const bytes = new Map();
  return files.filter(({ file, unit }) => {
    if (corpus.splitOf(unit) !== 'train') return false;
    const size = fs.statSync(file).size;
    const used = bytes.get(unit) ?? 0;
    if (size > MAX_BYTES_PER_UNIT || used + size > MAX_BYTES_PER_UNIT) return false;
    bytes.set(unit, used + size);
    return true;
  });
}

/** Each chunk as a Map stem → count. */
function* chunks(files) {
  for (const { file } of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i += CHUNK_LINES) {
      const tf = new Map();
      const { words } = tokenize(lines.slice(i, i + CHUNK_LINES).join('\n'));
      for (const w of words) {
        const s = stem(w);
        tf.set(s, (tf.get(s) ?? 0) + 1);
      }
      if (tf.size >= 3) yield tf;
    }
  }
}

/** Seeded standard normal numbers (Box-Muller over a murmur-mixed counter). */
function gaussian(seed) {
  let n = 0;
  const u = () => (hashString(String(n++), seed) + 0.5) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Y ← X · (Xᵀ · Y) chunk by chunk (X is words × chunks, never materialised densely). */
function multiplyXXt(m, Y, l) {
  const next = new Float64Array(Y.length);
  const z = new Float64Array(l);
  for (let c = 0; c + 1 < m.starts.length; c++) {
    z.fill(0);
    for (let e = m.starts[c]; e < m.starts[c + 1]; e++) {
      const base = m.cols[e] * l;
      const x = m.vals[e];
      for (let j = 0; j < l; j++) z[j] += x * Y[base + j];
    }
    for (let e = m.starts[c]; e < m.starts[c + 1]; e++) {
      const base = m.cols[e] * l;
      const x = m.vals[e];
      for (let j = 0; j < l; j++) next[base + j] += x * z[j];
    }
  }
  return next;
}

/** Orthonormalises the l columns of the V × l row-major matrix in place (modified Gram-Schmidt). */
function orthonormalize(Y, V, l) {
  for (let j = 0; j < l; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < V; r++) dot += Y[r * l + i] * Y[r * l + j];
      for (let r = 0; r < V; r++) Y[r * l + j] -= dot * Y[r * l + i];
    }
    let norm = 0;
    for (let r = 0; r < V; r++) norm += Y[r * l + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < V; r++) Y[r * l + j] /= norm;
  }
}

/** Eigenvalues and eigenvectors (columns) of a symmetric n × n matrix, cyclic Jacobi. */
function jacobi(A, n) {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-18) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = Array.from({ length: n }, (_, i) => a[i * n + i]);
  return { values, vectors: v };
}

function encode(words, vectors, dims) {
  const list = Buffer.from(words.join('\n'), 'utf8');
  const pad = (4 - ((16 + list.length) % 4)) % 4;
  const n = words.length;
  const buf = Buffer.alloc(16 + list.length + pad + n * 4 + n * dims);
  buf.write('DSWV', 0, 'latin1');
  buf.writeUInt16LE(1, 4);
  buf.writeUInt16LE(dims, 6);
  buf.writeUInt32LE(n, 8);
  buf.writeUInt32LE(list.length, 12);
  list.copy(buf, 16);
  const scalesAt = 16 + list.length + pad;
  const tableAt = scalesAt + n * 4;
  for (let i = 0; i < n; i++) {
    const row = vectors.subarray(i * dims, (i + 1) * dims);
    const norm = Math.hypot(...row) || 1;
    let max = 0;
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(row[d] / norm));
    const scale = Math.fround(max / 127 || 1);
    buf.writeFloatLE(scale, scalesAt + i * 4);
    for (let d = 0; d < dims; d++) buf.writeInt8(Math.round(row[d] / norm / scale), tableAt + i * dims + d);
  }
  return buf;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const files = trainFiles();
  const docs = [...chunks(files)];
  const df = new Map();
  for (const tf of docs) for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const words = [...df]
    .filter(([w, n]) => n >= MIN_DF && w.length >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, args.words)
    .map(([w]) => w);
  const row = new Map(words.map((w, i) => [w, i]));
  const V = words.length;

  // The sparse word × chunk matrix, stored chunk by chunk: (1 + ln tf) · idf.
  const starts = [0];
  const cols = [];
  const vals = [];
  for (const tf of docs) {
    for (const [w, n] of tf) {
      const r = row.get(w);
      if (r === undefined) continue;
      cols.push(r);
      vals.push((1 + Math.log(n)) * Math.log(docs.length / df.get(w)));
    }
    starts.push(cols.length);
  }
  const m = { starts: Int32Array.from(starts), cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${files.length} files, ${docs.length} chunks, ${V} words, ${cols.length} nonzeros (${secs()} s)`);

  // Randomized range finder: Y = X Ω with Ω drawn per chunk on the fly, then power iterations.
  const l = args.dims + 1 + OVERSAMPLE;
  const g = gaussian(0x0c0de);
  let Y = new Float64Array(V * l);
  for (let c = 0; c + 1 < m.starts.length; c++) {
    const omega = Array.from({ length: l }, g);
    for (let e = m.starts[c]; e < m.starts[c + 1]; e++) {
      const base = m.cols[e] * l;
      for (let j = 0; j < l; j++) Y[base + j] += m.vals[e] * omega[j];
    }
  }
  orthonormalize(Y, V, l);
  for (let it = 0; it < POWER_ITERATIONS; it++) {
    Y = multiplyXXt(m, Y, l);
    orthonormalize(Y, V, l);
  }
  // Qᵀ X Xᵀ Q (l × l): its eigenvectors rotate Q onto X's left singular vectors.
  const M = multiplyXXt(m, Y, l);
  const small = new Float64Array(l * l);
  for (let r = 0; r < V; r++) {
    for (let i = 0; i < l; i++) {
      const q = Y[r * l + i];
      if (q === 0) continue;
      for (let j = 0; j < l; j++) small[i * l + j] += q * M[r * l + j];
    }
  }
  for (let i = 0; i < l; i++)
    for (let j = i + 1; j < l; j++) small[i * l + j] = small[j * l + i] = (small[i * l + j] + small[j * l + i]) / 2;
  const { values, vectors } = jacobi(small, l);
  const order = values
    .map((v, i) => [v, i])
    .sort((a, b) => b[0] - a[0])
    .map(([, i]) => i)
    .slice(1, args.dims + 1);
  const table = new Float64Array(V * args.dims);
  order.forEach((e, d) => {
    const weight = Math.pow(Math.max(values[e], 0), 0.25); // sqrt(σ), σ = sqrt(eigenvalue)
    for (let r = 0; r < V; r++) {
      let u = 0;
      for (let i = 0; i < l; i++) u += Y[r * l + i] * vectors[i * l + e];
      table[r * args.dims + d] = u * weight;
    }
  });
  const bin = encode(words, table, args.dims);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, bin);
  console.log(`${path.relative(root, args.out)}: ${V} words × ${args.dims} dims, ${bin.length} bytes, in ${secs()} s`);
}

main();
