import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  AGENT_TOOLS,
  endWorkSession,
  findTool,
  hybridSearchFn,
  runTool,
  startWorkSession,
  watchListChanges,
  withOutageMemory,
  type AgentTool,
  type ChangeWatch,
  type SearchFn,
  type ToolSession,
} from '../core/agents';
import type { Store } from '../core/db/store';
import type { Embedder } from '../core/embeddings/types';
import { vectorIndexFor } from '../core/search/vectorIndexSync';
import { LineTransport } from './lineTransport';
import { getPrompt, PROMPTS } from './prompts';
import { listResources, readResource, RESOURCE_TEMPLATES, rpcError } from './resources';

export const SERVER_NAME = 'devstream';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `DevStream is this workspace's memory and task plan, kept in a local SQLite file.
Before starting work, call devstream_search_memory for earlier decisions, errors and code about the topic,
devstream_memories_for_file before changing a file, and devstream_list_tasks for the task you are working on.
Set a task "active" when you start it and "completed" or "failed" when you stop (devstream_update_task).
Save decisions, fixes and lessons with devstream_store_memory so that the next session finds them; correct
wrong ones with devstream_update_memory. The devstream_recall and devstream_wrap_up prompts do this for you.`;

export interface DevStreamMcpOptions {
  store: Store;
  /** Folder anchors are relative to (the one holding .devstream/); agents' files must be inside it. */
  workspaceRoot?: string;
  /** Embeds queries (hybrid search) and saved memories; without one, search is keyword-only. */
  embedder?: Embedder;
  /** Replaces the default hybrid search (with `embedder`). */
  search?: SearchFn;
  /** Diagnostics: never stdout, which carries the protocol. */
  log?: (message: string) => void;
  /** Store likely secrets as written (default: redact them). */
  keepSecrets?: boolean;
  /** How often other processes' writes are looked for (resources list_changed), in ms. Default 1000. */
  watchIntervalMs?: number;
}

/**
 * The MCP server: the agent tools (with output schemas and structured results), resources,
 * prompts, and list_changed notifications when memories or plans change. Tool schemas are
 * served as derived from the core's zod definitions, so MCP and VS Code get the very same ones,
 * and validation runs once, in runTool. Handlers only translate: the rules live in src/core.
 */
export class DevStreamMcpServer {
  readonly server: Server;
  private session?: ToolSession;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly search: SearchFn;
  private readonly embedder?: Embedder;
  private readonly root: string;
  private watch?: ChangeWatch;

  constructor(private readonly opts: DevStreamMcpOptions) {
    // A stopped Ollama costs one timeout a minute, not one per call.
    this.embedder = opts.embedder && withOutageMemory(opts.embedder);
    this.search = opts.search ?? hybridSearchFn(opts.store, this.embedder);
    this.root = opts.workspaceRoot ?? process.cwd();
    this.server = new Server(
      { name: SERVER_NAME, title: 'DevStream', version: SERVER_VERSION },
      {
        instructions: INSTRUCTIONS,
        capabilities: {
          tools: { listChanged: false },
          resources: { listChanged: true },
          prompts: { listChanged: false },
        },
      },
    );
    const s = this.server;
    s.setRequestHandler(ListToolsRequestSchema, () => ({ tools: AGENT_TOOLS.map(toMcpTool) }));
    s.setRequestHandler(CallToolRequestSchema, (req) => this.track(this.call(req.params.name, req.params.arguments)));
    s.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(opts.store) }));
    s.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
    s.setRequestHandler(ReadResourceRequestSchema, (req) => readResource(opts.store, req.params.uri, this.root));
    s.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: PROMPTS }));
    s.setRequestHandler(GetPromptRequestSchema, (req) =>
      this.track(
        getPrompt(req.params.name, req.params.arguments ?? {}, {
          store: opts.store,
          search: this.search,
          session: () => this.ensureSession(),
          workspaceRoot: this.root,
        }),
      ),
    );
    // The client's name arrives with initialize: the session and agent rows start there. A client
    // that sends 'initialized' before reading the initialize result gets its session at its first call.
    s.oninitialized = () => {
      try {
        if (s.getClientVersion()) this.ensureSession();
        this.watch ??= watchListChanges(
          opts.store,
          () => void s.sendResourceListChanged().catch(() => undefined),
          opts.watchIntervalMs,
        );
      } catch (e) {
        this.log(`could not start the work session: ${(e as Error).message}`);
      }
    };
  }

  /** The work session, started on first need (normally at initialization). */
  ensureSession(): ToolSession {
    if (this.session) return this.session;
    const client = this.server.getClientVersion();
    this.session = startWorkSession(this.opts.store, {
      name: client?.name ?? 'unknown-mcp-client',
      title: client?.title,
      version: client?.version,
      role: 'mcp-client',
      capabilities: (this.server.getClientCapabilities() ?? {}) as Record<string, unknown>,
      transport: 'mcp',
    });
    this.log(`session ${this.session.id} started for ${this.session.clientName}`);
    return this.session;
  }

  /** Waits for running calls, then ends the work session (the store stays open: the caller owns it). */
  async end(): Promise<void> {
    this.watch?.dispose();
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
    const tool = findTool(name);
    if (!tool)
      throw rpcError(-32602, `Unknown tool '${name}'. The tools are: ${AGENT_TOOLS.map((t) => t.name).join(', ')}.`);
    const r = await runTool(name, args, {
      store: this.opts.store,
      search: this.search,
      embedder: this.embedder,
      session: this.ensureSession(),
      workspaceRoot: this.root,
      log: (m) => this.log(m),
      keepSecrets: this.opts.keepSecrets,
    });
    if (!r.isError && tool.confirmation) this.watch?.check(); // own writes: data_version does not see them
    if (r.isError) return { content: [{ type: 'text', text: r.text }], isError: true };
    return { content: [{ type: 'text', text: r.text }], structuredContent: r.data as Record<string, unknown> };
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

function toMcpTool(t: AgentTool): Tool {
  return {
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: t.inputSchema as Tool['inputSchema'],
    outputSchema: t.outputSchema as Tool['outputSchema'],
    annotations: {
      title: t.title,
      readOnlyHint: t.readOnly,
      destructiveHint: t.destructive === true,
      idempotentHint: t.idempotent === true,
      openWorldHint: false,
    },
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
  const transport = new LineTransport(stdin, opts.stdout ?? process.stdout);
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
    await server.server.close().catch(() => undefined);
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

  await server.server.connect(transport);
  server.server.onclose = () => void stop('connection closed');
  opts.log?.(`serving ${opts.store.path} on stdio`);
  return done;
}
