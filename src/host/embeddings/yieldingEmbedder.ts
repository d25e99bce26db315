import type { EmbedPurpose, Embedder, ProbeResult } from '../../core/embeddings/types';

/**
 * The built-in embedder computes synchronously on the extension host's thread, and the queue's
 * awaits on it are microtasks only: a backlog (a re-index) would run batch after batch without
 * letting the editor breathe. This wrapper starts every call on a fresh macrotask and cuts
 * inputs to `maxChars` (a 1 MB log takes ~0.7 s to embed whole; past a few pages of text an
 * averaged word-vector embedding no longer changes in any useful way).
 */
export class YieldingEmbedder implements Embedder {
  constructor(
    private readonly inner: Embedder,
    private readonly maxChars = 32_000,
  ) {}

  get id() {
    return this.inner.id;
  }
  get model() {
    return this.inner.model;
  }
  get dimension() {
    return this.inner.dimension;
  }

  async embed(texts: string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    return this.inner.embed(
      texts.map((t) => (t.length > this.maxChars ? t.slice(0, this.maxChars) : t)),
      purpose,
      signal,
    );
  }

  probe(): Promise<ProbeResult> {
    return this.inner.probe();
  }
}
