import { embedderForStore, type EmbeddingProvider } from '../core/embeddings';
import type { Embedder } from '../core/embeddings/types';
import type { Store } from '../core/db/store';
import { oneOf, str, type Options, type Values } from './command';

/** The flags every command that embeds accepts. */
export const EMBEDDER_OPTIONS: Options = {
  embedder: { type: 'string' },
  'ollama-url': { type: 'string' },
  'ollama-model': { type: 'string' },
};

export const EMBEDDER_USAGE = '[--embedder auto|builtin|ollama] [--ollama-url URL] [--ollama-model M]';

/**
 * The embedder for this database from the flags (or DEVSTREAM_EMBEDDER / DEVSTREAM_OLLAMA_URL),
 * defaulting to whatever model the index already holds.
 */
export async function cliEmbedder(store: Store, v: Values, warn: (t: string) => void): Promise<{ embedder: Embedder; mismatch?: string }> {
  const flag = str(v, 'embedder') ?? process.env.DEVSTREAM_EMBEDDER;
  const provider = flag ? oneOf(flag, ['auto', 'builtin', 'ollama'] as const, 'embedder') as EmbeddingProvider : undefined;
  // An explicit choice that does not match the index is the caller's to handle (see mismatch).
  const choice = await embedderForStore(store, {
    provider,
    ollamaUrl: str(v, 'ollama-url') ?? process.env.DEVSTREAM_OLLAMA_URL,
    ollamaModel: str(v, 'ollama-model'),
  });
  if (choice.hint) warn(choice.hint);
  return choice;
}
