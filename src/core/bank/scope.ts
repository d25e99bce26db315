import type { MemoryRepository } from '../memory/memoryRepository';
import type { Memory } from '../memory/types';

export const SCOPES = ['shared', 'private'] as const;
export type Scope = (typeof SCOPES)[number];

/** The memory's metadata key that holds its scope (the schema has no column for it). */
export const SCOPE_KEY = 'scope';

export function isScope(value: unknown): value is Scope {
  return value === 'shared' || value === 'private';
}

/** Shares a memory with the team (its bank file is written at the next export) or keeps it on this machine. */
export function setMemoryScope(memories: MemoryRepository, idOrPrefix: string, scope: Scope): Memory {
  const id = memories.resolveId(idOrPrefix);
  return memories.update(id, { metadata: { ...memories.require(id).metadata, [SCOPE_KEY]: scope } });
}
