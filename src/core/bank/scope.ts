import type { Memory } from '../memory/types';

export const SCOPES = ['shared', 'private'] as const;
export type Scope = (typeof SCOPES)[number];

/** The memory's metadata key that holds its scope (the schema has no column for it). */
export const SCOPE_KEY = 'scope';

/**
 * A memory without a recorded scope predates the bank (or was saved without one): it is shared
 * only when the workspace's default says so, so turning a bank on never publishes old notes
 * unless the team chose `shared` as the default.
 */
export function scopeOf(memory: Pick<Memory, 'metadata'>, fallback: Scope): Scope {
  const s = memory.metadata[SCOPE_KEY];
  return s === 'shared' || s === 'private' ? s : fallback;
}

export function isScope(value: unknown): value is Scope {
  return value === 'shared' || value === 'private';
}
