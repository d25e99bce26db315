import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI_MAIN } from './cli';

/** `devstream mcp` (the built CLI) spoken to in raw lines: what a client that gets things wrong sends. */
export class RawMcp {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiter?: () => void;
  private rest = '';
  stderr = '';

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [CLI_MAIN, ...args, 'mcp', '--embedder', 'builtin'], { cwd });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.rest + chunk).split('\n');
      this.rest = parts.pop() ?? '';
      this.lines.push(...parts);
      this.waiter?.();
    });
    this.child.stderr.setEncoding('utf8').on('data', (c: string) => {
      this.stderr += c;
    });
  }

  send(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  /** The next line the server writes, parsed (fails after `ms`). */
  async next(ms = 15_000): Promise<any> {
    const deadline = Date.now() + ms;
    while (this.lines.length === 0) {
      if (Date.now() > deadline) throw new Error(`no reply within ${ms} ms; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, 50);
      });
    }
    return JSON.parse(this.lines.shift()!);
  }

  /** Server notifications seen while waiting for replies (e.g. resources/list_changed). */
  readonly notifications: string[] = [];

  /** Sends a request and returns the reply (notifications the server sends meanwhile are set aside). */
  async request(line: string): Promise<any> {
    this.send(line);
    for (;;) {
      const m = await this.next();
      if (Array.isArray(m) || m.method === undefined || m.id !== undefined) return m;
      this.notifications.push(m.method);
    }
  }

  /** Nothing more was written within `ms`. */
  async silent(ms = 400): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.lines.length === 0;
  }

  async initialize(protocolVersion: string): Promise<any> {
    const r = await this.request(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw-client', version: '1' } },
      }),
    );
    this.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    return r;
  }

  async close(): Promise<number | null> {
    this.child.stdin.end();
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }
}
