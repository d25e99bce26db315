import type { Embedder } from '../embeddings/types';

/** How long a failed embedder is not asked again: one timeout per minute, not one per call. */
export const OUTAGE_RETRY_MS = 60_000;

/**
 * The embedder, remembering a failure: for `retryMs` after one, calls fail at once with the same
 * reason instead of waiting for another connection timeout (a stopped Ollama cost ~800 ms per
 * search). The first call after the pause tries again. Aborted calls are not failures.
 */
export function withOutageMemory(
  embedder: Embedder,
  retryMs = OUTAGE_RETRY_MS,
  now: () => number = Date.now,
): Embedder {
  let down: { until: number; reason: string } | undefined;
  return {
    id: embedder.id,
    model: embedder.model,
    dimension: embedder.dimension,
    probe: () => embedder.probe(),
    embed: async (texts, kind, signal) => {
      if (down && now() < down.until) {
        throw new Error(`${down.reason} (not retried for ${Math.ceil((down.until - now()) / 1000)} s)`);
      }
      try {
        const vectors = await embedder.embed(texts, kind, signal);
        down = undefined;
        return vectors;
      } catch (e) {
        if (!signal?.aborted) down = { until: now() + retryMs, reason: e instanceof Error ? e.message : String(e) };
        throw e;
      }
    },
  };
}
