/**
 * The indexes of the k largest scores among those accepted, best first (ties: lower index
 * first). A bounded min-heap: one comparison for most of the n items, so selecting 200 of
 * 100K costs about as much as reading the scores once.
 */
export function topK(n: number, k: number, score: (i: number) => number, accept?: (i: number) => boolean): number[] {
  if (k <= 0 || n <= 0) return [];
  const heapScore = new Float64Array(k);
  const heapIdx = new Int32Array(k);
  let size = 0;
  // "worse" = lower score, or equal score and higher index (so lower indexes win ties).
  const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && ia > ib);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heapScore[l], heapIdx[l], heapScore[m], heapIdx[m])) m = l;
      if (r < size && worse(heapScore[r], heapIdx[r], heapScore[m], heapIdx[m])) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  const swap = (a: number, b: number) => {
    const s = heapScore[a];
    heapScore[a] = heapScore[b];
    heapScore[b] = s;
    const x = heapIdx[a];
    heapIdx[a] = heapIdx[b];
    heapIdx[b] = x;
  };
  for (let i = 0; i < n; i++) {
    if (accept && !accept(i)) continue;
    const s = score(i);
    if (Number.isNaN(s)) continue;
    if (size < k) {
      let j = size++;
      heapScore[j] = s;
      heapIdx[j] = i;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!worse(heapScore[j], heapIdx[j], heapScore[p], heapIdx[p])) break;
        swap(j, p);
        j = p;
      }
    } else if (worse(heapScore[0], heapIdx[0], s, i)) {
      heapScore[0] = s;
      heapIdx[0] = i;
      siftDown(0);
    }
  }
  const out: number[] = [];
  while (size > 0) {
    out.push(heapIdx[0]);
    size--;
    if (size > 0) {
      heapScore[0] = heapScore[size];
      heapIdx[0] = heapIdx[size];
      siftDown(0);
    }
  }
  return out.reverse();
}

/**
 * The indexes of the k smallest of `values[0..n)` among those accepted, smallest first (ties:
 * lower index first), for small integer values (0..maxValue, e.g. Hamming distances). Two
 * linear passes over a histogram instead of a heap: at 1M values that is a few milliseconds.
 */
export function smallestK(
  values: Uint16Array,
  n: number,
  maxValue: number,
  k: number,
  accept?: (i: number) => boolean,
): number[] {
  if (k <= 0 || n <= 0) return [];
  const counts = new Uint32Array(maxValue + 2);
  for (let i = 0; i < n; i++) if (!accept || accept(i)) counts[values[i]]++;
  // The threshold t: every value below t is taken, values equal to t until k are reached.
  let t = 0;
  let below = 0;
  while (t <= maxValue && below + counts[t] < k) below += counts[t++];
  let atT = k - below; // how many of the values equal to t fit
  const buckets: number[][] = Array.from({ length: t + 1 }, () => []);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v > t || (accept && !accept(i))) continue;
    if (v === t) {
      if (atT === 0) continue;
      atT--;
    }
    buckets[v].push(i); // ascending i within a bucket
  }
  return buckets.flat();
}
