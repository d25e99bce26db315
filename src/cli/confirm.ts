import { DevStreamError } from '../core/errors';
import type { Values } from './command';

/**
 * Deleting is never undone and a script cannot answer a prompt: a delete runs only with --yes,
 * and otherwise says what it would delete (exit 1, nothing changed).
 */
export function confirmed(v: Values, what: string): void {
  if (v.yes !== true) throw new DevStreamError(`${what} Add --yes to confirm.`, 'conflict');
}
