// With Ollama failing, search says it ran without vectors, and a failing Ollama is asked once a
// minute, not on every call: a real HTTP server plays Ollama, the built CLI serves MCP.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { withOutageMemory } from '../../src/core/agents';
import type { Embedder } from '../../src/core/embeddings/types';
import { connectCli, structured } from '../helpers/mcpClient';
import { tempDir } from '../helpers/tmp';

describe('withOutageMemory', () => {
  it('fails fast with the remembered reason for a minute, then tries again', async () => {
    let calls = 0;
    let failing = true;
    const inner: Embedder = {
      id: 'ollama',
      model: 'm',
      dimension: 2,
      probe: async () => ({ ok: true }),
      embed: async (texts) => {
        calls++;
        if (failing) throw new Error('Ollama is not running at http://x');
        return texts.map(() => new Float32Array([1, 0]));
      },
    };
    let now = 1_000_000;
    const e = withOutageMemory(inner, 60_000, () => now);
    await assert.rejects(e.embed(['a'], 'query'), /not running/);
    now += 59_000;
    await assert.rejects(e.embed(['a'], 'query'), /not running at http:\/\/x \(not retried for 1 s\)/);
    assert.equal(calls, 1, 'the second call did not reach the embedder');
    now += 1_001;
    failing = false;
    assert.equal((await e.embed(['a', 'b'], 'query')).length, 2);
    assert.equal(calls, 2);
    assert.deepEqual([e.id, e.model, e.dimension], ['ollama', 'm', 2]);
  });
});

describe('search with Ollama failing, over MCP', () => {
  const received: string[] = [];
  const ollama = http.createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    if (req.url === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: 'nomic-embed-text:latest', model: 'nomic-embed-text:latest' }] }));
      return;
    }
    req.socket.destroy(); // embedding: the connection drops, as when Ollama dies mid-session
  });
  after(() => ollama.close());

  it('answers from keywords, says "vectors": "unavailable: …", and asks Ollama once', async () => {
    await new Promise<void>((r) => ollama.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}`;
    const dir = tempDir();
    const conn = await connectCli(dir, ['--db', path.join(dir, 'x.db')], ['--embedder', 'ollama', '--ollama-url', url]);
    try {
      const stored = structured(
        await conn.client.callTool({
          name: 'devstream_store_memory',
          arguments: { content: 'the webhook retries with exponential backoff', content_type: 'learning' },
        }),
      );
      assert.equal(stored.embedded, false, 'saved without a vector, found by keywords');
      const embedsAfterStore = received.filter((r) => r.startsWith('POST /api/embed')).length;
      assert.ok(embedsAfterStore >= 1, 'the store tried Ollama');
      for (let i = 0; i < 3; i++) {
        const r = structured(
          await conn.client.callTool({ name: 'devstream_search_memory', arguments: { query: 'webhook backoff' } }),
        );
        assert.deepEqual(
          r.results.map((m: any) => m.id),
          [stored.id],
        );
        assert.match(r.vectors, /^unavailable: the embedding provider failed: .+/);
      }
      assert.equal(
        received.filter((r) => r.startsWith('POST /api/embed')).length,
        embedsAfterStore,
        'not asked again within the minute',
      );
    } finally {
      await conn.client.close();
    }
  });
});
