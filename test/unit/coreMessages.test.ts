import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MAX_CONTENT_BYTES, validateContent } from '../../src/core/memory/validate';

// Core messages reach the CLI, agents over MCP and VS Code alike: they name no front-end's gestures.
const frontEndWords = /\b(select|selection|click|--\w+|command palette)\b/i;

it('an empty memory is refused in words every front-end can show', () => {
  assert.throws(() => validateContent('  \n'), (e: Error) => {
    assert.match(e.message, /empty/);
    assert.doesNotMatch(e.message, frontEndWords);
    return true;
  });
});

it('an oversized memory says its size with enough digits to differ from the limit', () => {
  const text = 'x'.repeat(Math.round(MAX_CONTENT_BYTES * 1.05));
  assert.throws(() => validateContent(text), (e: Error) => {
    assert.match(e.message, /is 1\.05 MB; the limit is 1\.0 MB/);
    assert.doesNotMatch(e.message, frontEndWords);
    return true;
  });
});
