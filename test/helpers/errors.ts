import assert from 'node:assert/strict';
import { DevStreamError } from '../../src/core/errors';

/** fn throws a DevStreamError with this code whose message matches every pattern. */
export function expectError(fn: () => unknown, code: string, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DevStreamError, `expected a DevStreamError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}
