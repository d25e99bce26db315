import { BuiltinEmbedder } from './builtin';
import { OllamaEmbedder, type OllamaOptions } from './ollama';
import type { Embedder } from './types';

export type EmbeddingProvider = 'auto' | 'builtin' | 'ollama';

export interface EmbedderConfig {
  provider: EmbeddingProvider;
  ollamaUrl?: string;
  ollamaModel?: string;
  /** 'auto' waits this long for Ollama before falling back. Default 500. */
  autoProbeTimeoutMs?: number;
  /** Everything else about the Ollama provider (batch size, timeouts, retries, prefixes...). */
  ollama?: Omit<OllamaOptions, 'host' | 'model'>;
}

export interface EmbedderChoice {
  embedder: Embedder;
  /** Why this one, for logs and the status view. */
  reason: string;
  /** With 'auto' on fallback: what to do to get Ollama embeddings. */
  hint?: string;
}

/**
 * 'builtin' and 'ollama' are taken as asked (an unusable Ollama then fails on embed, loudly);
 * 'auto' uses Ollama only if it answers quickly with the model pulled, else the built-in one.
 */
export async function createEmbedder(config: EmbedderConfig): Promise<EmbedderChoice> {
  if (config.provider === 'builtin')
    return { embedder: new BuiltinEmbedder(), reason: 'The built-in embedder was chosen in the settings.' };
  const make = () => new OllamaEmbedder({ ...config.ollama, host: config.ollamaUrl, model: config.ollamaModel });
  if (config.provider === 'ollama') {
    const ollama = make(); // a malformed URL throws here: the user asked for Ollama
    return { embedder: ollama, reason: `Ollama (${ollama.model} at ${ollama.host}) was chosen in the settings.` };
  }

  let ollama: OllamaEmbedder;
  try {
    ollama = make();
  } catch (e) {
    return {
      embedder: new BuiltinEmbedder(),
      reason: `Using the built-in embedder: ${e instanceof Error ? e.message : String(e)}`,
    };
  }

  const probe = await ollama.probe(config.autoProbeTimeoutMs ?? 500);
  if (probe.ok) return { embedder: ollama, reason: `Ollama is running at ${ollama.host} with ${ollama.model}.` };
  return {
    embedder: new BuiltinEmbedder(),
    reason: `Using the built-in embedder: ${probe.reason}`,
    hint: probe.hint,
  };
}
