import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface FakeOllama {
  url: string;
  /** /api/embed requests answered so far. */
  embedCalls: () => number;
  /** Stops answering (connections refused), as when the Ollama process dies. */
  kill: () => Promise<void>;
}

export interface FakeOllamaOptions {
  model?: string;
  dimension?: number;
  /** After this many /api/embed requests the server dies (mid-reindex). */
  dieAfterEmbeds?: number;
  /** After this many /api/embed requests the server stops answering them (they hang). */
  hangAfterEmbeds?: number;
}

/**
 * A real HTTP server on 127.0.0.1 speaking the Ollama endpoints DevStream uses (/api/tags,
 * /api/embed). Vectors depend on the text, so different memories get different vectors.
 */
export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const model = opts.model ?? 'nomic-embed-text';
  const dim = opts.dimension ?? 768;
  let embeds = 0;
  let dead = false;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/api/tags') {
        return json(200, {
          models: [{ name: `${model}:latest`, model: `${model}:latest`, size: 274302450, digest: 'x', details: {} }],
        });
      }
      if (req.method !== 'POST' || req.url !== '/api/embed') return json(404, { error: 'page not found' });
      embeds++;
      if (opts.dieAfterEmbeds !== undefined && embeds > opts.dieAfterEmbeds) {
        res.destroy(); // the process is gone: the connection drops without an answer
        void kill();
        return;
      }
      if (opts.hangAfterEmbeds !== undefined && embeds > opts.hangAfterEmbeds) return;
      const input: string[] = JSON.parse(raw).input;
      json(200, { model, embeddings: input.map((t) => textVector(t, dim)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kill = async () => {
    if (dead) return;
    dead = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  after(kill);
  return { url, embedCalls: () => embeds, kill };
}

/** A deterministic, text-dependent vector (unnormalised; the provider normalises). */
export function textVector(text: string, dim: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return Array.from({ length: dim }, (_, i) => {
    h = Math.imul(h ^ i, 16777619) >>> 0;
    return (h % 2001) / 1000 - 1;
  });
}

/** A URL nothing listens on: bind a port, note it, close it. */
export async function deadOllamaUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
