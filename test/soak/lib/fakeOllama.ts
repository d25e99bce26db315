import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * normal: answers like Ollama; down: not listening (connection refused); slow: never answers;
 * wrongDims: 384-dimensional vectors; garbage: truncated JSON; http500: the runner crashed;
 * flaky: every other /api/embed request is garbage, the rest normal.
 */
export type OllamaMode = 'normal' | 'down' | 'slow' | 'wrongDims' | 'garbage' | 'http500' | 'flaky';

export interface ServedRequest {
  at: number;
  path: string;
  mode: OllamaMode;
}

/** A real HTTP server on 127.0.0.1 speaking Ollama's /api/embed and /api/tags, whose behaviour can be switched. */
export class FakeOllama {
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private flakyCount = 0;
  private current: OllamaMode = 'normal';
  readonly served: ServedRequest[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get mode(): OllamaMode {
    return this.current;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve()); // the same port again after 'down'
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Switches behaviour; 'down' closes the listening socket, leaving 'down' listens again on the same port. */
  async setMode(mode: OllamaMode): Promise<void> {
    if (mode === this.current) return;
    const wasDown = this.current === 'down';
    this.current = mode;
    if (mode === 'down') await this.stop();
    else if (wasDown) await this.start();
    else for (const s of this.sockets) s.destroy(); // hung 'slow' requests end with the mode
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      let mode = this.current;
      if (req.url === '/api/embed' && mode === 'flaky') mode = this.flakyCount++ % 2 === 0 ? 'garbage' : 'normal';
      this.served.push({ at: performance.now(), path: req.url ?? '', mode });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (mode === 'slow') return; // never answers: the client's timeout must end it
      if (mode === 'http500') return json(500, { error: 'llama runner process has terminated: signal: killed' });
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"model":"nomic-embed-text","embeddings":[[0.1,0.2');
      }
      if (req.method === 'GET' && req.url === '/api/tags') {
        return json(200, {
          models: [
            {
              name: 'nomic-embed-text:latest',
              model: 'nomic-embed-text:latest',
              size: 274302450,
              digest: 'x',
              details: {},
            },
          ],
        });
      }
      if (req.method !== 'POST' || req.url !== '/api/embed') return json(404, { error: 'page not found' });
      let input: string[];
      try {
        input = (JSON.parse(raw) as { input: string[] }).input;
      } catch {
        return json(400, { error: 'invalid JSON body' });
      }
      const dim = mode === 'wrongDims' ? 384 : 768;
      json(200, {
        model: 'nomic-embed-text',
        embeddings: input.map((t) => fakeVector(t, dim)),
        total_duration: 1,
        load_duration: 0,
        prompt_eval_count: input.length,
      });
    });
  }
}

/** Deterministic, text-dependent, not normalised (the provider normalises). */
export function fakeVector(text: string, dim: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return Array.from({ length: dim }, (_, i) => (((h + i * 2654435761) >>> 0) % 1000) / 500 - 1 + (i === 0 ? 3 : 0));
}
