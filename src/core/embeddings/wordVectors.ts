import fs from 'node:fs';
import path from 'node:path';
import { DevStreamError } from '../errors';

/**
 * An int8 word-vector table: GloVe (media/word-vectors.bin, scripts/build-word-vectors.mjs, where
 * the format is documented) or code vectors (media/code-vectors.bin, scripts/build-code-vectors.mjs).
 */
export interface WordVectors {
  readonly dims: number;
  readonly count: number;
  /** Word → row; rows are in frequency order, so a higher row means a rarer word. */
  readonly index: ReadonlyMap<string, number>;
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

export function parseWordVectors(buf: Uint8Array): WordVectors {
  const bad = (why: string) => new DevStreamError(`Invalid word-vector file: ${why}.`, 'corrupt');
  if (buf.byteLength < 16) throw bad('too short');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (String.fromCharCode(buf[0], buf[1], buf[2], buf[3]) !== MAGIC) throw bad('wrong magic');
  const version = view.getUint16(4, true);
  if (version !== VERSION) throw bad(`format version ${version}, expected ${VERSION}`);
  const dims = view.getUint16(6, true);
  const count = view.getUint32(8, true);
  const wordBytes = view.getUint32(12, true);
  const scalesAt = 16 + wordBytes + ((4 - ((16 + wordBytes) % 4)) % 4);
  const tableAt = scalesAt + count * 4;
  if (dims === 0 || buf.byteLength !== tableAt + count * dims) throw bad('size does not match its header');

  const words = new TextDecoder().decode(buf.subarray(16, 16 + wordBytes)).split('\n');
  if (words.length !== count) throw bad(`${words.length} words, header says ${count}`);
  const index = new Map<string, number>();
  words.forEach((w, i) => index.set(w, i));
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

let cachedWords: readonly string[] | undefined;

/**
 * Only the word list of media/word-vectors.bin (English words, most frequent first): the header
 * and the words are read, not the vectors (~0.5 MB instead of ~7 MB). Read once per process.
 */
export function loadWordList(): readonly string[] {
  if (cachedWords) return cachedWords;
  const fd = fs.openSync(findWordVectorsFile(), 'r');
  try {
    const header = Buffer.alloc(16);
    fs.readSync(fd, header, 0, 16, 0);
    if (header.toString('latin1', 0, 4) !== MAGIC)
      throw new DevStreamError('Invalid word-vector file: wrong magic.', 'corrupt');
    const words = Buffer.alloc(header.readUInt32LE(12));
    fs.readSync(fd, words, 0, words.length, 16);
    cachedWords = words.toString('utf8').split('\n');
    return cachedWords;
  } finally {
    fs.closeSync(fd);
  }
}
