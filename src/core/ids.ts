import { randomUUID } from 'node:crypto';

/** 32 hex characters: a UUID without dashes, fits the schema's VARCHAR(32) ids. */
export function newId(): string {
  return randomUUID().replace(/-/g, '');
}
