import path from 'node:path';
import { openStore } from '../../../src/core/db/open';
import { EmbeddingQueue } from '../../../src/core/embeddings/queue';
import type { Store } from '../../../src/core/db/store';
import type { Embedder } from '../../../src/core/embeddings/types';
import { DevStreamError } from '../../../src/core/errors';
import { OllamaEmbedder } from '../../../src/core/embeddings/ollama';
import { MemoryRepository } from '../../../src/core/memory/memoryRepository';
import { hybridSearch } from '../../../src/core/search/hybridSearch';
import { keywordSearch } from '../../../src/core/search/keywordSearch';
import { sleep } from '../lib/env';
import { FakeOllama, fakeVector, type OllamaMode } from '../lib/fakeOllama';
import { checkIndex } from '../lib/invariants';
import { ms, n, type Checks } from '../lib/report';
import type { Scenario } from '../lib/scenario';
import { token } from '../workers/coreWriter';

/** Short timeouts and back-off, so a few seconds show many failure cycles. */
export const QUEUE = { batchSize: 8, minBackoffMs: 100, maxBackoffMs: 800 };
export const PROVIDER = { timeoutMs: 300, maxAttempts: 2, retryDelayMs: 25 };

/**
 * Provider requests per second the queue may make while the provider keeps failing.
 * Per failure cycle at most (batchSize + 1) calls — one for the batch, one per memory when the
 * batch is refused as invalid — each tried up to maxAttempts times; cycles are spaced by the
 * back-off. Steady state (back-off at its maximum): that many per maxBackoffMs. Peak (any
 * 1-second window, back-off still growing from minBackoffMs): the cycles that fit in a second.
 * A queue without back-off against a local server answering in ~2 ms would make hundreds.
 */
export function requestBounds(q = QUEUE, p = PROVIDER): { steadyPerSecond: number; peakPerSecond: number } {
  const perCycle = (q.batchSize + 1) * p.maxAttempts;
  let cycles = 0;
  for (let waited = 0, wait = q.minBackoffMs; waited < 1000; waited += wait, wait = Math.min(wait * 2, q.maxBackoffMs))
    cycles++;
  return { steadyPerSecond: (perCycle * 1000) / q.maxBackoffMs, peakPerSecond: perCycle * (cycles + 1) };
}

interface PhaseStats {
  mode: OllamaMode;
  ms: number;
  attempts: number[];
  added: number;
  misses: number;
  addErrors: number;
  hybrid: number;
  hybridErrors: number;
  hybridMisses: number;
  hybridDegraded: number;
  hybridMaxMs: number;
  /** Memories embedded or skipped (refused) by the queue during the phase: the work done. */
  processed: number;
  lastError?: string;
}

function peakPerSecond(times: number[]): number {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] > 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/**
 * An EmbeddingQueue over an OllamaEmbedder pointed at a fake Ollama that goes down, hangs,
 * returns 384-d vectors, garbage JSON, HTTP 500, then flakes, then recovers. Memories keep being
 * saved throughout: each is keyword-searchable the moment add() returns and hybrid search finds
 * it (degraded) without throwing. The queue backs off (request rate bounded, never a spin), and
 * once the provider is healthy every memory gets its vector.
 */
