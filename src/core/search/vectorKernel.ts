/**
 * A tiny WebAssembly kernel: Hamming distances between one binary code and n others.
 *
 * Why hand-written bytes: no native code and no new dependency, and the module is ~100 bytes.
 * `i64.popcnt` compiles to one POPCNT instruction on x64 and arm64, which JS cannot reach
 * (a JS popcount on 32-bit words is 5-10× slower).
 *
 * Exported function: hamming(q, base, n, words, out)
 *   q     byte offset of the query code: `words` 64-bit words
 *   base  byte offset of n codes of `words` 64-bit words each, back to back
 *   out   byte offset of n uint16 results (distances, 0..64 × words)
 */

const I32 = 0x7f;
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
  I32_ADD = 0x6a,
  I32_SHL = 0x74;
const I64_LOAD = 0x29,
  I32_STORE16 = 0x3b,
  I64_POPCNT = 0x7b,
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

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

// Locals: params 0-4, then i32 i, p, qp, end, acc, stride.
const [Q, BASE, N, WORDS, OUT, I, P, QP, END_P, ACC, STRIDE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

function body(): number[] {
  const code = [
    BLOCK,
    VOID,
    GET,
    N,
    I32_EQZ,
    BR_IF,
    0,
    GET,
    BASE,
    SET,
    P,
    GET,
    WORDS,
    I32_CONST,
    3,
    I32_SHL,
    SET,
    STRIDE, // bytes per code
    LOOP,
    VOID, // one code per turn
    I32_CONST,
    0,
    SET,
    ACC,
    GET,
    Q,
    SET,
    QP,
    GET,
    P,
    GET,
    STRIDE,
    I32_ADD,
    SET,
    END_P,
    LOOP,
    VOID, // one 64-bit word per turn
    GET,
    ACC,
    GET,
    P,
    I64_LOAD,
    0,
    0,
    GET,
    QP,
    I64_LOAD,
    0,
    0,
    I64_XOR,
    I64_POPCNT,
    I32_WRAP_I64,
    I32_ADD,
    SET,
    ACC,
    GET,
    QP,
    I32_CONST,
    8,
    I32_ADD,
    SET,
    QP,
    GET,
    P,
    I32_CONST,
    8,
    I32_ADD,
    TEE,
    P,
    GET,
    END_P,
    I32_LT_U,
    BR_IF,
    0,
    END,
    GET,
    OUT,
    GET,
    ACC,
    I32_STORE16,
    0,
    0,
    GET,
    OUT,
    I32_CONST,
    2,
    I32_ADD,
    SET,
    OUT,
    GET,
    I,
    I32_CONST,
    1,
    I32_ADD,
    TEE,
    I,
    GET,
    N,
    I32_LT_U,
    BR_IF,
    0,
    END,
    END,
  ];
  return [...vec([[6, I32]]), ...code, END];
}

/** The module's bytes: imports env.mem, exports hamming. */
export function kernelBytes(): Uint8Array {
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
    ...section(10, vec([[...uleb(body().length), ...body()]])),
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

let compiled: WasmModule | null | undefined;

/** The compiled module, or null where WebAssembly is unavailable (callers fall back to vec0). */
export function kernelModule(): WasmModule | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = kernelBytes();
    compiled = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A memory of at least `bytes` bytes, or null without WebAssembly. */
export function newWasmMemory(bytes: number): WasmMemory | null {
  return wasm ? new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / WASM_PAGE)) }) : null;
}

export function instantiateKernel(memory: WasmMemory): HammingFn | null {
  const mod = kernelModule();
  if (!mod || !wasm) return null;
  const instance = new wasm.Instance(mod, { env: { mem: memory } });
  return instance.exports.hamming as HammingFn;
}
