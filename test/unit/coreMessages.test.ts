import assert from 'node:assert/strict';
import { it } from 'node:test';
import { validateContent } from '../../src/core/memory/validate';

// Core messages reach the CLI, agents over MCP and VS Code alike: they name no front-end's gestures.
const frontEndWords = /\b(select|selection|click|--\w+|command palette)\b/i;

it('an empty memory is refused in words every front-end can show', () => {
  assert.throws(
    () => validateContent('  \n'),
    (e: Error) => {
      assert.match(e.message, /empty/);
      assert.doesNotMatch(e.message, frontEndWords);
      return true;
    },
  );
});

it('an oversized memory says its size with enough digits to differ from the limit', () => {
  const text = 'x'.repeat(1_100_000); // 1.1 MB as people count, 1.049 MiB: "1.0 MB" would equal the limit
  assert.throws(
    () => validateContent(text),
    (e: Error) => {
      assert.match(e.message, /is 1\.05 MB; the limit is 1\.0 MB/);
      assert.doesNotMatch(e.message, frontEndWords);
      return true;
    },
  );
});