export async function embeddingFaults(
  checks: Checks,
  dir: string,
  phaseMs: number,
  recoveryMs: number,
): Promise<string> {
  const server = new FakeOllama();
  await server.start();
  const store = openStore(path.join(dir, 'faults.db'));
  const repo = new MemoryRepository(store);
  const attempts: number[] = [];
  const countingFetch: typeof fetch = (input, init) => {
    attempts.push(performance.now());
    return fetch(input, init);
  };
  const embedder = new OllamaEmbedder({
    host: server.url,
    model: 'nomic-embed-text',
    batchSize: 32,
    ...PROVIDER,
    fetch: countingFetch,
  });
  const searchEmbedder = new OllamaEmbedder({
    host: server.url,
    model: 'nomic-embed-text',
    timeoutMs: PROVIDER.timeoutMs,
    maxAttempts: 1,
  });
  const queue = new EmbeddingQueue(store, embedder, QUEUE);
  const phases: PhaseStats[] = [];
  let seq = 0;
  const bounds = requestBounds();
  const embedded = () =>
    store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NOT NULL`).pluck().get() as number;
  try {
    queue.start();
    const plan: OllamaMode[] = ['normal', 'down', 'slow', 'wrongDims', 'garbage', 'http500', 'flaky'];
    for (const mode of plan) {
      await server.setMode(mode);
      const st: PhaseStats = {
        mode,
        ms: 0,
        attempts: [],
        added: 0,
        misses: 0,
        addErrors: 0,
        hybrid: 0,
        hybridErrors: 0,
        hybridMisses: 0,
        hybridDegraded: 0,
        hybridMaxMs: 0,
        processed: 0,
      };
      const from = attempts.length;
      const workBefore = embedded() + queue.progress.failed;
      const started = performance.now();
      while (performance.now() - started < phaseMs) {
        const tok = token('qxf', seq++);
        try {
          const m = repo.add({
            content: `${tok} saved while the provider is ${mode}: retry with backoff`,
            contentType: 'context',
          });
          st.added++;
          queue.notify();
          if (!keywordSearch(store, tok, { limit: 3 }).some((h) => h.id === m.id)) st.misses++;
          if (seq % 8 === 0) {
            const t = performance.now();
            st.hybrid++;
            try {
              const r = await hybridSearch(store, `${tok} retry`, { embedder: searchEmbedder, limit: 5 });
              // with the vector channel down, the keyword channel alone ranks: the exact token comes first
              // (with it up, the fake vectors rank near-duplicates arbitrarily: only "no exception" is checked)
              if (r.degraded && !r.hits.some((h) => h.id === m.id)) st.hybridMisses++;
              if (r.degraded) st.hybridDegraded++;
            } catch {
              st.hybridErrors++;
            }
            st.hybridMaxMs = Math.max(st.hybridMaxMs, performance.now() - t);
          }
        } catch {
          st.addErrors++;
        }
        await sleep(30);
      }
      st.ms = performance.now() - started;
      st.attempts = attempts.slice(from);
      st.processed = embedded() + queue.progress.failed - workBefore;
      st.lastError = queue.progress.lastError;
      phases.push(st);
    }

    // the provider behaves again
    await server.setMode('normal');
    const pending = () =>
      store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NULL`).pluck().get() as number;
    queue.retryNow();
    const recoverStart = performance.now();
    let stuck = 0;
    while (performance.now() - recoverStart < recoveryMs && pending() > 0) {
      const p = queue.progress;
      if (p.state === 'idle' && pending() === p.failed) stuck++; // idle, and what is left is what it skipped
      if (stuck >= 5) break;
      queue.notify();
      await sleep(100);
    }
    const leftWithoutRestart = pending();
    const skipped = queue.progress.failed;
    checks.ok(
      'recovery: every memory gets its vector without restarting the queue',
      leftWithoutRestart === 0,
      `${leftWithoutRestart} memories still without a vector after ${ms(performance.now() - recoverStart)}; the queue skips ${skipped} it was refused for during the flaky phase`,
    );
    await queue.stop();
    queue.start(); // a new run (what restarting the extension does) retries the skipped ones
    await Promise.race([queue.drain(), sleep(recoveryMs)]);
    const left = pending();
    checks.ok(
      'recovery: every memory gets its vector once the provider behaves (after a queue restart at most)',
      left === 0,
      `${left} still without a vector`,
    );

    const total = repo.count();
    const state = checkIndex(checks, 'after the faults', store);
    checks.ok(
      'every vector is in the index (768-d)',
      state.vec === total && state.embedded === total,
      `${state.vec} vec rows, ${total} memories`,
    );
    for (const st of phases) {
      const secs = st.ms / 1000;
      const half = st.attempts.filter((t) => t >= st.attempts[0] + st.ms / 2);
      const steady = half.length / (secs / 2);
      const peak = peakPerSecond(st.attempts);
      checks.ok(`${st.mode}: every memory saved at once`, st.addErrors === 0, `${st.addErrors} add errors`);
      checks.ok(
        `${st.mode}: every memory keyword-searchable as soon as add() returns`,
        st.misses === 0,
        `${st.misses} of ${st.added} not found`,
      );
      checks.ok(
        `${st.mode}: hybrid search never throws (and, keyword-only, finds the new memory first)`,
        st.hybridErrors === 0 && st.hybridMisses === 0,
        `${st.hybridErrors} errors, ${st.hybridMisses} misses of ${st.hybrid}`,
      );
      checks.ok(
        `${st.mode}: hybrid search answers within ${ms(PROVIDER.timeoutMs + 1500)}`,
        st.hybridMaxMs <= PROVIDER.timeoutMs + 1500,
        ms(st.hybridMaxMs),
      );
      if (st.mode !== 'normal' && st.mode !== 'flaky') {
        checks.ok(
          `${st.mode}: provider requests bounded: peak ≤ ${bounds.peakPerSecond}/s`,
          peak <= bounds.peakPerSecond,
          `peak ${peak}/s`,
        );
        checks.ok(
          `${st.mode}: provider requests back off: ≤ ${bounds.steadyPerSecond.toFixed(1)}/s in the second half of the phase`,
          steady <= bounds.steadyPerSecond * 1.25,
          `${steady.toFixed(1)}/s`,
        );
        checks.ok(
          `${st.mode}: hybrid search reports the degraded vector channel`,
          st.hybrid === 0 || st.hybridDegraded === st.hybrid,
          `${st.hybridDegraded} of ${st.hybrid} degraded`,
        );
      } else {
        // making progress, the queue does not wait: requests follow the work, at most (batch + 1) calls × attempts per
        // batch
        const perMemory = ((QUEUE.batchSize + 1) * PROVIDER.maxAttempts) / QUEUE.batchSize;
        checks.ok(
          `${st.mode}: requests follow the work: ≤ ${perMemory.toFixed(2)} per memory embedded or refused (+ one batch)`,
          st.attempts.length <= perMemory * st.processed + (QUEUE.batchSize + 1) * PROVIDER.maxAttempts,
          `${st.attempts.length} requests for ${st.processed} memories (peak ${peak}/s)`,
        );
      }
    }
    const faults = phases.filter((p) => p.mode !== 'normal');
    return (
      `${n(total)} memories saved across ${phases.length} phases of ${ms(phaseMs)} (${faults.map((p) => p.mode).join(', ')}), ${phases.reduce((a, p) => a + p.addErrors, 0)} add errors, ` +
      `${phases.reduce((a, p) => a + p.misses, 0)} keyword misses, ${phases.reduce((a, p) => a + p.hybridErrors, 0)} hybrid errors; provider requests per phase (peak/s): ` +
      `${phases.map((p) => `${p.mode} ${p.attempts.length} (${peakPerSecond(p.attempts)})`).join(', ')}; bound ${bounds.peakPerSecond}/s peak, ${bounds.steadyPerSecond.toFixed(1)}/s steady; ` +
      `after recovery ${leftWithoutRestart} left without restart (${skipped} skipped), ${left} after a restart; ${state.vec} vectors`
    );
  } finally {
    await queue.stop();
    store.close();
    await server.stop();
  }
}

