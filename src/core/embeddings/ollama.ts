import { redactAllSecrets } from '../memory/secrets';
import { Ollama } from 'ollama';
import { DevStreamError } from '../errors';
import { classifyOllamaError, pullHint, toDevStreamError, type OllamaFailure } from './ollamaErrors';
import type { EmbedPurpose, Embedder, ProbeResult } from './types';
import { normalizeInPlace } from './vectorMath';

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';
export const OLLAMA_DEFAULT_MODEL = 'nomic-embed-text';

/** Text put before each input, by purpose (nomic models are trained with such task prefixes). */
export interface TaskPrefixes {
  document: string;
  query: string;
}

/**
 * The prefix rule: nomic-embed-* models get `search_document: ` / `search_query: `; every
 * other model gets none. Override with OllamaOptions.prefixes.
 */
export function defaultTaskPrefixes(model: string): TaskPrefixes | null {
  return /^(?:.*\/)?nomic-embed/i.test(model) ? { document: 'search_document: ', query: 'search_query: ' } : null;
}

export interface OllamaOptions {
  /** Default http://127.0.0.1:11434. */
  host?: string;
  /** Default nomic-embed-text. */
  model?: string;
  /** The dimension the model must return (the vector index is float[768]). Default 768. */
  dimension?: number;
  /** null: no prefixes. Default: defaultTaskPrefixes(model). */
  prefixes?: TaskPrefixes | null;
  /** Texts per /api/embed request. Default 32. */
  batchSize?: number;
  /** Per HTTP request, including reading the body. Default 30 000. */
  timeoutMs?: number;
  /** Timeout of probe()'s /api/tags request. Default 3 000. */
  probeTimeoutMs?: number;
  /** Tries per request for transient failures (refused, reset, HTTP 5xx). Default 3. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time. Default 250. */
  retryDelayMs?: number;
  /**
   * Inputs are cut to this many characters: nomic-embed-text reads 2048 tokens, and ~6000
   * characters of prose is about 1500 tokens. The server also truncates (truncate: true).
   */
  maxInputChars?: number;
  /** For tests and proxies; default the global fetch. */
  fetch?: typeof fetch;
}

/** Embeddings from a local Ollama server (/api/embed). */
export class OllamaEmbedder implements Embedder {
  readonly id = 'ollama' as const;
  readonly model: string;
  readonly dimension: number;
  readonly host: string;
  readonly prefixes: TaskPrefixes | null;
  private readonly opts: Required<Omit<OllamaOptions, 'host' | 'model' | 'dimension' | 'prefixes'>>;

  constructor(options: OllamaOptions = {}) {
    this.host = normalizeHost(options.host ?? OLLAMA_DEFAULT_HOST);
    this.model = options.model ?? OLLAMA_DEFAULT_MODEL;
    this.dimension = options.dimension ?? 768;
    this.prefixes = options.prefixes === undefined ? defaultTaskPrefixes(this.model) : options.prefixes;
    this.opts = {
      batchSize: options.batchSize ?? 32,
      timeoutMs: options.timeoutMs ?? 30_000,
      probeTimeoutMs: options.probeTimeoutMs ?? 3_000,
      maxAttempts: options.maxAttempts ?? 3,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxInputChars: options.maxInputChars ?? 6000,
      fetch: options.fetch ?? globalThis.fetch,
    };
    for (const [k, v] of Object.entries({
      batchSize: this.opts.batchSize,
      maxAttempts: this.opts.maxAttempts,
      dimension: this.dimension,
    })) {
      if (!Number.isInteger(v) || v < 1)
        throw new DevStreamError(`Ollama option ${k} must be a positive integer, got ${v}.`);
    }
  }

  async embed(texts: string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    const prefix = this.prefixes?.[purpose] ?? '';
    // The one door to the network: no detected secret goes through it, whoever called.
    const redacted = await Promise.all(texts.map((t) => redactAllSecrets(t)));
    const inputs = redacted.map((r) => prefix + truncateChars(r.text, this.opts.maxInputChars));
    const out: Float32Array[] = [];
    for (let i = 0; i < inputs.length; i += this.opts.batchSize) {
      const batch = inputs.slice(i, i + this.opts.batchSize);
      const res = await this.withRetries(
        (client) => client.embed({ model: this.model, input: batch, truncate: true }),
        this.opts.timeoutMs,
        this.opts.maxAttempts,
        signal,
      );
      out.push(...this.checkVectors(res as unknown, batch.length));
    }
    return out;
  }

