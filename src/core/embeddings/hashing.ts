/**
 * Signed feature hashing: a feature adds ±weight to one bucket. The sign makes collisions
 * cancel out on average instead of piling up. Seeds are fixed: changing one changes every
 * vector, so it would need a new model name.
 */

/** murmur3's finaliser: spreads every input bit over the whole word. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, seeded and finalised. */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix(h);
}

/** The same hash over three code units, without building a substring. */
export function hash3(a: number, b: number, c: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  h = Math.imul(h ^ a, 0x01000193);
  h = Math.imul(h ^ b, 0x01000193);
  h = Math.imul(h ^ c, 0x01000193);
  return fmix(h);
}

/** Adds ±weight for hash h into out[offset, offset + size). */
export function addHashed(out: Float32Array, offset: number, size: number, h: number, weight: number): void {
  out[offset + ((h >>> 1) % size)] += h & 1 ? weight : -weight;
}
