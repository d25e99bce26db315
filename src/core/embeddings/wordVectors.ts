import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../errors';
import { WordIndex } from './wordIndex';

/**
 * An int8 word-vector table: GloVe (media/word-vectors.bin, scripts/build-word-vectors.mjs, where
 * the format is documented) or code vectors (media/code-vectors.bin, scripts/build-code-vectors.mjs).
 */
export interface WordVectors {
  readonly dims: number;
  readonly count: number;
  /** Word → row; rows are in frequency order, so a higher row means a rarer word. */
  readonly index: WordIndex;
  /** Per-row dequantisation factor: value = table[row * dims + d] * scales[row]. */
  readonly scales: Float32Array;
  readonly table: Int8Array;
}

export const WORD_VECTORS_FILE = path.join('media', 'word-vectors.bin');
export const CODE_VECTORS_FILE = path.join('media', 'code-vectors.bin');
const MAGIC = 'DSWV';
const VERSION = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The asset ships beside the code (dist/ or out/src/core/embeddings/); find it by walking up. */
export function findWordVectorsFile(from = __dirname, file = WORD_VECTORS_FILE): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      throw new DevStreamError(`${file} not found above ${from}: the extension install is incomplete.`, 'unavailable');
    }
  }
}

const HEADER_BYTES = 16;
const bad = (why: string) => new DevStreamError(`Invalid word-vector file: ${why}.`, 'corrupt');

/** The fixed header: magic, format version, dimensions, word count, bytes of the word list. */
function parseHeader(buf: Uint8Array): { dims: number; count: number; wordBytes: number } {
  if (buf.byteLength < HEADER_BYTES) throw bad('too short');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (String.fromCharCode(buf[0], buf[1], buf[2], buf[3]) !== MAGIC) throw bad('wrong magic');
  const version = view.getUint16(4, true);
  if (version !== VERSION) throw bad(`format version ${version}, expected ${VERSION}`);
  return { dims: view.getUint16(6, true), count: view.getUint32(8, true), wordBytes: view.getUint32(12, true) };
}

/** The word list (newline-separated, right after the header) as word → row. */
function parseWords(list: Uint8Array, count: number): WordIndex {
  try {
    return new WordIndex(list, count);
  } catch (e) {
    throw bad(`${e instanceof Error ? e.message : String(e)} (header says ${count})`);
  }
}

export function parseWordVectors(buf: Uint8Array): WordVectors {
  const { dims, count, wordBytes } = parseHeader(buf);
  const scalesAt = HEADER_BYTES + wordBytes + ((4 - ((HEADER_BYTES + wordBytes) % 4)) % 4);
  const tableAt = scalesAt + count * 4;
  if (dims === 0 || buf.byteLength !== tableAt + count * dims) throw bad('size does not match its header');

  const index = parseWords(buf.subarray(HEADER_BYTES, HEADER_BYTES + wordBytes), count);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // Views into the file buffer, no copies; scales need 4-byte alignment (the format pads for it).
  const at = buf.byteOffset + scalesAt;
  let scales: Float32Array;
  if (at % 4 === 0 && LITTLE_ENDIAN) {
    scales = new Float32Array(buf.buffer, at, count);
  } else {
    scales = new Float32Array(count);
    for (let i = 0; i < count; i++) scales[i] = view.getFloat32(scalesAt + i * 4, true);
  }
  const table = new Int8Array(buf.buffer, buf.byteOffset + tableAt, count * dims);
  return { dims, count, index, scales, table };
}

let cached: WordVectors | undefined;
let cachedCode: WordVectors | undefined;

/** Reads the asset once per process, on first use (~0.1 s, ~20 MB). */
export function loadWordVectors(): WordVectors {
  cached ??= parseWordVectors(fs.readFileSync(findWordVectorsFile()));
  return cached;
}

/** The code word vectors, read once per process on first use (~5 ms, ~4 MB). */
export function loadCodeVectors(): WordVectors {
  cachedCode ??= parseWordVectors(fs.readFileSync(findWordVectorsFile(__dirname, CODE_VECTORS_FILE)));
  return cachedCode;
}

let cachedRanks: WordIndex | undefined;

/**
 * English word → frequency rank (0 = most frequent), from media/word-vectors.bin. When the
 * embedder has loaded the table it is that table's index; otherwise only the header and the word
 * list are read, not the vectors (~0.5 MB instead of ~7 MB). Read once per process.
 */
export function loadWordRanks(): WordIndex {
  if (cached) return cached.index;
  if (cachedRanks) return cachedRanks;
  const fd = fs.openSync(findWordVectorsFile(), 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    fs.readSync(fd, header, 0, HEADER_BYTES, 0);
    const { count, wordBytes } = parseHeader(header);
    const list = Buffer.alloc(wordBytes);
    if (fs.readSync(fd, list, 0, wordBytes, HEADER_BYTES) !== wordBytes) throw bad('truncated word list');
    cachedRanks = parseWords(list, count);
    return cachedRanks;
  } finally {
    fs.closeSync(fd);
  }
}
