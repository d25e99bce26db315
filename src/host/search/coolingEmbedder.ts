import { DevStreamError } from '../../core/errors';
import type { EmbedPurpose, Embedder, ProbeResult } from '../../core/embeddings/types';

/**
 * Wraps a remote embedder for interactive use: after a failure it fails fast for a while
 * (with the original reason) instead of letting every keystroke wait on a dead server.
 */
export class CoolingEmbedder implements Embedder {
  private coolUntil = 0;
  private lastError = '';

  constructor(
    private readonly inner: Embedder,
    private readonly coolMs = 30_000,
    private readonly now = Date.now,
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
    if (this.now() < this.coolUntil) {
      throw new DevStreamError(
        `${this.lastError} (retrying in ${Math.ceil((this.coolUntil - this.now()) / 1000)} s)`,
        'unavailable',
      );
    }
    try {
      return await this.inner.embed(texts, purpose, signal);
    } catch (e) {
      if (!signal?.aborted) {
        this.lastError = e instanceof Error ? e.message : String(e);
        this.coolUntil = this.now() + this.coolMs;
      }
      throw e;
    }
  }

  probe(): Promise<ProbeResult> {
    return this.inner.probe();
  }
}
