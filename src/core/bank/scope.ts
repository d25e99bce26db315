export const SCOPES = ['shared', 'private'] as const;
export type Scope = (typeof SCOPES)[number];

/** The memory's metadata key that holds its scope (the schema has no column for it). */
export const SCOPE_KEY = 'scope';

export function isScope(value: unknown): value is Scope {
  return value === 'shared' || value === 'private';
}
