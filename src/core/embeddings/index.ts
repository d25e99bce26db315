export type { EmbedPurpose, Embedder, ProbeResult } from './types';
export { BUILTIN_DIMENSION, BUILTIN_MODEL, BuiltinEmbedder, embedText } from './builtin';
export {
  OLLAMA_DEFAULT_HOST,
  OLLAMA_DEFAULT_MODEL,
  OllamaEmbedder,
  defaultTaskPrefixes,
  truncateChars,
} from './ollama';
export type { OllamaOptions, TaskPrefixes } from './ollama';
export { createEmbedder } from './factory';
export { embedderForStore } from './forStore';
export type { StoreEmbedderOptions } from './forStore';
export type { EmbedderChoice, EmbedderConfig, EmbeddingProvider } from './factory';
export { tokenize } from './tokenize';
export type { Tokens } from './tokenize';
export { cosine, normalizeInPlace } from './vectorMath';
export { findWordVectorsFile, loadWordVectors, parseWordVectors } from './wordVectors';
export type { WordVectors } from './wordVectors';
