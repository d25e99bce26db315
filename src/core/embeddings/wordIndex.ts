/**
 * Word → row over a newline-separated UTF-8 word list, without decoding it into strings: an
 * open-addressing table of rows keyed by FNV-1a of each word's bytes, built in one pass over
 * the bytes. Why not a Map: splitting 60K words into strings and inserting them took ~20 ms
 * of every new process (a CLI search, the search worker's first query); this takes ~5 ms, and
 * a lookup costs about what Map.get does.
 */
export class WordIndex {
  readonly size: number;
  private readonly mask: number;
  /** Slot → row + 1 (0 = empty). */
  private readonly slots: Int32Array;
  /** Row → byte offset of the word in `list`; one more entry marks the end. */
  private readonly starts: Uint32Array;

  constructor(
    private readonly list: Uint8Array,
    count: number,
  ) {
    let size = 1;
    while (size < count * 2) size *= 2; // load factor ≤ 0.5: short probe runs
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    this.starts = new Uint32Array(count + 1);
    let row = 0;
    let start = 0;
    let h = FNV_OFFSET;
    for (let i = 0; i <= list.length; i++) {
      const c = i < list.length ? list[i] : NEWLINE;
      if (c !== NEWLINE) {
        h = Math.imul(h ^ c, FNV_PRIME);
        continue;
      }
      if (row === count) throw new Error(`more than ${count} words in the list`);
      let s = (h >>> 0) & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = row + 1;
      this.starts[row++] = start;
      start = i + 1;
      h = FNV_OFFSET;
    }
    if (row !== count) throw new Error(`${row} words in the list, expected ${count}`);
    this.starts[count] = list.length + 1;
    this.size = count;
  }

  /** The word's row, or undefined. Words are compared byte for byte (UTF-8). */
  get(word: string): number | undefined {
    let h = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 0x80) return this.getUtf8(word);
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return this.find(word, h);
  }

  has(word: string): boolean {
    return this.get(word) !== undefined;
  }

  /** The word of a row (tests, diagnostics). */
  word(row: number): string {
    return Buffer.from(
      this.list.buffer,
      this.list.byteOffset + this.starts[row],
      this.starts[row + 1] - 1 - this.starts[row],
    ).toString('utf8');
  }

  /** Past ASCII a character is several UTF-8 bytes: hash and compare the encoded bytes. */
  private getUtf8(word: string): number | undefined {
    const bytes = Buffer.from(word, 'utf8');
    let h = FNV_OFFSET;
    for (const c of bytes) h = Math.imul(h ^ c, FNV_PRIME);
    return this.find(bytes, h);
  }

  /** The row of `key` (an ASCII string, or UTF-8 bytes) whose FNV-1a hash is `h`. */
  private find(key: string | Uint8Array, h: number): number | undefined {
    const { list, starts, slots, mask } = this;
    for (let s = (h >>> 0) & mask; ; s = (s + 1) & mask) {
      const row = slots[s] - 1;
      if (row < 0) return undefined;
      const at = starts[row];
      if (starts[row + 1] - 1 - at !== key.length) continue;
      let k = 0;
      while (k < key.length && list[at + k] === byteAt(key, k)) k++;
      if (k === key.length) return row;
    }
  }
}

const byteAt = (key: string | Uint8Array, i: number) => (typeof key === 'string' ? key.charCodeAt(i) : key[i]);

const NEWLINE = 10;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;
