/**
 * A tiny WebAssembly kernel: Hamming distances between one binary code and n others.
 *
 * Why hand-written bytes: no native code and no new dependency, and the module is a few hundred
 * bytes. `i64.popcnt` compiles to one POPCNT instruction on x64 and arm64, which JS cannot reach
 * (a JS popcount on 32-bit words is 5-10× slower).
 *
 * The module is generated for one code length (`words` 64-bit words, 12 for 768-d vectors): the
 * query's words sit in locals and the loop over a code's words is unrolled, so each word costs a
 * load, an XOR, a POPCNT and an add. A generic loop reloading the query spent most of its time on
 * loop bookkeeping: 27 ms for 1M codes of 12 words, vs ~10 ms unrolled (BENCHMARKS.md).
 *
 * Exported function: hamming(q, base, n, words, out)
 *   q     byte offset of the query code: `words` 64-bit words
 *   base  byte offset of n codes of `words` 64-bit words each, back to back
 *   words must equal the module's code length (it is the stride)
 *   out   byte offset of n uint16 results (distances, 0..64 × words)
 */

const I32 = 0x7f;
const I64 = 0x7e;
const BLOCK = 0x02,
  LOOP = 0x03,
  END = 0x0b,
  BR_IF = 0x0d,
  VOID = 0x40;
const GET = 0x20,
  SET = 0x21,
  TEE = 0x22;
const I32_CONST = 0x41,
  I32_EQZ = 0x45,
  I32_LT_U = 0x49,
  I32_ADD = 0x6a;
const I64_LOAD = 0x29,
  I32_STORE16 = 0x3b,
  I64_POPCNT = 0x7b,
  I64_ADD = 0x7c,
  I64_XOR = 0x85,
  I32_WRAP_I64 = 0xa7;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a non-negative i32 constant (bit 6 of the last byte is the sign). */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if (n === 0 && (b & 0x40) === 0) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'latin1')];
/** memarg of an aligned 64-bit load at a constant offset. */
const load64 = (offset: number) => [I64_LOAD, 3, ...uleb(offset)];

// Params 0-4, then locals: i32 i, p; i64 the query's words.
const [Q, BASE, N, , OUT, I, P, QW] = [0, 1, 2, 3, 4, 5, 6, 7];

function body(words: number): number[] {
  const code: number[] = [BLOCK, VOID, GET, N, I32_EQZ, BR_IF, 0];
  for (let w = 0; w < words; w++) code.push(GET, Q, ...load64(8 * w), SET, QW + w);
  code.push(GET, BASE, SET, P);
  code.push(LOOP, VOID, GET, OUT); // one code per turn; the store's address first
  for (let w = 0; w < words; w++) {
    code.push(GET, P, ...load64(8 * w), GET, QW + w, I64_XOR, I64_POPCNT);
    if (w > 0) code.push(I64_ADD);
  }
  code.push(I32_WRAP_I64, I32_STORE16, 1, 0);
  code.push(GET, OUT, I32_CONST, 2, I32_ADD, SET, OUT);
  code.push(GET, P, I32_CONST, ...sleb(8 * words), I32_ADD, SET, P);
  code.push(GET, I, I32_CONST, 1, I32_ADD, TEE, I, GET, N, I32_LT_U, BR_IF, 0, END, END);
  return [
    ...vec([
      [2, I32],
      [...uleb(words), I64],
    ]),
    ...code,
    END,
  ];
}

/** The module's bytes for codes of `words` 64-bit words: imports env.mem, exports hamming. */
export function kernelBytes(words: number): Uint8Array {
  const f = body(words);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec([[0x60, 5, I32, I32, I32, I32, I32, 0]])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('hamming'), 0x00, 0]])),
    ...section(10, vec([[...uleb(f.length), ...f]])),
  ];
  return Uint8Array.from(bytes);
}

export type HammingFn = (q: number, base: number, n: number, words: number, out: number) => void;

/** The slice of the WebAssembly API we use (tsconfig has no DOM lib, where its types live). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __brand?: 'module';
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (mod: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (desc: { initial: number; maximum?: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const WASM_PAGE = 65536;

const compiled = new Map<number, WasmModule | null>();

/**
 * The compiled module for codes of `words` 64-bit words, or null where WebAssembly is
 * unavailable (callers fall back to vec0).
 */
export function kernelModule(words: number): WasmModule | null {
  let mod = compiled.get(words);
  if (mod !== undefined) return mod;
  try {
    const bytes = kernelBytes(words);
    mod = wasm && Number.isInteger(words) && words >= 1 && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    mod = null;
  }
  compiled.set(words, mod);
  return mod;
}

/** A memory of at least `bytes` bytes, or null without WebAssembly. */
export function newWasmMemory(bytes: number): WasmMemory | null {
  return wasm ? new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / WASM_PAGE)) }) : null;
}

export function instantiateKernel(memory: WasmMemory, words: number): HammingFn | null {
  const mod = kernelModule(words);
  if (!mod || !wasm) return null;
  const instance = new wasm.Instance(mod, { env: { mem: memory } });
  return instance.exports.hamming as HammingFn;
}