/**
 * The queue's skip rule, without a network: a provider that refuses (as 'invalid') its first
 * batch and every other single text, then behaves. Every memory must get its vector once the
 * provider behaves; today the refused ones wait for a queue restart (known bug B6).
 */
export async function flakyProviderCase(
  checks: Checks,
  store: Store,
): Promise<{ leftWithoutRestart: number; leftAfterRestart: number }> {
  let calls = 0;
  let healthy = false;
  const vector = (text: string) => Float32Array.from(fakeVectorNormalised(text));
  const embedder: Embedder = {
    id: 'ollama',
    model: 'fake-flaky',
    dimension: 768,
    async embed(texts) {
      calls++;
      if (!healthy && (texts.length > 1 || calls % 2 === 0))
        throw new DevStreamError('Ollama at http://127.0.0.1 sent a response that is not valid JSON.', 'invalid');
      return texts.map(vector);
    },
    async probe() {
      return { ok: true };
    },
  };
  const repo = new MemoryRepository(store);
  for (let i = 0; i < 8; i++) repo.add({ content: `flaky provider memory ${i}`, contentType: 'context' });
  const pending = () =>
    store.db.prepare(`SELECT count(*) FROM semantic_memory WHERE embedding IS NULL`).pluck().get() as number;
  const queue = new EmbeddingQueue(store, embedder, { batchSize: 8, minBackoffMs: 5, maxBackoffMs: 20 });
  await queue.drain();
  checks.ok(
    'flaky provider: the queue embeds what the provider accepts',
    pending() < 8,
    `${pending()} of 8 still pending`,
  );
  healthy = true; // the provider behaves from now on
  repo.add({ content: 'a memory saved after the provider recovered', contentType: 'context' });
  queue.notify();
  await queue.drain();
  const leftWithoutRestart = pending();
  checks.ok(
    'flaky provider: once it behaves, every memory gets its vector without restarting the queue',
    leftWithoutRestart === 0,
    `${leftWithoutRestart} memories still without a vector (${queue.progress.failed} skipped until the queue is stopped and started)`,
  );
  await queue.stop();
  await queue.drain(); // start() after stop() clears what it skipped
  const leftAfterRestart = pending();
  checks.ok(
    'flaky provider: after a queue restart every memory has its vector',
    leftAfterRestart === 0,
    `${leftAfterRestart} without`,
  );
  return { leftWithoutRestart, leftAfterRestart };
}

function fakeVectorNormalised(text: string): number[] {
  const v = fakeVector(text, 768);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export const embeddingFaultsScenario: Scenario = {
  name: 'embedding-faults',
  title:
    'A fake Ollama on 127.0.0.1 that goes down, hangs, sends wrong dimensions, garbage JSON, HTTP 500 and flakes: memories saved and searchable throughout, bounded retries, all embedded after recovery.',
  async run(ctx) {
    return embeddingFaults(ctx.checks, ctx.dir, ctx.quick ? 2_000 : 10_000, ctx.quick ? 10_000 : 60_000);
  },
};
