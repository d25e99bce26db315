import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createEmbedder } from '../../src/core/embeddings/factory';
import {
  OllamaEmbedder,
  defaultTaskPrefixes,
  truncateChars,
  type OllamaOptions,
} from '../../src/core/embeddings/ollama';
import { DevStreamError } from '../../src/core/errors';

type Behaviour = 'normal' | 'slow' | 'http500' | 'wrongDimension' | 'missingModel' | 'garbage';

interface Received {
  method: string;
  path: string;
  body: { model?: string; input?: string[]; truncate?: boolean } | null;
}

/** A real HTTP server on 127.0.0.1 speaking the two Ollama endpoints the provider uses. */
async function fakeOllama(behaviour: Behaviour, opts: { models?: string[]; dimension?: number } = {}) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', body: raw ? JSON.parse(raw) : null });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (behaviour === 'slow') return; // never answers; the client must give up
      if (req.method === 'GET' && req.url === '/api/tags') {
        const names = opts.models ?? ['nomic-embed-text:latest', 'llama3.2:latest'];
        return json(200, {
          models: names.map((name) => ({ name, model: name, size: 274302450, digest: 'x', details: {} })),
        });
      }
      if (req.method !== 'POST' || req.url !== '/api/embed') return json(404, { error: 'page not found' });
      const input: string[] = JSON.parse(raw).input;
      switch (behaviour as Exclude<Behaviour, 'slow'>) {
        case 'http500':
          return json(500, { error: 'llama runner process has terminated: signal: killed' });
        case 'missingModel':
          return json(404, { error: `model "${JSON.parse(raw).model}" not found, try pulling it first` });
        case 'garbage':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"model":"nomic-embed-text","embeddings":[[0.1,0.2');
        case 'wrongDimension':
        case 'normal': {
          const dim = behaviour === 'wrongDimension' ? 384 : (opts.dimension ?? 768);
          return json(200, {
            model: 'nomic-embed-text',
            embeddings: input.map((t) => fakeVector(t, dim)),
            total_duration: 1,
            load_duration: 0,
            prompt_eval_count: 1,
          });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const embeds = () => received.filter((r) => r.path === '/api/embed');
  return { url, received, embeds };
}

/** Unnormalised on purpose (the provider normalises); depends on the text to check order. */
function fakeVector(text: string, dim: number): number[] {
  return Array.from({ length: dim }, (_, i) => ((text.length + i) % 7) - 3 + (i === 0 ? 10 : 0));
}

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Counts every HTTP attempt the provider makes. */
function countingFetch() {
  const calls: string[] = [];
  const f: typeof fetch = (input, init) => {
    calls.push(String(input instanceof Request ? input.url : input));
    return fetch(input, init);
  };
  return { calls, fetch: f };
}

const FAST: OllamaOptions = { retryDelayMs: 1, timeoutMs: 5_000 };

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<DevStreamError> {
  let caught: unknown;
  await assert.rejects(p, (e) => ((caught = e), true));
  assert.ok(caught instanceof DevStreamError, `expected DevStreamError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  return caught;
}

describe('the Ollama embedder', () => {
  it('sends task prefixes and batches, returns unit vectors in input order', async () => {
    const server = await fakeOllama('normal');
    const e = new OllamaEmbedder({ ...FAST, host: server.url, batchSize: 2 });
    assert.equal(e.id, 'ollama');
    assert.equal(e.model, 'nomic-embed-text');
    assert.equal(e.dimension, 768);
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await e.embed(texts, 'document');

    const batches = server.embeds().map((r) => r.body!);
    assert.deepEqual(
      batches.map((b) => b.input),
      [
        ['search_document: a', 'search_document: bb'],
        ['search_document: ccc', 'search_document: dddd'],
        ['search_document: eeeee'],
      ],
    );
    assert.ok(batches.every((b) => b.model === 'nomic-embed-text' && b.truncate === true));
    assert.equal(vectors.length, 5);
    vectors.forEach((v, i) => {
      assert.equal(v.length, 768);
      assert.ok(Math.abs(Math.hypot(...v) - 1) < 1e-5);
      const expected = fakeVector(`search_document: ${texts[i]}`, 768);
      const n = Math.hypot(...expected);
      assert.ok(Math.abs(v[1] - expected[1] / n) < 1e-6, `vector ${i} out of order`);
    });

    await e.embed(['where is the pool'], 'query');
    assert.deepEqual(server.embeds().at(-1)!.body!.input, ['search_query: where is the pool']);
    assert.deepEqual(await e.embed([], 'query'), []);
    assert.equal(server.embeds().length, 4, 'no request for an empty list');
  });

  it('never sends a detected secret to the server', async () => {
    const server = await fakeOllama('normal');
    const token = 'ghp_' + 'Zq8x'.repeat(9);
    await new OllamaEmbedder({ ...FAST, host: server.url }).embed(
      [`const client = new Octokit({ auth: '${token}' });`],
      'document',
    );
    const sent = JSON.stringify(server.embeds().map((r) => r.body));
    assert.ok(!sent.includes(token), 'the token did not reach the server');
    assert.match(sent, /\[REDACTED:github-token\]/);
  });

  it('accepts a host without scheme and rejects a malformed one up front', () => {
    assert.equal(new OllamaEmbedder({ host: 'localhost:11434/' }).host, 'http://localhost:11434');
    assert.equal(new OllamaEmbedder().host, 'http://127.0.0.1:11434');
    assert.throws(
      () => new OllamaEmbedder({ host: 'http://exa mple:1' }),
      (e) => e instanceof DevStreamError && e.code === 'invalid' && /Invalid Ollama URL/.test(e.message),
    );
    assert.throws(() => new OllamaEmbedder({ host: 'ftp://127.0.0.1' }), /only http and https/);
    assert.throws(() => new OllamaEmbedder({ batchSize: 0 }), /batchSize must be a positive integer/);
  });

  it('uses prefixes only for nomic models unless told otherwise', async () => {
    assert.deepEqual(defaultTaskPrefixes('nomic-embed-text:v1.5'), {
      document: 'search_document: ',
      query: 'search_query: ',
    });
    assert.equal(defaultTaskPrefixes('mxbai-embed-large'), null);
    const server = await fakeOllama('normal');
    await new OllamaEmbedder({ ...FAST, host: server.url, model: 'mxbai-embed-large' }).embed(['x'], 'query');
    await new OllamaEmbedder({ ...FAST, host: server.url, prefixes: null }).embed(['y'], 'query');
    await new OllamaEmbedder({
      ...FAST,
      host: server.url,
      model: 'e5',
      prefixes: { document: 'passage: ', query: 'query: ' },
    }).embed(['z'], 'query');
    assert.deepEqual(
      server.embeds().map((r) => [r.body!.model, r.body!.input]),
      [
        ['mxbai-embed-large', ['x']],
        ['nomic-embed-text', ['y']],
        ['e5', ['query: z']],
      ],
    );
  });

  it('cuts long inputs below the context window, never inside a surrogate pair', async () => {
    const server = await fakeOllama('normal');
    await new OllamaEmbedder({ ...FAST, host: server.url, maxInputChars: 6000 }).embed(
      ['w'.repeat(20_000)],
      'document',
    );
    assert.equal(server.embeds()[0].body!.input![0], `search_document: ${'w'.repeat(6000)}`);
    assert.equal(truncateChars('ab🙂', 3), 'ab');
    assert.equal(truncateChars('abc', 3), 'abc');
  });

  it('times out a silent server once, with a clear message, without retrying', { timeout: 10_000 }, async () => {
    const server = await fakeOllama('slow');
    const e = new OllamaEmbedder({ ...FAST, host: server.url, timeoutMs: 200, maxAttempts: 3 });
    await rejectsWith(e.embed(['x'], 'document'), 'unavailable', /Ollama did not answer within 0\.2 s/);
    assert.equal(server.embeds().length, 1);
  });

  it('stops at once when the caller aborts', { timeout: 10_000 }, async () => {
    const server = await fakeOllama('slow');
    const ctrl = new AbortController();
    const p = new OllamaEmbedder({ ...FAST, host: server.url, timeoutMs: 60_000 }).embed(
      ['x'],
      'document',
      ctrl.signal,
    );
    setTimeout(() => ctrl.abort(new Error('user cancelled')), 50);
    await assert.rejects(p, /user cancelled/);
  });

  it(
    'says Ollama is not running when the port is closed, after a bounded number of tries',
    { timeout: 10_000 },
    async () => {
      const url = await closedPort();
      const counter = countingFetch();
      const e = new OllamaEmbedder({ ...FAST, host: url, maxAttempts: 3, fetch: counter.fetch });
      const err = await rejectsWith(
        e.embed(['x'], 'document'),
        'unavailable',
        /Ollama is not running at http:\/\/127\.0\.0\.1:\d+/,
      );
      assert.match(err.message, /Start it with `ollama serve`/);
      assert.equal(counter.calls.length, 3);
      assert.ok(counter.calls.every((c) => c === `${url}/api/embed`));

      const probe = await e.probe();
      assert.equal(probe.ok, false);
      assert.deepEqual(probe, {
        ok: false,
        reason: `Ollama is not running at ${url} (ECONNREFUSED).`,
        hint: 'Start it with `ollama serve`.',
      });
      assert.equal(counter.calls.length, 4, 'probe tries once');
    },
  );

  it('retries HTTP 500 a bounded number of times and reports its message', async () => {
    const server = await fakeOllama('http500');
    const e = new OllamaEmbedder({ ...FAST, host: server.url, maxAttempts: 2 });
    await rejectsWith(e.embed(['x'], 'document'), 'unavailable', /HTTP 500.*llama runner process has terminated/);
    assert.equal(server.embeds().length, 2);
  });

  it('rejects vectors of the wrong dimension', async () => {
    const server = await fakeOllama('wrongDimension');
    const e = new OllamaEmbedder({ ...FAST, host: server.url });
    await rejectsWith(e.embed(['x'], 'document'), 'invalid', /returned 384-dimensional vectors, but 768 are expected/);
  });

  it('says which model to pull when Ollama does not have it', async () => {
    const server = await fakeOllama('missingModel', { models: ['llama3.2:latest'] });
    const e = new OllamaEmbedder({ ...FAST, host: server.url, model: 'x' });
    await rejectsWith(e.embed(['x'], 'document'), 'unavailable', /model "x" is not pulled.*Run `ollama pull x`/);
    assert.equal(server.embeds().length, 1, 'a missing model is not retried');

    const nomic = new OllamaEmbedder({ ...FAST, host: server.url });
    assert.deepEqual(await nomic.probe(), {
      ok: false,
      reason: `Ollama model "nomic-embed-text" is not pulled (${server.url}).`,
      hint: 'Run `ollama pull nomic-embed-text`.',
    });
  });

  it('probe() is happy when /api/tags lists the model (":latest" implied)', async () => {
    const server = await fakeOllama('normal');
    assert.deepEqual(await new OllamaEmbedder({ host: server.url }).probe(), { ok: true });
    assert.deepEqual(await new OllamaEmbedder({ host: server.url, model: 'llama3.2:latest' }).probe(), { ok: true });
    assert.equal((await new OllamaEmbedder({ host: server.url, model: 'nomic-embed-text:v1.5' }).probe()).ok, false);
    assert.ok(server.received.every((r) => r.method === 'GET' && r.path === '/api/tags'));
  });

  it('rejects a response that is not JSON', async () => {
    const server = await fakeOllama('garbage');
    const e = new OllamaEmbedder({ ...FAST, host: server.url });
    await rejectsWith(e.embed(['x'], 'document'), 'invalid', /not valid JSON/);
    assert.equal(server.embeds().length, 1);
  });
});

describe('createEmbedder', () => {
  it("'auto' picks Ollama when it answers with the model", async () => {
    const server = await fakeOllama('normal');
    const choice = await createEmbedder({ provider: 'auto', ollamaUrl: server.url });
    assert.equal(choice.embedder.id, 'ollama');
    assert.equal(choice.embedder.model, 'nomic-embed-text');
    assert.match(choice.reason, /Ollama is running/);
  });

  it("'auto' falls back to the built-in embedder, saying why", { timeout: 10_000 }, async () => {
    const down = await createEmbedder({ provider: 'auto', ollamaUrl: await closedPort() });
    assert.equal(down.embedder.id, 'builtin');
    assert.match(down.reason, /built-in.*Ollama is not running/);
    assert.equal(down.hint, 'Start it with `ollama serve`.');

    const noModel = await createEmbedder({
      provider: 'auto',
      ollamaUrl: (await fakeOllama('normal', { models: [] })).url,
    });
    assert.equal(noModel.embedder.id, 'builtin');
    assert.equal(noModel.hint, 'Run `ollama pull nomic-embed-text`.');

    const silent = await createEmbedder({
      provider: 'auto',
      ollamaUrl: (await fakeOllama('slow')).url,
      autoProbeTimeoutMs: 200,
    });
    assert.equal(silent.embedder.id, 'builtin');
    assert.match(silent.reason, /did not answer within 0\.2 s/);

    const malformed = await createEmbedder({ provider: 'auto', ollamaUrl: 'http://exa mple' });
    assert.equal(malformed.embedder.id, 'builtin');
    assert.match(malformed.reason, /Invalid Ollama URL/);
  });

  it('takes an explicit provider as asked, with the configured model', async () => {
    assert.equal((await createEmbedder({ provider: 'builtin' })).embedder.id, 'builtin');
    const ollama = await createEmbedder({
      provider: 'ollama',
      ollamaUrl: 'http://127.0.0.1:1',
      ollamaModel: 'mxbai-embed-large',
      ollama: { dimension: 1024 },
    });
    assert.equal(ollama.embedder.id, 'ollama');
    assert.equal(ollama.embedder.model, 'mxbai-embed-large');
    assert.equal(ollama.embedder.dimension, 1024);
    await assert.rejects(createEmbedder({ provider: 'ollama', ollamaUrl: 'http://exa mple' }), /Invalid Ollama URL/);
  });
});
