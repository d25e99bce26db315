import { embedderForStore, type EmbeddingProvider } from '../core/embeddings';
import type { Embedder } from '../core/embeddings/types';
import type { Store } from '../core/db/store';
import { oneOf, str, type OptionSpec, type Values } from './command';

/** Every value --embedder (and DEVSTREAM_EMBEDDER) accepts: `none` only where a command can do without. */
export const EMBEDDERS = ['auto', 'builtin', 'ollama'] as const;
export const EMBEDDERS_OR_NONE = [...EMBEDDERS, 'none'] as const;

/** The flags every command that embeds accepts. */
export function embedderOptions(choices: readonly string[] = EMBEDDERS): OptionSpec[] {
  return [
    {
      flags: '--embedder <name>',
      choices,
      choiceOf: 'embedder',
      description:
        'auto: Ollama when it answers, else built-in ' + '(default: the model the index holds; env DEVSTREAM_EMBEDDER)',
    },
    {
      flags: '--ollama-url <url>',
      description: 'Ollama server (default http://127.0.0.1:11434; env DEVSTREAM_OLLAMA_URL)',
    },
    { flags: '--ollama-model <model>', description: 'Ollama embedding model (default nomic-embed-text)' },
  ];
}

/** --embedder or DEVSTREAM_EMBEDDER, checked against the one list. */
export function embedderFlag(v: Values, choices: readonly string[] = EMBEDDERS): string | undefined {
  const flag = str(v, 'embedder') ?? process.env.DEVSTREAM_EMBEDDER;
  return flag === undefined ? undefined : oneOf(flag, choices, 'embedder');
}

export interface CliOutput {
  warn: (t: string) => void;
  verbose: boolean;
}

/**
 * The embedder for this database from the flags (or DEVSTREAM_EMBEDDER / DEVSTREAM_OLLAMA_URL),
 * defaulting to whatever model the index already holds. Falling back to the built-in embedder
 * is the normal case without Ollama: said only with --verbose, in one line with the reason.
 */
export async function cliEmbedder(
  store: Store,
  v: Values,
  io: CliOutput,
): Promise<{ embedder: Embedder; mismatch?: string }> {
  const provider = embedderFlag(v) as EmbeddingProvider | undefined;
  // An explicit choice that does not match the index is the caller's to handle (see mismatch).
  const choice = await embedderForStore(store, {
    provider,
    ollamaUrl: str(v, 'ollamaUrl') ?? process.env.DEVSTREAM_OLLAMA_URL,
    ollamaModel: str(v, 'ollamaModel'),
  });
  if (io.verbose) io.warn(`embedder ${choice.embedder.model}: ${withHint(choice.reason, choice.hint)}`);
  return choice;
}

/** "Ollama is not running at … ." + "Start it with `ollama serve`." as one sentence. */
function withHint(reason: string, hint: string | undefined): string {
  if (!hint) return reason;
  return `${reason.replace(/\.$/, '')}; for Ollama embeddings, ${hint.charAt(0).toLowerCase()}${hint.slice(1)}`;
}