  /** Is the server up and the model pulled? Asks /api/tags once, without retries. */
  async probe(timeoutMs = this.opts.probeTimeoutMs): Promise<ProbeResult> {
    try {
      const res = await this.withRetries((client) => client.list(), timeoutMs, 1);
      const names = Array.isArray(res?.models) ? res.models.flatMap((m) => [m?.name, m?.model]) : null;
      if (!names) return { ok: false, reason: `${this.host} did not answer like Ollama (no model list).` };
      const wanted = this.model.includes(':') ? [this.model] : [this.model, `${this.model}:latest`];
      if (!names.some((n) => typeof n === 'string' && wanted.includes(n))) {
        return {
          ok: false,
          reason: `Ollama model "${this.model}" is not pulled (${this.host}).`,
          hint: pullHint(this.model),
        };
      }
      return { ok: true };
    } catch (e) {
      const f = (e as { failure?: OllamaFailure }).failure;
      return f
        ? { ok: false, reason: f.reason, hint: f.hint }
        : { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Runs one client call with a fresh timeout per try, retrying transient failures with
   * exponential backoff. The client gets a fetch bound to this try's signal because the
   * ollama package passes no signal for non-streamed requests.
   */
  private async withRetries<T>(
    call: (client: Ollama) => Promise<T>,
    timeoutMs: number,
    attempts: number,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const timer = new AbortController();
      const timeout = setTimeout(() => timer.abort(new Error('timeout')), timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
      const baseFetch = this.opts.fetch;
      try {
        const client = new Ollama({
          host: this.host,
          fetch: (input, init) => baseFetch(input, { ...init, signal: combined }),
        });
        return await call(client);
      } catch (e) {
        signal?.throwIfAborted();
        const failure = classifyOllamaError(e, {
          host: this.host,
          model: this.model,
          timeoutMs,
          timedOut: timer.signal.aborted,
        });
        if (!failure.transient || attempt >= attempts) {
          throw Object.assign(toDevStreamError(failure), { failure });
        }
      } finally {
        clearTimeout(timeout);
      }
      await sleep(this.opts.retryDelayMs * 2 ** (attempt - 1), signal);
    }
  }

  private checkVectors(res: unknown, expected: number): Float32Array[] {
    const embeddings = (res as { embeddings?: unknown } | null)?.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== expected) {
      throw new DevStreamError(
        `Ollama (${this.host}) returned ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${expected} inputs.`,
        'invalid',
      );
    }
    return embeddings.map((e: unknown) => {
      if (!Array.isArray(e))
        throw new DevStreamError(
          `Ollama (${this.host}) returned an embedding that is not a list of numbers.`,
          'invalid',
        );
      if (e.length !== this.dimension) {
        throw new DevStreamError(
          `Ollama model "${this.model}" returned ${e.length}-dimensional vectors, but ${this.dimension} are expected. ` +
            `Use a ${this.dimension}-dimensional model such as ${OLLAMA_DEFAULT_MODEL}, or re-index for the new model.`,
          'invalid',
        );
      }
      const v = Float32Array.from(e as number[]);
      if (v.some((x) => !Number.isFinite(x)) || !normalizeInPlace(v)) {
        throw new DevStreamError(
          `Ollama model "${this.model}" returned a vector that is zero or not numeric.`,
          'invalid',
        );
      }
      return v;
    });
  }
}

/** `localhost:11434` → `http://localhost:11434`; rejects what is not an http(s) URL. */
function normalizeHost(host: string): string {
  const withScheme = host.includes('://') ? host : `http://${host}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new DevStreamError(`Invalid Ollama URL "${host}": expected something like ${OLLAMA_DEFAULT_HOST}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DevStreamError(`Invalid Ollama URL "${host}": only http and https are supported.`);
  }
  return withScheme.replace(/\/+$/, '');
}

/** Cuts to at most max UTF-16 units without splitting a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
