/** What a vector is for: some models (nomic) embed documents and queries differently. */
export type EmbedPurpose = 'document' | 'query';

export type ProbeResult = { ok: true } | { ok: false; reason: string; hint?: string };

/** Turns texts into L2-normalised vectors of a fixed dimension. */
export interface Embedder {
  readonly id: 'builtin' | 'ollama';
  /** Recorded with each vector: vectors of different models are never compared. */
  readonly model: string;
  readonly dimension: number;
  /** One vector per text, in order. Rejects with DevStreamError; with the signal's reason when aborted. */
  embed(texts: string[], purpose: EmbedPurpose, signal?: AbortSignal): Promise<Float32Array[]>;
  /** Whether embed() can work now (never throws). */
  probe(): Promise<ProbeResult>;
}
