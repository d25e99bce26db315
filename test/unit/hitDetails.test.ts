import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryRepository } from '../../src/core/memory/memoryRepository';
import { buildFtsQuery } from '../../src/core/search/ftsQuery';
import { hitDetails } from '../../src/core/search/hitDetails';
import { openTempStore } from '../helpers/tmp';

it('gives each hit its own snippet, even for hits the OR query does not match', () => {
  const store = openTempStore();
  const repo = new MemoryRepository(store);
  repo.add({ content: 'Use a connection pool for the postgres database', contentType: 'decision' });
  repo.add({ content: 'CSS flexbox layout for the sidebar', contentType: 'context' });
  repo.add({ content: 'retry webhooks with exponential backoff', contentType: 'context' });
  const details = hitDetails(store, [1, 2, 3], buildFtsQuery('sql connection pooling', { mode: 'any' }));
  assert.equal(details.get(1)?.snippet, 'Use a \u0002connection\u0003 pool for the postgres database');
  assert.equal(details.get(2)?.snippet, 'CSS flexbox layout for the sidebar');
  assert.equal(details.get(3)?.snippet, 'retry webhooks with exponential backoff');
});
