import { vectorIndexFor } from '../core/search/vectorIndexSync';
import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Store } from '../core/db/store';
import type { Embedder } from '../core/embeddings/types';
import { AGENT_TOOLS, endWorkSession, findTool, hybridSearchFn, runTool, startWorkSession, type SearchFn, type ToolSession } from '../core/agents';

export const SERVER_NAME = 'devstream';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `DevStream is this workspace's memory and task plan, kept in a local SQLite file.
Before starting work, call devstream_search_memory for earlier decisions, errors and code about the topic,
and devstream_list_tasks for the task you are working on. Set a task "active" when you start it and
"completed" or "failed" when you stop (devstream_update_task). Save decisions, fixes and lessons with
devstream_store_memory so that the next session finds them.`;

export interface DevStreamMcpOptions {
  store: Store;
  /** Folder anchors are relative to (the one holding .devstream/). */
  workspaceRoot?: string;
  /** Embeds queries (hybrid search) and saved memories; without one, search is keyword-only. */
  embedder?: Embedder;
  /** Replaces the default hybrid search (with `embedder`). */
  search?: SearchFn;
  /** Diagnostics: never stdout, which carries the protocol. */
  log?: (message: string) => void;
  /** Store likely secrets as written (default: redact them). */
  keepSecrets?: boolean;
}

/**
 * An MCP server exposing the agent tools. Tools are served with their raw JSON Schemas through
 * the underlying Server's handlers (McpServer.registerTool only takes zod schemas), so MCP and
 * VS Code get the very same schemas, and validation runs once, in runTool.
 */
export class DevStreamMcpServer {
  readonly mcp: McpServer;
  private session?: ToolSession;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly search: SearchFn;

  constructor(private readonly opts: DevStreamMcpOptions) {
    this.search = opts.search ?? hybridSearchFn(opts.store, opts.embedder);
    this.mcp = new McpServer({ name: SERVER_NAME, title: 'DevStream', version: SERVER_VERSION }, { instructions: INSTRUCTIONS });
    const server = this.mcp.server;
    server.registerCapabilities({ tools: { listChanged: false } });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: AGENT_TOOLS.map(toMcpTool) }));
    server.setRequestHandler(CallToolRequestSchema, (req) => this.track(this.call(req.params.name, req.params.arguments)));
    // The client's name arrives with initialize: the session and agent rows start there. A client
    // that sends 'initialized' before reading the initialize result gets its session at its first call.
    server.oninitialized = () => {
      try {
        if (server.getClientVersion()) this.ensureSession();
      } catch (e) {
        this.log(`could not start the work session: ${(e as Error).message}`);
      }
    };
  }

  /** The work session, started on first need (normally at initialization). */
  ensureSession(): ToolSession {
    if (this.session) return this.session;
    const client = this.mcp.server.getClientVersion();
    this.session = startWorkSession(this.opts.store, {
      name: client?.name ?? 'unknown-mcp-client', title: client?.title, version: client?.version,
      role: 'mcp-client', capabilities: (this.mcp.server.getClientCapabilities() ?? {}) as Record<string, unknown>, transport: 'mcp',
    });
    this.log(`session ${this.session.id} started for ${this.session.clientName}`);
    return this.session;
  }

  /** Waits for running calls, then ends the work session (the store stays open: the caller owns it). */
  async end(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    if (this.session) {
      try {
        endWorkSession(this.opts.store, this.session.id);
      } catch (e) {
        this.log(`could not end the work session: ${(e as Error).message}`);
      }
    }
  }

  private async call(name: string, args: unknown): Promise<CallToolResult> {
    if (!findTool(name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool '${name}'. The tools are: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`);
    const r = await runTool(name, args, {
      store: this.opts.store, search: this.search, embedder: this.opts.embedder, session: this.ensureSession(),
      workspaceRoot: this.opts.workspaceRoot, log: (m) => this.log(m), keepSecrets: this.opts.keepSecrets,
    });
    return { content: [{ type: 'text', text: r.text }], isError: r.isError };
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  private log(message: string): void {
    this.opts.log?.(message);
  }
}

function toMcpTool(t: (typeof AGENT_TOOLS)[number]): Tool {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema as unknown as Tool['inputSchema'],
    annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, idempotentHint: t.readOnly, openWorldHint: false },
  };
}

export interface StdioOptions extends DevStreamMcpOptions {
  stdin?: Readable;
  stdout?: Writable;
}

/**
 * Serves over stdio until the client goes away (stdin ends) or SIGINT/SIGTERM arrives, then
 * ends the work session and closes the store. Resolves once everything is closed.
 */
export async function serveStdio(opts: StdioOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const server = new DevStreamMcpServer(opts);
  // A long-lived server: keep vectors in memory for fast search (vec0 answers until loaded).
  const index = vectorIndexFor(opts.store);
  index.load().catch((e: Error) => opts.log?.(`vector index not loaded, searching through vec0: ${e.message}`));
  const transport = new StdioServerTransport(stdin, opts.stdout ?? process.stdout);
  let finished: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  let stopping = false;

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    opts.log?.(`shutting down (${why})`);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    stdin.off('end', onEnd);
    await server.end();
    await server.mcp.close().catch(() => undefined);
    index.dispose();
    opts.store.close();
    stdin.destroy(); // a paused stdin would otherwise keep the process alive after a signal
    finished();
  };
  const onSigint = () => void stop('SIGINT');
  const onSigterm = () => void stop('SIGTERM');
  const onEnd = () => void stop('stdin closed');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  stdin.on('end', onEnd);
  transport.onerror = (e) => opts.log?.(`transport error: ${e.message}`);

  await server.mcp.connect(transport);
  server.mcp.server.onclose = () => void stop('connection closed');
  opts.log?.(`serving ${opts.store.path} on stdio`);
  return done;
}
