import { CONTENT_TYPES, type ContentType } from '../memory/types';
import { RandomRotation } from './randomRotation';
import { smallestK } from './topK';
import { instantiateKernel, newWasmMemory, WASM_PAGE, type HammingFn, type WasmMemory } from './vectorKernel';

const NO_TYPE = 255;
/** Lookups answered by scanning `rowids` before an index restored from codes builds its map. */
const SCANNED_LOOKUPS = 32;
const TYPE_CODES = new Map<string, number>(CONTENT_TYPES.map((t, i) => [t, i]));

export interface ApproxHit {
  rowid: number;
  /** Approximate cosine similarity from the 1-bit codes (cos(π × Hamming / bits)): for choosing candidates only. */
  approx: number;
}

/** What VectorIndex.codes() gives and VectorIndex.fromCodes() takes: n memories, slot by slot. */
export interface IndexCodes {
  bits: number;
  rowids: Float64Array;
  types: Uint8Array;
  /** n × bits / 8 bytes, slot after slot. */
  codes: Uint8Array;
}

export interface ApproxQuery {
  /** How many candidates to return. */
  count: number;
  contentType?: ContentType;
  /** Only these rowids (a pre-filtered set). */
  allowed?: ReadonlySet<number>;
}

/**
 * Memories' vectors held in memory as 1-bit codes (the signs of a fixed random rotation, see
 * RandomRotation), scanned by the wasm POPCNT kernel. The Hamming distance between two codes
 * estimates the angle between the vectors, which is enough to pick a short candidate list;
 * exact distances come from the stored float32 embeddings (the caller rescores it).
 *
 * Bytes per memory at 768-d: 96 (code) + 2 (kernel output) + 8 (rowid) + 1 (type) + a Map
 * entry (~40) ≈ 150, i.e. about 15 MB at 100K (the int8 copy it replaces took 826 B).
 * Holds no SQL: VectorIndexSync keeps it equal to the database.
 */
export class VectorIndex {
  readonly dimension: number;
  /** Code length in bits: the dimension rounded up to 64, at most the rotation's size. */
  readonly bits: number;
  private readonly words: number;
  private readonly codeBytes: number;
  private readonly codeOffset: number;
  private readonly rotation: RandomRotation;
  private readonly memory: WasmMemory;
  private readonly hamming: HammingFn;
  private capacity = 0;
  private n = 0;
  private rowids = new Float64Array(0);
  private types = new Uint8Array(0);
  /**
   * rowid → slot, built on first need: an index restored from stored codes (a one-shot CLI
   * search) that replays a few changes finds their slots with a native scan of `rowids` instead
   * of first building a 100K-entry Map (~10 ms).
   */
  private slots: Map<number, number> | null = new Map();
  private lookups = 0;

  /** Code length in bits for this dimension: rounded up to 64, at most the rotation's size. */
  static bitsFor(dimension: number): number {
    return Math.min(Math.ceil(dimension / 64) * 64, Math.max(RandomRotation.sizeFor(dimension), 64));
  }

  /** Null when WebAssembly is not available here. */
  static create(dimension: number, initialCapacity = 1024): VectorIndex | null {
    if (!Number.isInteger(dimension) || dimension < 1) return null;
    const rotation = new RandomRotation(dimension);
    const bits = VectorIndex.bitsFor(dimension);
    const memory = newWasmMemory(64 + bits / 8);
    const hamming = memory && instantiateKernel(memory, bits / 64);
    if (!memory || !hamming) return null;
    const index = new VectorIndex(dimension, bits, rotation, memory, hamming);
    index.reserve(initialCapacity);
    return index;
  }

  private constructor(
    dimension: number,
    bits: number,
    rotation: RandomRotation,
    memory: WasmMemory,
    hamming: HammingFn,
  ) {
    this.dimension = dimension;
    this.bits = bits;
    this.words = bits / 64;
    this.codeBytes = bits / 8;
    this.codeOffset = Math.ceil(this.codeBytes / 64) * 64; // the query's code sits before the others
    this.rotation = rotation;
    this.memory = memory;
    this.hamming = hamming;
  }

  get size(): number {
    return this.n;
  }

  has(rowid: number): boolean {
    return this.slotOf(rowid) !== undefined;
  }

  /**
   * An index holding these codes (from codes() of an index of the same dimension), or null when
   * they do not fit it or WebAssembly is missing.
   */
  static fromCodes(dimension: number, saved: IndexCodes): VectorIndex | null {
    const n = saved.rowids.length;
    const bits = VectorIndex.bitsFor(dimension);
    if (saved.bits !== bits || saved.types.length !== n || saved.codes.length !== (n * bits) / 8) return null;
    const index = VectorIndex.create(dimension, n);
    if (!index) return null;
    new Uint8Array(index.memory.buffer, index.codeOffset, saved.codes.length).set(saved.codes);
    index.rowids.set(saved.rowids);
    index.types.set(saved.types);
    index.n = n;
    index.slots = null;
    return index;
  }

