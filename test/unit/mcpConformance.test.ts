// JSON-RPC conformance of `devstream mcp`, in raw lines against the built CLI over stdio: what
// broken or older clients send, and the server answering all of it and carrying on.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RawMcp } from '../helpers/rawMcp';
import { tempDir } from '../helpers/tmp';

const line = (o: unknown) => JSON.stringify(o);
const call = (id: number, name: string, args: unknown) =>
  line({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

function server() {
  const dir = tempDir();
  return new RawMcp(dir, ['--db', path.join(dir, 'x.db')]);
}

describe('JSON-RPC over stdio, raw lines', () => {
  it('answers unparseable lines, non-messages and bad params, and survives them', async () => {
    const s = server();
    assert.equal((await s.initialize('2025-06-18')).result.protocolVersion, '2025-06-18');

    assert.deepEqual(await s.request('{"jsonrpc":"2.0","id":1,"method":"tools/list"'), {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: expectParse() },
    });
    for (const bad of [
      '42',
      '"text"',
      line({ jsonrpc: '1.0', id: 2, method: 'ping' }),
      line({ jsonrpc: '2.0', id: 3 }),
      line({ jsonrpc: '2.0', id: 4, method: 7 }),
    ]) {
      const r = await s.request(bad);
      assert.equal(r.error.code, -32600, bad);
      assert.match(r.error.message, /^Invalid request: /, bad);
    }
    const withId = await s.request(line({ jsonrpc: '1.0', id: 9, method: 'ping' }));
    assert.equal(withId.id, 9, 'the id is echoed when it can be read');

    const wrongShape = await s.request(call(5, 'devstream_list_tasks', 'not an object'));
    assert.deepEqual([wrongShape.id, wrongShape.error.code], [5, -32602]);
    assert.match(wrongShape.error.message, /^Invalid params for tools\/call: 'params.arguments': .+\.$/);
    assert.doesNotMatch(wrongShape.error.message, /\n/, 'one line, not a zod dump');
    const noName = await s.request(line({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: {} }));
    assert.deepEqual([noName.error.code, noName.error.message.includes('\n')], [-32602, false]);
    const unknownTool = await s.request(call(7, 'devstream_nope', {}));
    assert.equal(unknownTool.error.code, -32602);
    assert.doesNotMatch(unknownTool.error.message, /MCP error/, 'the code is not repeated in the message');
    assert.equal((await s.request(line({ jsonrpc: '2.0', id: 8, method: 'nope/nope' }))).error.code, -32601);

    // A malformed notification gets no reply (JSON-RPC forbids answering notifications).
    s.send(line({ jsonrpc: '2.0', method: 'notifications/cancelled', params: 'x' }));
    assert.ok(await s.silent());

    const batch = await s.request(line([{ jsonrpc: '2.0', id: 10, method: 'ping' }]));
    assert.equal(batch.error.code, -32600, 'no batches under 2025-06-18');
    assert.match(batch.error.message, /2025-03-26/);

    const ok = await s.request(call(11, 'devstream_list_plans', {}));
    assert.deepEqual(ok.result.structuredContent, { plans: [] }, 'still serving');
    assert.equal(await s.close(), 0);
  });

  it('answers a batch from a 2025-03-26 client with one array, notifications included', async () => {
    const s = server();
    assert.equal((await s.initialize('2025-03-26')).result.protocolVersion, '2025-03-26');
    const replies = await s.request(
      line([
        { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
        { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
        JSON.parse(call(2, 'devstream_store_memory', { content: 'batched', content_type: 'learning' })),
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'devstream_list_memories', arguments: 'x' } },
        { jsonrpc: '1.0', id: 4 },
      ]),
    );
    assert.ok(Array.isArray(replies), 'one array');
    const byId = new Map(replies.map((r: any) => [r.id, r]));
    assert.equal(replies.length, 4, 'a reply per request, none for the notification');
    assert.equal((byId.get('a') as any).result.tools.length, 15);
    assert.equal((byId.get(2) as any).result.structuredContent.stored, true);
    assert.equal((byId.get(3) as any).error.code, -32602);
    assert.equal((byId.get(4) as any).error.code, -32600);

    assert.equal((await s.request(line([]))).error.code, -32600, 'an empty batch');
    const init = await s.request(
      line([
        {
          jsonrpc: '2.0',
          id: 5,
          method: 'initialize',
          params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'again', version: '1' } },
        },
      ]),
    );
    assert.equal(init[0].error.code, -32600, 'initialize may not be batched');
    const listed = await s.request(call(6, 'devstream_list_memories', {}));
    assert.equal(listed.result.structuredContent.memories.length, 1, 'the batched write landed once');
    assert.deepEqual(s.notifications, ['notifications/resources/list_changed'], 'the write changed the resource list');
    assert.equal(await s.close(), 0);
  });
});

function expectParse(): string {
  // Node's JSON.parse wording: the message starts with the JSON-RPC name and says what was wrong.
  try {
    JSON.parse('{"jsonrpc":"2.0","id":1,"method":"tools/list"');
  } catch (e) {
    return `Parse error: ${(e as Error).message}`;
  }
  throw new Error('unreachable');
}
