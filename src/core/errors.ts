/** An error meant for the user: its message says what went wrong and what to do. */
export class DevStreamError extends Error {
  constructor(
    message: string,
    readonly code: DevStreamErrorCode = 'invalid',
  ) {
    super(message);
    this.name = 'DevStreamError';
  }
}

export type DevStreamErrorCode =
  | 'invalid' // bad input: fix the arguments
  | 'not_found'
  | 'conflict' // a rule forbids it (lifecycle, dependency cycle)
  | 'schema_too_new'
  | 'corrupt'
  | 'locked'
  | 'unavailable'; // a provider or extension is missing or down

export function isDevStreamError(e: unknown): e is DevStreamError {
  return e instanceof DevStreamError;
}