  /** A copy of the codes, rowids and types, for storing (fromCodes() restores them). */
  codes(): IndexCodes {
    const n = this.n;
    return {
      bits: this.bits,
      rowids: this.rowids.slice(0, n),
      types: this.types.slice(0, n),
      codes: new Uint8Array(this.memory.buffer, this.codeOffset, n * this.codeBytes).slice(),
    };
  }

  /** What the index holds now, in bytes (wasm memory plus the per-vector arrays and the rowid map). */
  get bytes(): number {
    return this.memory.buffer.byteLength + this.capacity * (8 + 1) + (this.slots?.size ?? 0) * 40;
  }

  /** Makes room for at least `count` vectors (call before a bulk load to avoid regrowing). */
  reserve(count: number): void {
    if (count <= this.capacity) return;
    const cap = Math.max(count, 64);
    const need = this.outOffset(cap) + cap * 2;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / WASM_PAGE));
    const rowids = new Float64Array(cap);
    rowids.set(this.rowids.subarray(0, this.n));
    const types = new Uint8Array(cap);
    types.set(this.types.subarray(0, this.n));
    this.rowids = rowids;
    this.types = types;
    this.capacity = cap;
  }

  /** Adds or replaces a memory's vector. A vector of the wrong length is refused (returns false). */
  upsert(rowid: number, contentType: string, vector: ArrayLike<number>): boolean {
    if (vector.length !== this.dimension) return false;
    let slot = this.slotOf(rowid);
    if (slot === undefined) {
      if (this.n === this.capacity) this.reserve(Math.ceil(this.capacity * 1.5) + 64);
      slot = this.n++;
      this.slots?.set(rowid, slot);
      this.rowids[slot] = rowid;
    }
    this.types[slot] = TYPE_CODES.get(contentType) ?? NO_TYPE;
    this.rotation.encode(vector, this.code(slot), this.bits);
    return true;
  }

  remove(rowid: number): boolean {
    const slot = this.slotOf(rowid);
    if (slot === undefined) return false;
    const last = --this.n;
    this.slots?.delete(rowid);
    if (slot !== last) {
      // Move the last code into the hole: the codes stay contiguous for the kernel.
      this.code(slot).set(this.code(last));
      this.types[slot] = this.types[last];
      this.rowids[slot] = this.rowids[last];
      this.slots?.set(this.rowids[slot], slot);
    }
    return true;
  }

  clear(): void {
    this.n = 0;
    this.slots = new Map();
  }

  /** Without the map: a native scan for the first few lookups, then the map is built once. */
  private slotOf(rowid: number): number | undefined {
    if (this.slots) return this.slots.get(rowid);
    if (++this.lookups <= SCANNED_LOOKUPS) {
      const slot = this.rowids.subarray(0, this.n).indexOf(rowid);
      return slot < 0 ? undefined : slot;
    }
    const slots = new Map<number, number>();
    for (let i = 0; i < this.n; i++) slots.set(this.rowids[i], i);
    this.slots = slots;
    return slots.get(rowid);
  }

  /** The `count` memories nearest to the query by Hamming distance, best first (ties: older slot first). */
  search(query: ArrayLike<number>, q: ApproxQuery): ApproxHit[] {
    if (query.length !== this.dimension || this.n === 0 || q.count <= 0) return [];
    this.rotation.encode(query, new Uint8Array(this.memory.buffer, 0, this.codeBytes), this.bits);
    const out = this.outOffset(this.capacity);
    this.hamming(0, this.codeOffset, this.n, this.words, out);
    const dist = new Uint16Array(this.memory.buffer, out, this.n);
    const { types, rowids } = this;
    let accept: ((i: number) => boolean) | undefined;
    if (q.contentType !== undefined) {
      const code = TYPE_CODES.get(q.contentType) ?? NO_TYPE;
      accept = (i) => types[i] === code;
    }
    if (q.allowed) {
      const allowed = q.allowed;
      const byType = accept;
      accept = byType ? (i) => byType(i) && allowed.has(rowids[i]) : (i) => allowed.has(rowids[i]);
    }
    return smallestK(dist, this.n, this.bits, q.count, accept).map((i) => ({
      rowid: rowids[i],
      approx: Math.cos((Math.PI * dist[i]) / this.bits),
    }));
  }

  private code(slot: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, this.codeOffset + slot * this.codeBytes, this.codeBytes);
  }

  /** Where the kernel writes its distances: after `capacity` codes, 8-byte aligned. */
  private outOffset(capacity: number): number {
    return Math.ceil((this.codeOffset + capacity * this.codeBytes) / 8) * 8;
  }
}
